"""Shared plumbing for ``python -m core``: every command takes ``--json`` and returns a dict.

One module per feature in this package (``core/cli/<feature>.py``, the same word as the feature's page and
core module) exposes ``add_commands(subparsers)`` and registers each command with ``add_command``.
Handlers return a JSON-able dict; an optional text renderer formats it for people. A ``UserError`` becomes
one sentence on stderr and exit code 2; anything else is logged with its traceback and exits 1.

Every command works in one workspace (:mod:`core.workspaces`): ``--workspace`` (before or after the command)
or the ``CNNLAB_WORKSPACE`` environment variable, each a private link's token, ``user:<e-mail>`` (login mode)
or ``default`` (the default, where everything stored before workspaces lives). The sidebar of the app shows the
command line that reaches the visitor's workspace. Paths given on the command line are read as they are: the
CLI is the server's local user, not a visitor.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import sys
from typing import Callable, Optional

from core.errors import UserError

# Feature modules that contribute commands, in help order.
COMMAND_MODULES = ("zoo", "architectures", "data", "finetune", "jobs", "inside", "saliency", "code",
                   "workspaces")
WORKSPACE_HELP = ("the workspace: a private link's token, user:<e-mail>, or default (also CNNLAB_WORKSPACE; "
                  "default: default)")

_log = logging.getLogger("core.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one sentence, exit 2 (argparse's own convention), no usage dump
        self.exit(2, f"{self.prog}: {message}.\n")


def add_command(sub, name: str, help: str, handler: Callable[[argparse.Namespace], dict],
                text: Optional[Callable[[dict], str]] = None) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help)
    p.add_argument("--json", action="store_true", help="print one JSON object to stdout")
    p.add_argument("--workspace", default=argparse.SUPPRESS, metavar="TOKEN", help=WORKSPACE_HELP)
    p.set_defaults(handler=handler, text=text)
    return p


def format_topk(header: str, results: list[dict]) -> str:
    """Text for ``[{"image", "top": [{"prob", "label"}]}]``, shared by classify and predict."""
    lines = [header]
    for r in results:
        lines.append(r["image"])
        lines += [f"  {t['prob']:7.2%}  {t['label']}" for t in r["top"]]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="CNN Transfer Lab command line (the pages' twin).")
    parser.add_argument("--workspace", default=None, metavar="TOKEN", help=WORKSPACE_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for feature in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{feature}").add_commands(sub)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    from core.settings import setup_logging
    log_path = setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    from core import workspaces
    try:
        ws = workspaces.resolve(args.workspace or os.environ.get(workspaces.ENV))
        args.workspace_root = ws.root
        with workspaces.using(ws):
            result = args.handler(args)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the traceback goes to the log, a sentence to the user
        _log.exception("command %s failed", args.command)
        print(f"Unexpected error ({type(exc).__name__}: {exc}); details in {log_path}.", file=sys.stderr)
        return 1
    try:
        if args.json:
            json.dump(result, sys.stdout, default=str)
            sys.stdout.write("\n")
        elif args.text is not None:
            print(args.text(result))
        else:
            print(json.dumps(result, indent=2, default=str))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0

"""``python -m core workspaces new | show | sweep``: private workspaces on the command line (the sidebar's twin)."""
from __future__ import annotations

from core import workspaces
from core.cli import add_command


def _new(args) -> dict:
    ws = workspaces.create()
    return {"workspace": ws.id, "token": ws.token, "link": f"?ws={ws.token}",
            "cli": f"CNNLAB_WORKSPACE={ws.token} python -m core ..."}


def _show(args) -> dict:
    root = args.workspace_root
    return {"workspace": workspaces.id_of(root), "dir": str(root), **workspaces.usage(root)}


def _show_text(r: dict) -> str:
    lim = r["limits"]
    cap = lambda v: "no limit" if v is None else v  # noqa: E731
    return (f"workspace {r['workspace']} ({r['dir']})\n  stored: {r['mb']} MB of {cap(lim['mb'])} MB\n"
            f"  datasets: {r['datasets']} of {cap(lim['datasets'])}\n"
            f"  queued or running runs: {r['queued']} of {cap(lim['queued'])}")


def _sweep(args) -> dict:
    return {"swept": workspaces.sweep()}


def add_commands(sub) -> None:
    p = add_command(sub, "workspaces", "Workspaces: make a private one, show what one holds, sweep idle ones.",
                    _show, _show_text)
    wsub = p.add_subparsers(dest="workspace_command", required=True, parser_class=type(p))
    add_command(wsub, "new", "Make a new private workspace and print its token (the ?ws= of its link).", _new,
                lambda r: f"token {r['token']}\nlink  <app address>/{r['link']}\ncli   {r['cli']}")
    add_command(wsub, "show", "What the workspace (--workspace) stores, against its limits.", _show, _show_text)
    add_command(wsub, "sweep", "Delete workspaces idle for CNNLAB_SWEEP_DAYS days (and empty ones after a day).",
                _sweep, lambda r: f"swept {len(r['swept'])} workspace(s)")

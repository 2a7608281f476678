"""``code``: the standalone PyTorch script that does what a finished fine-tuning run did (the page's "Show
the code")."""
from __future__ import annotations

from pathlib import Path

from core.cli import add_command


def _code(args) -> dict:
    from core.finetune.codegen import run_script
    from core.runs import run_path
    folder = Path(args.run) if Path(args.run).is_dir() else run_path(args.run)
    text = run_script(folder, lang=args.lang)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return {"run": str(folder), "lang": args.lang, "out": args.out, "script": text}


def _code_text(res: dict) -> str:
    return f"wrote {res['out']}" if res["out"] else res["script"].rstrip("\n")


def add_commands(sub) -> None:
    p = add_command(sub, "code", "print the standalone PyTorch script that does what a finished run did",
                    _code, _code_text)
    p.add_argument("--run", required=True, help="a run folder or a run id (python -m core jobs list)")
    p.add_argument("--lang", default="en", choices=("en", "pt"), help="language of the script's comments")
    p.add_argument("--out", default=None, help="write the script to this file instead of printing it")

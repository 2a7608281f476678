"""``python -m core data inspect|demo|list|delete``: the datasets page's twin.

Warnings and the reasons files were skipped are printed in English (``str(notice)``), in ``--json`` too.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from core.cli import add_command
from core.data import (DEMOS, TEST_FRACTION, VAL_FRACTION, delete_dataset, list_datasets, open_dataset,
                       skipped_text, write_demo)
from core.errors import UserError

SKIPPED_SHOWN = 50          # skipped files listed in the text report (--json lists them all)


def add_commands(sub) -> None:
    p = add_command(sub, "data", "Datasets: inspect a zip or folder, write a demo set, list or delete stored ones.",
                    handler=lambda a: {})
    dsub = p.add_subparsers(dest="data_command", required=True, parser_class=type(p))
    q = add_command(dsub, "inspect", "Validate a .zip or folder (one folder per class), store it, and print its "
                    "report.", _inspect, _inspect_text)
    q.add_argument("path", help="a .zip file, a folder, a stored dataset id, or demo:digits / demo:faces")
    q.add_argument("--val-fraction", type=float, default=None, metavar="F",
                   help=f"validation share of each class when storing (default {VAL_FRACTION})")
    q.add_argument("--test-fraction", type=float, default=None, metavar="F",
                   help="test share of each class held out when storing, e.g. 0.1: a final, untouched measurement "
                        f"that never picks epochs or settings (default {TEST_FRACTION}: no test split)")
    q = add_command(dsub, "demo", "Write a built-in demo set as a class-per-folder tree of PNG files.", _demo,
                    lambda r: f"wrote {r['num_images']} images in {len(r['classes'])} classes to {r['out']}")
    q.add_argument("name", choices=sorted(DEMOS), help="which demo set")
    q.add_argument("--out", required=True, help="a new (or empty) folder to write")
    add_command(dsub, "list", "List stored datasets, newest first.", _list, _list_text)
    q = add_command(dsub, "delete", "Delete a stored dataset.", _delete, lambda r: f"deleted {r['deleted']}")
    q.add_argument("id", help="the dataset id (see `data list`)")


def _inspect(args) -> dict:
    ds = open_dataset(args.path,
                      val_fraction=VAL_FRACTION if args.val_fraction is None else args.val_fraction,
                      test_fraction=TEST_FRACTION if args.test_fraction is None else args.test_fraction)
    asked = {"val_fraction": args.val_fraction, "test_fraction": args.test_fraction}
    for key, value in asked.items():  # a stored id opens as stored: a split asked for must not be ignored silently
        if value is not None and round(value, 4) != getattr(ds, key):
            raise UserError.of("data.split_is_stored", id=ds.id, val=ds.val_fraction, test=ds.test_fraction)
    r = ds.report
    return {"id": ds.id, "name": ds.name, "classes": r["classes"], "counts": r["counts"],
            "num_images": r["num_images"], "val_fraction": ds.val_fraction, "test_fraction": ds.test_fraction,
            "skipped": [{"path": s["path"], "reason": skipped_text(s)} for s in r["skipped"]],
            "warnings": [str(w) for w in ds.warnings], "sizes": r["sizes"], "split": r["split"], "dir": str(ds.dir)}


def _inspect_text(r: dict) -> str:
    lines = [f"{r['name']} ({r['id']}): {r['num_images']} images in {len(r['classes'])} classes"]
    w = max(len(c) for c in r["classes"])
    lines += [f"  {c:<{w}}  {n}" for c, n in r["counts"].items()]
    lines.append("split: " + ", ".join(f"{k} {v}" for k, v in r["split"].items()))
    if r["skipped"]:
        lines.append(f"skipped {len(r['skipped'])}:")
        lines += [f"  {s['path']}: {s['reason']}" for s in r["skipped"][:SKIPPED_SHOWN]]
        if len(r["skipped"]) > SKIPPED_SHOWN:
            lines.append(f"  ... and {len(r['skipped']) - SKIPPED_SHOWN} more (use --json)")
    lines += [f"warning: {w}" for w in r["warnings"]]
    return "\n".join(lines)


def _demo(args) -> dict:
    return write_demo(args.name, Path(args.out))


def _list(args) -> dict:
    return {"datasets": [asdict(i) for i in list_datasets()]}


def _list_text(r: dict) -> str:
    if not r["datasets"]:
        return "No stored datasets."
    return "\n".join(f"{d['id']}  {d['created']}  {d['num_images']:>6} images  {len(d['classes'])} classes  {d['name']}"
                     for d in r["datasets"])


def _delete(args) -> dict:
    delete_dataset(args.id)
    return {"deleted": args.id}

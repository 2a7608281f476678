"""``jobs list | show | cancel | resume | delete``: the run list of the fine-tuning page, on the command line (in
the workspace of ``--workspace``; the queue positions are the server's, shared fairly between workspaces)."""
from __future__ import annotations

import time

from core import jobs
from core.cli import add_command


def _fmt_time(t) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else "-"


def _row_text(r: dict) -> str:
    state = r["state"]
    if state == jobs.QUEUED and r.get("queue_position"):
        state += f" #{r['queue_position']}"
    elif state == jobs.RUNNING:
        state += f" {r['fraction']:.0%}"
    return (f"{r['id']}  {state:<13} {str(r.get('model')):<22} {str(r.get('strategy')):<13} "
            f"{str(r.get('data')):<16} {_fmt_time(r.get('created'))}")


def _cli_list(args) -> dict:
    return {"runs": jobs.list_runs(), "queue": jobs.queue(), "devices": jobs.device_slots()}


def _text_list(res: dict) -> str:
    if not res["runs"]:
        return "No runs yet."
    return "\n".join(_row_text(r) for r in res["runs"])


def _cli_show(args) -> dict:
    jobs.reconcile()
    row = jobs.info(args.run)
    row["metrics"] = jobs.metrics(args.run)
    row["summary"] = jobs.summary(args.run)
    row["exports"] = [str(p) for p in jobs.export_files(args.run)]
    return row


def _text_show(r: dict) -> str:
    lines = [_row_text(r), f"  folder: {r['dir']}", f"  message: {r.get('message') or '-'}"]
    for m in r.get("metrics") or []:
        lines.append("  epoch {epoch}: train loss {tl} acc {ta}, val loss {vl} acc {va}".format(
            epoch=m.get("epoch"), tl=_num(m.get("train_loss")), ta=_num(m.get("train_acc")),
            vl=_num(m.get("val_loss")), va=_num(m.get("val_acc"))))
    if r.get("exports"):
        lines.append("  export: " + ", ".join(r["exports"]))
    return "\n".join(lines)


def _num(x) -> str:
    return f"{x:.4f}" if isinstance(x, (int, float)) else "-"


def _cli_cancel(args) -> dict:
    return jobs.cancel(args.run)


def _cli_resume(args) -> dict:
    row = jobs.resume(args.run)
    if args.no_wait:
        return row
    manager = jobs.JobManager(autostart=False)
    try:
        manager.tick()
        if not manager.is_leader:
            return {**jobs.info(args.run), "note": "queued; the running server's job manager will start it"}
        return manager.wait(args.run, timeout=args.timeout, root=args.workspace_root)
    finally:
        manager.close()


def _cli_delete(args) -> dict:
    return {"deleted": jobs.delete_run(args.run)}


def add_commands(sub) -> None:
    p = add_command(sub, "jobs", "Training runs: list, show, cancel or resume them.", _cli_list, _text_list)
    jsub = p.add_subparsers(dest="jobs_command", required=True, parser_class=type(p))
    add_command(jsub, "list", "List every run, newest first, with its state.", _cli_list, _text_list)
    q = add_command(jsub, "show", "Show one run: status, metrics per epoch, exported files.", _cli_show, _text_show)
    q.add_argument("run", help="run id (see `jobs list`)")
    q = add_command(jsub, "cancel", "Cancel a queued or running run (stops within one step).",
                    _cli_cancel, _row_text)
    q.add_argument("run")
    q = add_command(jsub, "resume", "Resume an interrupted or cancelled run from its last complete checkpoint; "
                    "without a running server this command runs it and waits.", _cli_resume, _row_text)
    q.add_argument("run")
    q.add_argument("--no-wait", action="store_true", help="only queue it again")
    q.add_argument("--timeout", type=float, default=24 * 3600, help="seconds to wait at most")
    q = add_command(jsub, "delete", "Delete a finished, failed, cancelled or interrupted run and its files.",
                    _cli_delete, lambda r: f"deleted {r['deleted']}")
    q.add_argument("run")

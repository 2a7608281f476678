"""Runs as the job manager sees them: create, read, cancel and resume; the state machine of status.json.

States: ``queued -> running -> done | failed | cancelled | diverged``; a run whose worker vanished (pid gone,
no final state: killed, machine rebooted) becomes ``interrupted`` and can be resumed from its last complete
checkpoint, as can a cancelled one. A status says why it is in its state with a notice (a key and its
parameters, :mod:`core.notices`); statuses written before notices carried an English ``message`` and a
``code``, and still read (:func:`status_notice`).

Ownership model: every function works inside one workspace (``root``, :mod:`core.workspaces`; ``None``: the
current one). A run id is only ever looked up under that workspace's ``runs/`` and checked against its
pattern first, so an id from another workspace, guessed or crafted, reads as "no such run". The queue itself
is shared by the whole server and fair between workspaces (:func:`fair_order`); each workspace may have
``CNNLAB_QUOTA_QUEUED`` queued or running runs at a time.
"""
from __future__ import annotations

import functools
import io
import logging
import os
import secrets
import shutil
import time
import zipfile
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Callable, Optional

from core.errors import UserError
from core.notices import Notice
from core.runs import RunFolder, is_run_id, new_run_id, run_folders, run_path, runs_dir
from core.settings import quotas

_log = logging.getLogger("core.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CANCELLED, INTERRUPTED, DIVERGED = "cancelled", "interrupted", "diverged"
STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED, DIVERGED)
ACTIVE = frozenset({QUEUED, RUNNING})
RESUMABLE = frozenset({INTERRUPTED, CANCELLED})
HEARTBEAT_S = 5.0        # the worker refreshes status.json this often

# status codes written before notices, and the keys they mean now
_LEGACY_STATUS = {"worker_gone", "cancelled_queued", "cancelled_interrupted", "cancelled", "resuming",
                  "resume_fresh", "done", "terminated"}
_LEGACY_OOM = {"training": "training", "validation": "validation", "feature extraction": "features"}


def now() -> float:
    return round(time.time(), 3)


def human_seconds(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``1 h 20 min``: durations for status lines (the same in English and Portuguese)."""
    s = max(0, int(round(float(seconds))))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def process_started(pid: Optional[int]) -> Optional[int]:
    """When process ``pid`` started, in clock ticks since boot (/proc/<pid>/stat's 22nd field), or ``None``
    where /proc cannot tell. Stored next to a pid, it tells the same process from a later one given that pid."""
    try:
        return int(Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError, TypeError):
        return None


def pid_alive(pid: Optional[int], run_id: Optional[str] = None, started: Optional[int] = None) -> bool:
    """Whether ``pid`` is a live process (not a zombie) and, where /proc can tell, still the one meant: the one
    that started at ``started`` (see :func:`process_started`) when that was recorded, else a process whose
    command line names ``run_id`` (a worker; a ``python -m core train`` process does not, so its status
    records ``pid_started``)."""
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except (OverflowError, ValueError):
        return False
    proc = Path(f"/proc/{int(pid)}")
    if proc.is_dir():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X"):
                return False
            if started is not None:
                return process_started(pid) == int(started)  # else the pid was reused by another process
            if run_id and run_id.encode() not in (proc / "cmdline").read_bytes():
                return False  # the pid was reused by an unrelated process
        except (OSError, IndexError):
            return False
    return True


# ------------------------------------------------------------------------------------------ notices
def status_notice(status: dict) -> Optional[Notice]:
    """Why a run is in its state, as a notice (statuses from before notices included)."""
    notice = Notice.restore(status.get("notice"))
    if notice is not None:
        return notice
    code, args, message = status.get("code"), status.get("args"), status.get("message")
    if code == "error" and isinstance(args, dict):  # a UserError's key and params
        return Notice.legacy(message, args.get("key"), args.get("params"))
    if code in _LEGACY_STATUS:
        return Notice.legacy(message, f"jobs.status.{code}", args)
    return Notice.legacy(message)


def progress_notices(progress: Optional[dict]) -> list[Notice]:
    """The notices a run's progress file keeps (batch halved, early stop, resumed ...), oldest first."""
    out = []
    for rec in (progress or {}).get("notices") or []:
        notice = Notice.restore(rec)
        if notice is None and isinstance(rec, dict):  # written before notices: message + code + args
            code, args = rec.get("code"), dict(rec.get("args") or {})
            if code == "oom":
                code = f"oom.{_LEGACY_OOM.get(args.pop('what', ''), 'training')}"
            notice = Notice.legacy(rec.get("message"), f"finetune.msg.{code}" if code else None, args)
        if notice is not None:
            out.append(notice)
    return out


# ---------------------------------------------------------------------------------------- statuses
_STATUS_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=_STATUS_CACHE_SIZE)
def _parsed_status(path: str, _key: tuple) -> Optional[dict]:
    status = RunFolder(Path(path)).status()
    return status if status else None


def statuses(root: Optional[Path] = None) -> dict[str, dict]:
    """Every run's status, re-reading only the status.json files whose inode, mtime or size changed.

    The scheduler and the page poll this every second or so; with hundreds of finished runs a stat per run
    is cheap where a JSON parse per run is not.
    """
    out = {}
    for folder in run_folders(root):
        key = folder.status_key()
        if key is None:
            continue
        st = _parsed_status(str(folder.path), key)
        if st is not None:
            out[folder.id] = dict(st)
    return out


def queued_order(root: Optional[Path] = None, known: Optional[dict] = None) -> list[tuple[str, dict]]:
    """(id, status) of the queued runs, next to start first."""
    known = statuses(root) if known is None else known
    rows = [(rid, st) for rid, st in known.items() if st.get("state") == QUEUED]
    rows.sort(key=lambda r: (r[1].get("queued") or 0, r[0]))
    return rows


def queue(root: Optional[Path] = None) -> list[str]:
    """Ids of the workspace's queued runs, next to start first."""
    return [rid for rid, _ in queued_order(root)]


def fair_order(entries: dict[Path, dict[str, dict]]) -> list[tuple[Path, str, dict]]:
    """The server's queue: ``(workspace root, run id, status)`` of every queued run, next to start first.

    Round-robin between workspaces, then queue time: a workspace's *k*-th queued run waits behind every other
    workspace's runs of a lower rank, where a run that is already training counts as rank 0 of its workspace.
    So one workspace's ten runs never starve another's one.

    Args:
        entries: ``{workspace root: statuses(root)}`` for every workspace of the server.
    """
    rows = []
    for root, known in entries.items():
        running = sum(1 for st in known.values() if st.get("state") == RUNNING)
        for i, (rid, st) in enumerate(queued_order(root, known)):
            rows.append(((running + i, st.get("queued") or 0, rid), Path(root), rid, st))
    rows.sort(key=lambda r: r[0])
    return [(root, rid, st) for _, root, rid, st in rows]


def server_statuses(base: Optional[Path] = None) -> dict[Path, dict[str, dict]]:
    """``{workspace root: statuses}`` for every workspace of the data directory ``base``."""
    from core.workspaces import all_workspaces
    # only workspaces that have runs: reading must never re-create a workspace the sweep is removing
    return {root: statuses(root) for root in all_workspaces(base) if (root / "runs").is_dir()}


def positions(root: Optional[Path] = None, known: Optional[dict] = None) -> dict[str, int]:
    """The place in the server's fair queue (1 = next) of each of the workspace's queued runs."""
    from core.workspaces import base_of, current_root
    root = Path(root if root is not None else current_root()).resolve()
    known = statuses(root) if known is None else known
    if not any(st.get("state") == QUEUED for st in known.values()):
        return {}
    entries = server_statuses(base_of(root))
    entries = {Path(r).resolve(): v for r, v in entries.items()}
    entries[root] = known
    return {rid: i + 1 for i, (r, rid, _) in enumerate(fair_order(entries)) if r == root}


# ---------------------------------------------------------------------------------------- creating
def _config_dict(cfg) -> dict:
    if is_dataclass(cfg):
        return asdict(cfg)
    if isinstance(cfg, dict):
        return dict(cfg)
    raise TypeError(f"a run config must be a dataclass or a dict, not {type(cfg).__name__}")


def create_run(cfg, root: Optional[Path] = None, label: str = "", in_this_process: bool = False) -> str:
    """Make a run folder for ``cfg`` (a ``FinetuneConfig``) in state ``queued`` and return its id.

    Nothing is launched here. With ``in_this_process`` the run starts as ``running`` under this process's
    pid instead, so that no manager ever launches a second worker for it (see ``core.jobs.worker.run_here``).
    """
    from core.workspaces import current_root, lock
    config = _config_dict(cfg)
    root = Path(root) if root is not None else current_root()
    base = runs_dir(root)
    with lock(root):  # the quota check and the new status.json are one step: three Starts at once stay three
        _check_room(root)
        for _ in range(5):
            folder = RunFolder(base / new_run_id())
            try:
                folder.path.mkdir()
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - five random collisions in one second
            raise RuntimeError("could not allocate a run id")
        t = now()
        folder.write_job({"config": config, "resume": False, "label": label})
        folder.write_config(config)
        # status.json last: its presence is what makes the folder a run (run_path checks it).
        folder.write_status({"state": RUNNING if in_this_process else QUEUED, "notice": None,
                             "pid": os.getpid() if in_this_process else None,
                             "pid_started": process_started(os.getpid()) if in_this_process else None,
                             "created": t, "queued": t,
                             "started": t if in_this_process else None, "ended": None,
                             "heartbeat": t if in_this_process else None, "queue_position": None, "device": None,
                             "attempts": 0, "exit_code": None})
    _log.info("run %s queued", folder.id)
    return folder.id


def _check_room(root: Path) -> None:
    """The workspace's limits on active runs and stored bytes, as one sentence each (call under its lock)."""
    from core.workspaces import check_bytes
    limit = quotas()["queued"]
    if limit is not None:
        active = sum(1 for st in statuses(root).values() if st.get("state") in ACTIVE)
        if active >= limit:
            raise UserError.of("jobs.quota_queued", limit=limit)
    check_bytes(root, what="run")


def delete_run(run_id: str, root: Optional[Path] = None) -> str:
    """Remove a run of the workspace that is not queued or running (cancel it first); returns its id.

    Raises:
        UserError: a bad or unknown id, or the run is still active.
    """
    f = folder(run_id, root)
    reconcile(root)
    with f.lock():
        if f.status().get("state") in ACTIVE:
            raise UserError.of("jobs.delete_active", run=f.id)
        trash = f.path.parent / f".trash-{f.id}-{secrets.token_hex(4)}"
        os.replace(f.path, trash)  # atomic: it leaves every list at once
    shutil.rmtree(trash, ignore_errors=True)
    _log.info("run %s deleted", f.id)
    return f.id


# ----------------------------------------------------------------------------------------- reading
def reconcile(root: Optional[Path] = None, exit_code: Optional[Callable[[str], Optional[int]]] = None) -> list[str]:
    """Mark ``running`` runs whose worker is gone as ``interrupted``; returns their ids.

    Safe to call from any process at any time: the check is repeated under the run's lock.
    """
    changed = []
    base = runs_dir(root)
    for rid, st in statuses(root).items():
        if st.get("state") != RUNNING or pid_alive(st.get("pid"), rid, st.get("pid_started")):
            continue
        folder = RunFolder(base / rid)
        with folder.lock():
            st = folder.status()
            if st.get("state") != RUNNING or pid_alive(st.get("pid"), rid, st.get("pid_started")):
                continue
            code = exit_code(rid) if exit_code else None
            st.update(state=INTERRUPTED, ended=now(), exit_code=code,
                      notice=Notice.of("jobs.status.worker_gone", epochs=len(folder.metrics())).record())
            folder.write_status(st)
        _log.warning("run %s interrupted: worker pid %s is gone (exit code %s)", rid, st.get("pid"), code)
        changed.append(rid)
    return changed


def _eta(status: dict, progress: Optional[dict], fraction: float) -> Optional[float]:
    """Seconds left: fit's own estimate when it gives one, else elapsed time scaled by the fraction done."""
    if status.get("state") != RUNNING or not progress:
        return None
    eta = progress.get("eta_s")
    if isinstance(eta, (int, float)) and eta > 0:
        # the event is a moment old: count down from when it was written
        return max(0.0, float(eta) - max(0.0, time.time() - float(progress.get("time") or time.time())))
    started = status.get("started")
    if started and 0.02 < fraction < 1.0:
        spent = time.time() - float(started)
        return spent * (1.0 - fraction) / fraction
    return None


def _fraction(progress: Optional[dict], state: str) -> float:
    """0..1 over the whole run, from the last progress event."""
    if state == DONE:
        return 1.0
    if not progress:
        return 0.0
    epochs = max(1, int(progress.get("epochs") or 1))
    epoch = int(progress.get("epoch") or 0)
    if progress.get("phase") == "epoch":  # an epoch just ended
        return max(0.0, min(1.0, epoch / epochs))
    if progress.get("phase") == "results":  # evaluating the best weights and exporting
        return 0.99
    steps = max(1, int(progress.get("steps") or 1))
    step = min(steps, int(progress.get("step") or 0))
    epoch0 = max(0, epoch - 1) if epoch >= 1 else 0  # events count epochs from 1
    return max(0.0, min(1.0, (epoch0 + step / steps) / epochs))


def info(run_id: str, root: Optional[Path] = None) -> dict:
    """Everything a list or a status line needs about one run (cheap: three small JSON reads)."""
    return _info(RunFolder(run_path(run_id, root)), root)


def _info(folder: RunFolder, root: Optional[Path] = None, places: Optional[dict] = None) -> dict:
    status = folder.status()
    job = folder.job()
    cfg = job.get("config") or {}
    progress = folder.progress()
    state = status.get("state", FAILED)
    if state == QUEUED:
        if places is None:
            places = positions(folder.path.parent.parent)
        status["queue_position"] = places.get(folder.id)
    else:
        status["queue_position"] = None
    notice = status_notice(status)
    for legacy in ("message", "code", "args"):
        status.pop(legacy, None)
    fraction = _fraction(progress, state)
    started, ended = status.get("started"), status.get("ended")
    elapsed = (ended or time.time()) - started if started else None
    return {
        "id": folder.id, "dir": str(folder.path), **status, "state": state,
        "notice": notice.record() if notice is not None and notice.key else None,
        "message": str(notice) if notice is not None else "",
        "alive": state == RUNNING and pid_alive(status.get("pid"), folder.id, status.get("pid_started")),
        "label": job.get("label", ""), "data": cfg.get("data"), "model": cfg.get("model"),
        "strategy": cfg.get("strategy"), "epochs": cfg.get("epochs"), "resume": bool(job.get("resume")),
        "progress": progress, "fraction": fraction, "eta_s": _eta(status, progress, fraction),
        "elapsed_s": round(elapsed, 1) if elapsed is not None else None,
        "cancel_requested": folder.cancel_requested(),
    }


def list_runs(root: Optional[Path] = None, refresh: bool = True) -> list[dict]:
    """Every run, newest first (``refresh`` first marks runs whose worker died as interrupted)."""
    if refresh:
        reconcile(root)
    places = positions(root)
    rows = [_info(f, root, places) for f in run_folders(root) if f.has_status()]
    rows.sort(key=lambda r: (r.get("created") or 0, r["id"]), reverse=True)
    return rows


def folder(run_id: str, root: Optional[Path] = None) -> RunFolder:
    """The run folder of an existing run (a bad or unknown id is a UserError)."""
    return RunFolder(run_path(run_id, root))


def config(run_id: str, root: Optional[Path] = None) -> dict:
    """The run's config.json (fit's version, with resolved values, once it has started)."""
    return folder(run_id, root).config()


def metrics(run_id: str, root: Optional[Path] = None) -> list[dict]:
    """One dict per finished epoch."""
    return folder(run_id, root).metrics()


def results(run_id: str, root: Optional[Path] = None) -> Optional[dict]:
    """The results (confusion matrix, per-class scores, wrong images, param groups) or None."""
    return folder(run_id, root).results()


def summary(run_id: str, root: Optional[Path] = None) -> Optional[dict]:
    """fit's return value, saved by the worker, or None before the run has finished."""
    return folder(run_id, root).summary()


def worker_log_tail(run_id: str, root: Optional[Path] = None, lines: int = 30) -> str:
    return folder(run_id, root).worker_log_tail(lines)


def export_files(run_id: str, root: Optional[Path] = None) -> list[Path]:
    """The exported files of a finished run (weights and config)."""
    return folder(run_id, root).export_files()


def export_zip(run_id: str, root: Optional[Path] = None) -> bytes:
    """A zip of the run's export (model.safetensors + config.json) for a download button.

    Raises:
        UserError: the run has no export (not finished, cancelled, diverged or failed).
    """
    files = export_files(run_id, root)
    if len(files) < 2:
        raise UserError.of("jobs.no_export", run=str(run_id))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in files:
            zf.write(p, arcname=p.name)
    return buf.getvalue()


# -------------------------------------------------------------------------------- cancel and resume
def cancel(run_id: str, root: Optional[Path] = None) -> dict:
    """Stop a run: a queued or interrupted one at once, a running one within one training step.

    Raises:
        UserError: the run already ended (done, failed, diverged or cancelled).
    """
    f = folder(run_id, root)
    reconcile(root)
    with f.lock():
        st = f.status()
        state = st.get("state")
        if state == RUNNING:
            f.request_cancel()
        elif state in (QUEUED, INTERRUPTED):
            f.request_cancel()
            why = "jobs.status.cancelled_queued" if state == QUEUED else "jobs.status.cancelled_interrupted"
            st.update(state=CANCELLED, ended=now(), queue_position=None, notice=Notice.of(why).record())
            f.write_status(st)
        else:
            key = {DONE: "jobs.cancel_done", FAILED: "jobs.cancel_failed", DIVERGED: "jobs.cancel_diverged",
                   CANCELLED: "jobs.cancel_cancelled"}.get(state, "jobs.cannot_cancel")
            raise UserError.of(key, run=f.id, state=str(state))
    _log.info("run %s: cancel requested (was %s)", f.id, state)
    return _info(f, root)


def requeue_for_resume(run_id: str, root: Optional[Path] = None) -> dict:
    """Queue an interrupted or cancelled run again; it continues from its last complete checkpoint.

    Raises:
        UserError: the run is still active, or ended in a way that resuming cannot fix.
    """
    from core.workspaces import lock
    f = folder(run_id, root)
    reconcile(root)
    with lock(f.path.parent.parent), f.lock():
        st = f.status()
        state = st.get("state")
        if state in RESUMABLE:
            _check_room(f.path.parent.parent)
        if state not in RESUMABLE:
            key = {QUEUED: "jobs.resume_queued", RUNNING: "jobs.resume_running", DONE: "jobs.resume_done",
                   DIVERGED: "jobs.resume_diverged", FAILED: "jobs.resume_failed"}.get(state, "jobs.cannot_resume")
            raise UserError.of(key, run=f.id, state=str(state))
        job = f.job()
        job["resume"] = f.has_checkpoint()
        f.write_job(job)
        f.clear_cancel()
        done = len(f.metrics())
        notice = (Notice.of("jobs.status.resuming", epochs=done) if job["resume"]
                  else Notice.of("jobs.status.resume_fresh"))
        st.update(state=QUEUED, queued=now(), ended=None, pid=None, pid_started=None, exit_code=None,
                  notice=notice.record())
        f.write_status(st)
    _log.info("run %s re-queued for resume (checkpoint: %s)", f.id, job["resume"])
    return _info(f, root)


__all__ = ["QUEUED", "RUNNING", "DONE", "FAILED", "CANCELLED", "INTERRUPTED", "DIVERGED", "STATES", "ACTIVE",
           "RESUMABLE", "HEARTBEAT_S", "human_seconds", "status_notice", "progress_notices", "statuses", "queue",
           "create_run", "delete_run", "fair_order", "server_statuses", "positions", "reconcile", "info",
           "list_runs", "folder", "config", "metrics", "results", "summary",
           "worker_log_tail", "export_files", "export_zip", "cancel", "requeue_for_resume", "run_path",
           "runs_dir", "is_run_id"]

"""Run folders, the worker process, the queue and resume: training that outlives the page.

A run is a folder ``<data_dir>/runs/<run_id>/`` and everything about it lives on disk, so a page rerun, a
refresh, another browser or a restarted server all see the same thing:

=================  =============================================================================  ============
file               what                                                                           written by
=================  =============================================================================  ============
``job.json``       what to run: entry point, config class, the config, resume flag                jobs
``config.json``    ``asdict(cfg)`` (fit rewrites it with the resolved values)                     jobs, fit
``status.json``    state, message (+ code/args to translate it), pid, device, times, heartbeat,   jobs, worker
                   queue position, attempts, exit code
``progress.json``  the last ``on_progress`` step event, fit's notices, the time it was written    worker
``cancel``         present = stop requested; ``should_stop()`` looks for it every step           anyone
``worker.log``     the worker's log, tracebacks included (never shown raw to the user)            worker
``summary.json``   fit's return value                                                             worker
other files        ``metrics.jsonl``, ``checkpoint.pt``, ``export/``, ``results.json`` ...          fit
=================  =============================================================================  ============

States: ``queued -> running -> done | failed | cancelled | diverged``; a run whose worker vanished (pid gone,
no final state: killed, machine rebooted) becomes ``interrupted`` and can be resumed from its last complete
checkpoint, as can a cancelled one.

Scheduling: one :class:`JobManager` per server process (the page holds it in ``st.cache_resource``) runs a
small thread. The queue is the set of ``queued`` folders ordered by the time they were queued, so a manager
that restarts (or a CLI that takes over) still starts them. Several managers may exist (two servers, a CLI
``resume``); only the one holding an exclusive lock on ``runs/.manager.lock`` launches workers, and the lock
goes away with its process. Each device runs ``CNNLAB_JOBS_PER_DEVICE`` jobs at a time (default 1): the
CPU is one device, each GPU another; a job on GPU *i* sees only that GPU (``CUDA_VISIBLE_DEVICES``).

Workers run ``python -m core.jobs_worker <run_dir>`` in their own process session: a crash in training
cannot take the server down, GPU memory is freed when the job ends, and stopping or restarting the server
does not stop a run (the next manager re-attaches to it through its pid).

Ownership model: a single classroom server. Every run is visible to every session, and anyone using the app
can watch, cancel or resume any run (as on a shared lab machine). Run ids are checked against their pattern,
so a guessed or crafted id can only ever name a folder under ``runs/``. A deployment that needs private runs
should run one server (one data directory) per person.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import json
import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import traceback
import weakref
import zipfile
from dataclasses import asdict, fields, is_dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from core.errors import UserError
from core.files import write_json
from core.settings import PROJECT_DIR, data_dir

try:  # POSIX advisory locks; elsewhere the app is single-process in practice and runs unlocked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CANCELLED, INTERRUPTED, DIVERGED = "cancelled", "interrupted", "diverged"
STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED, DIVERGED)
ACTIVE = frozenset({QUEUED, RUNNING})
RESUMABLE = frozenset({INTERRUPTED, CANCELLED})
ERROR_CODE = "error"     # status code of a run that ended on a UserError: its args are the error's key and params

DEFAULT_ENTRY = "core.finetune:fit"
RUN_ID_RE = re.compile(r"\A\d{8}-\d{6}-[0-9a-f]{6}\Z")
HEARTBEAT_S = 5.0        # the worker refreshes status.json this often
PROGRESS_EVERY_S = 0.3   # progress.json at most this often (phase and epoch changes always)
WORKER_MODULE = "core.jobs_worker"


# ------------------------------------------------------------------------------------------ file helpers
def _now() -> float:
    return round(time.time(), 3)


def _write_json(path: Path, obj: Any, durable: bool = True) -> None:
    write_json(path, obj, durable=durable)


def _read_json(path: Path, default: Any = None) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return default
    except (OSError, ValueError):
        _log.warning("unreadable %s", path)
        return default


def _read_jsonl(path: Path) -> list[dict]:
    """Every complete line of a JSON-lines file (a torn last line, from a kill mid-write, is skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    rows = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            row = json.loads(line)
            if isinstance(row, dict):
                rows.append(row)
    return rows


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (created if missing) for a read-modify-write."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _pid_alive(pid: Optional[int], run_id: Optional[str] = None) -> bool:
    """Whether ``pid`` is a live process (not a zombie) and, where /proc can tell, the worker of ``run_id``."""
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
            if run_id and run_id.encode() not in (proc / "cmdline").read_bytes():
                return False  # the pid was reused by an unrelated process
        except (OSError, IndexError):
            return False
    return True


def human_seconds(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``1 h 20 min``: durations for status lines (the same in English and Portuguese)."""
    s = max(0, int(round(float(seconds))))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


# ------------------------------------------------------------------------------------------- run folders
def runs_dir(root: Optional[Path] = None) -> Path:
    """``<data_dir>/runs``, created on first use."""
    path = Path(root or data_dir()) / "runs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_run_id() -> str:
    """``YYYYMMDD-HHMMSS-xxxxxx`` (UTC): sorts by start time; the random tail keeps same-second runs apart."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


def run_path(run_id: str, root: Optional[Path] = None, must_exist: bool = True) -> Path:
    """The folder of ``run_id``.

    Raises:
        UserError: the id does not have the run-id shape (so nothing outside ``runs/`` can be named), or no
            such run exists.
    """
    rid = str(run_id or "")
    if not RUN_ID_RE.match(rid):
        raise UserError.of("jobs.bad_run_id", run=str(run_id)[:60])
    path = runs_dir(root) / rid
    if must_exist and not (path / "status.json").is_file():
        raise UserError.of("jobs.no_such_run", run=rid)
    return path


def _status_path(rdir: Path) -> Path:
    return rdir / "status.json"


def _update_status(rdir: Path, **changes) -> dict:
    """Read-modify-write status.json under the run's lock; returns the new status."""
    with _locked(rdir / ".lock"):
        status = _read_json(_status_path(rdir), {}) or {}
        status.update(changes)
        _write_json(_status_path(rdir), status)
    return status


_STATUS_CACHE: dict[Path, tuple[tuple, dict]] = {}
_STATUS_CACHE_LOCK = threading.Lock()


def _statuses(root: Optional[Path] = None) -> dict[str, dict]:
    """Every run's status, re-reading only the status.json files whose mtime or size changed.

    The scheduler and the page poll this every second or so; with hundreds of finished runs a stat per run
    is cheap where a JSON parse per run is not.
    """
    out = {}
    for d in runs_dir(root).iterdir():
        if not RUN_ID_RE.match(d.name):
            continue
        path = d / "status.json"
        try:
            stat = path.stat()
        except OSError:
            continue
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # os.replace makes a new inode
        with _STATUS_CACHE_LOCK:
            hit = _STATUS_CACHE.get(path)
        if hit is not None and hit[0] == key:
            out[d.name] = dict(hit[1])
            continue
        st = _read_json(path)
        if isinstance(st, dict):
            with _STATUS_CACHE_LOCK:
                _STATUS_CACHE[path] = (key, dict(st))
            out[d.name] = st
    return out


def _config_dict(cfg) -> dict:
    if is_dataclass(cfg):
        return asdict(cfg)
    if isinstance(cfg, dict):
        return dict(cfg)
    raise TypeError(f"a run config must be a dataclass or a dict, not {type(cfg).__name__}")


def create_run(cfg, entry: str = DEFAULT_ENTRY, root: Optional[Path] = None, label: str = "",
               in_this_process: bool = False) -> str:
    """Make a run folder for ``cfg`` in state ``queued`` and return its id (nothing is launched here).

    With ``in_this_process`` the run starts as ``running`` under this process's pid instead, so that no
    manager ever launches a second worker for it (see :func:`run_here`).

    Args:
        cfg: a frozen dataclass (``core.finetune.FinetuneConfig``); saved as ``asdict(cfg)``.
        entry: ``"module:function"`` the worker calls as ``function(cfg, run_dir, on_progress=...,
            should_stop=..., resume=...)``.
        label: a short free text shown in run lists.
    """
    if ":" not in entry:
        raise ValueError("entry must look like 'module:function'")
    config = _config_dict(cfg)
    config_class = f"{type(cfg).__module__}:{type(cfg).__qualname__}" if is_dataclass(cfg) else ""
    base = runs_dir(root)
    for _ in range(5):
        rid = new_run_id()
        rdir = base / rid
        try:
            rdir.mkdir()
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - five random collisions in one second
        raise RuntimeError("could not allocate a run id")
    now = _now()
    _write_json(rdir / "job.json", {"entry": entry, "config_class": config_class, "config": config,
                                    "resume": False, "label": label})
    _write_json(rdir / "config.json", config)
    # status.json last: its presence is what makes the folder a run (run_path checks it).
    _write_json(_status_path(rdir), {"state": RUNNING if in_this_process else QUEUED, "message": "",
                                     "pid": os.getpid() if in_this_process else None, "created": now,
                                     "queued": now, "started": now if in_this_process else None,
                                     "ended": None, "heartbeat": now if in_this_process else None,
                                     "queue_position": None, "device": None, "attempts": 0, "exit_code": None})
    _log.info("run %s queued (%s)", rid, entry)
    return rid


def start(cfg, manager: Optional["JobManager"] = None, entry: str = DEFAULT_ENTRY, label: str = "") -> str:
    """Queue a training run for ``cfg`` and return its id; ``manager`` (if given) is woken to launch it."""
    root = manager.root if manager is not None else None
    rid = create_run(cfg, entry=entry, root=root, label=label)
    if manager is not None:
        manager.notify()
    return rid


def _queued_order(root: Optional[Path] = None, statuses: Optional[dict] = None) -> list[tuple[str, dict]]:
    statuses = _statuses(root) if statuses is None else statuses
    rows = [(rid, st) for rid, st in statuses.items() if st.get("state") == QUEUED]
    rows.sort(key=lambda r: (r[1].get("queued") or 0, r[0]))
    return rows


def queue(root: Optional[Path] = None) -> list[str]:
    """Ids of the queued runs, next to start first."""
    return [rid for rid, _ in _queued_order(root)]


def reconcile(root: Optional[Path] = None, exit_code: Optional[Callable[[str], Optional[int]]] = None) -> list[str]:
    """Mark ``running`` runs whose worker is gone as ``interrupted``; returns their ids.

    Safe to call from any process at any time: the check is repeated under the run's lock.
    """
    changed = []
    base = runs_dir(root)
    for rid, st in _statuses(root).items():
        d = base / rid
        if st.get("state") != RUNNING or _pid_alive(st.get("pid"), rid):
            continue
        with _locked(d / ".lock"):
            st = _read_json(d / "status.json", {}) or {}
            if st.get("state") != RUNNING or _pid_alive(st.get("pid"), d.name):
                continue
            code = exit_code(d.name) if exit_code else None
            epochs = len(_read_jsonl(d / "metrics.jsonl"))
            how = f" (exit code {code})" if code is not None else ""
            st.update(state=INTERRUPTED, ended=_now(), exit_code=code, code="worker_gone", args={"epochs": epochs},
                      message=f"The worker process stopped without finishing{how} after {epochs} complete "
                              f"epoch(s); resume continues from the last complete checkpoint.")
            _write_json(d / "status.json", st)
        _log.warning("run %s interrupted: worker pid %s is gone", d.name, st.get("pid"))
        changed.append(d.name)
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
    rdir = run_path(run_id, root)
    return _info(rdir, root)


def _info(rdir: Path, root: Optional[Path] = None, positions: Optional[dict] = None) -> dict:
    status = _read_json(rdir / "status.json", {}) or {}
    job = _read_json(rdir / "job.json", {}) or {}
    cfg = job.get("config") or {}
    progress = _read_json(rdir / "progress.json")
    state = status.get("state", FAILED)
    if state == QUEUED:
        if positions is None:
            positions = {rid: i + 1 for i, rid in enumerate(queue(root))}
        status["queue_position"] = positions.get(rdir.name)
    else:
        status["queue_position"] = None
    fraction = _fraction(progress, state)
    started, ended = status.get("started"), status.get("ended")
    elapsed = (ended or time.time()) - started if started else None
    return {
        "id": rdir.name, "dir": str(rdir), **status, "state": state,
        "alive": state == RUNNING and _pid_alive(status.get("pid"), rdir.name),
        "label": job.get("label", ""), "data": cfg.get("data"), "model": cfg.get("model"),
        "strategy": cfg.get("strategy"), "epochs": cfg.get("epochs"), "resume": bool(job.get("resume")),
        "progress": progress, "fraction": fraction, "eta_s": _eta(status, progress, fraction),
        "elapsed_s": round(elapsed, 1) if elapsed is not None else None,
        "cancel_requested": (rdir / "cancel").exists(),
    }


def list_runs(root: Optional[Path] = None, refresh: bool = True) -> list[dict]:
    """Every run, newest first (``refresh`` first marks runs whose worker died as interrupted)."""
    if refresh:
        reconcile(root)
    positions = {rid: i + 1 for i, rid in enumerate(queue(root))}
    rows = [_info(d, root, positions) for d in runs_dir(root).iterdir()
            if RUN_ID_RE.match(d.name) and (d / "status.json").is_file()]
    rows.sort(key=lambda r: (r.get("created") or 0, r["id"]), reverse=True)
    return rows


def config(run_id: str, root: Optional[Path] = None) -> dict:
    """The run's config.json (fit's version, with resolved values, once it has started)."""
    return _read_json(run_path(run_id, root) / "config.json", {}) or {}


def metrics(run_id: str, root: Optional[Path] = None) -> list[dict]:
    """metrics.jsonl: one dict per finished epoch."""
    return _read_jsonl(run_path(run_id, root) / "metrics.jsonl")


def results(run_id: str, root: Optional[Path] = None) -> Optional[dict]:
    """results.json (confusion matrix, per-class scores, wrong images, param groups) or None."""
    return _read_json(run_path(run_id, root) / "results.json")


def summary(run_id: str, root: Optional[Path] = None) -> Optional[dict]:
    """fit's return value, saved by the worker, or None before the run has finished."""
    return _read_json(run_path(run_id, root) / "summary.json")


def worker_log_tail(run_id: str, root: Optional[Path] = None, lines: int = 30) -> str:
    try:
        text = (run_path(run_id, root) / "worker.log").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def export_files(run_id: str, root: Optional[Path] = None) -> list[Path]:
    """The exported files of a finished run (``export/model.safetensors``, ``export/config.json``)."""
    exp = run_path(run_id, root) / "export"
    return [p for p in (exp / "model.safetensors", exp / "config.json") if p.is_file()]


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


def cancel(run_id: str, root: Optional[Path] = None) -> dict:
    """Stop a run: a queued or interrupted one at once, a running one within one training step.

    Raises:
        UserError: the run already ended (done, failed, diverged or cancelled).
    """
    rdir = run_path(run_id, root)
    reconcile(root)
    with _locked(rdir / ".lock"):
        st = _read_json(rdir / "status.json", {}) or {}
        state = st.get("state")
        if state == RUNNING:
            (rdir / "cancel").write_text(str(_now()))
        elif state in (QUEUED, INTERRUPTED):
            (rdir / "cancel").write_text(str(_now()))
            st.update(state=CANCELLED, ended=_now(), queue_position=None, args={},
                      code="cancelled_queued" if state == QUEUED else "cancelled_interrupted",
                      message="Cancelled before it ran." if state == QUEUED else
                      "Cancelled while interrupted; resume is still possible.")
            _write_json(rdir / "status.json", st)
        else:
            key = {DONE: "jobs.cancel_done", FAILED: "jobs.cancel_failed", DIVERGED: "jobs.cancel_diverged",
                   CANCELLED: "jobs.cancel_cancelled"}.get(state, "jobs.cannot_cancel")
            raise UserError.of(key, run=rdir.name, state=str(state))
    _log.info("run %s: cancel requested (was %s)", rdir.name, state)
    return _info(rdir, root)


def resume(run_id: str, root: Optional[Path] = None, manager: Optional["JobManager"] = None) -> dict:
    """Queue an interrupted or cancelled run again; it continues from its last complete checkpoint.

    Raises:
        UserError: the run is still active, or ended in a way that resuming cannot fix.
    """
    rdir = run_path(run_id, root)
    reconcile(root)
    with _locked(rdir / ".lock"):
        st = _read_json(rdir / "status.json", {}) or {}
        state = st.get("state")
        if state not in RESUMABLE:
            key = {QUEUED: "jobs.resume_queued", RUNNING: "jobs.resume_running", DONE: "jobs.resume_done",
                   DIVERGED: "jobs.resume_diverged", FAILED: "jobs.resume_failed"}.get(state, "jobs.cannot_resume")
            raise UserError.of(key, run=rdir.name, state=str(state))
        job = _read_json(rdir / "job.json", {}) or {}
        job["resume"] = (rdir / "checkpoint.pt").is_file()
        _write_json(rdir / "job.json", job)
        with contextlib.suppress(FileNotFoundError):
            (rdir / "cancel").unlink()
        done = len(_read_jsonl(rdir / "metrics.jsonl"))
        st.update(state=QUEUED, queued=_now(), ended=None, pid=None, exit_code=None,
                  code="resuming" if job["resume"] else "resume_fresh", args={"epochs": done},
                  message=(f"Resuming after {done} complete epoch(s)." if job["resume"]
                           else "No complete checkpoint yet: starting again from the first epoch."))
        _write_json(rdir / "status.json", st)
    _log.info("run %s re-queued for resume (checkpoint: %s)", rdir.name, job["resume"])
    if manager is not None:
        manager.notify()
    return _info(rdir, root)


# ---------------------------------------------------------------------------------------------- devices
def device_slots() -> dict[str, int]:
    """Devices and how many jobs each may run at once: ``{"cpu": 1}`` or ``{"cpu": 1, "cuda:0": 1, ...}``."""
    per = max(1, int(os.environ.get("CNNLAB_JOBS_PER_DEVICE", "1") or 1))
    slots = {"cpu": per}
    try:
        import torch
        for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
            slots[f"cuda:{i}"] = per
    except Exception:  # noqa: BLE001 - a broken CUDA install must not stop the queue: CPU only
        _log.exception("could not count CUDA devices")
    return slots


def _wants(cfg: dict, slots: dict) -> list[str]:
    """The devices a job may run on, preferred first."""
    dev = str(cfg.get("device") or "auto")
    gpus = [s for s in slots if s.startswith("cuda")]
    if dev == "cpu" or not gpus:
        return ["cpu"]
    if dev.startswith("cuda:"):
        return [dev] if dev in slots else gpus
    return gpus


# ---------------------------------------------------------------------------------------------- manager
_MANAGERS: "weakref.WeakSet[JobManager]" = weakref.WeakSet()


class JobManager:
    """Launches queued runs as worker processes, one per device slot, and notices workers that die.

    One per server process (pages get it from ``st.cache_resource``). A daemon thread calls :meth:`tick`
    every ``poll`` seconds and whenever :meth:`notify` is called. Only the manager holding the data
    directory's manager lock launches anything; the others wait to take over if it goes away.
    """

    def __init__(self, root: Optional[Path] = None, slots: Optional[dict[str, int]] = None,
                 poll: float = 0.5, autostart: bool = True):
        self.root = Path(root or data_dir()).resolve()
        self.slots = dict(slots) if slots is not None else device_slots()
        self.poll = poll
        self._children: dict[str, subprocess.Popen] = {}
        self._lock_fd: Optional[int] = None
        self._tick_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        _MANAGERS.add(self)
        if autostart:
            self._thread = threading.Thread(target=self._loop, name="cnnlab-jobs", daemon=True)
            self._thread.start()

    # -- leadership
    @property
    def is_leader(self) -> bool:
        return self._lock_fd is not None

    def _try_lead(self) -> bool:
        if self._lock_fd is not None:
            return True
        if fcntl is None:  # pragma: no cover
            self._lock_fd = -1
            return True
        fd = os.open(runs_dir(self.root) / ".manager.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd
        _log.info("job manager %s leads %s", os.getpid(), self.root)
        return True

    # -- public
    def start(self, cfg, entry: str = DEFAULT_ENTRY, label: str = "") -> str:
        """Queue ``cfg`` and wake the scheduler; returns the run id."""
        return start(cfg, manager=self, entry=entry, label=label)

    def notify(self) -> None:
        self._wake.set()

    def tick(self) -> list[str]:
        """One scheduling pass: reap workers, mark dead runs interrupted, launch what fits. Returns launched ids."""
        with self._tick_lock:
            if self._stop.is_set() or not self._try_lead():
                return []
            reconcile(self.root, self._exit_code)
            for rid, proc in list(self._children.items()):
                if proc.poll() is not None:  # reap finished workers (no zombies)
                    del self._children[rid]
            statuses = _statuses(self.root)
            busy = {s: 0 for s in self.slots}
            for st in statuses.values():
                if st.get("state") == RUNNING and st.get("device") in busy:
                    busy[st["device"]] += 1
            launched = []
            order = _queued_order(self.root, statuses)
            for rid, st in order:
                if all(busy[s] >= cap for s, cap in self.slots.items()):
                    break  # every device is busy: the rest keep their place
                rdir = runs_dir(self.root) / rid
                job = _read_json(rdir / "job.json", {}) or {}
                free = [s for s in _wants(job.get("config") or {}, self.slots) if busy.get(s, 0) < self.slots[s]]
                if free and self._launch(rdir, free[0]):
                    busy[free[0]] += 1
                    launched.append(rid)
            # positions as the page will see them (an informative copy: readers recompute them)
            statuses = _statuses(self.root) if launched else statuses
            for pos, (rid, st) in enumerate(_queued_order(self.root, statuses), start=1):
                if st.get("queue_position") != pos:
                    rdir = runs_dir(self.root) / rid
                    with _locked(rdir / ".lock"):
                        st = _read_json(rdir / "status.json", {}) or {}
                        if st.get("state") == QUEUED:
                            st["queue_position"] = pos
                            _write_json(rdir / "status.json", st, durable=False)
            return launched

    def _exit_code(self, rid: str) -> Optional[int]:
        """The exit status of this manager's own worker for ``rid`` (called once it is known to be gone)."""
        proc = self._children.get(rid)
        if proc is None:
            return None
        try:
            return proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None

    def _launch(self, rdir: Path, device: str) -> bool:
        rid = rdir.name
        with _locked(rdir / ".lock"):
            st = _read_json(rdir / "status.json", {}) or {}
            if st.get("state") != QUEUED:
                return False
            if (rdir / "cancel").exists():
                st.update(state=CANCELLED, ended=_now(), message="Cancelled before it ran.", queue_position=None,
                          code="cancelled_queued", args={})
                _write_json(rdir / "status.json", st)
                return False
            env = os.environ.copy()
            env["CNNLAB_DATA_DIR"] = str(self.root)
            env["PYTHONUNBUFFERED"] = "1"
            if device.startswith("cuda:"):
                env["CUDA_VISIBLE_DEVICES"] = device.split(":", 1)[1]
            with open(rdir / "worker.log", "ab") as log:
                log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} launching on {device} ---\n".encode())
                log.flush()
                proc = subprocess.Popen([sys.executable, "-m", WORKER_MODULE, str(rdir)], cwd=str(PROJECT_DIR),
                                        env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True, close_fds=True)
            self._children[rid] = proc
            now = _now()
            st.update(state=RUNNING, pid=proc.pid, device=device, started=now, heartbeat=now, ended=None,
                      queue_position=None, attempts=int(st.get("attempts") or 0) + 1, exit_code=None)
            _write_json(rdir / "status.json", st)
        _log.info("run %s launched on %s as pid %s", rid, device, proc.pid)
        return True

    def wait(self, run_id: str, timeout: float = 600.0, states=None) -> dict:
        """Block until ``run_id`` reaches one of ``states`` (default: any non-active state); returns its info."""
        want = set(states) if states else set(STATES) - ACTIVE
        deadline = time.monotonic() + timeout
        while True:
            if self._thread is None:
                self.tick()
            row = info(run_id, self.root)
            if row["state"] in want:
                return row
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} still {row['state']} after {timeout:.0f} s")
            time.sleep(0.2)

    def close(self, terminate: bool = False) -> None:
        """Stop scheduling and give up leadership; ``terminate`` also stops this manager's own workers."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        with self._tick_lock:
            if terminate:
                for proc in self._children.values():
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    with contextlib.suppress(Exception):
                        proc.wait(timeout=10)
                self._children.clear()
                reconcile(self.root)
            if self._lock_fd not in (None, -1):
                os.close(self._lock_fd)
            self._lock_fd = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - the scheduler must survive a bad folder
                _log.exception("job manager tick failed")
            self._wake.wait(self.poll)
            self._wake.clear()


def close_all(terminate: bool = False) -> None:
    """Close every manager of this process (tests and shutdown)."""
    for m in list(_MANAGERS):
        m.close(terminate=terminate)


# ----------------------------------------------------------------------------------------------- worker
class _Terminated(BaseException):
    """SIGTERM in the worker: stop now, leave the run resumable."""


def _import(path: str):
    module, _, name = path.partition(":")
    mod = importlib.import_module(module)
    obj = mod
    for part in name.split("."):
        obj = getattr(obj, part)
    return mod, obj


def _build_config(job: dict):
    if not job.get("config_class"):
        return dict(job.get("config") or {})
    _, cls = _import(job["config_class"])
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in (job.get("config") or {}).items() if k in known})


def run_here(cfg, label: str = "", echo: Optional[Callable[[dict], None]] = None,
             root: Optional[Path] = None) -> tuple[str, int]:
    """Run ``cfg`` in this process as a listed run (``python -m core train``): the same folder, status,
    progress and summary as a worker's, so the page and ``jobs list`` see it; no manager launches it.

    Returns:
        ``(run_id, exit_code)`` with the worker's exit codes (0 done, 2 unusable input, 3 diverged ...).
    """
    rid = create_run(cfg, root=root, label=label, in_this_process=True)
    return rid, run_worker(run_path(rid, root), echo=echo, log_to_stderr=False)


def run_worker(run_dir: str | Path, echo: Optional[Callable[[dict], None]] = None, log_to_stderr: bool = True) -> int:
    """The worker process: run the job in ``run_dir`` and record how it ended. Returns the exit code.

    Args:
        echo: also receives every progress event (the CLI prints them).
        log_to_stderr: send log records to stderr (the worker's stderr is its worker.log).
    """
    rdir = Path(run_dir).resolve()
    rid = rdir.name
    if log_to_stderr:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    if not RUN_ID_RE.match(rid) or not (rdir / "job.json").is_file():
        _log.error("not a run folder: %s", rdir)
        return 2
    cancel_file = rdir / "cancel"
    steps_after_cancel = [0]
    last = {"t": 0.0, "key": None}
    current: dict = {}
    notices: list[dict] = []

    def on_progress(event: dict) -> None:
        if echo is not None:
            echo(event)
        if cancel_file.exists() and event.get("phase") in ("train", "val", "features"):
            steps_after_cancel[0] += 1
        now = time.time()
        if event.get("phase") == "message":
            # a notice (batch halved, early stop, resumed ...) is kept for the page; where the run is stays
            notices.append({k: event.get(k) for k in ("message", "code", "args")} | {"time": round(now, 3)})
            del notices[:-20]
            key = ("message", len(notices))
        else:
            current.clear()
            current.update(event)
            key = (event.get("phase"), event.get("epoch"))
        final_step = event.get("steps") is not None and event.get("step") == event.get("steps")
        if key != last["key"] or final_step or now - last["t"] >= PROGRESS_EVERY_S:
            _write_json(rdir / "progress.json", {**current, "notices": notices, "time": round(now, 3)},
                        durable=False)
            last.update(t=now, key=key)

    def should_stop() -> bool:
        return cancel_file.exists()

    stop_beat = threading.Event()

    def heartbeat() -> None:
        while not stop_beat.wait(HEARTBEAT_S):
            with contextlib.suppress(Exception):
                _update_status(rdir, heartbeat=_now())

    def on_term(signum, frame):
        raise _Terminated()

    signal.signal(signal.SIGTERM, on_term)
    _update_status(rdir, pid=os.getpid(), heartbeat=_now(), state=RUNNING)
    beat = threading.Thread(target=heartbeat, name="heartbeat", daemon=True)
    beat.start()
    job = _read_json(rdir / "job.json", {}) or {}
    final: dict = {}
    code = 0
    try:
        mod, fn = _import(job.get("entry") or DEFAULT_ENTRY)
        cfg = _build_config(job)
        _log.info("run %s: %s(resume=%s)", rid, job.get("entry"), bool(job.get("resume")))
        result = fn(cfg, rdir, on_progress=on_progress, should_stop=should_stop, resume=bool(job.get("resume")))
        _write_json(rdir / "summary.json", result if isinstance(result, dict) else {"result": result})
        best = result.get("best_val_acc") if isinstance(result, dict) else None
        final = dict(state=DONE, message=(f"Finished: best validation accuracy {best:.1%}."
                                          if isinstance(best, (int, float)) else "Finished."),
                     code="done", args={"acc": f"{best:.1%}" if isinstance(best, (int, float)) else "-"})
    except _Terminated:
        final = dict(state=INTERRUPTED, message="Stopped by a termination signal; it can be resumed.",
                     code="terminated", args={})
        code = 143
    except BaseException as exc:  # noqa: BLE001 - every ending is recorded, then the worker exits
        kind = type(exc).__name__
        mod_ = sys.modules.get((job.get("entry") or DEFAULT_ENTRY).partition(":")[0])
        cancelled_t = getattr(mod_, "Cancelled", None)
        diverged_t = getattr(mod_, "Diverged", None)
        if (cancelled_t and isinstance(exc, cancelled_t)) or (kind == "Cancelled" and cancel_file.exists()):
            try:
                requested = float(cancel_file.read_text() or 0)
            except (OSError, ValueError):
                requested = None
            final = dict(state=CANCELLED, message="Cancelled.", code="cancelled", args={},
                         cancel={"requested": requested, "stopped": _now(), "steps_after": steps_after_cancel[0]})
        elif diverged_t and isinstance(exc, diverged_t):
            final = dict(state=DIVERGED, message=str(exc) or "The loss diverged (NaN or infinite).",
                         **_error_code(exc))
            code = 3
        elif isinstance(exc, UserError):
            final = dict(state=FAILED, message=str(exc), **_error_code(exc))
            code = 2
        elif isinstance(exc, KeyboardInterrupt):
            final = dict(state=INTERRUPTED, message="Interrupted; it can be resumed.", code="terminated", args={})
            code = 130
        else:
            _log.error("run %s failed:\n%s", rid, traceback.format_exc())
            final = dict(state=FAILED, code=None, message=f"Training failed ({kind}: {str(exc)[:200]}); "
                                               f"details in {rdir / 'worker.log'}.")
            code = 1
    finally:
        stop_beat.set()
        now = _now()
        _update_status(rdir, **final, ended=now, heartbeat=now, exit_code=code) if final else None
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _log.info("run %s ended: %s", rid, final.get("state"))
    return code


def _error_code(exc: BaseException) -> dict:
    """A failed run's status ``code``/``args``: a keyed UserError keeps its key and params, so that a page can
    show the error in its own language (``message`` stays the English sentence, for the CLI and JSON)."""
    if isinstance(exc, UserError) and exc.key:
        return {"code": ERROR_CODE, "args": exc.record()}
    return {"code": None}


# ------------------------------------------------------------------------------------------------- CLI
def _fmt_time(t) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else "-"


def _row_text(r: dict) -> str:
    state = r["state"]
    if state == QUEUED and r.get("queue_position"):
        state += f" #{r['queue_position']}"
    elif state == RUNNING:
        state += f" {r['fraction']:.0%}"
    return (f"{r['id']}  {state:<13} {str(r.get('model')):<22} {str(r.get('strategy')):<13} "
            f"{str(r.get('data')):<16} {_fmt_time(r.get('created'))}")


def _cli_list(args) -> dict:
    return {"runs": list_runs(), "queue": queue(), "devices": device_slots()}


def _text_list(res: dict) -> str:
    if not res["runs"]:
        return "No runs yet."
    return "\n".join(_row_text(r) for r in res["runs"])


def _cli_show(args) -> dict:
    reconcile()
    row = info(args.run)
    row["metrics"] = metrics(args.run)
    row["summary"] = summary(args.run)
    row["exports"] = [str(p) for p in export_files(args.run)]
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
    return cancel(args.run)


def _cli_resume(args) -> dict:
    row = resume(args.run)
    if args.no_wait:
        return row
    manager = JobManager(autostart=False)
    try:
        manager.tick()
        if not manager.is_leader:
            row["note"] = "queued; the running server's job manager will start it"
            return info(args.run)
        return manager.wait(args.run, timeout=args.timeout)
    finally:
        manager.close()


def add_commands(sub) -> None:
    from core.cli import add_command
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

"""The queue: one :class:`JobManager` per server process launches queued runs as worker processes.

The queue is the set of ``queued`` run folders of every workspace of the data directory (:mod:`core.workspaces`),
in a fair order (:func:`core.jobs.store.fair_order`: round-robin between workspaces, then the time each run was
queued), so a manager that restarts (or a CLI that takes over) still starts them, and one workspace's ten runs
do not starve another's one. One manager serves every workspace. Several managers may exist (two servers, a CLI
``resume``); only the one holding an exclusive lock on ``runs/.manager.lock`` launches workers, and the lock
goes away with its process. Each device runs ``CNNLAB_JOBS_PER_DEVICE`` jobs at a time (default 1): the CPU is
one device, each GPU another; a job on GPU *i* sees only that GPU (``CUDA_VISIBLE_DEVICES``).

Workers run ``python -m core.jobs <run_dir>`` in their own process session: a crash in training
cannot take the server down, GPU memory is freed when the job ends, and stopping or restarting the server
does not stop a run (the next manager re-attaches to it through its pid).
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Optional

from core.jobs.store import (ACTIVE, CANCELLED, QUEUED, RUNNING, STATES, create_run, fair_order, info, now,
                             process_started, reconcile, requeue_for_resume, server_statuses)
from core.notices import Notice
from core.runs import MANAGER_LOCK, WORKER_LOG, RunFolder, runs_dir
from core.settings import PROJECT_DIR, data_dir, workspace_mode

try:  # POSIX advisory locks; elsewhere the app is single-process in practice and runs unlocked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_log = logging.getLogger("core.jobs")

WORKER_MODULE = "core.jobs"  # python -m core.jobs RUN_DIR: core/jobs/__main__.py


def job_processes() -> int:
    """Processes per run (``CNNLAB_JOB_PROCESSES``, default 1): above 1, each run trains on that many GPUs of
    this machine (one process each), or that many gloo processes on the CPU, through torchrun."""
    try:
        return max(1, int(os.environ.get("CNNLAB_JOB_PROCESSES", "1") or 1))
    except ValueError:
        _log.warning("CNNLAB_JOB_PROCESSES=%r is not a number: 1", os.environ.get("CNNLAB_JOB_PROCESSES"))
        return 1


def device_slots() -> dict[str, int]:
    """Devices and how many jobs each may run at once: ``{"cpu": 1}`` or ``{"cpu": 1, "cuda:0": 1, ...}``.

    With ``job_processes()`` = N > 1 a GPU slot is a group of N GPUs (``"cuda:0,1"``), so a run holds all of
    its devices at once; GPUs left over (fewer than N) get no slot.
    """
    per = max(1, int(os.environ.get("CNNLAB_JOBS_PER_DEVICE", "1") or 1))
    n = job_processes()
    slots = {"cpu": per}
    try:
        import torch
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        for i in range(0, count - n + 1, n):
            slots["cuda:" + ",".join(str(g) for g in range(i, i + n))] = per
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


SWEEP_EVERY_S = 3600      # idle workspaces and abandoned uploads are swept this often


def start(cfg, manager: Optional["JobManager"] = None, label: str = "", root: Optional[Path] = None) -> str:
    """Queue a training run for ``cfg`` in workspace ``root`` and return its id; ``manager`` (if given) is woken
    to launch it. ``root=None``: the manager's own data directory in ``single`` mode, else the current workspace
    (:func:`core.workspaces.current_root`, which refuses to guess in a shared mode)."""
    if root is None and manager is not None and workspace_mode() == "single":
        root = manager.root
    rid = create_run(cfg, root=root, label=label)
    if manager is not None:
        manager.notify()
    return rid


def resume(run_id: str, root: Optional[Path] = None, manager: Optional["JobManager"] = None) -> dict:
    """Queue an interrupted or cancelled run again (see ``requeue_for_resume``) and wake ``manager``."""
    row = requeue_for_resume(run_id, root)
    if manager is not None:
        manager.notify()
    return row


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
        self._swept = 0.0
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
        fd = os.open(runs_dir(self.root) / MANAGER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
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
    def start(self, cfg, label: str = "", root: Optional[Path] = None) -> str:
        """Queue ``cfg`` in workspace ``root`` and wake the scheduler; returns the run id."""
        return start(cfg, manager=self, label=label, root=root)

    def notify(self) -> None:
        self._wake.set()

    def tick(self) -> list[str]:
        """One scheduling pass: reap workers, mark dead runs interrupted, launch what fits. Returns launched ids."""
        with self._tick_lock:
            if self._stop.is_set() or not self._try_lead():
                return []
            from core.workspaces import all_workspaces
            for root in all_workspaces(self.root):
                if (root / "runs").is_dir():  # reading never makes folders: a swept workspace stays gone
                    reconcile(root, self._exit_code)
            for rid, proc in list(self._children.items()):
                if proc.poll() is not None:  # reap finished workers (no zombies)
                    del self._children[rid]
            known = server_statuses(self.root)
            busy = {s: 0 for s in self.slots}
            for by_run in known.values():
                for st in by_run.values():
                    if st.get("state") == RUNNING and st.get("device") in busy:
                        busy[st["device"]] += 1
            launched = []
            for root, rid, _ in fair_order(known):
                if all(busy[s] >= cap for s, cap in self.slots.items()):
                    break  # every device is busy: the rest keep their place
                folder = RunFolder(runs_dir(root) / rid)
                wants = _wants(folder.job().get("config") or {}, self.slots)
                free = [s for s in wants if busy.get(s, 0) < self.slots[s]]
                if free and self._launch(folder, free[0]):
                    busy[free[0]] += 1
                    launched.append(rid)
            self._write_positions(server_statuses(self.root) if launched else known)
            self._sweep()
            return launched

    def _sweep(self) -> None:
        """Now and then: delete idle workspaces and abandoned uploads (see core.workspaces.sweep)."""
        if time.monotonic() - self._swept < SWEEP_EVERY_S and self._swept:
            return
        self._swept = time.monotonic()
        from core.data.store import sweep_stale
        from core.workspaces import all_workspaces, sweep
        try:
            sweep(self.root)
            for root in all_workspaces(self.root):
                sweep_stale(root)
        except Exception:  # noqa: BLE001 - sweeping is housekeeping: it must never stop the queue
            _log.exception("sweeping failed")

    def _write_positions(self, known: dict) -> None:
        """Queue positions as the page will see them (an informative copy: readers recompute them)."""
        for pos, (root, rid, st) in enumerate(fair_order(known), start=1):
            if st.get("queue_position") == pos:
                continue
            folder = RunFolder(runs_dir(root) / rid)
            with folder.lock():
                st = folder.status()
                if st.get("state") == QUEUED:
                    st["queue_position"] = pos
                    folder.write_status(st, durable=False)

    def _exit_code(self, rid: str) -> Optional[int]:
        """The exit status of this manager's own worker for ``rid`` (called once it is known to be gone)."""
        proc = self._children.get(rid)
        if proc is None:
            return None
        try:
            return proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None

    def _launch(self, folder: RunFolder, device: str) -> bool:
        with folder.lock():
            st = folder.status()
            if st.get("state") != QUEUED:
                return False
            if folder.cancel_requested():
                st.update(state=CANCELLED, ended=now(), queue_position=None,
                          notice=Notice.of("jobs.status.cancelled_queued").record())
                folder.write_status(st)
                return False
            env = os.environ.copy()
            env["CNNLAB_DATA_DIR"] = str(self.root)
            env["PYTHONUNBUFFERED"] = "1"
            if device.startswith("cuda:"):
                env["CUDA_VISIBLE_DEVICES"] = device.split(":", 1)[1]
            n = job_processes()
            # N > 1: torchrun's agent starts N workers on its own free port (--standalone) and stops them all
            # when one fails; the run's status is then rank 0's, the agent's pid until rank 0 writes its own
            launcher = ["-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={n}"] if n > 1 else []
            with open(folder.file(WORKER_LOG), "ab") as log:
                log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} launching on {device}"
                          f"{f' ({n} processes)' if n > 1 else ''} ---\n".encode())
                log.flush()
                proc = subprocess.Popen([sys.executable, *launcher, "-m", WORKER_MODULE, str(folder.path)],
                                        cwd=str(PROJECT_DIR), env=env, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
            self._children[folder.id] = proc
            t = now()
            st.update(state=RUNNING, pid=proc.pid, pid_started=process_started(proc.pid), device=device,
                      started=t, heartbeat=t, ended=None,
                      queue_position=None, attempts=int(st.get("attempts") or 0) + 1, exit_code=None)
            folder.write_status(st)
        _log.info("run %s launched on %s as pid %s", folder.id, device, proc.pid)
        return True

    def wait(self, run_id: str, timeout: float = 600.0, states=None, root: Optional[Path] = None) -> dict:
        """Block until ``run_id`` (of workspace ``root``; default: the manager's data directory's default
        workspace) reaches one of ``states`` (default: any non-active state); returns its info."""
        root = self.root if root is None else root
        want = set(states) if states else set(STATES) - ACTIVE
        deadline = time.monotonic() + timeout
        while True:
            if self._thread is None:
                self.tick()
            row = info(run_id, root)
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
                from core.workspaces import all_workspaces
                for root in all_workspaces(self.root):
                    reconcile(root)
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



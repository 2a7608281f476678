"""``python -m core.jobs <run_dir>``: the process that trains one run and records how it ended.

It calls :func:`core.finetune.fit` with the run's config, keeps ``progress.json`` and a heartbeat in
``status.json`` up to date, turns a cancel file into ``should_stop()``, and writes the final state with a
notice that says why. :func:`run_here` does the same inside the calling process (``python -m core train``).

Under torchrun (``torchrun --nproc_per_node=N -m core train ...`` or ``-m core.jobs RUN_DIR``, which the job
manager starts when ``CNNLAB_JOB_PROCESSES`` > 1) every process runs this same code: rank 0 owns the run's
status, progress and heartbeat; every rank notes its pid in ``status.json`` (``rank_pids``), and a rank other
than 0 that fails notes its error there too (``rank_errors``). When any rank fails, the others stop (a
collective errors out, or torchrun's agent sends SIGTERM) and rank 0 ends the run as *interrupted* (resumable)
with that rank's error, or says which rank vanished without one. A rank also dies with its torchrun agent.
"""
from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Callable, Optional

from core.errors import UserError
from core.finetune import Cancelled, Diverged, FinetuneConfig, distributed, fit
from core.finetune.distributed import Launch, PeerFailed
from core.jobs.store import (CANCELLED, DIVERGED, DONE, FAILED, HEARTBEAT_S, INTERRUPTED, RUNNING, create_run, now,
                             pid_alive, process_started)
from core.notices import Notice
from core.runs import RunFolder, is_run_id, run_path

_log = logging.getLogger("core.jobs")

PROGRESS_EVERY_S = 0.3   # progress.json at most this often (phase and epoch changes always)
KEPT_NOTICES = 20
PEER_WAIT_S = 3.0        # rank 0 waits this long for a failed rank's own error before saying it vanished
_PR_SET_PDEATHSIG = 1


class _Terminated(BaseException):
    """SIGTERM in the worker: stop now, leave the run resumable."""


class _Reporter:
    """What the worker gives ``fit``: progress written to the run folder (throttled), and ``should_stop``."""

    def __init__(self, folder: RunFolder, echo: Optional[Callable[[dict], None]]):
        self.folder, self.echo = folder, echo
        self.steps_after_cancel = 0
        self.last_t, self.last_key = 0.0, None
        self.current: dict = {}
        self.notices: list[dict] = []

    def on_progress(self, event: dict) -> None:
        if self.echo is not None:
            self.echo(event)
        if event.get("phase") in ("train", "val", "features") and self.folder.cancel_requested():
            self.steps_after_cancel += 1
        t = time.time()
        if event.get("phase") == "message":
            # a notice (batch halved, early stop, resumed ...) is kept for the page; where the run is stays
            self.notices = (self.notices + [{**event["notice"], "time": round(t, 3)}])[-KEPT_NOTICES:]
            key = ("message", len(self.notices))
        else:
            self.current = dict(event)
            key = (event.get("phase"), event.get("epoch"))
        final_step = event.get("steps") is not None and event.get("step") == event.get("steps")
        if key != self.last_key or final_step or t - self.last_t >= PROGRESS_EVERY_S:
            self.folder.write_progress({**self.current, "notices": self.notices, "time": round(t, 3)})
            self.last_t, self.last_key = t, key

    def should_stop(self) -> bool:
        return self.folder.cancel_requested()


def _ending(exc: BaseException, folder: RunFolder, reporter: _Reporter,
            where: Optional[Launch] = None) -> tuple[dict, int]:
    """The final status fields and the exit code for a run that ended on ``exc`` (rank 0's view when several
    processes trained it: another rank's failure, or its own unexpected one, leaves the run resumable)."""
    if where is not None and not isinstance(exc, (Cancelled, UserError, KeyboardInterrupt)):
        if not isinstance(exc, (_Terminated, PeerFailed)):
            _log.error("run %s: rank %d failed:\n%s", folder.id, where.rank, traceback.format_exc())
        return dict(state=INTERRUPTED, notice=_peer_notice(exc, folder, where).record()), \
            143 if isinstance(exc, _Terminated) else 1
    if isinstance(exc, _Terminated):
        return dict(state=INTERRUPTED, notice=Notice.of("jobs.status.terminated").record()), 143
    if isinstance(exc, Cancelled):
        return dict(state=CANCELLED, notice=Notice.of("jobs.status.cancelled").record(),
                    cancel={"requested": folder.cancel_time(), "stopped": now(),
                            "steps_after": reporter.steps_after_cancel}), 0
    if isinstance(exc, Diverged):
        return dict(state=DIVERGED, notice=exc.record()), 3
    if isinstance(exc, UserError) and exc.key:
        return dict(state=FAILED, notice=exc.record()), 2
    if isinstance(exc, KeyboardInterrupt):
        return dict(state=INTERRUPTED, notice=Notice.of("jobs.status.terminated").record()), 130
    _log.error("run %s failed:\n%s", folder.id, traceback.format_exc())
    return dict(state=FAILED, notice=Notice.of("jobs.status.crashed", kind=type(exc).__name__,
                                               detail=str(exc)[:200]).record()), 1


def _peer_notice(exc: BaseException, folder: RunFolder, where: Launch) -> Notice:
    """Why a multi-process run stopped: another rank's recorded error, else a rank that vanished, else this
    rank's own error (or the termination signal)."""
    t0 = time.monotonic()
    while True:
        st = folder.status()
        errors = {int(r): e for r, e in (st.get("rank_errors") or {}).items() if int(r) != where.rank}
        if errors:
            rank = min(errors)
            return Notice.of("jobs.status.rank_failed", rank=rank, processes=where.world_size,
                             kind=str(errors[rank].get("kind")), detail=str(errors[rank].get("detail")))
        gone = sorted(int(r) for r, pid in (st.get("rank_pids") or {}).items()
                      if int(r) != where.rank and not pid_alive(pid))
        waited = time.monotonic() - t0
        if gone and waited >= 0.5:  # a vanished rank's error, if it wrote one, has had time to land
            return Notice.of("jobs.status.rank_lost", rank=gone[0], processes=where.world_size)
        if waited >= PEER_WAIT_S:
            break
        time.sleep(0.1)
    if isinstance(exc, (_Terminated, PeerFailed)):
        return Notice.of("jobs.status.terminated")
    return Notice.of("jobs.status.rank_failed", rank=where.rank, processes=where.world_size,
                     kind=type(exc).__name__, detail=str(exc)[:200])


def _rank_ending(exc: BaseException, folder: RunFolder, where: Launch) -> int:
    """A rank other than 0 ends: it notes an unexpected error of its own for rank 0 to report; the errors every
    rank shares (bad input, cancel, divergence) and the stops caused by another rank's failure stay quiet."""
    if isinstance(exc, _Terminated):
        return 143
    if isinstance(exc, Cancelled):
        return 0
    if isinstance(exc, Diverged):
        return 3
    if isinstance(exc, UserError):
        return 2
    if isinstance(exc, (KeyboardInterrupt, PeerFailed)):
        return 130 if isinstance(exc, KeyboardInterrupt) else 1
    _log.error("run %s: rank %d failed:\n%s", folder.id, where.rank, traceback.format_exc())
    with contextlib.suppress(Exception), folder.lock():
        st = folder.status()
        if st.get("state") == RUNNING:
            st.setdefault("rank_errors", {})[str(where.rank)] = {"kind": type(exc).__name__,
                                                                 "detail": str(exc)[:200]}
            folder.write_status(st)
    return 1


def _die_with_agent() -> None:
    """Linux: this rank gets SIGTERM when torchrun's agent (its parent) dies, so no rank outlives it."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _devices_ok(cfg: FinetuneConfig, where: Launch) -> bool:
    try:
        distributed.check_devices(cfg.device, where)
        return True
    except UserError:
        return False


def run_here(cfg: FinetuneConfig, label: str = "", echo: Optional[Callable[[dict], None]] = None,
             root: Optional[Path] = None) -> tuple[Optional[str], int]:
    """Run ``cfg`` in this process as a listed run: the same folder, status, progress and summary as a
    worker's, so the page and ``jobs list`` see it; no manager launches it.

    Under torchrun, rank 0 makes the run and hands its id to the other ranks, and every rank trains it. A
    machine with fewer devices than processes is found by every rank on its own, before any of them waits for
    another: rank 0 records the sentence in the run (failed), the others return at once (id None).

    Returns:
        ``(run_id, exit_code)`` with the worker's exit codes (0 done, 2 unusable input, 3 diverged ...).
    """
    where = distributed.launch()
    if where is None:
        rid = create_run(cfg, root=root, label=label, in_this_process=True)
        return rid, run_worker(run_path(rid, root), echo=echo, log_to_stderr=False)
    ok = _devices_ok(cfg, where)
    rid = create_run(cfg, root=root, label=label, in_this_process=True) if where.rank == 0 else None
    if ok:
        rid = distributed.share("run", lambda: rid)
    elif where.rank != 0:
        return None, 2
    return rid, run_worker(run_path(rid, root), echo=echo if where.rank == 0 else None, log_to_stderr=False)


def run_worker(run_dir: str | Path, echo: Optional[Callable[[dict], None]] = None, log_to_stderr: bool = True) -> int:
    """Run the job in ``run_dir`` and record how it ended. Returns the exit code.

    Args:
        echo: also receives every progress event (the CLI prints them).
        log_to_stderr: send log records to stderr (a worker's stderr is its worker.log).
    """
    folder = RunFolder(Path(run_dir).resolve())
    if log_to_stderr:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s")
    job = folder.job()
    if not is_run_id(folder.id) or not job:
        _log.error("not a run folder: %s", folder.path)
        return 2
    where = distributed.launch()
    main = where is None or where.rank == 0
    reporter = _Reporter(folder, echo)
    stop_beat = threading.Event()

    def heartbeat() -> None:
        while not stop_beat.wait(HEARTBEAT_S):
            with contextlib.suppress(Exception):
                folder.update_status(heartbeat=now())

    def on_term(signum, frame):
        raise _Terminated()

    signal.signal(signal.SIGTERM, on_term)
    if where is not None:
        if os.environ.get("TORCHELASTIC_RUN_ID"):  # started by torchrun's agent
            _die_with_agent()
        with folder.lock():  # every rank's pid, so rank 0 can tell which one vanished
            st = folder.status()
            if main:
                st.update(pid=os.getpid(), pid_started=process_started(os.getpid()), heartbeat=now(),
                          state=RUNNING, processes=where.world_size, rank_errors={})
            alive = {r: pid for r, pid in (st.get("rank_pids") or {}).items() if pid_alive(pid)}  # not the last try's
            st["rank_pids"] = {**alive, str(where.rank): os.getpid()}
            folder.write_status(st)
    else:
        folder.update_status(pid=os.getpid(), pid_started=process_started(os.getpid()), heartbeat=now(),
                             state=RUNNING)
    if main:
        threading.Thread(target=heartbeat, name="heartbeat", daemon=True).start()
    final, code = {}, 0
    try:
        cfg = FinetuneConfig.from_dict(job.get("config") or {})
        _log.info("run %s: fit(resume=%s)%s", folder.id, bool(job.get("resume")),
                  f" as rank {where.rank} of {where.world_size}" if where else "")
        if where is not None:
            distributed.start(cfg.device)
        result = fit(cfg, folder.path, on_progress=reporter.on_progress if main else None,
                     should_stop=reporter.should_stop, resume=bool(job.get("resume")))
        if not main:
            return 0
        folder.write_summary(result)
        best = result.get("best_val_acc")
        final = dict(state=DONE, notice=Notice.of("jobs.status.done", acc=float(best)).record())
        if not folder.status().get("device"):  # a run trained here (python -m core train): no manager chose one
            final["device"] = result.get("device")
    except BaseException as exc:  # noqa: BLE001 - every ending is recorded, then the worker exits
        if where is not None:  # torchrun's agent sends SIGTERM when another rank fails: let this ending finish
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if not main:
            return _rank_ending(exc, folder, where)
        final, code = _ending(exc, folder, reporter, where)
    finally:
        stop_beat.set()
        t = now()
        if final:
            folder.update_status(**final, ended=t, heartbeat=t, exit_code=code)
        distributed.stop()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _log.info("run %s ended: %s", folder.id, final.get("state"))
    return code


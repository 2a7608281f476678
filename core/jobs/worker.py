"""``python -m core.jobs <run_dir>``: the process that trains one run and records how it ended.

It calls :func:`core.finetune.fit` with the run's config, keeps ``progress.json`` and a heartbeat in
``status.json`` up to date, turns a cancel file into ``should_stop()``, and writes the final state with a
notice that says why. :func:`run_here` does the same inside the calling process (``python -m core train``).
"""
from __future__ import annotations

import contextlib
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
from core.finetune import Cancelled, Diverged, FinetuneConfig, fit
from core.jobs.store import CANCELLED, DIVERGED, DONE, FAILED, HEARTBEAT_S, INTERRUPTED, RUNNING, create_run, now
from core.notices import Notice
from core.runs import RunFolder, is_run_id, run_path

_log = logging.getLogger("core.jobs")

PROGRESS_EVERY_S = 0.3   # progress.json at most this often (phase and epoch changes always)
KEPT_NOTICES = 20


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


def _ending(exc: BaseException, folder: RunFolder, reporter: _Reporter) -> tuple[dict, int]:
    """The final status fields and the exit code for a run that ended on ``exc``."""
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


def run_here(cfg: FinetuneConfig, label: str = "", echo: Optional[Callable[[dict], None]] = None,
             root: Optional[Path] = None) -> tuple[str, int]:
    """Run ``cfg`` in this process as a listed run: the same folder, status, progress and summary as a
    worker's, so the page and ``jobs list`` see it; no manager launches it.

    Returns:
        ``(run_id, exit_code)`` with the worker's exit codes (0 done, 2 unusable input, 3 diverged ...).
    """
    rid = create_run(cfg, root=root, label=label, in_this_process=True)
    return rid, run_worker(run_path(rid, root), echo=echo, log_to_stderr=False)


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
    reporter = _Reporter(folder, echo)
    stop_beat = threading.Event()

    def heartbeat() -> None:
        while not stop_beat.wait(HEARTBEAT_S):
            with contextlib.suppress(Exception):
                folder.update_status(heartbeat=now())

    def on_term(signum, frame):
        raise _Terminated()

    signal.signal(signal.SIGTERM, on_term)
    folder.update_status(pid=os.getpid(), heartbeat=now(), state=RUNNING)
    threading.Thread(target=heartbeat, name="heartbeat", daemon=True).start()
    final, code = {}, 0
    try:
        cfg = FinetuneConfig.from_dict(job.get("config") or {})
        _log.info("run %s: fit(resume=%s)", folder.id, bool(job.get("resume")))
        result = fit(cfg, folder.path, on_progress=reporter.on_progress, should_stop=reporter.should_stop,
                     resume=bool(job.get("resume")))
        folder.write_summary(result)
        best = result.get("best_val_acc")
        final = dict(state=DONE, notice=Notice.of("jobs.status.done", acc=float(best)).record())
        if not folder.status().get("device"):  # a run trained here (python -m core train): no manager chose one
            final["device"] = result.get("device")
    except BaseException as exc:  # noqa: BLE001 - every ending is recorded, then the worker exits
        final, code = _ending(exc, folder, reporter)
    finally:
        stop_beat.set()
        t = now()
        if final:
            folder.update_status(**final, ended=t, heartbeat=t, exit_code=code)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _log.info("run %s ended: %s", folder.id, final.get("state"))
    return code


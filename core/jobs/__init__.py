"""Training that outlives the page: run folders as jobs, a queue per device, worker processes, resume.

* :mod:`core.jobs.store`: create, list, read, cancel and requeue runs (the states of ``status.json``).
* :mod:`core.jobs.scheduler`: the :class:`JobManager` that launches queued runs, one per device slot.
* :mod:`core.jobs.worker`: the worker process (``python -m core.jobs RUN_DIR``) that calls
  :func:`core.finetune.fit`, and :func:`run_here` for ``python -m core train``.

The run folder's files are written and read only through :mod:`core.runs`. The job manager imports
training; training never imports the job manager.
"""
from core.jobs.scheduler import JobManager, close_all, device_slots, resume, start
from core.jobs.store import (ACTIVE, CANCELLED, DIVERGED, DONE, FAILED, HEARTBEAT_S, INTERRUPTED, QUEUED,
                             RESUMABLE, RUNNING, STATES, cancel, config, create_run, delete_run, export_files,
                             export_zip, fair_order, folder, positions, human_seconds, info, list_runs, metrics, progress_notices, queue, reconcile,
                             results, status_notice, summary, worker_log_tail)
from core.jobs.worker import run_here, run_worker
from core.runs import RUN_ID_RE, new_run_id, run_path, runs_dir

__all__ = ["JobManager", "close_all", "device_slots", "resume", "start", "ACTIVE", "CANCELLED", "DIVERGED", "DONE",
           "FAILED", "HEARTBEAT_S", "INTERRUPTED", "QUEUED", "RESUMABLE", "RUNNING", "STATES", "cancel", "config",
           "create_run", "delete_run", "fair_order", "positions", "export_files", "export_zip", "folder", "human_seconds", "info", "list_runs", "metrics",
           "progress_notices", "queue", "reconcile", "results", "status_notice", "summary", "worker_log_tail",
           "run_here", "run_worker", "RUN_ID_RE", "new_run_id", "run_path", "runs_dir"]

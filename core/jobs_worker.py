"""``python -m core.jobs_worker <run_dir>``: the worker process a JobManager launches for one run.

It runs the job described in ``<run_dir>/job.json`` (``core.finetune.fit`` by default) and records how it
ended in ``status.json``; see :mod:`core.jobs` for the run-folder layout and the states.
"""
import sys

from core.jobs import run_worker

if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m core.jobs_worker RUN_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(run_worker(sys.argv[1]))

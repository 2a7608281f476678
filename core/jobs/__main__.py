"""``python -m core.jobs RUN_DIR``: the worker process a JobManager launches for one run (see core.jobs.worker)."""
import sys

from core.jobs.worker import run_worker

if len(sys.argv) != 2:
    print("usage: python -m core.jobs RUN_DIR", file=sys.stderr)
    sys.exit(2)
sys.exit(run_worker(sys.argv[1]))

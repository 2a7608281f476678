"""``python -m core.jobs RUN_DIR``: the worker process a JobManager launches for one run (see core.jobs.worker)."""
import sys

from core.jobs.worker import run_worker
from core.workspaces import enter_run_dir

if len(sys.argv) != 2:
    print("usage: python -m core.jobs RUN_DIR", file=sys.stderr)
    sys.exit(2)
enter_run_dir(sys.argv[1])  # the run's workspace: its dataset id is looked up there, and only there
sys.exit(run_worker(sys.argv[1]))

"""``python -m core <command> ... [--json]``: the CLI twin of every page."""
import sys

from core.cli import main

if __name__ == "__main__":
    sys.exit(main())

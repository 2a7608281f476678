"""Memory of a process and all its descendants, read from /proc (Linux), for the benchmarks."""
from __future__ import annotations

import os


def tree_memory_mb(pid: int, field: str = "Rss") -> float:
    """``field`` summed over ``pid`` and every descendant, in MB; 0 where /proc cannot tell.

    ``Rss``: resident memory (a page shared by several processes counts in each). ``Pss``: proportional set
    size (a page shared by n processes counts 1/n in each), so the sum is what the whole tree holds.
    """
    total_kb, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total_kb += next(int(line.split()[1]) for line in fh if line.startswith(f"{field}:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration, ValueError):
            continue  # a process that just ended
    return total_kb / 1024

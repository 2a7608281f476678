"""Benchmark: profile every catalog model at 224 px from cold, against ptflops on the same models.

    python benchmarks/bench_architectures.py              # both tools, a table and the three verdicts
    python benchmarks/bench_architectures.py --repeat 5   # five rounds; the verdicts use the medians
    python benchmarks/bench_architectures.py --json

Each tool runs in its own fresh Python process, so the time includes importing torch/torchvision/timm
(a cold start, as the page's first visit) and ``ru_maxrss`` is that process's own peak resident memory.

* ours: ``core.architectures.profile_or_error(name, 224)`` for each model, one after another in one process, as
  the architectures page does: meta-device build, one forward pass under ``FlopCounterMode`` and the
  receptive-field tracker, plus ``model_stages``; parameters, MACs, receptive field, depth, activations,
  per-layer table, top-1. The first torchvision and the first timm model's times include importing their
  library.
* ptflops 0.7.5 (``get_model_complexity_info``, pytorch backend): it needs a real model with real weights on
  the CPU and a real forward pass, and counts MACs and parameters only.

Goals: every catalog model in under 20 s on 2 CPU cores, at least 3× faster than ptflops in the
same run, and under 1.5 GB peak memory.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from proctree import tree_memory_mb  # noqa: E402 - run as python benchmarks/<file>.py

ROOT = Path(__file__).resolve().parent.parent

_OURS = r"""
import json, resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from core import architectures, zoo
names = [entry.name for entry in zoo.list_entries()]
rows = []
for name in names:
    t = time.perf_counter()
    p = architectures.profile_or_error(name, 224)
    if "error" in p:
        raise SystemExit(p["model"] + ": " + p["error"])
    rows.append({{"model": p["model"], "s": time.perf_counter() - t, "params": p["params"], "macs": p["macs"],
                 "receptive_field": p["receptive_field"], "counted_on": p["counted_on"]}})
print(json.dumps({{"total_s": time.perf_counter() - t0, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

_PTFLOPS = r"""
import json, resource, sys, time, io
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
import torch
from ptflops import get_model_complexity_info
from core import zoo
rows = []
for entry in zoo.list_entries():
    t = time.perf_counter()
    model = zoo.build_model(entry.name, pretrained=False).model
    with torch.no_grad():
        macs, params = get_model_complexity_info(model, (3, 224, 224), as_strings=False,
                                                 print_per_layer_stat=False, verbose=False, ost=io.StringIO())
    del model
    rows.append({{"model": entry.name, "s": time.perf_counter() - t, "params": params, "macs": macs}})
print(json.dumps({{"total_s": time.perf_counter() - t0, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _run(code: str, env: dict) -> dict:
    """Run one tool in a fresh process; besides its own ``ru_maxrss``, sample the PSS of its whole process tree
    (any process it starts included) five times a second."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", code.format(root=str(ROOT))], stdout=out,
                                stderr=err, text=True, env=env, cwd=ROOT)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, tree_memory_mb(proc.pid, "Pss"))
            time.sleep(0.2)  # one sample reads every mapping (~10 ms): keep the sampler off the cores
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"benchmark subprocess failed:\n{err.read()[-3000:]}")
        result = json.loads(out.read().strip().splitlines()[-1])
    result["peak_tree_pss_mb"] = peak
    return result


def _median_round(results: list[dict]) -> dict:
    """The round with the median total time (the lower middle one for an even count)."""
    return sorted(results, key=lambda r: r["total_s"])[(len(results) - 1) // 2]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-ptflops", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of both tools, alternating (default 1); the "
                    "table shows the median round of ours, the verdicts use the medians")
    args = ap.parse_args(argv)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="bench-arch-") as tmp:
        env = {**os.environ, "CNNLAB_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "CNNLAB_DATA_DIR": str(Path(tmp) / "data"),
               "TORCH_HOME": str(Path(tmp) / "torch"), "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2")}
        for _ in range(max(1, args.repeat)):
            rounds.append((_run(_OURS, env), None if args.skip_ptflops else _run(_PTFLOPS, env)))
    ours = _median_round([o for o, _ in rounds])
    theirs = None if args.skip_ptflops else _median_round([t for _, t in rounds])
    load = os.getloadavg()
    result = {"ours": ours, "ptflops": theirs, "cpu_count": os.cpu_count(), "loadavg": [round(x, 2) for x in load],
              "rounds": [{"ours_s": round(o["total_s"], 2), "ptflops_s": round(t["total_s"], 2) if t else None,
                          "speedup": round(t["total_s"] / o["total_s"], 2) if t else None} for o, t in rounds]}
    if theirs:
        result["speedup"] = theirs["total_s"] / ours["total_s"]
    result["goals"] = {"under_20_s": ours["total_s"] < 20,
                       "under_1_5_gb": max(max(o["peak_mb"], o["peak_tree_pss_mb"]) for o, _ in rounds) < 1536,
                       "3x_faster_than_ptflops": None if not theirs else result["speedup"] >= 3}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    by_name = {r["model"]: r for r in (theirs or {"rows": []})["rows"]}
    print(f"{'model':24} {'ours s':>7} {'GMACs':>8} {'params':>12} {'RF':>5} | {'ptflops s':>9} {'GMACs':>8} {'params':>12}")
    for r in ours["rows"]:
        p = by_name.get(r["model"])
        tail = f" | {p['s']:9.2f} {p['macs'] / 1e9:8.3f} {p['params']:12,}" if p else ""
        rf = r["receptive_field"] if r["receptive_field"] is not None else "-"
        print(f"{r['model']:24} {r['s']:7.2f} {r['macs'] / 1e9:8.3f} {r['params']:12,} {rf:>5}{tail}")
    print(f"\nours:    {ours['total_s']:.1f} s from cold (imports included), peak RSS "
          f"{ours['peak_mb']:.0f} MB, all its processes {ours['peak_tree_pss_mb']:.0f} MB (PSS)")
    if theirs:
        print(f"ptflops: {theirs['total_s']:.1f} s from cold, peak RSS {theirs['peak_mb']:.0f} MB, "
              f"all its processes {theirs['peak_tree_pss_mb']:.0f} MB (PSS)")
        print(f"speed-up: {result['speedup']:.1f}×")
    if len(rounds) > 1:
        print("rounds (ours s / ptflops s / speed-up): " + ", ".join(
            f"{r['ours_s']:.1f}" + (f" / {r['ptflops_s']:.1f} / {r['speedup']:.1f}×" if r["ptflops_s"] else "")
            for r in result["rounds"]) + "; the lines above are the median rounds")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    for goal, ok in result["goals"].items():
        print(f"  {goal:24} {'n/a' if ok is None else ('PASS' if ok else 'FAIL')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the inside page's three costly things, on the CPU, against the issue's goals.

    python benchmarks/bench_inside.py            # all three; exit status 1 when a goal is missed
    python benchmarks/bench_inside.py --json
    python benchmarks/bench_inside.py --only cka

* filters: for every catalog model, the first call of ``core.inside.filters.model_first_conv`` (builds the
  model with its best weights, and a random initialisation; offline most models have no pretrained weights
  and are built twice at random) and then the render a page does once the weights are cached per model:
  ``filter_grid`` + ``filter_stats`` + the plotly figure, pretrained beside random.
  Goal: the cached render under 1 s for every model.
* cka: linear CKA for every stage of ResNet-18 at 128 px over the digits demo's 359 validation images,
  reference against a perturbed copy (every stage changed, so nothing is skipped as identical), features
  flattened (maps larger than 16,384 values per image average-pooled) and, for comparison, pooled.
  Goal: under 30 s.
* probe: the per-stage linear probe on the whole digits demo (1,797 images) with EfficientNet-Lite0 at
  96 px, pretrained and random, from cold (a fresh data directory: features computed), then again (features
  read from the cache beside the dataset). Goal: the cold run under 60 s.

Runs with 2 torch threads in a throw-away data directory (the digits demo is ingested there first, not timed).
``uptime`` is printed before and after: on a shared machine the load average says how much of the CPU we had.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CNNLAB_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-inside-")
os.environ["CNNLAB_WORKSPACES"] = "single"  # one local user: core calls need no workspace token
os.environ.setdefault("CNNLAB_OFFLINE", "1")

GOALS = {"filters": 1.0, "cka": 30.0, "probe": 60.0}


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime unavailable"


def bench_filters() -> dict:
    from core.inside import filters
    from core.plots import inside as plots
    from core.zoo import list_entries
    rows = []
    for entry in list_entries():
        t0 = time.perf_counter()
        pre, rnd = filters.model_first_conv(entry.name, True), filters.model_first_conv(entry.name, False)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        pre, rnd = filters.model_first_conv(entry.name, True), filters.model_first_conv(entry.name, False)
        panels = [(name, filters.filter_grid(w, "per_filter", limit=filters.MAX_SHOWN), filters.filter_stats(w), None)
                  for name, w in (("pretrained", pre.weight), ("random", rnd.weight))]
        plots.filter_grids(panels, "en").to_dict()
        rows.append({"model": entry.name, "shape": list(pre.weight.shape), "pretrained": pre.weights.pretrained,
                     "first_s": round(first, 2), "cached_s": round(time.perf_counter() - t0, 3)})
        print(f"  {entry.name:22} {'×'.join(map(str, pre.weight.shape)):>12}  first {first:6.2f} s  "
              f"cached render {rows[-1]['cached_s']:.3f} s", flush=True)
    worst = max(rows, key=lambda r: r["cached_s"])
    return {"rows": rows, "value": worst["cached_s"], "worst": worst["model"],
            "ok": worst["cached_s"] < GOALS["filters"],
            "goal": f"cached filter grid render under {GOALS['filters']:.0f} s for every catalog model"}


def bench_cka() -> dict:
    import copy

    import numpy as np
    import torch
    from core.data import open_dataset
    from core.inside import models
    from core.inside.change import stage_cka
    from core.inside.taps import eval_batches
    from core.zoo import classifier_path, get_entry, model_stages, preprocess_for
    ds = open_dataset("demo:digits")
    val = np.asarray(ds.split["val"])
    ref = models.random_model("resnet18", 0)
    tuned = copy.deepcopy(ref.model)
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in tuned.parameters():
            p.add_(torch.randn(p.shape, generator=gen) * 0.5 * p.std().clamp_min(1e-3))
    size = 128
    stages = model_stages(ref.model, size)
    head = classifier_path(ref.model)
    pre = preprocess_for(get_entry("resnet18")).with_input_size(size)
    names = [s.name for s in stages if s.name != "head"]
    out = {}
    for mode in ("flatten", "pool"):
        t0 = time.perf_counter()
        res = stage_cka(ref.model, tuned, stages, head, eval_batches(ds, val, pre), len(val), names, mode)
        out[mode] = {"s": round(time.perf_counter() - t0, 2),
                     "cka": {k: round(v["cka"], 4) for k, v in res.items()},
                     "grid": {k: v["grid"] for k, v in res.items()}}
        print(f"  {mode:8} {out[mode]['s']:6.2f} s  " + "  ".join(f"{k} {v:.3f}" for k, v in out[mode]["cka"].items()),
              flush=True)
    return {"images": int(len(val)), "size": size, "stages": names, **out, "value": out["flatten"]["s"],
            "ok": out["flatten"]["s"] < GOALS["cka"],
            "goal": f"CKA of every ResNet-18 stage over {len(val)} validation images at {size} px under "
                    f"{GOALS['cka']:.0f} s"}


def bench_probe() -> dict:
    from core.data import open_dataset
    from core.inside.probe import probe_stages
    ds = open_dataset("demo:digits")
    t0 = time.perf_counter()
    cold = probe_stages(ds.id, "tf_efficientnet_lite0", 96)
    cold_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = probe_stages(ds.id, "tf_efficientnet_lite0", 96)
    warm_s = time.perf_counter() - t0
    for s in cold["stages"]:
        print(f"  {s['name']:8} {s['dims']:5d} features  pretrained {s['pretrained_acc']:.3f}  random "
              f"{s['random_acc']:.3f}", flush=True)
    print(f"  cold {cold_s:.1f} s (features: pretrained {cold['features']['pretrained']['seconds']} s, random "
          f"{cold['features']['random']['seconds']} s); again from the cache {warm_s:.1f} s", flush=True)
    assert all(f["cached"] for f in warm["features"].values())
    return {"images": cold["images"], "folds": cold["folds"], "stages": cold["stages"], "cold_s": round(cold_s, 1),
            "cached_s": round(warm_s, 1), "features_s": {k: v["seconds"] for k, v in cold["features"].items()},
            "value": round(cold_s, 1), "ok": cold_s < GOALS["probe"],
            "goal": f"per-stage probe on the digits demo ({cold['images']} images), Lite0 at 96 px, pretrained "
                    f"and random, under {GOALS['probe']:.0f} s"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", choices=list(GOALS), action="append")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(2)
    from core.data import open_dataset
    open_dataset("demo:digits")  # ingest once, untimed
    before = uptime()
    print(f"before: {before}", flush=True)
    results = {}
    for name, fn in (("filters", bench_filters), ("cka", bench_cka), ("probe", bench_probe)):
        if args.only and name not in args.only:
            continue
        print(f"{name}:", flush=True)
        results[name] = fn()
    after = uptime()
    print(f"after:  {after}")
    for name, r in results.items():
        unit = "s (worst: " + r["worst"] + ")" if name == "filters" else "s"
        print(f"{'PASS' if r['ok'] else 'FAIL'}  {r['goal']}: {r['value']} {unit}")
    if args.json:
        print(json.dumps({"uptime_before": before, "uptime_after": after, **results}, default=str))
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

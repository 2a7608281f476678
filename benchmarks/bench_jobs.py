"""What running training as a background job costs: python benchmarks/bench_jobs.py [--json]

Measures, in a throw-away data directory, on a tiny 3-class dataset made here:
  * start -> worker running -> first progress event -> done, against the baseline a user would otherwise
    run: the same training as a plain `python -m core train --out DIR` process (both cold processes,
    imports included; rounds alternate, medians reported);
  * cancel latency: the cancel file written -> the run recorded as cancelled, and steps run after it;
  * reading state: list_runs() over 200 run folders (what the page's fragment does every 1.5 s).
Prints one JSON object (the figures go in the report with the machine's load average).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_tiny(root: Path) -> str:
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    for c, name in enumerate(["red", "green", "blue"]):
        (root / name).mkdir(parents=True)
        for i in range(20):
            arr = rng.integers(0, 90, (32, 32, 3), dtype=np.uint8)
            arr[..., c] += 150
            Image.fromarray(arr).save(root / name / f"{i}.png")
    return str(root)


def main(rounds: int = 3) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    os.environ["CNNLAB_DATA_DIR"] = str(tmp / "data")
    os.environ["CNNLAB_WORKSPACES"] = "single"  # one local user: core calls need no workspace token
    os.environ.setdefault("CNNLAB_OFFLINE", "1")
    from core import jobs
    from core.data import open_dataset
    from core.finetune import FinetuneConfig

    data = make_tiny(tmp / "tiny")
    open_dataset(data)
    cfg = FinetuneConfig(data=data, model="resnet18", strategy="scratch", epochs=3, image_size=32, batch_size=8,
                         augment="none", patience=0)
    out: dict = {"threads": os.environ.get("OMP_NUM_THREADS"), "load_avg_before": os.getloadavg()}

    cli = [sys.executable, "-m", "core", "train", "--data", data, "--model", cfg.model, "--strategy", cfg.strategy,
           "--epochs", str(cfg.epochs), "--image-size", str(cfg.image_size), "--batch-size", str(cfg.batch_size),
           "--augment", cfg.augment, "--patience", "0", "--json"]
    manager = jobs.JobManager(poll=0.1)
    try:
        cli_s, job_s, marks_all = [], [], []
        for i in range(rounds):  # alternate, so that load from other processes hits both alike
            t0 = time.perf_counter()
            subprocess.run(cli + ["--out", str(tmp / f"cli{i}")], cwd=ROOT, check=True, capture_output=True)
            cli_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rid = manager.start(cfg)
            marks = {}
            while True:
                row = jobs.info(rid)
                if row["state"] == "running" and "running" not in marks:
                    marks["running"] = time.perf_counter() - t0
                if row["progress"] and row["progress"].get("phase") in ("train", "val") and "first_step" not in marks:
                    marks["first_step"] = time.perf_counter() - t0
                if row["state"] not in jobs.ACTIVE:
                    marks["ended"] = time.perf_counter() - t0
                    break
                time.sleep(0.02)
            assert row["state"] == "done", row
            job_s.append(marks["ended"])
            marks_all.append({k: round(v, 2) for k, v in marks.items()})
        out["cli_train_process_s"] = [round(v, 2) for v in cli_s]
        out["job_s"] = [round(v, 2) for v in job_s]
        out["job_marks"] = marks_all
        out["job_overhead_s_median"] = round(statistics.median(job_s) - statistics.median(cli_s), 2)
        out["job_over_cli_ratio"] = round(statistics.median(job_s) / statistics.median(cli_s), 3)

        rid = manager.start(FinetuneConfig(**{**cfg.__dict__, "epochs": 500, "batch_size": 2}))
        while (jobs.info(rid)["progress"] or {}).get("phase") != "train":
            time.sleep(0.02)
        t0 = time.perf_counter()
        jobs.cancel(rid)
        row = manager.wait(rid, timeout=120)
        out["cancel"] = {"seconds_to_cancelled": round(time.perf_counter() - t0, 3),
                         "worker_stop_after_request_s": round(row["cancel"]["stopped"] - row["cancel"]["requested"], 3),
                         "steps_after_cancel": row["cancel"]["steps_after"], "state": row["state"]}
    finally:
        manager.close(terminate=True)

    for _ in range(200):
        jobs.create_run(cfg)
    t0 = time.perf_counter()
    for _ in range(10):
        rows = jobs.list_runs()
    out["list_runs_202_ms"] = round((time.perf_counter() - t0) / 10 * 1000, 1)
    out["runs_listed"] = len(rows)
    out["load_avg_after"] = os.getloadavg()
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=None if "--json" in sys.argv else 2))

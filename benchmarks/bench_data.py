"""Benchmark: ingest generated JPEG photos from a zip against the plain PIL loop a user would write, and memory.

    python benchmarks/bench_data.py                  # 1,000 photos of 1024×768 (3 rounds), then 200 of 3072×2304
    python benchmarks/bench_data.py --n 300 --rounds 5 --big-n 0 --json

The photos are crops of scikit-image's sample pictures with per-image noise, saved as JPEG (quality 90), so each
file is distinct and decodes like a photo (about 240 kB at 1024×768). In every round the same archive is read
twice, each time in a fresh process with the imports done before the clock starts, alternating which goes first:

- **baseline**: the loop a user would write: open each JPEG in the zip, ``ImageOps.exif_transpose``, convert to
  RGB, ``ImageOps.fit`` to the side our cache uses (256 here), into one preallocated array;
- **ours**: ``core.data.open_dataset`` on the zip with a fresh data directory (hash, checks, probe, decode,
  store).

Goals (checked; a missed goal prints FAIL and the exit status is 1):

- the median of baseline seconds / our seconds over the rounds of the 1024×768 set is at least 4;
- ours ingests 1,000 photos of 1024×768 in under 30 s on 2 cores;
- our peak memory (above what the imports take) stays within 200 MB on both sets: it follows the working size
  and the bounded read-ahead, not the originals (the 3072×2304 set decodes 7 MP photos).

The machine's load average is printed next to every round: other processes on the same cores slow both sides,
and ours (which decodes on every core) more than the one-core baseline.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 4.0            # median baseline / ours on the 1024×768 set
GOAL_SECONDS = 30.0         # ours, 1,000 photos of 1024×768
GOAL_SECONDS_FOR = 1000
GOAL_PEAK_MB = 200          # ours, peak resident memory above the imports, every set


def make_zip(path: Path, n: int, size: tuple[int, int], classes: int = 5, seed: int = 0) -> dict:
    import numpy as np
    from PIL import Image
    from skimage import data as sk
    rng = np.random.default_rng(seed)
    bases = [sk.chelsea(), sk.coffee(), sk.astronaut(), sk.rocket(), sk.immunohistochemistry()]
    t0 = time.perf_counter()
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:  # JPEGs do not deflate; photo zips store them
        for i in range(n):
            c = i % classes
            base = bases[c]
            h, w = base.shape[:2]
            ch, cw = int(h * rng.uniform(0.6, 1.0)), int(w * rng.uniform(0.6, 1.0))
            y, x = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
            im = Image.fromarray(base[y:y + ch, x:x + cw]).resize(size, Image.Resampling.BILINEAR)
            arr = np.asarray(im, dtype=np.int16) + rng.normal(0, 6, (size[1], size[0], 1)).astype(np.int16)
            buf = io.BytesIO()
            Image.fromarray(arr.clip(0, 255).astype(np.uint8)).save(buf, "JPEG", quality=90)
            total += buf.tell()
            zf.writestr(f"photos/class_{c}/img_{i:05d}.jpg", buf.getvalue())
    return {"zip_mb": round(path.stat().st_size / 1e6, 1), "mean_file_kb": round(total / n / 1e3, 1),
            "make_seconds": round(time.perf_counter() - t0, 1)}


_HWM = '''
def hwm_kb():  # this process's own peak resident memory (VmHWM is per address space; ru_maxrss is inherited)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
'''

OURS = """
import json, os, sys, time
sys.path.insert(0, {root!r})
""" + _HWM + """
import numpy, PIL.Image, core.data as data
after_imports = hwm_kb()
t0, c0 = time.perf_counter(), time.process_time()
ds = data.open_dataset({zip!r})
t1, c1 = time.perf_counter(), time.process_time()
again = data.open_dataset({zip!r})
t2 = time.perf_counter()
peak = hwm_kb()
print(json.dumps({{"images": len(ds), "side": ds.cache_size, "skipped": len(ds.report["skipped"]),
                  "seconds": t1 - t0, "cpu_seconds": c1 - c0, "reopen_seconds": t2 - t1,
                  "cache_mb": (ds.dir / "images.npy").stat().st_size / 1e6,
                  "imports_mb": after_imports / 1024, "peak_mb": peak / 1024,
                  "peak_above_imports_mb": (peak - after_imports) / 1024}}))
"""

# The plain loop a user would write (the baseline). Nothing here is ours.
BASELINE = """
import json, sys, time, zipfile
""" + _HWM + """
import numpy as np
from PIL import Image, ImageOps
side = {side}
after_imports = hwm_kb()
t0, c0 = time.perf_counter(), time.process_time()
with zipfile.ZipFile({zip!r}) as zf:
    names = [n for n in zf.namelist() if n.lower().endswith((".jpg", ".jpeg"))]
    out = np.empty((len(names), side, side, 3), np.uint8)
    for i, name in enumerate(names):
        with zf.open(name) as fh:
            im = Image.open(fh)
            im = ImageOps.exif_transpose(im).convert("RGB")
            out[i] = np.asarray(ImageOps.fit(im, (side, side)))
t1, c1 = time.perf_counter(), time.process_time()
peak = hwm_kb()
print(json.dumps({{"images": len(names), "seconds": t1 - t0, "cpu_seconds": c1 - c0,
                  "imports_mb": after_imports / 1024, "peak_mb": peak / 1024,
                  "peak_above_imports_mb": (peak - after_imports) / 1024}}))
"""


def _child(code: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def run_set(n: int, size: tuple[int, int], rounds: int, workdir: Path, side: int = 256) -> dict:
    """Make the archive, then ``rounds`` rounds of baseline and ours, alternating which runs first."""
    z = workdir / f"bench_{n}_{size[0]}x{size[1]}.zip"
    made = make_zip(z, n, size)
    env = {**os.environ, "OMP_NUM_THREADS": "2"}
    out = []
    for r in range(rounds):
        load = round(os.getloadavg()[0], 2)
        data_dir = workdir / f"data_{size[0]}_{r}"  # a fresh data dir: every round ingests from scratch
        sides = {"baseline": lambda: _child(BASELINE.format(side=side, zip=str(z)), env),
                 "ours": lambda: _child(OURS.format(root=str(ROOT), zip=str(z)),
                                        {**env, "CNNLAB_DATA_DIR": str(data_dir)})}
        order = ("baseline", "ours") if r % 2 == 0 else ("ours", "baseline")
        got = {k: sides[k]() for k in order}
        if got["ours"]["side"] != side or got["ours"]["images"] != n or got["baseline"]["images"] != n:
            raise SystemExit(f"the two sides did not make the same output: {got}")
        out.append({"round": r + 1, "first": order[0], "load_before": load, **got,
                    "ratio": got["baseline"]["seconds"] / got["ours"]["seconds"],
                    "cpu_ratio": got["baseline"]["cpu_seconds"] / got["ours"]["cpu_seconds"],
                    "ours_cores_used": got["ours"]["cpu_seconds"] / got["ours"]["seconds"]})
    z.unlink()
    return {"photos": n, "size": f"{size[0]}x{size[1]}", **made, "rounds": out,
            "median_ratio": statistics.median(r["ratio"] for r in out),
            "median_cpu_ratio": statistics.median(r["cpu_ratio"] for r in out),
            "ours_median_seconds": statistics.median(r["ours"]["seconds"] for r in out),
            "ours_peak_above_imports_mb": max(r["ours"]["peak_above_imports_mb"] for r in out)}


def check_goals(sets: list[dict]) -> list[dict]:
    main = sets[0]
    goals = [{"goal": f"median ratio baseline / ours >= {GOAL_RATIO} ({main['photos']} of {main['size']})",
              "value": round(main["median_ratio"], 2), "ok": main["median_ratio"] >= GOAL_RATIO}]
    if main["photos"] == GOAL_SECONDS_FOR and main["size"] == "1024x768":
        goals.append({"goal": f"ours < {GOAL_SECONDS:.0f} s for {GOAL_SECONDS_FOR:,} of 1024x768",
                      "value": round(main["ours_median_seconds"], 2),
                      "ok": main["ours_median_seconds"] < GOAL_SECONDS})
    for s in sets:
        goals.append({"goal": f"ours peak above imports <= {GOAL_PEAK_MB} MB ({s['photos']} of {s['size']})",
                      "value": round(s["ours_peak_above_imports_mb"]),
                      "ok": s["ours_peak_above_imports_mb"] <= GOAL_PEAK_MB})
    return goals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="photos of 1024x768 in the main set")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds on the main set")
    ap.add_argument("--big-n", type=int, default=200, help="photos of 3072x2304 in the large set (0: skip it)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from core.data import DECODE_THREADS
    with tempfile.TemporaryDirectory(prefix="bench_data_") as tmp:
        sets = [run_set(args.n, (1024, 768), args.rounds, Path(tmp))]
        if args.big_n:
            sets.append(run_set(args.big_n, (3072, 2304), 1, Path(tmp)))
    goals = check_goals(sets)
    result = {"cpu_count": os.cpu_count(), "decode_threads": DECODE_THREADS, "sets": sets, "goals": goals,
              "passed": all(g["ok"] for g in goals)}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"cpus {result['cpu_count']}, decode threads {result['decode_threads']}")
        for s in sets:
            print(f"\n{s['photos']} photos {s['size']} ({s['zip_mb']} MB zip, {s['mean_file_kb']} kB each)")
            for r in s["rounds"]:
                b, o = r["baseline"], r["ours"]
                print(f"  round {r['round']} (load {r['load_before']:.2f}, {r['first']} first): "
                      f"baseline {b['seconds']:.2f} s (cpu {b['cpu_seconds']:.2f} s, peak +{b['peak_above_imports_mb']:.0f} MB)"
                      f" | ours {o['seconds']:.2f} s (cpu {o['cpu_seconds']:.2f} s, peak +{o['peak_above_imports_mb']:.0f}"
                      f" MB, reopen {o['reopen_seconds'] * 1000:.1f} ms, {r['ours_cores_used']:.2f} cores busy) | "
                      f"{r['ratio']:.2f}x (cpu {r['cpu_ratio']:.2f}x)")
            print(f"  median ratio {s['median_ratio']:.2f}x (cpu time {s['median_cpu_ratio']:.2f}x); ours median "
                  f"{s['ours_median_seconds']:.2f} s "
                  f"({s['photos'] / s['ours_median_seconds']:.0f} img/s), peak {s['ours_peak_above_imports_mb']:.0f} MB "
                  f"above imports")
        print()
        for g in goals:
            print(f"{'PASS' if g['ok'] else 'FAIL'}  {g['goal']}: {g['value']}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

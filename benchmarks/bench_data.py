"""Benchmark: ingest N generated JPEG photos (default 1,000 of 1024×768) from a zip, and peak memory.

    python benchmarks/bench_data.py                 # 1,000 photos of 1024×768, then 200 of 3072×2304
    python benchmarks/bench_data.py --n 300 --json

Each ingest runs in a fresh process (so ``ru_maxrss`` is that ingest's own peak) with a throw-away data
directory. The photos are crops of scikit-image's sample pictures with per-image noise, so each file is
distinct and compresses like a photo (about 150-250 kB at 1024×768, quality 90). The goal in the issue:
1,000 photos of 1024×768 in under 30 s on 2 CPU cores, with peak memory following the working resolution
(the cache side, at most 256) rather than the originals: the second, larger-photo run should peak near the
first.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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


CHILD = """
import json, os, sys, time
sys.path.insert(0, {root!r})

def hwm_kb():  # this process's own peak resident memory (VmHWM is per address space; ru_maxrss is inherited)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

import numpy, PIL.Image, core.data as data
after_imports = hwm_kb()
t0 = time.perf_counter()
ds = data.open_dataset({zip!r})
t1 = time.perf_counter()
again = data.open_dataset({zip!r})
t2 = time.perf_counter()
peak = hwm_kb()
print(json.dumps({{"images": len(ds), "cache_side": ds.cache_size, "skipped": len(ds.report["skipped"]),
                  "ingest_seconds": round(t1 - t0, 2), "reopen_seconds": round(t2 - t1, 4),
                  "cache_mb": round((ds.dir / "images.npy").stat().st_size / 1e6, 1),
                  "rss_after_imports_mb": round(after_imports / 1024), "peak_rss_mb": round(peak / 1024),
                  "peak_minus_imports_mb": round((peak - after_imports) / 1024)}}))
"""


def run_one(n: int, size: tuple[int, int], workdir: Path) -> dict:
    z = workdir / f"bench_{n}_{size[0]}x{size[1]}.zip"
    made = make_zip(z, n, size)
    env = {**os.environ, "CNNLAB_DATA_DIR": str(workdir / f"data_{size[0]}"), "OMP_NUM_THREADS": "2"}
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), zip=str(z))], env=env,
                         capture_output=True, text=True, timeout=1800)
    if out.returncode:
        raise SystemExit(out.stderr)
    z.unlink()
    return {"photos": n, "size": f"{size[0]}x{size[1]}", **made, **json.loads(out.stdout)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--big-n", type=int, default=200, help="photos in the large-original run (0: skip it)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()
    from core.data import DECODE_THREADS
    with tempfile.TemporaryDirectory(prefix="bench_data_") as tmp:
        runs = [run_one(args.n, (1024, 768), Path(tmp))]
        if args.big_n:
            runs.append(run_one(args.big_n, (3072, 2304), Path(tmp)))
    result = {"cpu_count": os.cpu_count(), "decode_threads": DECODE_THREADS, "loadavg_before": [round(x, 2) for x in load], "runs": runs,
              "goal": "1,000 photos of 1024x768 in < 30 s on 2 cores"}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"cpus {result['cpu_count']}, decode threads {result['decode_threads']}, load average before {result['loadavg_before']}")
    for r in runs:
        print(f"{r['photos']:>5} photos {r['size']:>9} ({r['zip_mb']} MB zip, {r['mean_file_kb']} kB each): "
              f"ingest {r['ingest_seconds']} s ({r['photos'] / r['ingest_seconds']:.0f} img/s), reopen "
              f"{r['reopen_seconds'] * 1000:.1f} ms, cache {r['cache_side']}px {r['cache_mb']} MB, peak RSS "
              f"{r['peak_rss_mb']} MB ({r['peak_minus_imports_mb']} MB above imports)")


if __name__ == "__main__":
    main()

"""Fine-tuning speed and the course's strategies, measured (not a test: figures for the report).

    python benchmarks/bench_finetune.py                 # probe epochs, CPU throughput vs a hand loop, GPU if any
    python benchmarks/bench_finetune.py --digits        # also: what each strategy reaches on demo:digits
    python benchmarks/bench_finetune.py --only gpu      # one section: probe | cpu | gpu | digits
    python benchmarks/bench_finetune.py --only gpu --compile   # ... with torch.compile on both loops

Sections
  probe   Linear probe (packaged Lite0, demo:digits): every epoch after the first must cost <= 5 % of the
          first (the backbone runs once; later epochs train the head on cached features).
  cpu     Full fine-tuning throughput of core.finetune's own step (same model, batch and resolution) against
          a minimal hand-written PyTorch loop on pre-normalised tensors, measured alternately in the same run.
          Goal: >= 0.95x.
  gpu     Only with CUDA (without it: one sentence, exit 0), capped at 8 minutes of wall time in all. First the
          CUDA path end to end: one epoch of fit() (bf16 autocast, channels_last, the decoded dataset resident on
          the GPU, augmentation there) must write a run with its export. Then ResNet-50 and EfficientNet-Lite0 at
          224 px on demo:digits repeated to >= 20,000 training images (so epoch overheads do not dominate): one
          whole epoch of ours (images/s, GPU utilisation from NVML or nvidia-smi, peak memory, and the fraction
          of the GPU's dense bf16 peak, with 3x the profiler's forward FLOPs per image for a training step), then
          ours against a minimal hand-written loop (same model, batch, bf16, channels_last; no augmentation),
          alternated. Goals: ResNet-50 >= 5,000 images/s on an H200; ours >= 0.95x the hand loop. With two or
          more GPUs, also one epoch through torchrun on two of them (nccl). --compile: torch.compile both loops.
  digits  The four strategies on demo:digits with the same budget (the frozen probe is expected to suffer
          from the domain shift between ImageNet photos and 8x8 digits).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CNNLAB_OFFLINE", "1")
os.environ.setdefault("CNNLAB_WORKSPACES", "single")  # one local user: fit() needs no workspace token

import torch  # noqa: E402

from core.finetune import STRATEGIES, FinetuneConfig, fit  # noqa: E402
from core.finetune.augment import Split, center_crop  # noqa: E402
from core.finetune.loop import Progress, Trainer  # noqa: E402


def _load() -> str:
    return os.popen("uptime").read().strip()


def bench_probe(image_size: int, epochs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        s = fit(FinetuneConfig(data="demo:digits", strategy="linear_probe", epochs=epochs, image_size=image_size,
                               patience=0, device="cpu"), Path(tmp) / "run")
    first, later = s["epoch_seconds"][0], s["epoch_seconds"][1:]
    ratio = max(later) / first
    return {"image_size": image_size, "epoch_seconds": s["epoch_seconds"], "worst_later_over_first": round(ratio, 4),
            "goal": "<= 0.05", "ok": ratio <= 0.05, "best_val_acc": s["best_val_acc"]}


def _round_images(run: Trainer, steps: int) -> int:
    """Images one timed round processes: ``steps`` batches, but never past the end of the training split
    (``train_epoch(max_steps=...)`` stops at the epoch's end; a trailing batch of one is skipped)."""
    n, bs = len(run.train), run.batch_size
    images = min(steps * bs, n)
    return images - 1 if images == n and n % bs == 1 else images


def _hand_loop_factory(run: Trainer, steps: int, compile_: bool = False):
    """A minimal PyTorch loop: the same architecture, batch and resolution, plain AdamW, no extras; it
    processes exactly the images one of our rounds processes."""
    import copy
    model = copy.deepcopy(run.model)
    for p in model.parameters():
        p.requires_grad_(True)
    model.train()
    if compile_:
        model = torch.compile(model)
    opt = torch.optim.AdamW(model.parameters(), lr=run.lr, weight_decay=run.cfg.weight_decay,
                            **({"fused": True} if run.cuda else {}))
    crit = torch.nn.CrossEntropyLoss()
    bs, images = run.batch_size, _round_images(run, steps)
    x_all = ((center_crop(run.train.x[:images], run.image_size).float() / 255 - run.mean) / run.std)
    if run.cuda:
        x_all = x_all.contiguous(memory_format=torch.channels_last)
    y_all = run.train.y

    def go() -> tuple[int, float]:
        t0 = time.perf_counter()
        for s in range(0, images, bs):
            x, y = x_all[s:min(s + bs, images)], y_all[s:min(s + bs, images)]
            with torch.autocast(run.device.type, dtype=torch.bfloat16, enabled=run.amp_dtype is not None):
                out = model(x)
            loss = crit(out.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        if run.cuda:
            torch.cuda.synchronize()
        return images, time.perf_counter() - t0
    return go


def _ours_factory(run: Trainer, steps: int):
    epoch = [10]

    def go() -> tuple[int, float]:
        epoch[0] += 1
        if run.cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        _, _, seen = run.train_epoch(epoch[0], 100, 0, 0.0, max_steps=steps)  # the images it really processed
        if run.cuda:
            torch.cuda.synchronize()
        return seen, time.perf_counter() - t0
    return go


def bench_throughput(model: str, image_size: int, batch_size: int, steps: int, rounds: int, device: str,
                     augment: str, data: str = "demo:digits") -> dict:
    cfg = FinetuneConfig(data=data, model=model, strategy="full", epochs=100, image_size=image_size,
                         batch_size=batch_size, augment=augment, device=device)
    run = Trainer(cfg, Progress(None, None))
    ours, hand = _ours_factory(run, steps), _hand_loop_factory(run, steps)
    ours_steps, hand_steps = _ours_factory(run, 2), _hand_loop_factory(run, 2)
    ours_steps(), hand_steps()  # warm-up: allocator, cudnn autotuning, lazy init
    a, b, counts = [], [], set()
    for _ in range(rounds):  # alternate, so that load from other processes hits both alike
        for side, out in ((ours, a), (hand, b)):
            images, seconds = side()
            counts.add(images)
            out.append(images / seconds)
    if len(counts) != 1:
        raise RuntimeError(f"the two loops processed different numbers of images: {sorted(counts)}")
    ratio = statistics.median(a) / statistics.median(b)
    return {"model": model, "device": run.device.type, "image_size": image_size, "batch_size": batch_size,
            "augment": augment, "amp": str(run.amp_dtype), "channels_last": run.cuda,
            "images_per_round": counts.pop(), "train_images": len(run.train),
            "ours_img_s": [round(v, 1) for v in a], "hand_img_s": [round(v, 1) for v in b],
            "ratio_median": round(ratio, 3), "threads": torch.get_num_threads()}


# ------------------------------------------------------------------------------------------------ the GPU path
GPU_BUDGET_S = 480            # the whole gpu section, end-to-end check included
GPU_GOAL_IMG_S = 5000         # ResNet-50 at 224 px, ours, on an H200
RATIO_GOAL = 0.95             # ours against the hand-written loop
GPU_MIN_TRAIN_IMAGES = 20000  # demo:digits (about 1,400 training images) repeated to at least this many
GPU_MODELS = (("resnet50", 256), ("tf_efficientnet_lite0", 256))   # (model, batch) at 224 px
# Dense (no sparsity) bf16 tensor-core peaks from NVIDIA's data sheets, in TFLOP/s; matched in this order as a
# substring of torch.cuda.get_device_name(), so the more specific names come first.
PEAK_BF16_TFLOPS = (("H200", 989.0), ("H100 NVL", 835.0), ("H100 PCIe", 756.0), ("H100", 989.0), ("A100", 312.0),
                    ("L40S", 362.0), ("L4", 121.0), ("A10", 125.0), ("RTX 4090", 165.2))
NO_CUDA = "No CUDA device here: the GPU section was not measured (run it on a machine with an NVIDIA GPU)."


def peak_bf16_tflops(device_name: str) -> Optional[float]:
    """The dense bf16 peak of a GPU by its name (None when the table does not know it)."""
    for key, tflops in PEAK_BF16_TFLOPS:
        if key.lower() in device_name.lower():
            return tflops
    return None


def train_flops_per_image(model: str, size: int) -> float:
    """FLOPs of one training step per image: 3x the forward pass counted by the profiler (forward, and a
    backward pass that costs about twice the forward: gradients for the activations and for the weights)."""
    from core.architectures.profiler import profile
    return 3.0 * profile(model, size).flops


def peak_fraction(images_per_s: float, flops_per_image: float, peak_tflops: Optional[float]) -> Optional[float]:
    """The fraction of the bf16 peak a training throughput represents."""
    if not peak_tflops:
        return None
    return images_per_s * flops_per_image / (peak_tflops * 1e12)


class UtilSampler:
    """GPU utilisation (%) sampled every 0.2 s while in the block: NVML through pynvml, else nvidia-smi."""

    def __init__(self, index: int = 0):
        self.index, self.samples, self.source = index, [], None
        self._stop = threading.Event()
        self._read = self._reader()

    def _reader(self):
        try:
            import pynvml
            pynvml.nvmlInit()
            handle = pynvml.nvmlDeviceGetHandleByIndex(self.index)
            self.source = "nvml"
            return lambda: float(pynvml.nvmlDeviceGetUtilizationRates(handle).gpu)
        except Exception:  # noqa: BLE001 - pynvml missing or NVML unusable: try the command line
            pass
        if shutil.which("nvidia-smi"):
            self.source = "nvidia-smi"
            cmd = ["nvidia-smi", f"--id={self.index}", "--query-gpu=utilization.gpu", "--format=csv,noheader,nounits"]
            return lambda: float(subprocess.run(cmd, capture_output=True, text=True, timeout=5).stdout.strip())
        return None

    def _loop(self):
        while not self._stop.wait(0.2):
            try:
                self.samples.append(self._read())
            except Exception:  # noqa: BLE001 - one failed sample is not a reason to stop measuring
                pass

    def __enter__(self):
        if self._read is not None:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._read is not None:
            self._thread.join(timeout=6)

    def summary(self) -> Optional[dict]:
        if not self.samples:
            return None
        return {"mean_pct": round(statistics.mean(self.samples), 1),
                "median_pct": round(statistics.median(self.samples), 1), "samples": len(self.samples),
                "source": self.source}


def _repeat_train(run: Trainer, min_images: int) -> None:
    """The training split repeated on the device until it has at least ``min_images`` images."""
    import numpy as np
    k = max(1, math.ceil(min_images / len(run.train)))
    t = run.train
    run.train = Split(t.x.repeat(k, 1, 1, 1), t.y.repeat(k), np.tile(t.idx, k))


class Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


def gpu_end_to_end(deadline: Deadline) -> dict:
    """One epoch of fit() on CUDA into a run folder: the device, bf16, channels_last and the export, checked."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        s = fit(FinetuneConfig(data="demo:digits", model="tf_efficientnet_lite0", strategy="full", epochs=1,
                               batch_size=128, augment="light", patience=0, device="cuda"), run_dir)
        resolved = json.loads((run_dir / "config.json").read_text())["resolved"]
        export = (run_dir / "export" / "model.safetensors").is_file()
    checks = {"device": s["device"] == "cuda", "bf16": resolved["amp"] == "bfloat16",
              "channels_last": resolved["channels_last"] is True, "image_size": s["image_size"] == 224,
              "export": export}
    return {"seconds": round(time.perf_counter() - t0, 1), "val_acc": s["best_val_acc"], "checks": checks,
            "ok": all(checks.values()), "seconds_left": round(deadline.left())}


def gpu_model(model: str, batch: int, steps: int, rounds: int, compile_: bool, deadline: Deadline) -> dict:
    """One model at 224 px on the GPU: a whole epoch of ours (images/s, utilisation, memory, peak fraction),
    then ours against the hand-written loop, alternated, for each augmentation preset."""
    torch.cuda.empty_cache()
    cfg = FinetuneConfig(data="demo:digits", model=model, strategy="full", epochs=100, image_size=224,
                         batch_size=batch, augment="light", patience=0, device="cuda")
    run = Trainer(cfg, Progress(None, None))
    _repeat_train(run, GPU_MIN_TRAIN_IMAGES)
    name = torch.cuda.get_device_name(0)
    out = {"model": model, "image_size": 224, "batch_size": batch, "train_images": len(run.train),
           "amp": str(run.amp_dtype), "channels_last": run.cuda, "compile": compile_, "gpu": name}
    hand = _hand_loop_factory(run, steps, compile_)  # its own copy of the model, made before ours is compiled
    if compile_:  # both loops compiled alike; ours trains the compiled module through the same parameters
        run.model = torch.compile(run.model)
    ours = _ours_factory(run, steps)
    for warm in (_ours_factory(run, 3), hand):  # cudnn autotuning, compiling, the allocator
        warm()
    out["warmup_seconds_left"] = round(deadline.left())
    # a whole epoch of ours over the repeated split: what a run sees, epoch overheads included
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()  # the epoch's peak: model, optimizer, activations, the resident dataset
    with UtilSampler(0) as util:
        t0 = time.perf_counter()
        _, _, seen = run.train_epoch(1000, 1000, 0, 0.0)
        torch.cuda.synchronize()
        epoch_s = time.perf_counter() - t0
    img_s = seen / epoch_s
    flops = train_flops_per_image(model, 224)
    peak = peak_bf16_tflops(name)
    out.update({"epoch_images": seen, "epoch_seconds": round(epoch_s, 2), "epoch_img_s": round(img_s, 1),
                "gpu_util": util.summary(), "peak_memory_gb": round(torch.cuda.max_memory_allocated() / 1e9, 2),
                "train_gflops_per_image": round(flops / 1e9, 3), "peak_bf16_tflops": peak,
                "peak_fraction": None if peak is None else round(peak_fraction(img_s, flops, peak), 4)})
    for aug in ("none", "light"):
        run.augment = aug
        a, b = [], []
        for _ in range(rounds):
            if deadline.left() < 30:
                out.setdefault("cut_short", f"stopped at {len(a)} rounds: the section's time budget ran out")
                break
            for side, res in ((ours, a), (hand, b)):
                images, seconds = side()
                res.append(images / seconds)
        if a and b:
            out[f"vs_hand_{aug}"] = {"ours_img_s": [round(v, 1) for v in a], "hand_img_s": [round(v, 1) for v in b],
                                     "ratio_median": round(statistics.median(a) / statistics.median(b), 3)}
    out["hand_loop"] = "compiled" if compile_ else "eager"
    del run
    torch.cuda.empty_cache()
    return out


def gpu_torchrun(deadline: Deadline) -> dict:
    """One epoch through torchrun on two GPUs (nccl), when the machine has them."""
    if torch.cuda.device_count() < 2:
        return {"skipped": "one GPU: the multi-process (nccl) path needs two"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "-m", "core", "train",
           "--data", "demo:digits", "--model", "resnet50", "--strategy", "full", "--epochs", "1", "--batch-size", "128",
           "--device", "cuda", "--json"]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CNNLAB_DATA_DIR": tmp, "CNNLAB_WORKSPACES": "single"}
        try:
            res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                                 timeout=max(30.0, deadline.left() - 10))
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": "timed out (the section's time budget)"}
    if res.returncode != 0:
        return {"ok": False, "exit_code": res.returncode, "stderr_tail": res.stderr[-800:]}
    s = json.loads(res.stdout.strip().splitlines()[-1])
    return {"ok": s["processes"] == 2 and s["device"] == "cuda", "seconds": round(time.perf_counter() - t0, 1),
            "epoch_seconds": s["epoch_seconds"], "effective_batch": s["effective_batch"], "val_acc": s["best_val_acc"]}


def bench_gpu(steps: int, rounds: int, compile_: bool, budget_s: float = GPU_BUDGET_S) -> dict:
    """The gpu section (see the module docstring); one sentence and nothing else without CUDA."""
    if not torch.cuda.is_available():
        print(NO_CUDA, file=sys.stderr)
        return {"skipped": NO_CUDA}
    deadline = Deadline(budget_s)
    t0 = time.perf_counter()
    out = {"gpu": torch.cuda.get_device_name(0), "budget_s": budget_s}
    out["end_to_end"] = gpu_end_to_end(deadline)
    print(json.dumps(out["end_to_end"]), file=sys.stderr)
    out["models"] = []
    for model, batch in GPU_MODELS:
        if deadline.left() < 60:
            out["models"].append({"model": model, "skipped": "the section's time budget ran out"})
            continue
        r = gpu_model(model, batch, steps, rounds, compile_, deadline)
        out["models"].append(r)
        print(json.dumps(r), file=sys.stderr)
    out["torchrun"] = gpu_torchrun(deadline) if deadline.left() > 60 else {"skipped": "time budget"}
    out["wall_seconds"] = round(time.perf_counter() - t0, 1)
    goals = [("CUDA path end to end", out["end_to_end"]["ok"])]
    for r in out["models"]:
        if "epoch_img_s" not in r:
            continue
        if r["model"] == "resnet50" and "H200" in out["gpu"]:
            goals.append((f"ResNet-50 at 224: {r['epoch_img_s']:.0f} img/s >= {GPU_GOAL_IMG_S}",
                          r["epoch_img_s"] >= GPU_GOAL_IMG_S))
        for aug in ("none", "light"):
            v = r.get(f"vs_hand_{aug}")
            if v:
                goals.append((f"{r['model']} ({aug}) vs hand loop: {v['ratio_median']:.3f}x >= {RATIO_GOAL}",
                              v["ratio_median"] >= RATIO_GOAL))
    goals.append((f"wall time {out['wall_seconds']:.0f} s <= {budget_s:.0f}", out["wall_seconds"] <= budget_s))
    out["goals"] = [{"goal": g, "ok": ok} for g, ok in goals]
    for g, ok in goals:
        print(("PASS " if ok else "FAIL ") + g, file=sys.stderr)
    return out


def bench_digits(image_size: int, epochs: int) -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for strategy in STRATEGIES:
            t0 = time.perf_counter()
            s = fit(FinetuneConfig(data="demo:digits", strategy=strategy, epochs=epochs, image_size=image_size,
                                   patience=0, device="cpu", augment="light"), Path(tmp) / strategy)
            out.append({"strategy": strategy, "best_val_acc": s["best_val_acc"], "best_epoch": s["best_epoch"],
                        "trainable_params": s["trainable_params"], "seconds": round(time.perf_counter() - t0, 1),
                        "weights": s["weights_source"]})
            print(json.dumps(out[-1]), file=sys.stderr)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["probe", "cpu", "gpu", "digits"], default=None)
    ap.add_argument("--digits", action="store_true", help="include the digits strategy report (minutes on a CPU)")
    ap.add_argument("--steps", type=int, default=4, help="CPU throughput: steps per timed round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cpu-size", type=int, default=128)
    ap.add_argument("--digits-size", type=int, default=64)
    ap.add_argument("--digits-epochs", type=int, default=3)
    ap.add_argument("--gpu-steps", type=int, default=30, help="GPU: steps per timed round against the hand loop")
    ap.add_argument("--gpu-rounds", type=int, default=3)
    ap.add_argument("--compile", action="store_true", help="GPU: torch.compile both loops (minutes of compiling)")
    args = ap.parse_args()
    want = {args.only} if args.only else {"probe", "cpu", "gpu"} | ({"digits"} if args.digits else set())
    report = {"load_before": _load(), "torch": torch.__version__, "cuda": torch.cuda.is_available()}
    if "probe" in want:
        report["probe"] = bench_probe(128, 4)
        print(json.dumps(report["probe"]), file=sys.stderr)
    if "cpu" in want:
        report["cpu"] = [bench_throughput("tf_efficientnet_lite0", args.cpu_size, 32, args.steps, args.rounds, "cpu", aug)
                         for aug in ("none", "light")]
        for r in report["cpu"]:
            r["goal"], r["ok"] = ">= 0.95", r["ratio_median"] >= 0.95
            print(json.dumps(r), file=sys.stderr)
    if "gpu" in want:
        report["gpu"] = bench_gpu(args.gpu_steps, args.gpu_rounds, args.compile)
    if "digits" in want:
        report["digits"] = bench_digits(args.digits_size, args.digits_epochs)
    report["load_after"] = _load()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

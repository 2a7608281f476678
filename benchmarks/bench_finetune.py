"""Fine-tuning speed and the course's strategies, measured (not a test: figures for the report).

    python benchmarks/bench_finetune.py                 # probe epochs, CPU throughput vs a hand loop, GPU if any
    python benchmarks/bench_finetune.py --digits        # also: what each strategy reaches on demo:digits
    python benchmarks/bench_finetune.py --only gpu      # one section: probe | cpu | gpu | digits

Sections
  probe   Linear probe (packaged Lite0, demo:digits): every epoch after the first must cost <= 5 % of the
          first (the backbone runs once; later epochs train the head on cached features).
  cpu     Full fine-tuning throughput of core.finetune's own step (same model, batch and resolution) against
          a minimal hand-written PyTorch loop on pre-normalised tensors, measured alternately in the same run.
          Goal: >= 0.95x.
  gpu     Only with CUDA: ResNet-50 at 224 px, bf16 autocast, channels_last, dataset cached on the device,
          augmentation on the GPU. Goal: >= 5,000 images/s on an H200. Also the hand loop for reference.
  digits  The four strategies on demo:digits with the same budget (the frozen probe is expected to suffer
          from the domain shift between ImageNet photos and 8x8 digits).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CNNLAB_OFFLINE", "1")

import torch  # noqa: E402

from core.finetune import STRATEGIES, FinetuneConfig, fit  # noqa: E402
from core.finetune.augment import center_crop  # noqa: E402
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


def _hand_loop_factory(run: Trainer, steps: int):
    """A minimal PyTorch loop: the same architecture, batch and resolution, plain AdamW, no extras; it
    processes exactly the images one of our rounds processes."""
    import copy
    model = copy.deepcopy(run.model)
    for p in model.parameters():
        p.requires_grad_(True)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=run.lr, weight_decay=run.cfg.weight_decay,
                            **({"fused": True} if run.cuda else {}))
    crit = torch.nn.CrossEntropyLoss()
    bs, images = run.batch_size, _round_images(run, steps)
    x_all = ((center_crop(run.train.x, run.image_size).float() / 255 - run.mean) / run.std)
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
        if torch.cuda.is_available():
            report["gpu"] = [bench_throughput("resnet50", 224, 256, 30, 3, "cuda", aug) for aug in ("none", "light")]
            for r in report["gpu"]:
                r["goal"], r["ok"] = ">= 5000 img/s (H200)", statistics.median(r["ours_img_s"]) >= 5000
                r["gpu"] = torch.cuda.get_device_name(0)
        else:
            report["gpu"] = "not measured: no CUDA device here"
    if "digits" in want:
        report["digits"] = bench_digits(args.digits_size, args.digits_epochs)
    report["load_after"] = _load()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

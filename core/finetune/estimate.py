"""How long an epoch will take: a few real steps of the run's setup, timed on the current device."""
from __future__ import annotations

import math
import time

import torch

from core.finetune.augment import Split
from core.finetune.config import FinetuneConfig
from core.finetune.head import head_inputs
from core.finetune.loop import Progress, Trainer


def estimate_epoch_seconds(cfg: FinetuneConfig, batches: int = 3) -> dict:
    """Time a few real training steps of ``cfg`` on the current device and scale to one epoch.

    For the linear probe the first epoch is feature extraction (forward passes over train + val); later
    epochs only train the head on cached features.
    """
    run = Trainer(cfg, Progress(None, None))
    batches = max(1, int(batches))
    bs = run.batch_size
    n_train, n_val = len(run.train), len(run.val)
    steps = max(1, math.ceil(n_train / bs))

    def sync():
        if run.cuda:
            torch.cuda.synchronize()

    with torch.no_grad():  # evaluation / feature batches: forward only, batch 2x
        run.model.eval()
        sub = Split(run.val.x[:bs * 2], run.val.y[:bs * 2], run.val.idx[:bs * 2])
        run.evaluate(sub)  # warm-up
        sync()
        t0 = time.perf_counter()
        for _ in range(batches):
            run.evaluate(sub)
        sync()
        fwd_per_image = (time.perf_counter() - t0) / (batches * len(sub))
    if run.probe:
        feats_s = fwd_per_image * (n_train + n_val)
        first, later, step_s = feats_s, 0.0, None
        # head epochs on random features of the right size cost almost nothing; measure one anyway
        with torch.no_grad():
            f = head_inputs(run.model, run.head, run.eval_view(run.val.x[:2]))
        run.train.feats = torch.randn((n_train, *f.shape[1:]), device=run.device)
        run.val.feats = torch.randn((n_val, *f.shape[1:]), device=run.device)
        sync()
        t0 = time.perf_counter()
        run.train_epoch(1, 1, 0, 0.0)
        run.evaluate(run.val)
        sync()
        later = time.perf_counter() - t0
        first += later
    else:
        run.train_epoch(1, 1, 0, 0.0, max_steps=1)  # warm-up (allocations, cudnn autotune)
        sync()
        t0 = time.perf_counter()
        run.train_epoch(2, 2, 0, 0.0, max_steps=batches)
        sync()
        step_s = (time.perf_counter() - t0) / batches
        first = later = step_s * steps + fwd_per_image * n_val
    return {"device": run.device.type, "image_size": run.image_size, "batch_size": bs, "steps_per_epoch": steps,
            "train_images": n_train, "val_images": n_val, "seconds_per_step": step_s,
            "first_epoch_seconds": round(first, 2), "later_epoch_seconds": round(later, 2),
            "epoch_seconds": round(first, 2), "total_seconds": round(first + later * (cfg.epochs - 1), 2),
            "images_per_second": round(bs / step_s, 1) if step_s else round(1 / fwd_per_image, 1),
            "lr": run.lr, "weights_source": str(run.weights)}

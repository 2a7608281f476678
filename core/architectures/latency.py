"""Latency: measured forward time of a catalog model on the current device (random weights)."""
from __future__ import annotations

import statistics
import time
from typing import Optional

import torch

from core import zoo
from core.architectures.meta import runs_at, size_error, skeleton


def measure_latency(name: str, input_size: Optional[int] = None, batch_sizes=(1, 32), repeats: int = 5,
                    budget_s: float = 20.0, device: Optional[str] = None) -> dict:
    """Measured forward time on the current device (random weights; speed does not depend on them).

    One warm-up run, then up to ``repeats`` timed runs per batch size (fewer if ``budget_s`` runs out,
    never fewer than one); the median is reported. Each call measures afresh: a caller that shows
    the numbers again caches them (the architectures page keeps the last ones in ``st.cache_data``).
    """
    from core.device import best_device
    entry = zoo.get_entry(name)
    size = int(input_size or entry.input_size)
    dev = torch.device(device) if device else best_device()
    if not runs_at(skeleton(entry), size):
        raise size_error(entry, size)
    model = skeleton(entry, device="cpu").to(dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    result = {"model": entry.name, "input_size": size, "device": str(dev), "threads": torch.get_num_threads(),
              "batches": {}}
    per_batch_budget = budget_s / max(1, len(batch_sizes))
    with torch.inference_mode():
        for bs in batch_sizes:
            x = torch.randn(int(bs), 3, size, size, device=dev)
            model(x)
            sync()
            times, start = [], time.perf_counter()
            while len(times) < repeats and (not times or time.perf_counter() - start < per_batch_budget):
                t0 = time.perf_counter()
                model(x)
                sync()
                times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            result["batches"][str(bs)] = {"median_ms": round(med * 1000, 2), "per_image_ms": round(med * 1000 / bs, 3),
                                          "images_per_s": round(bs / med, 1), "repeats": len(times)}
    del model
    return result

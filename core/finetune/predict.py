"""Classify images with a finished run's export, through the run's own preprocessing."""
from __future__ import annotations

from pathlib import Path

import torch

from core.finetune.export import load_export


def predict(run_dir: Path, images: list, top: int = 5) -> list[list[dict]]:
    """Top-k over the run's classes for PIL images: ``[[{"index", "label", "prob"}, ...], ...]``."""
    _, cfg, _ = load_export(run_dir)
    if not images:
        return []
    probs = predict_logits(run_dir, images).softmax(-1)
    names = cfg["class_names"]
    k = max(1, min(int(top), len(names)))
    out = []
    for row in probs:
        p, idx = row.topk(k)
        out.append([{"index": int(i), "label": names[int(i)], "prob": round(float(q), 6)} for q, i in zip(p, idx)])
    return out


def predict_logits(run_dir: Path, images: list) -> torch.Tensor:
    """Raw logits of the exported model for PIL images (float32, ``[n, classes]``)."""
    model, _, pre = load_export(run_dir)
    tf = pre.transform()
    with torch.inference_mode():
        return model(torch.stack([tf(im) for im in images])).float()

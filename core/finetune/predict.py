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
    """Raw logits of the exported model for PIL images (float32, ``[n, classes]``).

    Each image goes the way training images went: first to the dataset's square side (when the export
    records it), then through the model's own resize, crop and normalisation.
    """
    model, cfg, pre = load_export(run_dir)
    side = cfg["preprocess"].get("dataset_side")
    tf = pre.transform()
    with torch.inference_mode():
        return model(torch.stack([tf(as_trained(im, side)) for im in images])).float()


def as_trained(image, side: int | None):
    from PIL import Image
    from core.images import fit_square
    return image if not side else Image.fromarray(fit_square(image.convert("RGB"), int(side)))

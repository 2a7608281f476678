"""What an ImageNet-shaped model says about images: the 1000 class names and top-k."""
from __future__ import annotations

import functools

import torch

from core.errors import UserError
from core.zoo.build import BuiltModel
from core.zoo.classifier import num_outputs


@functools.lru_cache(maxsize=1)
def imagenet_labels() -> list[str]:
    """The 1000 ImageNet-1k class descriptions, from the copy timm ships (no download)."""
    from timm.data import ImageNetInfo
    info = ImageNetInfo()
    return [info.index_to_description(i) for i in range(1000)]


def classify(built: BuiltModel, images: list, top: int = 5) -> list[list[dict]]:
    """ImageNet top-k for PIL images with the model's own preprocessing."""
    if num_outputs(built.model) != 1000:
        raise UserError.of("zoo.no_imagenet_head")
    tf = built.preprocess.transform()
    batch = torch.stack([tf(im) for im in images])
    with torch.inference_mode():
        probs = built.model.eval()(batch).softmax(-1)
    labels = imagenet_labels()
    top = max(1, min(int(top), 1000))
    out = []
    for row in probs:
        p, idx = row.topk(top)
        out.append([{"index": int(i), "label": labels[int(i)], "prob": round(float(q), 6)} for q, i in zip(p, idx)])
    return out

"""What the publishers say about a catalog model: ImageNet top-1 of its default weights, parameters and GMACs."""
from __future__ import annotations

from typing import Optional

from core import zoo

# timm's pretrained configs carry no accuracy; these are timm's own published evaluations of the same weights.
_TIMM_RESULTS_SOURCE = ("timm results/results-imagenet.csv (huggingface/pytorch-image-models, "
                        "commit 0173a139), {tag}")
_TIMM_TOP1 = {"tf_efficientnet_lite0": (74.830, "tf_efficientnet_lite0.in1k"),
              "tf_efficientnet_lite1": (76.644, "tf_efficientnet_lite1.in1k"),
              "tf_efficientnet_lite2": (77.464, "tf_efficientnet_lite2.in1k")}


def top1_for(entry: zoo.ModelEntry) -> tuple[Optional[float], str]:
    """ImageNet-1k top-1 (%) of the model's default pretrained weights, and where the number comes from."""
    if entry.library == "torchvision":
        w = zoo.torchvision_weights(entry.name)
        if w is not None:
            acc = w.meta.get("_metrics", {}).get("ImageNet-1K", {}).get("acc@1")
            if acc is not None:
                return float(acc), f"torchvision weights metadata ({w})"
        return None, "torchvision publishes no ImageNet-1K accuracy for these weights"
    cfg = zoo.timm_pretrained_cfg(entry.name)
    for key in ("top1", "acc1", "top1_acc"):
        if cfg.get(key) is not None:
            return float(cfg[key]), f"timm pretrained config ({entry.name})"
    if entry.name in _TIMM_TOP1:
        acc, tag = _TIMM_TOP1[entry.name]
        return acc, _TIMM_RESULTS_SOURCE.format(tag=tag)
    return None, "timm's pretrained config carries no accuracy for this model"


def published_for(entry: zoo.ModelEntry) -> Optional[dict]:
    """torchvision's published parameter count and GMACs (``_ops``) for the default weights."""
    if entry.library != "torchvision":
        return None
    w = zoo.torchvision_weights(entry.name)
    if w is None:
        return None
    size = w.transforms().crop_size[0] if hasattr(w.transforms(), "crop_size") else entry.input_size
    return {"params": w.meta.get("num_params"), "gmacs": w.meta.get("_ops"), "input_size": int(size),
            "source": f"torchvision weights metadata ({w})"}

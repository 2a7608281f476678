"""What the publishers say about a catalog model: ImageNet top-1 of its default weights, which training recipe
those weights come from, parameters and GMACs."""
from __future__ import annotations

from typing import Optional

from core import zoo
from core.notices import Notice

# timm's pretrained configs carry no accuracy; these are timm's own published evaluations of the same weights.
_TIMM_RESULTS = "results/results-imagenet.csv (huggingface/pytorch-image-models, commit 0173a139)"
_TIMM_TOP1 = {"tf_efficientnet_lite0": (74.830, "tf_efficientnet_lite0.in1k"),
              "tf_efficientnet_lite1": (76.644, "tf_efficientnet_lite1.in1k"),
              "tf_efficientnet_lite2": (77.464, "tf_efficientnet_lite2.in1k")}


def _acc(weights) -> Optional[float]:
    acc = weights.meta.get("_metrics", {}).get("ImageNet-1K", {}).get("acc@1")
    return None if acc is None or acc != acc else float(acc)  # acc != acc: NaN (VGG-16's feature-only weights)


def top1_notice(entry: zoo.ModelEntry) -> tuple[Optional[float], Notice]:
    """ImageNet-1k top-1 (%) of the model's default pretrained weights, and where the number comes from (a
    notice, so the page can say it in its language)."""
    if entry.library not in ("torchvision", "timm"):
        return None, Notice.of("architectures.top1_src.not_catalog")
    if entry.library == "torchvision":
        w = zoo.torchvision_weights(entry.name)
        if w is not None and _acc(w) is not None:
            return _acc(w), Notice.of("architectures.top1_src.torchvision", weights=str(w))
        return None, Notice.of("architectures.top1_src.torchvision_none")
    cfg = zoo.timm_pretrained_cfg(entry.name)
    for key in ("top1", "acc1", "top1_acc"):
        if cfg.get(key) is not None:
            return float(cfg[key]), Notice.of("architectures.top1_src.timm_cfg", model=entry.name)
    if entry.name in _TIMM_TOP1:
        acc, tag = _TIMM_TOP1[entry.name]
        return acc, Notice.of("architectures.top1_src.timm_results", table=_TIMM_RESULTS, tag=tag)
    return None, Notice.of("architectures.top1_src.timm_none")


def top1_for(entry: zoo.ModelEntry) -> tuple[Optional[float], str]:
    """ImageNet-1k top-1 (%) of the model's default pretrained weights, and where it comes from (English)."""
    acc, source = top1_notice(entry)
    return acc, str(source)


def weights_versions(entry: zoo.ModelEntry) -> Optional[dict]:
    """For torchvision weights of a later training recipe (``IMAGENET1K_V2``): their top-1 beside the original
    recipe's ``IMAGENET1K_V1``, each with its recipe link; None for models whose default weights are the first.

    torchvision's V2 weights come from its 2021 training recipe (longer training, stronger augmentation and
    regularisation), not the paper's: ResNet-50 scores 80.858 % with them and 76.13 % with the original V1.
    A year (the paper's) next to a V2 accuracy compares a 2015 architecture trained the 2021 way.
    """
    if entry.library != "torchvision":
        return None
    w = zoo.torchvision_weights(entry.name)
    if w is None or not w.name.endswith("_V2"):
        return None
    v1 = getattr(type(w), "IMAGENET1K_V1", None)
    if v1 is None:
        return None
    return {"default": str(w), "default_top1": _acc(w), "recipe": w.meta.get("recipe"),
            "v1": str(v1), "v1_top1": _acc(v1), "v1_recipe": v1.meta.get("recipe")}


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

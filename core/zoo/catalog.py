"""The model catalog: one row per model (name, family, year, paper, library), looked up by name.

Names are the registry keys shared by selectboxes, the CLI, tests and saved runs; any other timm model name
gets an ad-hoc entry.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import asdict, dataclass

from core.errors import UserError

DEFAULT_MODEL = "tf_efficientnet_lite0"


@dataclass(frozen=True)
class ModelEntry:
    """One catalog row. ``name`` is the registry key and also the builder's own name in ``library``."""

    name: str
    label: str
    family: str
    year: int
    paper: str
    library: str            # "torchvision" or "timm"
    input_size: int = 224   # default (pretrained) input resolution
    min_size: int = 32      # smallest input that runs
    note: str = ""          # a key in core/i18n/zoo.py (the sentence in each language), or ""

    def to_dict(self) -> dict:
        """The row as plain values; ``note`` in English, ``note_key`` for a page to say it in its language."""
        from core.i18n import t
        return {**asdict(self), "note": t(self.note) if self.note else "", "note_key": self.note}


_ARXIV = "https://arxiv.org/abs/"
CATALOG: dict[str, ModelEntry] = {e.name: e for e in [
    ModelEntry("alexnet", "AlexNet", "AlexNet", 2012,
               "https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks",
               "torchvision", 224, 63),
    ModelEntry("vgg11", "VGG-11", "VGG", 2014, _ARXIV + "1409.1556", "torchvision", 224, 32),
    ModelEntry("vgg16", "VGG-16", "VGG", 2014, _ARXIV + "1409.1556", "torchvision", 224, 32),
    ModelEntry("vgg19", "VGG-19", "VGG", 2014, _ARXIV + "1409.1556", "torchvision", 224, 32),
    ModelEntry("resnet18", "ResNet-18", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet34", "ResNet-34", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet50", "ResNet-50", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet101", "ResNet-101", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet152", "ResNet-152", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("googlenet", "GoogLeNet (Inception-v1)", "Inception", 2014, _ARXIV + "1409.4842",
               "torchvision", 224, 15, "zoo.note.googlenet"),
    ModelEntry("inception_v3", "Inception-v3", "Inception", 2015, _ARXIV + "1512.00567", "torchvision", 299, 75,
               "zoo.note.inception_v3"),
    ModelEntry("densenet121", "DenseNet-121", "DenseNet", 2016, _ARXIV + "1608.06993", "torchvision", 224, 29),
    ModelEntry("squeezenet1_1", "SqueezeNet 1.1", "SqueezeNet", 2016, _ARXIV + "1602.07360", "torchvision", 224, 17),
    ModelEntry("mobilenet_v2", "MobileNetV2", "MobileNet", 2018, _ARXIV + "1801.04381", "torchvision", 224, 1),
    ModelEntry("mobilenet_v3_small", "MobileNetV3-Small", "MobileNet", 2019, _ARXIV + "1905.02244",
               "torchvision", 224, 1),
    ModelEntry("mobilenet_v3_large", "MobileNetV3-Large", "MobileNet", 2019, _ARXIV + "1905.02244",
               "torchvision", 224, 1),
    ModelEntry("shufflenet_v2_x1_0", "ShuffleNetV2 1.0×", "ShuffleNet", 2018, _ARXIV + "1807.11164",
               "torchvision", 224, 1),
    ModelEntry("efficientnet_b0", "EfficientNet-B0", "EfficientNet", 2019, _ARXIV + "1905.11946",
               "torchvision", 224, 1),
    ModelEntry("tf_efficientnet_lite0", "EfficientNet-Lite0", "EfficientNet", 2020, _ARXIV + "1905.11946",
               "timm", 224, 1, "zoo.note.tf_efficientnet_lite0"),
    ModelEntry("tf_efficientnet_lite1", "EfficientNet-Lite1", "EfficientNet", 2020, _ARXIV + "1905.11946",
               "timm", 240, 1, "zoo.note.tf_efficientnet_lite1"),
    ModelEntry("tf_efficientnet_lite2", "EfficientNet-Lite2", "EfficientNet", 2020, _ARXIV + "1905.11946",
               "timm", 260, 1, "zoo.note.tf_efficientnet_lite2"),
    ModelEntry("regnet_y_400mf", "RegNetY-400MF", "RegNet", 2020, _ARXIV + "2003.13678", "torchvision", 224, 1),
    ModelEntry("convnext_tiny", "ConvNeXt-Tiny", "ConvNeXt", 2022, _ARXIV + "2201.03545", "torchvision", 224, 32),
    ModelEntry("vit_b_16", "ViT-B/16", "Vision Transformer", 2020, _ARXIV + "2010.11929",
               "torchvision", 224, 224, "zoo.note.vit_b_16"),
]}


def list_entries() -> list[ModelEntry]:
    return list(CATALOG.values())


@functools.lru_cache(maxsize=1)
def _timm_names() -> frozenset:
    import timm
    return frozenset(timm.list_models())


def get_entry(name: str) -> ModelEntry:
    """The catalog entry for ``name``; any other timm model name gets an ad-hoc entry.

    Raises:
        UserError: for an unknown name, naming the closest catalog names.
    """
    key = (name or "").strip()
    if key in CATALOG:
        return CATALOG[key]
    lowered = {k.lower(): k for k in CATALOG}
    if key.lower() in lowered:
        return CATALOG[lowered[key.lower()]]
    if key in _timm_names():
        cfg = timm_pretrained_cfg(key)
        size = int(cfg.get("input_size", (3, 224, 224))[-1])
        return ModelEntry(key, key, "timm", 0, cfg.get("paper_ids", "") or "", "timm", size, 1)
    close = difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.5)
    hint = ", ".join(lowered[c] for c in close) if close else ", ".join(list(CATALOG)[:5]) + ", ..."
    raise UserError.of("zoo.unknown_model", name=str(name), hint=hint)


def timm_pretrained_cfg(name: str) -> dict:
    """timm's pretrained config for ``name`` as a dict (input size, crop, mean/std, hub id); empty if none."""
    import timm
    cfg = timm.models.get_pretrained_cfg(name)
    return cfg.to_dict() if cfg is not None else {}


"""The classifier head of any catalog model: where it is, how wide it is, and how to replace it."""
from __future__ import annotations

from torch import nn

from core.errors import UserError

_CLASSIFIER_ATTRS = ("fc", "classifier", "heads", "head")


def classifier_path(model: nn.Module) -> str:
    """Dotted name of the module that holds the final classification layer."""
    cfg = getattr(model, "pretrained_cfg", None) or {}
    if cfg.get("classifier"):
        return cfg["classifier"]
    last = None
    for attr in _CLASSIFIER_ATTRS:
        if isinstance(getattr(model, attr, None), nn.Module):
            last = attr
    if last is None:
        raise UserError.of("zoo.no_classifier", model=type(model).__name__)
    sub = getattr(model, last)
    # the final Linear (or SqueezeNet's final 1x1 Conv) inside a Sequential head
    leaf = None
    for n, m in sub.named_modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            leaf = n
    return f"{last}.{leaf}" if leaf else last


def classifier_in_features(model: nn.Module) -> int:
    """Width of the features the final layer reads (what a new head must take)."""
    layer = model.get_submodule(classifier_path(model))
    return layer.in_features if isinstance(layer, nn.Linear) else layer.in_channels


def set_classifier(model: nn.Module, module_or_classes) -> None:
    """Replace the final layer with ``module`` or with a fresh Linear to ``num_classes`` outputs."""
    path = classifier_path(model)
    old = model.get_submodule(path)
    if isinstance(module_or_classes, int):
        n = module_or_classes
        new = nn.Conv2d(old.in_channels, n, 1) if isinstance(old, nn.Conv2d) else nn.Linear(old.in_features, n)
        if isinstance(old, nn.Conv2d):
            nn.init.normal_(new.weight, 0, 0.01)
            nn.init.zeros_(new.bias)
    else:
        new = module_or_classes
    parent_name, _, child = path.rpartition(".")
    parent = model.get_submodule(parent_name) if parent_name else model
    setattr(parent, child, new)
    if hasattr(model, "num_classes") and isinstance(module_or_classes, int):
        model.num_classes = module_or_classes


def num_outputs(model: nn.Module) -> int:
    """Number of classes the model predicts."""
    layer = model.get_submodule(classifier_path(model))
    if isinstance(layer, nn.Linear):
        return layer.out_features
    if isinstance(layer, nn.Conv2d):
        return layer.out_channels
    return int(getattr(model, "num_classes", 0))

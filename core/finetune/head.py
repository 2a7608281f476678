"""The new classifier head: build it, put it in the model, and know which parameters are new.

Heads keep plain ``weight``/``bias`` keys (dropout lives in the layer's forward), so an exported model with
the default single-layer head loads into ``timm.create_model(name, num_classes=n)`` or
``torchvision.models.get_model(name, num_classes=n)`` unchanged.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class DropoutLinear(nn.Linear):
    """A Linear layer with dropout on its input."""

    def __init__(self, in_features: int, out_features: int, p: float = 0.0):
        super().__init__(in_features, out_features)
        self.p = float(p)

    def forward(self, x):
        return super().forward(F.dropout(x, self.p, self.training) if self.p else x)

    def extra_repr(self) -> str:
        return super().extra_repr() + f", dropout={self.p}"


class DropoutConv1x1(nn.Conv2d):
    """SqueezeNet's classifier is a 1x1 convolution; the same idea as :class:`DropoutLinear`."""

    def __init__(self, in_channels: int, out_channels: int, p: float = 0.0):
        super().__init__(in_channels, out_channels, 1)
        self.p = float(p)

    def forward(self, x):
        return super().forward(F.dropout(x, self.p, self.training) if self.p else x)


def make_head(in_features: int, num_classes: int, hidden: int = 0, dropout: float = 0.0,
              conv: bool = False) -> nn.Module:
    """A new classifier: one (dropout +) Linear layer, or Linear-ReLU-Dropout-Linear when ``hidden`` > 0.

    ``in_features`` is the backbone's feature size (``core.zoo.classifier_in_features``), so the hidden
    layer always fits the backbone (512 for ResNet-18, 1280 for Lite0, 4096 into VGG's last layer ...).
    """
    if hidden <= 0:
        return DropoutConv1x1(in_features, num_classes, dropout) if conv else DropoutLinear(in_features, num_classes, dropout)
    if conv:
        return nn.Sequential(nn.Conv2d(in_features, hidden, 1), nn.ReLU(), nn.Dropout(dropout),
                             nn.Conv2d(hidden, num_classes, 1))
    return nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, num_classes))


def head_spec(model: nn.Module, num_classes: int, hidden: int, dropout: float) -> dict:
    """A plain description of the head a run puts in ``model`` (saved in config.json and the export)."""
    from core.zoo import classifier_in_features, classifier_path
    path = classifier_path(model)
    layer = model.get_submodule(path)
    return {"path": path, "in_features": int(classifier_in_features(model)), "num_classes": int(num_classes),
            "hidden": int(hidden), "dropout": float(dropout), "conv": isinstance(layer, nn.Conv2d),
            "kind": "mlp" if hidden > 0 else "linear"}


def install_head(model: nn.Module, spec: dict) -> nn.Module:
    """Put the head described by ``spec`` (see :func:`head_spec`) at ``spec['path']``; returns it."""
    from core.zoo import set_classifier
    head = make_head(spec["in_features"], spec["num_classes"], spec["hidden"], spec["dropout"], spec["conv"])
    set_classifier(model, head)
    if hasattr(model, "num_classes"):
        model.num_classes = spec["num_classes"]
    return head


def start_model(name: str, num_classes: int, pretrained: bool, seed: int, spec: dict | None = None,
                hidden: int = 0, dropout: float = 0.0, allow_download: bool | None = None):
    """The model a run starts from: ``torch.manual_seed(seed)``, the catalog model, then the new head
    (``spec``, or one made from ``hidden`` and ``dropout``). The one place this sequence is written: the
    trainer starts every run with it, and ``core.inside`` rebuilds a run's random initialisation with it.

    Returns:
        ``(built, spec, head)``: the ``core.zoo.BuiltModel`` (its model now carries the head), the head's
        spec and the head module.
    """
    from core.zoo import build_model
    torch.manual_seed(seed)
    built = build_model(name, num_classes=num_classes, pretrained=pretrained, allow_download=allow_download)
    spec = spec or head_spec(built.model, num_classes, hidden, dropout)
    return built, spec, install_head(built.model, spec)


def head_parameter_names(spec: dict, model: nn.Module) -> set[str]:
    """Names of the parameters that the new head brought (the only ones not pretrained)."""
    prefix = spec["path"] + "."
    return {n for n, _ in model.named_parameters() if n.startswith(prefix)}


def head_tail(spec: dict, out: torch.Tensor) -> torch.Tensor:
    """What follows the classifier inside the model: nothing for Linear heads; ReLU + global pool for
    SqueezeNet's 1x1-convolution classifier."""
    if spec["conv"]:
        return torch.flatten(F.adaptive_avg_pool2d(F.relu(out), 1), 1)
    return out


class _Captured(Exception):
    pass


def head_inputs(model: nn.Module, head: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The exact tensor the classifier receives for ``x`` (the forward stops there)."""
    store = {}

    def hook(_module, args):
        store["f"] = args[0]
        raise _Captured

    handle = head.register_forward_pre_hook(hook)
    try:
        model(x)
    except _Captured:
        pass
    finally:
        handle.remove()
    return store["f"]


def backbone_digest(model: nn.Module, spec: dict) -> str:
    """sha256 over every tensor of the model except the new head's (names, shapes, dtypes and bytes): what
    the run started from, so that a later comparison can check it has the same reference."""
    import hashlib
    prefix = spec["path"] + "."
    h = hashlib.sha256()
    for name, t in sorted(model.state_dict().items()):
        if name.startswith(prefix):
            continue
        t = t.detach().to("cpu").contiguous()
        h.update(f"{name}:{tuple(t.shape)}:{t.dtype}".encode())
        h.update(t.view(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()

"""The one model factory: ``build_model`` makes every model and says where its weights came from."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import NamedTuple, Optional

import torch
from torch import nn

from core.zoo.catalog import ModelEntry, get_entry
from core.zoo.classifier import num_outputs, set_classifier
from core.zoo.preprocess import Preprocess, default_preprocess, preprocess_for
from core.zoo.weights import WeightsInfo, load_checked, load_weights_file, resolve_state_dict

_log = logging.getLogger("core.zoo")


class BuiltModel(NamedTuple):
    model: nn.Module
    weights: WeightsInfo
    preprocess: Preprocess
    entry: ModelEntry


def _construct(entry: ModelEntry, for_pretrained: bool, device: str | torch.device = "cpu") -> nn.Module:
    """An ImageNet-shaped (1000-class) model with random weights."""
    if entry.library == "torchvision":
        from torchvision.models import get_model
        kwargs = {}
        if entry.name in ("googlenet", "inception_v3"):
            # The pretrained checkpoints carry the aux heads and expect torchvision's input re-scaling.
            kwargs = dict(aux_logits=True, init_weights=not for_pretrained, transform_input=for_pretrained)
        with torch.device(device):
            return get_model(entry.name, weights=None, **kwargs)
    import timm
    with torch.device(device):
        return timm.create_model(entry.name, pretrained=False)


def construct(entry: ModelEntry, for_pretrained: bool = False, device: str | torch.device = "cpu") -> nn.Module:
    """The catalog's architecture with random weights and 1000 outputs, auxiliary heads dropped, on ``device``
    (``"meta"`` allocates nothing). ``for_pretrained`` keeps the input re-scaling the pretrained
    GoogLeNet/Inception checkpoints expect. Weights come only from ``build_model``."""
    model = _construct(entry, for_pretrained, device)
    _drop_aux_heads(model)
    return model


def _drop_aux_heads(model: nn.Module) -> None:
    """Training and profiling use the main head only; torchvision itself drops them after loading."""
    if hasattr(model, "AuxLogits"):
        model.aux_logits = False
        model.AuxLogits = None
    if hasattr(model, "aux1"):
        model.aux_logits = False
        model.aux1 = model.aux2 = None


def build_model(name: str, num_classes: Optional[int] = None, pretrained: bool = True,
                weights_file: str | Path | None = None, allow_download: Optional[bool] = None) -> BuiltModel:
    """Make a catalog (or any timm) model, with weights from the best available source.

    Args:
        name: catalog key such as ``resnet50`` or ``tf_efficientnet_lite0``, or any timm model name.
        num_classes: outputs of a new classifier head; ``None`` keeps ImageNet's 1000 classes.
        pretrained: look for pretrained weights; ``False`` always gives random initialisation.
        weights_file: a user-supplied state dict for the ImageNet-shaped model, tried first; a classifier of
            another width is dropped. (A fine-tuned export opens with ``core.finetune.load_export``.)
        allow_download: fetch weights over the network when no local copy exists; default: unless offline.

    Returns:
        ``BuiltModel(model, weights, preprocess, entry)``; the model is on the CPU, in eval mode.
    """
    from core.settings import offline
    entry = get_entry(name)
    if allow_download is None:
        allow_download = not offline()
    model = _construct(entry, for_pretrained=pretrained or weights_file is not None)
    weights = WeightsInfo("random", "pretrained=False", False)
    if weights_file is not None:
        sd = load_weights_file(Path(weights_file))
        reset = load_checked(model, sd, f"The weights file {Path(weights_file).name}")
        weights = WeightsInfo("file", Path(weights_file).name, True, head_reset=reset)
    elif pretrained:
        sd, weights = resolve_state_dict(entry, model, allow_download)
        if sd is not None:
            load_checked(model, sd, f"The {weights.kind} weights for {entry.name}")
    _drop_aux_heads(model)
    if num_classes is not None and num_classes != num_outputs(model):
        set_classifier(model, num_classes)
        if weights.pretrained:
            weights = WeightsInfo(weights.kind, weights.detail, True, head_reset=True)
    _log.info("built %s: %s", entry.name, weights)
    preprocess = preprocess_for(entry) if weights.pretrained else default_preprocess(entry)
    return BuiltModel(model.eval(), weights, preprocess, entry)

"""Optimizer parameter groups: a pure function of (model, stages, rates), built by timm.

timm's ``param_groups_layer_decay`` gives each layer group a rate ``layer_decay ** (last - group)``, but only
groups models that have a ``group_matcher``: torchvision models have none, and timm would silently put every
parameter in one group (one rate for all). So timm is shown the model through a small view whose matcher
maps each parameter to its stage (``core.zoo.model_stages``: stem ... head, the stages the architecture page
shows). The model itself is not changed.
"""
from __future__ import annotations

from typing import Callable, Collection

import torch
from torch import nn


class _StagedView:
    """What timm's grouping reads of a model: its parameters, and a group matcher built from our stages."""

    def __init__(self, model: nn.Module, stages):
        from core.zoo import stage_of_parameter
        self._model = model
        self._lookup = stage_of_parameter(stages)

    def named_parameters(self, *args, **kwargs):
        return self._model.named_parameters(*args, **kwargs)

    def group_matcher(self, coarse: bool = False) -> Callable[[str], int]:
        return self._lookup


def param_groups(model: nn.Module, stages, weight_decay: float, layer_decay: float = 1.0,
                 head_lr_scale: float = 1.0, new_params: Collection[str] = ()) -> list[dict]:
    """Groups of the trainable parameters, each with its ``lr_scale``, like timm's ``param_groups_layer_decay``.

    One group per stage and decay / no-decay, scaled ``layer_decay ** (last stage - stage)``
    (``layer_decay=1``: per-stage groups with equal rates). The parameters named in ``new_params`` (the
    newly initialised head) get a group of their own, scaled ``head_lr_scale`` more: a new head at the
    backbone's low rate (1e-4) barely moves in a few epochs. Pretrained layers of the classifier (VGG's and
    AlexNet's FC6/FC7, MobileNetV3's first Linear, ConvNeXt's final norm) keep their stage's rate: ten times
    the rate there would overwrite what they learned.
    """
    from timm.optim import param_groups_layer_decay
    no_decay = getattr(model, "no_weight_decay", lambda: set())()
    groups = param_groups_layer_decay(_StagedView(model, stages), weight_decay=weight_decay,
                                      layer_decay=layer_decay, no_weight_decay_list=no_decay)
    new = set(new_params)
    if not new:
        return groups
    names = {id(p): n for n, p in model.named_parameters()}
    out = []
    for g in groups:
        old = [p for p in g["params"] if names[id(p)] not in new]
        fresh = [p for p in g["params"] if names[id(p)] in new]
        if old:
            out.append({**g, "params": old})
        if fresh:
            out.append({**g, "params": fresh, "lr_scale": g.get("lr_scale", 1.0) * head_lr_scale, "new": True})
    return out


def make_optimizer(model: nn.Module, stages, lr: float, weight_decay: float, layer_decay: float = 1.0,
                   head_lr_scale: float = 1.0, new_params: Collection[str] = ()) -> torch.optim.Optimizer:
    """AdamW (timm's factory) over :func:`param_groups`, each group already at its effective rate."""
    from timm.optim import create_optimizer_v2
    groups = param_groups(model, stages, weight_decay, layer_decay, head_lr_scale, new_params)
    on_cuda = next(model.parameters()).is_cuda
    opt = create_optimizer_v2(groups, "adamw", lr=lr, weight_decay=0.0, **({"fused": True} if on_cuda else {}))
    for g in opt.param_groups:
        # the effective rate from the first step on; timm's schedulers start from ``initial_lr`` and apply
        # ``lr_scale`` themselves, so it must hold the unscaled base rate (else the scale applies twice)
        g["initial_lr"] = lr
        g["lr"] = lr * g.get("lr_scale", 1.0)
    return opt


def describe_groups(model: nn.Module, opt: torch.optim.Optimizer, stages, peak_lrs=None) -> list[dict]:
    """One row per optimizer group (stage, #params, effective lr read from the optimizer), then one row per
    stage that has frozen parameters (lr 0, ``frozen: True``)."""
    from core.zoo import stage_of_parameter
    lookup = stage_of_parameter(stages)
    names = {id(p): n for n, p in model.named_parameters()}
    rows = []
    for i, g in enumerate(opt.param_groups):
        idx = sorted({lookup(names.get(id(p), "")) for p in g["params"]})
        stage = stages[idx[-1]] if idx else stages[-1]
        rows.append({"group": i, "stage": stage.name, "stage_index": stage.index,
                     "params": int(sum(p.numel() for p in g["params"])), "tensors": len(g["params"]),
                     "weight_decay": float(g.get("weight_decay", 0.0)), "lr_scale": float(g.get("lr_scale", 1.0)),
                     "lr": float(peak_lrs[i] if peak_lrs else g["lr"]), "lr_now": float(g["lr"]), "frozen": False,
                     "new": bool(g.get("new", False))})
    frozen: dict[int, int] = {}
    for n, p in model.named_parameters():
        if not p.requires_grad:
            frozen[lookup(n)] = frozen.get(lookup(n), 0) + p.numel()
    for idx in sorted(frozen):
        rows.append({"group": None, "stage": stages[idx].name, "stage_index": idx, "params": int(frozen[idx]),
                     "tensors": None, "weight_decay": 0.0, "lr_scale": 0.0, "lr": 0.0, "lr_now": 0.0, "frozen": True,
                     "new": False})
    return rows

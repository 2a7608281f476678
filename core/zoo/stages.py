"""Stages: a model split into runs of blocks with the same output resolution, plus the head.

One definition serves the architecture page (per-stage params, MACs, receptive field) and fine-tuning
(unfreeze the last k stages; layer-wise learning-rate decay groups).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable, Optional

import torch
from torch import nn

from core.zoo.classifier import classifier_path, num_outputs


@dataclass(frozen=True)
class Stage:
    """A run of consecutive blocks that output the same resolution (the head is the last stage)."""

    index: int
    name: str
    modules: tuple                 # dotted module names, in forward order
    out_shape: tuple               # (C, H, W), or (tokens, dim), or (classes,) for the head
    reduction: Optional[int] = None  # input size / output size, as a power of two

    def to_dict(self) -> dict:
        d = asdict(self)
        d["modules"], d["out_shape"] = list(self.modules), list(self.out_shape)
        return d


def _blocks(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Top-level children, with Sequential/ModuleList containers opened one level."""
    out = []
    for name, child in model.named_children():
        if child is None:
            continue
        if isinstance(child, (nn.Sequential, nn.ModuleList)) and len(child) > 1:
            out.extend((f"{name}.{n}", c) for n, c in child.named_children())
        else:
            out.append((name, child))
    return out


def _block_shapes(model: nn.Module, blocks: list[tuple[str, nn.Module]], input_size: int) -> dict:
    """Output shape (without the batch dimension) of each block, from one eval forward pass."""
    shapes: dict = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, n=n: shapes.__setitem__(
        n, tuple(out.shape[1:]) if isinstance(out, torch.Tensor) else ())) for n, m in blocks]
    was_training = model.training
    param = next(model.parameters())
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, 3, input_size, input_size, device=param.device, dtype=param.dtype))
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    return shapes


def model_stages(model: nn.Module, input_size: int = 224, shapes: Optional[dict] = None) -> list[Stage]:
    """Split a model into stages by output resolution, plus a final ``head`` stage.

    Args:
        shapes: module name -> output shape without the batch dimension, from a forward pass the caller
            already made (the profiler's); without it, one forward pass at ``input_size`` records them.
    """
    blocks = _blocks(model)
    head_root = classifier_path(model).split(".")[0]
    if shapes is None:
        shapes = _block_shapes(model, blocks, input_size)

    def key(name: str):
        shp = shapes.get(name)
        if name.split(".")[0] == head_root or shp is None:
            return None
        if len(shp) == 3 and shp[1] * shp[2] > 1:
            return ("spatial", max(0, round(math.log2(input_size / shp[1]))))
        if len(shp) == 2:
            return ("tokens", shp[0])
        return "head"

    groups: list[list] = []   # [key, [names], last_shape]
    head_names: list[str] = []
    for name, _ in blocks:
        k = key(name)
        if k is None and name.split(".")[0] != head_root and groups and name not in shapes:
            groups[-1][1].append(name)  # a block that did not run (e.g. dropped branch) stays with its neighbour
            continue
        if k in (None, "head") or (head_names and k != "head"):
            head_names.append(name)
            continue
        if groups and groups[-1][0] == k:
            groups[-1][1].append(name)
            groups[-1][2] = shapes[name]
        else:
            groups.append([k, [name], shapes[name]])
    stages = []
    for i, (k, names, shp) in enumerate(groups):
        red = 2 ** k[1] if k[0] == "spatial" else None
        nm = f"stage{i + 1}" if i else "stem"
        stages.append(Stage(i, nm, tuple(names), tuple(shp), red))
    stages.append(Stage(len(stages), "head", tuple(head_names), (num_outputs(model),), None))
    return stages


def stage_of_parameter(stages: list[Stage]) -> Callable[[str], int]:
    """A function mapping a parameter name to its stage index.

    A parameter no stage module owns belongs to the model itself (ViT's class token is the one in the
    catalog): it is used where the input enters, so it goes to the stem, never to the head (where a
    head-only rate or "train the last stages" would treat it as new)."""
    prefixes = sorted(((m, s.index) for s in stages for m in s.modules), key=lambda t: -len(t[0]))

    def lookup(param_name: str) -> int:
        for prefix, idx in prefixes:
            if param_name == prefix or param_name.startswith(prefix + "."):
                return idx
        return stages[0].index
    return lookup

"""What a network computes at each stage: batches of a dataset in the evaluation view, and stage outputs
caught by forward hooks (the forward pass stops after the last stage asked for).

Shared by :mod:`core.inside.change` (CKA), :mod:`core.inside.probe` and :mod:`core.inside.featuremaps`.
"""
from __future__ import annotations

import contextlib
from typing import Callable, Iterator, Optional

import numpy as np
import torch
from torch import nn

BATCH = 64


class _Stop(Exception):
    """Raised by the last tap: nothing after it is needed."""


def eval_batches(ds, indices, pre, batch: int = BATCH) -> Iterator[tuple[int, torch.Tensor]]:
    """``(images done, normalised float batch)`` for dataset ``indices`` in the evaluation view that training
    used (the cached image resized to ``pre.resize_size``, centre-cropped to ``pre.input_size``), batch by
    batch, so that only one batch of pixels is in memory at a time."""
    from core.finetune.augment import center_crop, load_split
    mean = torch.tensor(pre.mean, dtype=torch.float32).view(1, 3, 1, 1)
    std = torch.tensor(pre.std, dtype=torch.float32).view(1, 3, 1, 1)
    indices = np.asarray(indices, dtype=np.int64)
    for i in range(0, len(indices), batch):
        part = load_split(ds, indices[i:i + batch], pre.resize_size, pre.interpolation, torch.device("cpu"))
        x = center_crop(part.x, pre.input_size).float().div_(255)
        yield i + len(part), (x - mean) / std


def stage_taps(stages, head_path: Optional[str] = None) -> dict[str, tuple[str, str]]:
    """Where to read each stage: ``name -> (module, "out" | "in")``.

    A spatial stage is read at its last module's output. The head stage is read at the input of the final
    classification layer (``head_path``), the features a head sees: its output would be the new head's logits
    on one side and ImageNet's on the other, which no comparison makes sense of.
    """
    taps = {}
    for s in stages:
        if s.name == "head":
            if head_path:
                taps[s.name] = (head_path, "in")
        elif s.modules:
            taps[s.name] = (s.modules[-1], "out")
    return taps


@contextlib.contextmanager
def tapped(model: nn.Module, taps: dict[str, tuple[str, str]], keep: Callable[[str, torch.Tensor], object]):
    """Within the block, every forward pass of ``model`` calls ``keep(stage, tensor)`` at each tap, and stops
    once every tap has fired (see :func:`run`)."""
    fired: set = set()
    handles = []

    def make(name):
        def after(_m, _inp, out):
            _fire(name, out)

        def before(_m, args):
            _fire(name, args[0])
        return after, before

    def _fire(name, t):
        t = t[0] if isinstance(t, (tuple, list)) else t
        keep(name, t.detach())
        fired.add(name)
        if len(fired) == len(taps):
            raise _Stop

    for name, (module, where) in taps.items():
        after, before = make(name)
        m = model.get_submodule(module)
        handles.append(m.register_forward_hook(after) if where == "out" else m.register_forward_pre_hook(before))
    try:
        yield fired
    finally:
        for h in handles:
            h.remove()


def run(model: nn.Module, x: torch.Tensor, fired: set) -> None:
    """One forward pass under :func:`tapped` (eval mode, no gradients), stopped after the last tap."""
    fired.clear()
    with torch.inference_mode():
        try:
            model(x)
        except _Stop:
            pass


def gap(t: torch.Tensor) -> torch.Tensor:
    """Global average pool: [B, C, H, W] -> [B, C]; tokens [B, T, D] -> [B, D]; [B, D] stays."""
    t = t.float()
    if t.dim() == 4:
        return t.mean((2, 3))
    if t.dim() == 3:
        return t.mean(1)
    return t.reshape(t.shape[0], -1)

"""The first convolution's filters as a picture: what a network learned to look for in raw pixels.

A pretrained network's first layer holds edge and colour-blob detectors (AlexNet's 64 filters of 11×11
show it best); a randomly initialised one holds noise. Each filter is drawn as a small RGB tile (a filter
over 3 input channels is a colour picture), normalised on its own (each tile uses its full range: shapes
show) or on one shared scale (tiles keep their relative strength: strong and weak filters show).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple, Optional

import numpy as np
import torch
from torch import nn

NORMALISE = ("per_filter", "shared")
MAX_SHOWN = 256          # tiles drawn at most (ViT-B/16's patch embedding has 768 filters of 16×16)


@dataclass(frozen=True)
class FilterGrid:
    layer: str                 # the module's name, e.g. "features.0"
    shape: tuple               # (out, in, kh, kw)
    image: np.ndarray          # uint8 [H, W, 3]: the tiles with a 1-pixel gap, ``cols`` per row
    order: list[int]           # filter index of each tile, in drawing order
    cols: int
    tile: int                  # tile side in pixels (the kernel side)
    norms: list[float]         # each filter's L2 norm, by filter index

    def tile_at(self, row: int, col: int) -> Optional[int]:
        """The filter index drawn at a tile position (None past the last filter)."""
        i = row * self.cols + col
        return self.order[i] if 0 <= i < len(self.order) else None


def first_conv(model: nn.Module) -> tuple[str, nn.Conv2d]:
    """The first 2-D convolution the input meets (in module registration order, which is forward order for
    every catalog model)."""
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            return name, m
    raise ValueError("the model has no 2-D convolution")


def filter_grid(weight: torch.Tensor, normalise: str = "per_filter", sort_by_norm: bool = True,
                cols: Optional[int] = None, layer: str = "", order: Optional[list[int]] = None,
                limit: Optional[int] = None) -> FilterGrid:
    """Tiles of a conv weight ``[out, in, kh, kw]``: RGB when ``in`` is 3, the channel mean in grey otherwise.

    ``per_filter`` maps each filter's own min..max to 0..255; ``shared`` maps the whole layer's largest
    absolute value to the ends, zero to mid-grey. ``sort_by_norm`` draws the strongest filters first;
    ``order`` (filter indices) overrides it, so that two grids can show the same filter at the same place;
    ``limit`` draws only the first ``limit`` of that order (ViT-B/16 has 768 filters).
    """
    if normalise not in NORMALISE:
        raise ValueError(f"normalise must be one of {NORMALISE}")
    w = weight.detach().to("cpu", torch.float64)
    out, cin, kh, kw = w.shape
    tiles = w if cin == 3 else w.mean(1, keepdim=True).expand(out, 3, kh, kw)
    tiles = tiles.permute(0, 2, 3, 1).numpy()                       # [out, kh, kw, 3]
    norms = [float(v) for v in w.reshape(out, -1).norm(dim=1)]
    if normalise == "per_filter":
        lo = tiles.reshape(out, -1).min(1)[:, None, None, None]
        hi = tiles.reshape(out, -1).max(1)[:, None, None, None]
        scaled = np.where(hi > lo, (tiles - lo) / np.where(hi > lo, hi - lo, 1.0), 0.5)
    else:
        m = float(np.abs(tiles).max()) or 1.0
        scaled = tiles / (2 * m) + 0.5
    pixels = np.clip(np.rint(scaled * 255), 0, 255).astype(np.uint8)
    if order is None:
        order = sorted(range(out), key=lambda i: -norms[i]) if sort_by_norm else list(range(out))
    order = [int(i) for i in order][:limit or None]
    cols = cols or int(np.ceil(np.sqrt(len(order))))
    rows = max(1, int(np.ceil(len(order) / cols)))
    image = np.full((rows * (kh + 1) - 1, cols * (kw + 1) - 1, 3), 255, dtype=np.uint8)
    for pos, idx in enumerate(order):
        r, c = divmod(pos, cols)
        image[r * (kh + 1):r * (kh + 1) + kh, c * (kw + 1):c * (kw + 1) + kw] = pixels[idx]
    return FilterGrid(layer, (out, cin, kh, kw), image, order, cols, kh, norms)


def relative_change(before: torch.Tensor, after: torch.Tensor) -> list[float]:
    """Per filter (first dimension): ||after − before|| / ||before||."""
    b = before.detach().to("cpu", torch.float64).reshape(before.shape[0], -1)
    a = after.detach().to("cpu", torch.float64).reshape(after.shape[0], -1)
    return [float(v) for v in (a - b).norm(dim=1) / b.norm(dim=1).clamp_min(1e-12)]


def filter_stats(weight: torch.Tensor) -> list[dict]:
    """Per filter (by index): ``norm``, ``mean``, ``std``, ``min``, ``max`` of its weights (hover text)."""
    w = weight.detach().to("cpu", torch.float64).reshape(weight.shape[0], -1)
    return [{"norm": float(r.norm()), "mean": float(r.mean()), "std": float(r.std(unbiased=False)),
             "min": float(r.min()), "max": float(r.max())} for r in w]


class FirstConv(NamedTuple):
    layer: str
    weight: torch.Tensor       # a copy: [out, in, kh, kw], float32 on the CPU
    weights: object            # core.zoo.WeightsInfo: where the model's weights came from


@functools.lru_cache(maxsize=64)
def model_first_conv(name: str, pretrained: bool) -> FirstConv:
    """The first convolution's weights of catalog model ``name``: with its pretrained weights (the best
    source ``build_model`` finds; it may be random initialisation, which ``weights`` says) or a random
    initialisation (seed 0). Only the small weight tensor is kept (per model), not the model."""
    from core.inside import models
    made = models.pretrained(name) if pretrained else models.random_model(name, seed=0)
    layer, conv = first_conv(made.model)
    return FirstConv(layer, conv.weight.detach().to("cpu", torch.float32).clone(), made.weights)


def run_filters(run, accept_unverified: bool = False) -> dict:
    """A finished run's first-layer filters beside the ones it started from.

    Returns ``layer``, ``shape``, ``reference`` (``core.inside.change.Reference.to_dict()``), and when that
    reference is usable ``before`` and ``after`` (weight tensors), ``relative_change`` (per filter, by index)
    and ``order`` (filter indices, most changed first).
    """
    from core.inside.change import open_run, reference
    view = open_run(run)
    layer, conv = first_conv(view.model)
    after = conv.weight.detach().to("cpu", torch.float32).clone()
    ref = reference(view, accept_unverified)
    out = {"run": view.id, "model": view.name, "layer": layer, "shape": list(after.shape),
           "reference": ref.to_dict(), "after": after}
    if ref.usable:
        before = ref.model.get_submodule(layer).weight.detach().to("cpu", torch.float32).clone()
        change = relative_change(before, after)
        out.update(before=before, relative_change=change,
                   order=sorted(range(len(change)), key=lambda i: (-change[i], i)))
    return out

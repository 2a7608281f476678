"""The dataset on the device, and augmentation there.

Each split of the dataset's uint8 cache moves to the device once, resized to the model's resize size; every
batch is cropped (and augmented) there, so no image is decoded or copied twice during training.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F


@dataclass
class Split:
    x: torch.Tensor          # uint8 [n, 3, R, R] on the device (R = preprocessing resize size)
    y: torch.Tensor          # int64 [n] on the device
    idx: np.ndarray          # dataset indices
    feats: Optional[torch.Tensor] = None   # linear probe: cached head inputs

    def __len__(self) -> int:
        return int(self.y.shape[0])


def load_split(ds, indices, resize: int, interpolation: str, device: torch.device, chunk: int = 256) -> Split:
    """Move a split of the uint8 cache to the device once, resized (antialiased) to the resize size."""
    from torchvision.transforms import InterpolationMode
    from torchvision.transforms.v2 import functional as TF
    indices = np.asarray(indices, dtype=np.int64)
    n = len(indices)
    x = torch.empty((n, 3, resize, resize), dtype=torch.uint8, device=device)
    mode = InterpolationMode(interpolation)
    for i in range(0, n, chunk):
        part = np.ascontiguousarray(ds.images[indices[i:i + chunk]])
        a = torch.from_numpy(part).to(device).permute(0, 3, 1, 2)
        if a.shape[-1] != resize or a.shape[-2] != resize:
            a = TF.resize(a, [resize, resize], interpolation=mode, antialias=True)
        x[i:i + len(a)] = a
    y = torch.as_tensor(np.asarray(ds.labels)[indices], dtype=torch.int64, device=device)
    return Split(x, y, indices)


def center_crop(x: torch.Tensor, size: int) -> torch.Tensor:
    r = x.shape[-1]
    o = int(round((r - size) / 2.0))  # torchvision's CenterCrop offset
    return x[..., o:o + size, o:o + size]


def augment_batch(x_u8: torch.Tensor, size: int, preset: str, gen: torch.Generator) -> torch.Tensor:
    """Augment a uint8 batch on its device; returns float in [0, 1] at ``size`` x ``size``.

    ``none``: centre crop (the evaluation view). ``light``: random resized crop (area 50-100 %) and flip.
    ``standard``: random resized crop (area 25-100 %), flip and colour jitter (brightness, contrast,
    saturation +-40 %). One batched ``grid_sample`` does crop, resize and flip for the whole batch.
    """
    if preset == "none":
        return center_crop(x_u8, size).float().div_(255)
    b, dev = x_u8.shape[0], x_u8.device
    lo = 0.5 if preset == "light" else 0.25

    def rand(*shape):
        return torch.rand(*shape, generator=gen, device=dev)

    area = lo + (1 - lo) * rand(b)
    logr = (rand(b) * 2 - 1) * math.log(4 / 3)
    w = torch.sqrt(area * torch.exp(logr)).clamp(max=1.0)     # fraction of the width kept
    h = torch.sqrt(area / torch.exp(logr)).clamp(max=1.0)
    cx = (rand(b) * 2 - 1) * (1 - w)
    cy = (rand(b) * 2 - 1) * (1 - h)
    flip = torch.where(rand(b) < 0.5, -1.0, 1.0)
    theta = torch.zeros(b, 2, 3, device=dev)
    theta[:, 0, 0], theta[:, 0, 2] = w * flip, cx
    theta[:, 1, 1], theta[:, 1, 2] = h, cy
    grid = F.affine_grid(theta, [b, 3, size, size], align_corners=False)
    out = F.grid_sample(x_u8.float().div_(255), grid, mode="bilinear", padding_mode="reflection",
                        align_corners=False)
    if preset == "standard":
        def factor():
            return (1 + (rand(b) * 2 - 1) * 0.4).view(b, 1, 1, 1)
        gray_w = torch.tensor([0.299, 0.587, 0.114], device=dev).view(1, 3, 1, 1)
        out = out * factor()
        mean = (out * gray_w).sum(1, keepdim=True).mean((2, 3), keepdim=True)
        out = (out - mean) * factor() + mean
        gray = (out * gray_w).sum(1, keepdim=True)
        out = ((out - gray) * factor() + gray).clamp_(0, 1)
    return out



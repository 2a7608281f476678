"""Each model's own preprocessing: resize the short side, centre-crop, normalise (from its pretrained config)."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch

from core.zoo.catalog import ModelEntry, timm_pretrained_cfg

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class Preprocess:
    """How images must be prepared for a model: resize the short side, centre-crop, normalise."""

    input_size: int
    resize_size: int
    mean: tuple = IMAGENET_MEAN
    std: tuple = IMAGENET_STD
    interpolation: str = "bilinear"

    @property
    def crop_pct(self) -> float:
        return self.input_size / self.resize_size

    def with_input_size(self, size: int) -> "Preprocess":
        """The same recipe at another input size (keeps the crop ratio)."""
        return Preprocess(size, int(math.floor(size / self.crop_pct + 1e-6)), self.mean, self.std, self.interpolation)

    def transform(self):
        """PIL image -> the model's normalised float tensor: :meth:`geometry`, then :meth:`normalization`."""
        from torchvision.transforms import v2 as T
        return T.Compose([self.geometry(), self.normalization()])

    def geometry(self):
        """PIL image -> uint8 tensor [3, input, input]: the picture as the model sees it (resize, centre-crop)."""
        from torchvision.transforms import v2 as T
        mode = T.InterpolationMode(self.interpolation)
        return T.Compose([T.ToImage(), T.Resize(self.resize_size, interpolation=mode, antialias=True),
                          T.CenterCrop(self.input_size)])

    def normalization(self):
        """uint8 tensor -> float tensor scaled to [0, 1] and normalised with the model's mean and std."""
        from torchvision.transforms import v2 as T
        return T.Compose([T.ToDtype(torch.float32, scale=True), T.Normalize(self.mean, self.std)])

    def to_dict(self) -> dict:
        d = asdict(self)
        d["mean"], d["std"] = list(self.mean), list(self.std)
        return d


def preprocess_for(entry: ModelEntry, pretrained: bool = True) -> Preprocess:
    """The model's own preprocessing from its pretrained config (torchvision weights meta / timm cfg)."""
    if entry.library == "torchvision":
        from torchvision.models import get_model_weights
        try:
            tf = get_model_weights(entry.name).DEFAULT.transforms()
            return Preprocess(int(tf.crop_size[0]), int(tf.resize_size[0]), tuple(tf.mean), tuple(tf.std),
                              tf.interpolation.value)
        except (ValueError, KeyError, AttributeError):
            pass
    else:
        cfg = timm_pretrained_cfg(entry.name)
        if cfg:
            size = int(cfg["input_size"][-1])
            crop = float(cfg.get("crop_pct", 0.875))
            return Preprocess(size, int(math.floor(size / crop)), tuple(cfg.get("mean", IMAGENET_MEAN)),
                              tuple(cfg.get("std", IMAGENET_STD)), cfg.get("interpolation", "bilinear"))
    return default_preprocess(entry)


def default_preprocess(entry: ModelEntry) -> Preprocess:
    """The recipe when no pretrained config applies: ImageNet statistics, the usual 0.875 crop."""
    return Preprocess(entry.input_size, int(round(entry.input_size / 0.875)))

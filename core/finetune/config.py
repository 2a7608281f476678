"""``FinetuneConfig``: everything that defines a run, its checks, and its defaults (written only here).

The CLI's ``train`` flags and the page's widgets take their defaults, choices and help from these fields.
"""
from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Optional

from core.errors import UserError
from core.finetune.strategies import STRATEGY_NAMES, strategy

AUGMENTS = ("none", "light", "standard")
DEVICES = ("auto", "cpu", "cuda")
CPU_IMAGE_SIZE = 128          # default input size on the CPU (the model's own size on CUDA)


def _f(default: Any, help: str, choices: tuple = ()) -> Any:
    return field(default=default, metadata={"help": help, "choices": choices})


@dataclass(frozen=True)
class FinetuneConfig:
    """Everything that defines a run; ``asdict(cfg)`` is saved in the run folder's ``config.json``."""

    data: str = field(metadata={"help": "a .zip, a folder with one folder per class, demo:digits, demo:faces or a "
                                        "stored dataset id"})
    model: str = _f("tf_efficientnet_lite0", "catalog name of the backbone (python -m core models)")
    strategy: str = _f("linear_probe", "what trains: the head on frozen features, the last stages, everything "
                                       "with layer-wise decay, or everything from random weights",
                       STRATEGY_NAMES)
    epochs: int = _f(5, "maximum number of epochs")
    image_size: Optional[int] = _f(None, "input size in pixels (default: the model's own on CUDA, "
                                         f"{CPU_IMAGE_SIZE} on the CPU)")
    unfreeze: int = _f(2, "partial: number of last stages to train (the head always trains)")
    lr: Optional[float] = _f(None, "base learning rate (default: the strategy's)")
    layer_decay: float = _f(0.75, "full: each stage's rate is this factor times the next stage's")
    head_lr_scale: float = _f(10.0, "partial/full: the new, randomly initialised head learns this much faster")
    batch_size: int = _f(32, "images per step (halved automatically when the GPU runs out of memory)")
    weight_decay: float = _f(0.05, "AdamW weight decay")
    label_smoothing: float = _f(0.0, "label smoothing of the training loss")
    augment: str = _f("light", "augmentation on the device: none, light (crop + flip), standard (+ colour)",
                      AUGMENTS)
    patience: int = _f(3, "early stopping: epochs without a better validation loss (0 turns it off)")
    warmup_epochs: float = _f(0.5, "epochs of linear learning-rate warm-up")
    head_hidden: int = _f(0, "0: a single Linear head; >0: Linear-ReLU-Dropout-Linear with this width")
    head_dropout: float = _f(0.0, "dropout before the head's last layer")
    seed: int = _f(0, "random seed (the same seed on the CPU gives the same metrics)")
    device: str = _f("auto", "auto (a GPU when there is one), cpu or cuda", DEVICES)

    def __post_init__(self):
        if not isinstance(self.data, str) or not self.data.strip():
            raise UserError.of("finetune.no_data")
        if self.strategy not in STRATEGY_NAMES:
            raise UserError.of("finetune.unknown_strategy", strategy=str(self.strategy),
                               choices=", ".join(STRATEGY_NAMES))
        if self.augment not in AUGMENTS:
            raise UserError.of("finetune.unknown_augment", augment=str(self.augment), choices=", ".join(AUGMENTS))
        if self.device not in DEVICES:
            raise UserError.of("finetune.unknown_device", device=str(self.device))
        _int_range(self.epochs, "finetune.bad_epochs", 1, 1000)
        _int_range(self.batch_size, "finetune.bad_batch_size", 1, 4096)
        _int_range(self.unfreeze, "finetune.bad_unfreeze", 0, 100)
        _int_range(self.patience, "finetune.bad_patience", 0, 1000)
        _int_range(self.head_hidden, "finetune.bad_head_hidden", 0, 65536)
        _int_range(self.seed, "finetune.bad_seed", 0, 2**31 - 1)
        if self.image_size is not None:
            _int_range(self.image_size, "finetune.bad_image_size", 16, 1024)
        # values go in as str (what the message always showed), so a failed run can save them as JSON
        if self.lr is not None and not (_finite(self.lr) and self.lr > 0):
            raise UserError.of("finetune.bad_lr", value=str(self.lr))
        if not (_finite(self.head_lr_scale) and 0 < self.head_lr_scale <= 100):
            raise UserError.of("finetune.bad_head_lr_scale", value=str(self.head_lr_scale))
        if not (_finite(self.layer_decay) and 0 < self.layer_decay <= 1):
            raise UserError.of("finetune.bad_layer_decay", value=str(self.layer_decay))
        if not (_finite(self.weight_decay) and 0 <= self.weight_decay < 10):
            raise UserError.of("finetune.bad_weight_decay", value=str(self.weight_decay))
        if not (_finite(self.label_smoothing) and 0 <= self.label_smoothing < 1):
            raise UserError.of("finetune.bad_label_smoothing", value=str(self.label_smoothing))
        if not (_finite(self.head_dropout) and 0 <= self.head_dropout < 1):
            raise UserError.of("finetune.bad_head_dropout", value=str(self.head_dropout))
        if not (_finite(self.warmup_epochs) and 0 <= self.warmup_epochs <= self.epochs):
            raise UserError.of("finetune.bad_warmup", epochs=self.epochs, value=str(self.warmup_epochs))
        from core.zoo import get_entry
        get_entry(self.model)  # an unknown model name fails here, naming the closest catalog names

    @classmethod
    def from_dict(cls, d: dict) -> "FinetuneConfig":
        """The config saved with a run (keys this version does not know are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    @property
    def base_lr(self) -> float:
        """The learning rate the run uses: ``lr``, or the strategy's default."""
        return float(self.lr if self.lr is not None else strategy(self.strategy).default_lr)


DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(FinetuneConfig) if f.default is not MISSING}


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _int_range(v, key: str, lo: int, hi: int) -> None:
    """Raise the error ``key`` (a ``finetune.bad_*`` sentence) unless ``v`` is an int in [lo, hi]."""
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise UserError.of(key, lo=lo, hi=hi, value=repr(v))


def default_lr(strategy_name: str) -> float:
    return strategy(strategy_name).default_lr


def resolve_device(name: str = "auto"):
    """The torch device for ``auto``, ``cpu`` or ``cuda``; asking for CUDA without one is an error."""
    import torch
    if name == "cuda" or (name == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise UserError.of("finetune.no_cuda")
        return torch.device("cuda")
    return torch.device("cpu")


def default_image_size(model: str, device) -> int:
    """The model's own input size on CUDA; on the CPU a smaller one (never below what the model accepts)."""
    import torch
    from core.zoo import get_entry
    entry = get_entry(model)
    if torch.device(device).type == "cuda":
        return entry.input_size
    return max(entry.min_size, min(CPU_IMAGE_SIZE, entry.input_size))

"""Fine-tuning: the course's four strategies on a stored dataset, as one headless, resumable loop.

Strategies (each a real, distinct setup):

* ``linear_probe`` - the backbone is frozen and only a new head trains. The backbone's features are computed
  once per image (first epoch) and cached, so every later epoch costs only the head. Augmentation is therefore
  off for the probe: a cached feature cannot be re-augmented.
* ``partial`` - the last ``unfreeze`` stages of :func:`core.zoo.model_stages` train, with the head; earlier
  stages are frozen (their batch-norm statistics too).
* ``full`` - every layer trains, with layer-wise learning-rate decay from timm
  (``create_optimizer_v2(layer_decay=...)`` -> ``param_groups_layer_decay``). timm only groups layers for
  models that have a ``group_matcher``; torchvision models have none and would silently get one rate
  (FACTS.md), so the model gets a matcher built from our stages: stem ... head, the same stages the
  architecture page shows.
* ``scratch`` - the same architecture, randomly initialised, the same budget: the baseline that shows whether
  transfer helped or hurt.

The loop (AdamW, cosine schedule with warm-up from timm, optional label smoothing, augmentation on tensors on
the device, early stopping on validation loss) writes everything into a run folder; see :func:`fit`.

Export compatibility (``run_dir/export``: ``model.safetensors`` + ``config.json``). The state dict keeps the
library's own key names, so with the default single-Linear head (dropout lives in :class:`DropoutLinear`, which
has plain ``weight``/``bias``):

* timm models (EfficientNet-Lite ...): ``timm.create_model(name, num_classes=n).load_state_dict(sd)`` - strict.
* torchvision models: ``torchvision.models.get_model(name, num_classes=n).load_state_dict(sd)`` - strict (checked
  for ResNet-18 in the tests). GoogLeNet / Inception-v3 also need ``aux_logits=False`` (the factory drops the
  auxiliary heads) and the ``transform_input`` flag recorded in ``constructor_kwargs``.
* with ``head_hidden > 0`` the classifier is ``Sequential(Linear, ReLU, Dropout, Linear)`` at the classifier's
  path: replace it first (``config.json`` ``load`` spells out how). :func:`predict` does all this itself and
  reads safetensors only, never a pickle.
"""
from __future__ import annotations

import errno
import json
import logging
import math
import sys
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.errors import UserError
from core.files import atomic_write

_log = logging.getLogger(__name__)

STRATEGIES = ("linear_probe", "partial", "full", "scratch")
AUGMENTS = ("none", "light", "standard")
DEVICES = ("auto", "cpu", "cuda")
# Base learning rates. Full fine-tuning moves pretrained weights gently (the course: 1e-4 .. 1e-5); a new
# head, or a network learning from nothing, needs a larger step.
DEFAULT_LR = {"linear_probe": 3e-3, "partial": 3e-4, "full": 1e-4, "scratch": 1e-3}
CPU_IMAGE_SIZE = 128          # default input size on the CPU (the model's own size on CUDA)
MIN_BATCH = 1                 # out-of-memory back-off stops here with a clear message
PROGRESS_EVERY_S = 0.25       # on_progress is called at most this often within a phase
WRONG_EXAMPLES = 16           # most confidently wrong validation images kept in results.json
EXPORT_FORMAT = 1
PROBE_NOTE = ("Augmentation is off for the linear probe: backbone features are computed once per image and cached, "
              "so a feature cannot be re-augmented.")
CHECKPOINT_FORMAT = 1


class Cancelled(Exception):
    """``should_stop()`` returned True: the run stopped within one step and saved nothing new."""


class Diverged(UserError):
    """The loss became NaN or infinite; nothing is exported."""


# ---------------------------------------------------------------------------------------------- config
@dataclass(frozen=True)
class FinetuneConfig:
    """Everything that defines a run; ``asdict(cfg)`` is saved in the run folder's ``config.json``."""

    data: str                         # dataset ref, as for core.data.open_dataset
    model: str = "tf_efficientnet_lite0"
    strategy: str = "linear_probe"    # linear_probe | partial | full | scratch
    epochs: int = 5
    image_size: Optional[int] = None  # None: model default on CUDA, a smaller default on CPU
    unfreeze: int = 2                 # partial: number of last stages to train (the head always trains)
    lr: Optional[float] = None        # None: the strategy's default (DEFAULT_LR)
    layer_decay: float = 0.75         # full: timm layer-wise decay factor per stage
    head_lr_scale: float = 10.0       # partial/full: the new, randomly initialised head learns this much faster
    batch_size: int = 32
    weight_decay: float = 0.05
    label_smoothing: float = 0.0
    augment: str = "light"            # none | light | standard
    patience: int = 3                 # early stopping on validation loss; 0 turns it off
    warmup_epochs: float = 0.5
    head_hidden: int = 0              # 0: a single Linear head; >0: Linear-ReLU-Dropout-Linear
    head_dropout: float = 0.0
    seed: int = 0
    device: str = "auto"              # auto | cpu | cuda

    def __post_init__(self):
        if not isinstance(self.data, str) or not self.data.strip():
            raise UserError.of("finetune.no_data")
        if self.strategy not in STRATEGIES:
            raise UserError.of("finetune.unknown_strategy", strategy=str(self.strategy), choices=", ".join(STRATEGIES))
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
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _int_range(v, key: str, lo: int, hi: int) -> None:
    """Raise the error ``key`` (a ``finetune.bad_*`` sentence) unless ``v`` is an int in [lo, hi]."""
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise UserError.of(key, lo=lo, hi=hi, value=repr(v))


def default_lr(strategy: str) -> float:
    return DEFAULT_LR[strategy]


def resolve_device(name: str = "auto") -> torch.device:
    if name == "cuda" or (name == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise UserError.of("finetune.no_cuda")
        return torch.device("cuda")
    return torch.device("cpu")


def default_image_size(model: str, device: torch.device | str) -> int:
    """The model's own input size on CUDA; on the CPU a smaller one (never below what the model accepts)."""
    from core.zoo import get_entry
    entry = get_entry(model)
    if torch.device(device).type == "cuda":
        return entry.input_size
    return max(entry.min_size, min(CPU_IMAGE_SIZE, entry.input_size))


# ------------------------------------------------------------------------------------------------ head
class DropoutLinear(nn.Linear):
    """A Linear layer with dropout on its input. Keeps the plain ``weight``/``bias`` keys, so an exported
    model still loads into ``timm.create_model(name, num_classes=n)``."""

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


def _head_tail(spec: dict, out: torch.Tensor) -> torch.Tensor:
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


# ----------------------------------------------------------------------------------- optimizer groups
def stage_group_matcher(stages) -> Callable:
    """A timm-style ``group_matcher`` (``model.group_matcher(coarse=False) -> name -> ordinal``) from our stages."""
    from core.zoo import stage_of_parameter
    lookup = stage_of_parameter(stages)

    def group_matcher(coarse: bool = False):
        return lookup
    return group_matcher


def make_optimizer(model: nn.Module, stages, lr: float, weight_decay: float, layer_decay: float = 1.0,
                   head_lr_scale: float = 1.0):
    """AdamW over the trainable parameters, one timm layer-decay group per stage (and decay / no-decay).

    The model is given a ``group_matcher`` built from ``stages`` so that timm's
    ``param_groups_layer_decay`` groups torchvision models too (their own lack one, and timm would silently
    put every parameter in one group). Each group's ``lr_scale`` is ``layer_decay ** (last - stage)``;
    timm's schedulers apply it. ``layer_decay=1`` gives per-stage groups with equal rates.
    ``head_lr_scale`` multiplies the head's scale: a new, randomly initialised head at the backbone's low
    rate (1e-4) barely moves in a few epochs, which would make full fine-tuning look like negative transfer.
    """
    from timm.optim import create_optimizer_v2
    model.group_matcher = stage_group_matcher(stages)
    on_cuda = next(model.parameters()).is_cuda
    opt = create_optimizer_v2(model, "adamw", lr=lr, weight_decay=weight_decay, layer_decay=layer_decay,
                              **({"fused": True} if on_cuda else {}))
    if head_lr_scale != 1.0:
        from core.zoo import stage_of_parameter
        lookup, head = stage_of_parameter(stages), stages[-1].index
        names = {id(p): n for n, p in model.named_parameters()}
        for g in opt.param_groups:
            if g["params"] and lookup(names[id(g["params"][0])]) == head:
                g["lr_scale"] = g.get("lr_scale", 1.0) * head_lr_scale
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
                     "lr": float(peak_lrs[i] if peak_lrs else g["lr"]), "lr_now": float(g["lr"]), "frozen": False})
    frozen: dict[int, int] = {}
    for n, p in model.named_parameters():
        if not p.requires_grad:
            frozen[lookup(n)] = frozen.get(lookup(n), 0) + p.numel()
    for idx in sorted(frozen):
        rows.append({"group": None, "stage": stages[idx].name, "stage_index": idx, "params": int(frozen[idx]),
                     "tensors": None, "weight_decay": 0.0, "lr_scale": 0.0, "lr": 0.0, "lr_now": 0.0, "frozen": True})
    return rows


# ------------------------------------------------------------------------------------------ data on device
@dataclass
class _Split:
    x: torch.Tensor          # uint8 [n, 3, R, R] on the device (R = preprocessing resize size)
    y: torch.Tensor          # int64 [n] on the device
    idx: np.ndarray          # dataset indices
    feats: Optional[torch.Tensor] = None   # linear probe: cached head inputs

    def __len__(self) -> int:
        return int(self.y.shape[0])


def _load_split(ds, indices, resize: int, interpolation: str, device: torch.device, chunk: int = 256) -> _Split:
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
    return _Split(x, y, indices)


def _center(x: torch.Tensor, size: int) -> torch.Tensor:
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
        return _center(x_u8, size).float().div_(255)
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


# ----------------------------------------------------------------------------------------- file helpers
def _atomic_write(path: Path, write: Callable) -> None:
    """``core.files.atomic_write``, with a full disk or any other write error as one sentence that says the
    last complete checkpoint is intact."""
    path = Path(path)
    try:
        atomic_write(path, write)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError.of("finetune.disk_full", file=path.name, folder=str(path.parent)) from exc
        raise UserError.of("finetune.write_failed", file=path.name, folder=str(path.parent),
                           reason=str(exc.strerror or exc)) from exc


def _write_json(path: Path, obj) -> None:
    data = json.dumps(obj, indent=2, default=str).encode()
    _atomic_write(path, lambda f: f.write(data))


def _state_to_cpu(model: nn.Module) -> dict:
    return {k: v.detach().to("cpu", copy=True).contiguous() for k, v in model.state_dict().items()}


def _save_safetensors(path: Path, tensors: dict, metadata: Optional[dict] = None) -> None:
    from safetensors.torch import save
    data = save(tensors, metadata=metadata)
    _atomic_write(path, lambda f: f.write(data))


def _read_metrics(path: Path) -> list[dict]:
    rows = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:  # a line cut by a crash mid-write
                break
    return rows


def read_run(run_dir: Path) -> dict:
    """What a finished or running run folder holds: config, metrics rows, results (when done)."""
    run_dir = Path(run_dir)

    def load(name):
        p = run_dir / name
        try:
            return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None
        except (OSError, json.JSONDecodeError):
            return None
    return {"config": load("config.json"), "metrics": _read_metrics(run_dir / "metrics.jsonl"),
            "results": load("results.json")}


# -------------------------------------------------------------------------------------------- the run
class _Progress:
    """Throttles on_progress to at most one event per PROGRESS_EVERY_S within a phase (first/last always)."""

    def __init__(self, callback, should_stop):
        self.callback = callback
        self.should_stop = should_stop or (lambda: False)
        self.last = 0.0
        self.key = None
        self.messages: list[str] = []

    def check(self) -> None:
        if self.should_stop():
            raise Cancelled("The run was cancelled.")

    def event(self, force: bool = False, **ev) -> None:
        if self.callback is None:
            return
        now = time.perf_counter()
        key = (ev.get("phase"), ev.get("epoch"))
        last_step = ev.get("step") is not None and ev.get("step") == ev.get("steps")
        if force or last_step or key != self.key or now - self.last >= PROGRESS_EVERY_S:
            self.key, self.last = key, now
            self.callback(ev)

    def message(self, text: str, code: str, **args) -> None:
        """A notice for people: ``message`` in English, ``code`` + ``args`` for the page's translation
        (``finetune.msg.<code>`` in core/i18n/finetune.py)."""
        _log.info(text)
        self.messages.append(text)
        if self.callback is not None:
            self.callback({"phase": "message", "message": text, "code": code, "args": args})


def _train_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, criterion, opt, amp_dtype) -> tuple:
    """One optimisation step; returns (loss, logits), detached. Raises Diverged before a NaN step lands."""
    with torch.autocast(device_type=x.device.type, dtype=amp_dtype or torch.bfloat16, enabled=amp_dtype is not None):
        logits = model(x)
    loss = criterion(logits.float(), y)
    if not torch.isfinite(loss.detach()):
        raise Diverged.of("finetune.diverged_loss", loss=str(loss.detach().item()))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.detach(), logits.detach()


class _Run:
    """Builds everything one run needs (data on the device, model, freezing, optimizer) and trains it."""

    def __init__(self, cfg: FinetuneConfig, progress: _Progress):
        from core.data import open_dataset
        from core.zoo import build_model, model_stages, preprocess_for
        self.cfg = cfg
        self.progress = progress
        self.device = resolve_device(cfg.device)
        self.cuda = self.device.type == "cuda"
        from core.zoo import get_entry
        self.entry = get_entry(cfg.model)
        self.image_size = cfg.image_size or default_image_size(cfg.model, self.device)
        if self.image_size < self.entry.min_size:
            raise UserError.of("finetune.image_too_small", model=self.entry.label, min=self.entry.min_size)
        if self.entry.name == "vit_b_16" and self.image_size != 224:
            raise UserError.of("finetune.vit_size")
        self.lr = float(cfg.lr if cfg.lr is not None else DEFAULT_LR[cfg.strategy])
        self.amp_dtype = torch.bfloat16 if self.cuda and torch.cuda.is_bf16_supported() else None
        self.batch_size = cfg.batch_size
        if self.cuda:
            torch.backends.cudnn.benchmark = True

        self.ds = open_dataset(cfg.data, progress=lambda f, msg: progress.event(
            phase="data", step=None, steps=None, fraction=f, message=msg))
        self.classes = list(self.ds.classes)
        n_classes = len(self.classes)
        if n_classes < 2:
            raise UserError.of("finetune.too_few_classes", name=self.ds.name, count=n_classes)
        if len(self.ds.split.get("train", ())) == 0 or len(self.ds.split.get("val", ())) == 0:
            raise UserError.of("finetune.empty_split", name=self.ds.name)

        torch.manual_seed(cfg.seed)
        pretrained = cfg.strategy != "scratch"
        built = build_model(cfg.model, num_classes=n_classes, pretrained=pretrained)
        self.weights = built.weights
        if pretrained and not built.weights.pretrained:
            progress.message(f"No pretrained weights for {self.entry.label} are available offline; the "
                             f"'{cfg.strategy}' run starts from random initialisation, so nothing is transferred.",
                             "random_weights", model=self.entry.label, strategy=cfg.strategy)
        model = built.model
        self.head_spec = head_spec(model, n_classes, cfg.head_hidden, cfg.head_dropout)
        self.head = install_head(model, self.head_spec)
        # the model's own preprocessing (mean, std, interpolation, crop ratio), at the run's input size
        self.preprocess = preprocess_for(self.entry).with_input_size(self.image_size)
        self.stages = model_stages(model, self.image_size)
        self.frozen_stages = self._freeze(model)
        self.model = model.to(self.device)
        if self.cuda:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.mean = torch.tensor(self.preprocess.mean, device=self.device).view(1, 3, 1, 1)
        self.std = torch.tensor(self.preprocess.std, device=self.device).view(1, 3, 1, 1)
        self.opt = make_optimizer(self.model, self.stages, self.lr, cfg.weight_decay,
                                  cfg.layer_decay if cfg.strategy == "full" else 1.0,
                                  cfg.head_lr_scale if cfg.strategy in ("partial", "full") else 1.0)
        self.trainable_params = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        self.total_params = sum(p.numel() for p in self.model.parameters())

        r = self.preprocess.resize_size
        split = self.ds.split
        progress.event(force=True, phase="data", message="moving the dataset to the device")
        self.train = _load_split(self.ds, split["train"], r, self.preprocess.interpolation, self.device)
        self.val = _load_split(self.ds, split["val"], r, self.preprocess.interpolation, self.device)
        test_idx = split.get("test")
        self.test = (_load_split(self.ds, test_idx, r, self.preprocess.interpolation, self.device)
                     if test_idx is not None and len(test_idx) else None)
        self.probe = cfg.strategy == "linear_probe"
        self.augment = "none" if self.probe else cfg.augment
        if self.probe and cfg.augment != "none":
            progress.message(PROBE_NOTE, "probe_no_aug")
        self.criterion = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)
        from timm.scheduler import CosineLRScheduler
        total = max(1, cfg.epochs * len(self.train))
        self.sched = CosineLRScheduler(self.opt, t_initial=total, lr_min=self.lr * 0.01,
                                       warmup_t=int(cfg.warmup_epochs * len(self.train)),
                                       warmup_lr_init=self.lr * 0.01, t_in_epochs=False)
        self.peak_lrs = [g["lr"] for g in self.opt.param_groups]

    # ---------------------------------------------------------------------------------------- set-up
    def _freeze(self, model: nn.Module) -> list[int]:
        """requires_grad per strategy; returns the indices of fully frozen stages."""
        from core.zoo import stage_of_parameter
        cfg = self.cfg
        lookup = stage_of_parameter(self.stages)
        head_idx = self.stages[-1].index
        head_prefix = self.head_spec["path"] + "."
        if cfg.strategy == "partial" and cfg.unfreeze > head_idx:
            raise UserError.of("finetune.bad_unfreeze_for_model", model=self.entry.label, stages=head_idx)
        for name, p in model.named_parameters():
            if cfg.strategy == "linear_probe":
                p.requires_grad_(name.startswith(head_prefix))
            elif cfg.strategy == "partial":
                p.requires_grad_(lookup(name) >= head_idx - cfg.unfreeze)
            else:
                p.requires_grad_(True)
        frozen = set()
        for s in self.stages:
            params = [p for m in s.modules for p in model.get_submodule(m).parameters()]
            if params and not any(p.requires_grad for p in params):
                frozen.add(s.index)
        return sorted(frozen)

    def _train_mode(self) -> None:
        """Training mode, except frozen parts: their batch-norm statistics and dropout stay as trained."""
        if self.probe:
            self.model.eval()
            self.head.train()
            return
        self.model.train()
        for idx in self.frozen_stages:
            for m in self.stages[idx].modules:
                self.model.get_submodule(m).eval()

    def _prep(self, x_float: torch.Tensor) -> torch.Tensor:
        x = (x_float - self.mean) / self.std
        return x.contiguous(memory_format=torch.channels_last) if self.cuda else x

    def _autocast(self):
        return torch.autocast(device_type=self.device.type, dtype=self.amp_dtype or torch.bfloat16,
                              enabled=self.amp_dtype is not None)

    def _oom(self, what: str) -> None:
        """Halve the batch after CUDA ran out of memory; at the floor, a clean error."""
        self.opt.zero_grad(set_to_none=True)
        if self.cuda:
            torch.cuda.empty_cache()
        if self.batch_size <= MIN_BATCH:
            key = {"training": "finetune.out_of_memory.training", "validation": "finetune.out_of_memory.validation",
                   "feature extraction": "finetune.out_of_memory.features"}.get(what, "finetune.out_of_memory")
            raise UserError.of(key, what=what, batch=self.batch_size)
        old, self.batch_size = self.batch_size, max(MIN_BATCH, self.batch_size // 2)
        self.progress.message(f"Out of GPU memory during {what} with a batch of {old}: the batch size is now "
                              f"{self.batch_size}.", "oom", what=what, old=old, new=self.batch_size)

    # ----------------------------------------------------------------------------------- features
    @torch.no_grad()
    def _features(self, split: _Split, epoch: int, epochs: int, label: str) -> torch.Tensor:
        """Head inputs for every image of ``split`` (evaluation view), computed once."""
        self.model.eval()
        out = []
        pos, n = 0, len(split)
        while pos < n:
            self.progress.check()
            bs = self.batch_size * 2
            try:
                x = self._prep(_center(split.x[pos:pos + bs], self.image_size).float().div_(255))
                with self._autocast():
                    f = head_inputs(self.model, self.head, x)
            except torch.OutOfMemoryError:
                self._oom("feature extraction")
                continue
            out.append(f.float())
            pos += len(x)
            self.progress.event(phase="features", epoch=epoch, epochs=epochs, step=pos, steps=n, split=label)
        return torch.cat(out)

    # ------------------------------------------------------------------------------------ epochs
    def _batches_order(self, epoch: int) -> torch.Tensor:
        g = torch.Generator().manual_seed(self.cfg.seed * 100003 + epoch)
        return torch.randperm(len(self.train), generator=g).to(self.device)

    def train_epoch(self, epoch: int, epochs: int, samples_seen: int, eta_later: float, max_steps: int | None = None):
        """One pass over the training split; returns (loss, acc, samples_seen)."""
        cfg = self.cfg
        torch.manual_seed(cfg.seed * 100003 + epoch)  # dropout masks: the same epoch repeats after a resume
        gen = torch.Generator(device=self.device).manual_seed(cfg.seed * 7919 + epoch)
        order = self._batches_order(epoch)
        n = len(self.train)
        self._train_mode()
        loss_sum = torch.zeros((), device=self.device)
        correct = torch.zeros((), device=self.device, dtype=torch.int64)
        seen, pos, steps_done, t0 = 0, 0, 0, time.perf_counter()
        model = self.head if self.probe else self.model
        while pos < n:
            self.progress.check()
            idx = order[pos:pos + self.batch_size]
            if len(idx) == 1 and pos > 0:  # a trailing batch of one breaks batch norm in training mode
                break
            y = self.train.y[idx]
            try:
                if self.probe:
                    loss, logits = _train_step(lambda f: _head_tail(self.head_spec, self.head(f)),
                                               self.train.feats[idx], y, self.criterion, self.opt, None)
                else:
                    x = self._prep(augment_batch(self.train.x[idx], self.image_size, self.augment, gen))
                    loss, logits = _train_step(model, x, y, self.criterion, self.opt, self.amp_dtype)
            except torch.OutOfMemoryError:
                self._oom("training")
                continue
            except Diverged as exc:
                raise Diverged.of("finetune.diverged_step", epoch=epoch, step=steps_done + 1,
                                  lr=f"{self.lr:g}") from exc
            b = len(idx)
            loss_sum += loss * b
            correct += (logits.argmax(1) == y).sum()
            seen += b
            pos += b
            samples_seen += b
            steps_done += 1
            self.sched.step_update(samples_seen)
            for i, g in enumerate(self.opt.param_groups):
                self.peak_lrs[i] = max(self.peak_lrs[i], g["lr"])
            if max_steps is not None and steps_done >= max_steps:
                break
            if self.progress.callback is not None:
                el = time.perf_counter() - t0
                steps = math.ceil(n / self.batch_size) if pos < n else steps_done
                step_s = el / steps_done
                eta = step_s * max(0, steps - steps_done) + eta_later
                self.progress.event(phase="train", epoch=epoch, epochs=epochs, step=min(steps_done, steps),
                                    steps=steps, loss=round(float(loss), 5), eta_s=round(eta, 1),
                                    batch_size=self.batch_size)
        return float(loss_sum) / max(seen, 1), float(correct) / max(seen, 1), samples_seen

    @torch.no_grad()
    def evaluate(self, split: _Split, epoch: int | None = None, epochs: int | None = None,
                 phase: str = "val") -> tuple[float, float, torch.Tensor]:
        """(loss, accuracy, logits) on a split, in evaluation mode (plain cross-entropy, no smoothing)."""
        self.model.eval()
        logits_all = []
        pos, n = 0, len(split)
        while pos < n:
            self.progress.check()
            bs = self.batch_size * 2
            try:
                if self.probe and split.feats is not None:
                    logits = _head_tail(self.head_spec, self.head(split.feats[pos:pos + bs]))
                else:
                    x = self._prep(_center(split.x[pos:pos + bs], self.image_size).float().div_(255))
                    with self._autocast():
                        logits = self.model(x)
            except torch.OutOfMemoryError:
                self._oom("validation")
                continue
            logits_all.append(logits.float())
            pos += len(logits)
            if epoch is not None:
                self.progress.event(phase=phase, epoch=epoch, epochs=epochs, step=pos, steps=n)
        logits = torch.cat(logits_all)
        loss = F.cross_entropy(logits, split.y).item()
        acc = (logits.argmax(1) == split.y).float().mean().item()
        return loss, acc, logits.cpu()

    def ensure_features(self, epoch: int, epochs: int) -> None:
        if not self.probe:
            return
        for split, label in ((self.train, "train"), (self.val, "val")):
            if split.feats is None:
                split.feats = self._features(split, epoch, epochs, label)
        if self.test is not None and self.test.feats is None:
            self.test.feats = self._features(self.test, epoch, epochs, "test")


def _resolved(run: _Run) -> dict:
    return {"device": run.device.type, "image_size": run.image_size, "lr": run.lr,
            "amp": str(run.amp_dtype).replace("torch.", "") if run.amp_dtype else None,
            "channels_last": run.cuda, "augment": run.augment, "classes": run.classes,
            "dataset": {"id": run.ds.id, "name": run.ds.name, "num_images": int(len(run.ds.labels)),
                        "train": len(run.train), "val": len(run.val), "test": len(run.test) if run.test else 0},
            "preprocess": run.preprocess.to_dict(), "head": run.head_spec,
            "weights_source": str(run.weights), "pretrained": run.weights.pretrained,
            "stages": [s.name for s in run.stages], "frozen_stages": [run.stages[i].name for i in run.frozen_stages],
            "notes": [PROBE_NOTE] if run.probe else []}


def fit(cfg: FinetuneConfig, run_dir: Path, on_progress: Callable[[dict], None] | None = None,
        should_stop: Callable[[], bool] | None = None, resume: bool = False) -> dict:
    """Train ``cfg`` into ``run_dir``; headless (logging only), resumable, cancellable.

    Writes ``config.json`` (``asdict(cfg)`` plus ``resolved``), ``metrics.jsonl`` (one row per epoch),
    ``checkpoint.pt`` (last complete epoch, atomic), ``best.safetensors`` (lowest validation loss),
    ``results.json`` and ``export/`` (``model.safetensors`` + ``config.json``).

    Args:
        on_progress: receives event dicts (``phase`` data/features/train/val/message, ``epoch``, ``epochs``,
            ``step``, ``steps``, ``loss``, ``eta_s``, ``message``), at most a few per second.
        should_stop: polled every step; True raises :class:`Cancelled` and saves nothing new.
        resume: continue from ``checkpoint.pt`` when there is one (otherwise start afresh).

    Returns:
        The summary dict (also in ``results.json`` under ``summary``).

    Raises:
        Diverged: the loss became NaN or infinite (nothing is exported).
        Cancelled: ``should_stop()`` said so.
        UserError: bad data or settings, out of memory at batch size 1, a full disk.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    progress = _Progress(on_progress, should_stop)
    ckpt_path, metrics_path = run_dir / "checkpoint.pt", run_dir / "metrics.jsonl"
    cfg_dict = asdict(cfg)
    ckpt = None
    if resume and ckpt_path.is_file():
        try:
            ckpt = torch.load(str(ckpt_path), map_location="cpu", weights_only=True)
        except Exception as exc:  # noqa: BLE001 - a damaged checkpoint is the user's problem to know about
            raise UserError.of("finetune.checkpoint_unreadable", run=run_dir.name, kind=type(exc).__name__) from exc
        if ckpt.get("config") != cfg_dict:
            raise UserError.of("finetune.checkpoint_other_config", run=run_dir.name)
    elif resume:
        _log.info("resume requested for %s but there is no checkpoint: starting from the beginning", run_dir)

    progress.check()
    run = _Run(cfg, progress)
    epochs = cfg.epochs
    _write_json(run_dir / "config.json", {**cfg_dict, "resolved": _resolved(run)})

    state = {"epoch": 0, "best_val_loss": math.inf, "best_val_acc": 0.0, "best_epoch": 0, "bad_epochs": 0,
             "stopped_early": False, "samples_seen": 0}
    rows: list[dict] = []
    if ckpt is not None:
        run.model.load_state_dict(ckpt["model"])
        run.opt.load_state_dict(ckpt["optimizer"])
        run.batch_size = int(ckpt.get("batch_size", run.batch_size))
        run.peak_lrs = list(ckpt.get("peak_lrs", run.peak_lrs))
        state.update({k: ckpt[k] for k in state if k in ckpt})
        rows = list(ckpt.get("rows", []))
        _write_metrics(metrics_path, rows)
        if state["best_epoch"] == state["epoch"] and _best_epoch_on_disk(run_dir) != state["epoch"]:
            _save_best(run_dir, run.model, state["epoch"], state["best_val_loss"])  # the crash hit between writes
        progress.message(f"Resumed after epoch {state['epoch']} of {epochs}.", "resumed",
                         epoch=state["epoch"], epochs=epochs)
    else:
        _write_metrics(metrics_path, [])
        for stale in ("best.safetensors", "results.json"):
            (run_dir / stale).unlink(missing_ok=True)

    epoch_times = [r["epoch_seconds"] for r in rows]
    while state["epoch"] < epochs and not state["stopped_early"]:
        epoch = state["epoch"] + 1
        t0 = time.perf_counter()
        later = (epoch_times[-1] if epoch_times and not (run.probe and len(epoch_times) == 1) else 0.0)
        run.ensure_features(epoch, epochs)
        train_loss, train_acc, state["samples_seen"] = run.train_epoch(
            epoch, epochs, state["samples_seen"], eta_later=later * (epochs - epoch))
        val_loss, val_acc, _ = run.evaluate(run.val, epoch, epochs)
        if not math.isfinite(val_loss):
            raise Diverged.of("finetune.diverged_val", epoch=epoch, loss=str(val_loss), lr=f"{run.lr:g}")
        seconds = time.perf_counter() - t0
        epoch_times.append(seconds)
        row = {"epoch": epoch, "train_loss": round(train_loss, 6), "train_acc": round(train_acc, 6),
               "val_loss": round(val_loss, 6), "val_acc": round(val_acc, 6),
               "lr": max(g["lr"] for g in run.opt.param_groups), "epoch_seconds": round(seconds, 4),
               "batch_size": run.batch_size}
        progress.check()  # a cancel during validation saves nothing of this epoch
        if val_loss < state["best_val_loss"] - 1e-6:
            state.update(best_val_loss=val_loss, best_val_acc=val_acc, best_epoch=epoch, bad_epochs=0)
        else:
            state["bad_epochs"] += 1
            if cfg.patience and state["bad_epochs"] >= cfg.patience:
                state["stopped_early"] = True
        state["epoch"] = epoch
        rows.append(row)
        # Order matters for a crash between writes: the checkpoint (which carries the metric rows and the
        # best-epoch bookkeeping) first; then the best weights, which a resume can rebuild from the
        # checkpoint when the best epoch is the checkpoint's own; the metrics file last.
        ckpt_obj = {"format": CHECKPOINT_FORMAT, **state, "model": run.model.state_dict(),
                    "optimizer": run.opt.state_dict(), "batch_size": run.batch_size, "peak_lrs": run.peak_lrs,
                    "rows": rows, "config": cfg_dict}
        _atomic_write(ckpt_path, lambda f: torch.save(ckpt_obj, f))
        if state["best_epoch"] == epoch:
            _save_best(run_dir, run.model, epoch, val_loss)
        _write_metrics(metrics_path, rows)
        progress.event(force=True, phase="epoch", epoch=epoch, epochs=epochs, step=None, steps=None,
                       loss=row["train_loss"], val_loss=row["val_loss"], val_acc=row["val_acc"],
                       epoch_seconds=row["epoch_seconds"], eta_s=round(
                           (seconds if not (run.probe and epoch == 1) else 0.0) * (epochs - epoch), 1))
        if state["stopped_early"]:
            progress.message(f"Early stop after epoch {epoch}: the validation loss has not improved for "
                             f"{cfg.patience} epoch(s); the best epoch was {state['best_epoch']}.", "early_stop",
                             epoch=epoch, patience=cfg.patience, best=state["best_epoch"])

    return _finish(run, run_dir, state, rows, progress)


def _save_best(run_dir: Path, model: nn.Module, epoch: int, val_loss: float) -> None:
    _save_safetensors(run_dir / "best.safetensors", _state_to_cpu(model),
                      {"epoch": str(epoch), "val_loss": f"{val_loss:.6f}"})


def _best_epoch_on_disk(run_dir: Path) -> Optional[int]:
    from safetensors import safe_open
    try:
        with safe_open(str(run_dir / "best.safetensors"), framework="pt") as f:
            return int((f.metadata() or {}).get("epoch", -1))
    except Exception:  # noqa: BLE001 - missing or damaged: treat as absent
        return None


def _write_metrics(path: Path, rows: list[dict]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    _atomic_write(path, lambda f: f.write(data))


def _finish(run: _Run, run_dir: Path, state: dict, rows: list[dict], progress: _Progress) -> dict:
    """Best weights -> results.json (confusion, per-class scores, confident mistakes, groups) and export/."""
    from safetensors.torch import load_file
    best_path = run_dir / "best.safetensors"
    best = load_file(str(best_path), device="cpu")
    for k, v in best.items():
        if v.is_floating_point() and not torch.isfinite(v).all():
            raise Diverged.of("finetune.best_weights_nan", tensor=k)
    run.model.load_state_dict(best)
    run.ensure_features(state["epoch"], run.cfg.epochs)
    progress.event(force=True, phase="results", message="evaluating the best epoch")
    val_loss, val_acc, logits = run.evaluate(run.val)
    test_acc = run.evaluate(run.test)[1] if run.test is not None else None
    y = run.val.y.cpu().numpy()
    probs = logits.softmax(1).numpy()
    pred = probs.argmax(1)
    k = len(run.classes)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, pred), 1)
    per_class = []
    for c, name in enumerate(run.classes):
        tp, col, row_ = int(cm[c, c]), int(cm[:, c].sum()), int(cm[c].sum())
        per_class.append({"class": name, "precision": tp / col if col else None,
                          "recall": tp / row_ if row_ else None, "support": row_})
    wrong = np.nonzero(pred != y)[0]
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][:WRONG_EXAMPLES]
    files = getattr(run.ds, "files", None)
    mistakes = [{"index": int(run.val.idx[i]), "file": files[int(run.val.idx[i])] if files is not None else None,
                 "true": run.classes[int(y[i])], "predicted": run.classes[int(pred[i])],
                 "prob": round(float(probs[i, pred[i]]), 6), "true_prob": round(float(probs[i, y[i]]), 6)}
                for i in wrong]
    epoch_seconds = [r["epoch_seconds"] for r in rows]
    summary = {
        "status": "done", "strategy": run.cfg.strategy, "model": run.entry.name,
        "best_val_acc": round(state["best_val_acc"], 6), "best_val_loss": round(state["best_val_loss"], 6),
        "best_epoch": state["best_epoch"], "epochs_run": state["epoch"], "stopped_early": state["stopped_early"],
        "train_seconds": round(sum(epoch_seconds), 3), "epoch_seconds": epoch_seconds,
        "trainable_params": int(run.trainable_params), "total_params": int(run.total_params),
        "frozen_params": int(run.total_params - run.trainable_params),
        "weights_source": str(run.weights), "pretrained": run.weights.pretrained,
        "test_acc": None if test_acc is None else round(test_acc, 6),
        "image_size": run.image_size, "batch_size": run.batch_size, "device": run.device.type,
        "messages": run.progress.messages, "run_dir": str(run_dir),
    }
    results = {"summary": summary, "classes": run.classes, "confusion_matrix": cm.tolist(),
               "per_class": per_class, "val_acc": round(val_acc, 6), "val_loss": round(val_loss, 6),
               "confident_mistakes": mistakes,
               "param_groups": describe_groups(run.model, run.opt, run.stages, run.peak_lrs),
               "stages": [{"index": s.index, "name": s.name, "frozen": s.index in run.frozen_stages}
                          for s in run.stages]}
    _export(run, run_dir, best, summary)
    _write_json(run_dir / "results.json", results)
    return summary


def _export(run: _Run, run_dir: Path, best: dict, summary: dict) -> None:
    export = run_dir / "export"
    export.mkdir(exist_ok=True)
    _save_safetensors(export / "model.safetensors", best, {"format": "pt"})
    n = len(run.classes)
    ctor = {}
    if run.entry.name in ("googlenet", "inception_v3"):
        ctor = {"aux_logits": False, "transform_input": bool(getattr(run.model, "transform_input", False)),
                "init_weights": False}
    head = run.head_spec
    if run.entry.library == "timm":
        how = f"timm.create_model('{run.entry.name}', num_classes={n})"
    else:
        extra = "".join(f", {k}={v}" for k, v in ctor.items())
        how = f"torchvision.models.get_model('{run.entry.name}', num_classes={n}{extra})"
    if head["hidden"] > 0:
        how += (f"; then replace model.{head['path']} with Sequential(Linear({head['in_features']}, {head['hidden']}), "
                f"ReLU(), Dropout({head['dropout']}), Linear({head['hidden']}, {n}))")
    how += "; then model.load_state_dict(safetensors.torch.load_file('model.safetensors'))"
    cfg = {"format": EXPORT_FORMAT, "architecture": run.entry.name, "library": run.entry.library,
           "num_classes": n, "class_names": run.classes,
           "preprocess": {**run.preprocess.to_dict(), "crop_pct": run.preprocess.crop_pct},
           "head": head, "constructor_kwargs": ctor, "load": how,
           "training": {"strategy": run.cfg.strategy, "dataset": run.ds.name, "dataset_id": run.ds.id,
                        "best_epoch": summary["best_epoch"], "best_val_acc": summary["best_val_acc"],
                        "weights_source": summary["weights_source"]}}
    _write_json(export / "config.json", cfg)
    summary["export"] = str(export)


# ---------------------------------------------------------------------------------------- estimate
def estimate_epoch_seconds(cfg: FinetuneConfig, batches: int = 3) -> dict:
    """Time a few real training steps of ``cfg`` on the current device and scale to one epoch.

    For the linear probe the first epoch is feature extraction (forward passes over train + val); later
    epochs only train the head on cached features.
    """
    progress = _Progress(None, None)
    run = _Run(cfg, progress)
    batches = max(1, int(batches))
    bs = run.batch_size
    n_train, n_val = len(run.train), len(run.val)
    steps = max(1, math.ceil(n_train / bs))

    def sync():
        if run.cuda:
            torch.cuda.synchronize()

    with torch.no_grad():  # evaluation / feature batches: forward only, batch 2x
        run.model.eval()
        sub = _Split(run.val.x[:bs * 2], run.val.y[:bs * 2], run.val.idx[:bs * 2])
        run.evaluate(sub)  # warm-up
        sync()
        t0 = time.perf_counter()
        for _ in range(batches):
            run.evaluate(sub)
        sync()
        fwd_per_image = (time.perf_counter() - t0) / (batches * len(sub))
    if run.probe:
        feats_s = fwd_per_image * (n_train + n_val)
        first, later, step_s = feats_s, 0.0, None
        # head epochs on random features of the right size cost almost nothing; measure one anyway
        with torch.no_grad():
            f = head_inputs(run.model, run.head, run._prep(_center(run.val.x[:2], run.image_size).float() / 255))
        run.train.feats = torch.randn((n_train, *f.shape[1:]), device=run.device)
        run.val.feats = torch.randn((n_val, *f.shape[1:]), device=run.device)
        sync()
        t0 = time.perf_counter()
        run.train_epoch(1, 1, 0, 0.0)
        run.evaluate(run.val)
        sync()
        later = time.perf_counter() - t0
        first += later
    else:
        run.train_epoch(1, 1, 0, 0.0, max_steps=1)  # warm-up (allocations, cudnn autotune)
        sync()
        t0 = time.perf_counter()
        run.train_epoch(2, 2, 0, 0.0, max_steps=batches)
        sync()
        step_s = (time.perf_counter() - t0) / batches
        first = later = step_s * steps + fwd_per_image * n_val
    return {"device": run.device.type, "image_size": run.image_size, "batch_size": bs, "steps_per_epoch": steps,
            "train_images": n_train, "val_images": n_val, "seconds_per_step": step_s,
            "first_epoch_seconds": round(first, 2), "later_epoch_seconds": round(later, 2),
            "epoch_seconds": round(first, 2), "total_seconds": round(first + later * (cfg.epochs - 1), 2),
            "images_per_second": round(bs / step_s, 1) if step_s else round(1 / fwd_per_image, 1),
            "lr": run.lr, "weights_source": str(run.weights)}


# ------------------------------------------------------------------------------------------ predict
_PREDICTORS: dict = {}


def load_export(run_dir: Path):
    """(model, export config) from ``run_dir/export`` (or an export folder itself); safetensors only."""
    from safetensors.torch import load_file
    from core.zoo import Preprocess, construct, get_entry
    run_dir = Path(run_dir)
    export = run_dir / "export" if (run_dir / "export").is_dir() else run_dir
    cfg_path, weights_path = export / "config.json", export / "model.safetensors"
    if not cfg_path.is_file() or not weights_path.is_file():
        raise UserError.of("finetune.no_export", folder=str(run_dir))
    key = (str(weights_path.resolve()), weights_path.stat().st_mtime_ns, cfg_path.stat().st_mtime_ns)
    if key in _PREDICTORS:
        return _PREDICTORS[key]
    try:
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        entry = get_entry(cfg["architecture"])
        head = cfg["head"]
        pre = Preprocess(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in cfg["preprocess"].items()
                            if k in ("input_size", "resize_size", "mean", "std", "interpolation")})
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError.of("finetune.export_config_damaged", file=str(cfg_path), kind=type(exc).__name__,
                           reason=str(exc)) from None
    try:
        sd = load_file(str(weights_path), device="cpu")
    except Exception as exc:  # noqa: BLE001 - any decoder error is the file's fault
        raise UserError.of("finetune.export_weights_unreadable", file=str(weights_path),
                           reason=str(exc)[:120]) from None
    model = construct(entry, for_pretrained=bool(cfg.get("constructor_kwargs", {}).get("transform_input", False)))
    install_head(model, head)
    try:
        model.load_state_dict(sd, strict=True)
    except RuntimeError as exc:
        raise UserError.of("finetune.export_weights_mismatch", model=entry.name,
                           reason=str(exc).splitlines()[0][:200]) from None
    model.eval()
    if len(_PREDICTORS) > 4:
        _PREDICTORS.clear()
    _PREDICTORS[key] = (model, cfg, pre)
    return _PREDICTORS[key]


def predict(run_dir: Path, images: list, top: int = 5) -> list[list[dict]]:
    """Top-k over the run's classes for PIL images, with the run's exported model and preprocessing."""
    model, cfg, pre = load_export(run_dir)
    if not images:
        return []
    tf = pre.transform()
    x = torch.stack([tf(im) for im in images])
    with torch.inference_mode():
        probs = model(x).float().softmax(-1)
    names = cfg["class_names"]
    k = max(1, min(int(top), len(names)))
    out = []
    for row in probs:
        p, idx = row.topk(k)
        out.append([{"index": int(i), "label": names[int(i)], "prob": round(float(q), 6)} for q, i in zip(p, idx)])
    return out


def predict_logits(run_dir: Path, images: list) -> torch.Tensor:
    """Raw logits of the exported model (tests compare them across processes)."""
    model, _, pre = load_export(run_dir)
    tf = pre.transform()
    with torch.inference_mode():
        return model(torch.stack([tf(im) for im in images])).float()


# ------------------------------------------------------------------------------------------------- CLI
def _train_as_listed_run(cfg: FinetuneConfig, echo) -> dict:
    """The default ``train``: a run in <data dir>/runs/ with a status, listed by ``jobs list`` and the page."""
    from core import jobs
    from core.zoo import get_entry
    rid, code = jobs.run_here(cfg, label=f"{get_entry(cfg.model).label} (CLI)", echo=echo)
    if echo is not None:
        sys.stderr.write("\n")
    if code == 130:
        raise KeyboardInterrupt
    if code != 0:
        info = jobs.info(rid)
        if not info.get("message"):
            raise UserError.of("finetune.run_ended", run=rid, code=code)
        # the worker saved the run's error (key and params) next to its English message: raise that error again
        raise UserError.restore(info["message"], info.get("args") if info.get("code") == jobs.ERROR_CODE else None)
    return jobs.summary(rid)


def _stderr_progress(ev: dict) -> None:
    phase = ev.get("phase")
    if phase == "message":
        sys.stderr.write("\r" + ev.get("message", "") + "\033[K\n")
    elif phase == "epoch":
        sys.stderr.write(f"\repoch {ev['epoch']}/{ev['epochs']}: train loss {ev['loss']:.4f}, val loss "
                         f"{ev['val_loss']:.4f}, val acc {ev['val_acc']:.1%} ({ev['epoch_seconds']:.1f} s)\033[K\n")
    elif phase in ("train", "val", "features") and ev.get("steps"):
        extra = f" loss {ev['loss']:.4f}" if ev.get("loss") is not None else ""
        eta = f" eta {ev['eta_s']:.0f}s" if ev.get("eta_s") is not None else ""
        sys.stderr.write(f"\r{phase} epoch {ev.get('epoch')}/{ev.get('epochs')} step {ev['step']}/{ev['steps']}"
                         f"{extra}{eta}\033[K")
    sys.stderr.flush()


def _cli_train(args) -> dict:
    kw = dict(data=args.data, model=args.model, strategy=args.strategy, epochs=args.epochs,
              image_size=args.image_size, unfreeze=args.unfreeze, lr=args.lr, batch_size=args.batch_size,
              seed=args.seed, augment=args.augment, patience=args.patience, head_hidden=args.head_hidden,
              head_dropout=args.head_dropout, label_smoothing=args.label_smoothing, device=args.device,
              layer_decay=args.layer_decay, head_lr_scale=args.head_lr_scale, weight_decay=args.weight_decay,
              warmup_epochs=args.warmup_epochs)
    cfg = FinetuneConfig(**kw)
    if not args.out:
        if args.resume:  # a listed run resumes through its job: python -m core jobs resume RUN
            raise UserError.of("finetune.resume_needs_out")
        return _train_as_listed_run(cfg, None if args.json else _stderr_progress)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()) and not args.resume:
        raise UserError.of("finetune.out_not_empty", out=str(out))
    return fit(cfg, out, on_progress=None if args.json else _stderr_progress, resume=args.resume)


def _text_train(res: dict) -> str:
    return (f"{res['model']} · {res['strategy']} · weights: {res['weights_source']}\n"
            f"best validation accuracy {res['best_val_acc']:.1%} at epoch {res['best_epoch']} of {res['epochs_run']}"
            f"{' (stopped early)' if res['stopped_early'] else ''}; {res['train_seconds']:.1f} s\n"
            f"trainable parameters {res['trainable_params']:,} of {res['total_params']:,}\n"
            f"run folder: {res['run_dir']}")


def _cli_predict(args) -> dict:
    from core.images import open_rgb
    images = [open_rgb(p, name=p) for p in args.images]
    results = predict(Path(args.run), images, top=args.top)
    _, cfg, _ = load_export(Path(args.run))
    return {"run": str(args.run), "architecture": cfg["architecture"], "classes": cfg["class_names"],
            "results": [{"image": p, "top": r} for p, r in zip(args.images, results)]}


def _text_predict(res: dict) -> str:
    from core.cli import format_topk
    return format_topk(f"{res['architecture']} fine-tuned on {len(res['classes'])} classes", res["results"])


def _cli_estimate(args) -> dict:
    cfg = FinetuneConfig(data=args.data, model=args.model, strategy=args.strategy, image_size=args.image_size,
                         batch_size=args.batch_size, epochs=args.epochs, device=args.device)
    return estimate_epoch_seconds(cfg)


def add_commands(sub) -> None:
    from core.cli import add_command
    p = add_command(sub, "train", "fine-tune a model on a dataset (linear_probe, partial, full or scratch)",
                    _cli_train, _text_train)
    p.add_argument("--data", required=True, help="a .zip, a folder with one folder per class, demo:digits, "
                                                 "demo:faces or a stored dataset id")
    p.add_argument("--model", default="tf_efficientnet_lite0")
    p.add_argument("--strategy", choices=STRATEGIES, default="linear_probe")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--image-size", type=int, default=None)
    p.add_argument("--unfreeze", type=int, default=2)
    p.add_argument("--lr", type=float, default=None, help="base learning rate (default: the strategy's)")
    p.add_argument("--layer-decay", type=float, default=0.75, help="full: per-stage learning-rate decay factor")
    p.add_argument("--head-lr-scale", type=float, default=10.0, help="partial/full: the new head's rate multiplier")
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--warmup-epochs", type=float, default=0.5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--augment", choices=AUGMENTS, default="light")
    p.add_argument("--patience", type=int, default=3)
    p.add_argument("--head-hidden", type=int, default=0)
    p.add_argument("--head-dropout", type=float, default=0.0)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--device", choices=DEVICES, default="auto")
    p.add_argument("--out", default=None, help="run folder (default: <data dir>/runs/<new id>)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    p = add_command(sub, "predict", "classify images with a finished fine-tuning run", _cli_predict, _text_predict)
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--run", required=True, help="the run folder (or its export folder)")
    p.add_argument("--top", type=int, default=5)
    p = add_command(sub, "estimate", "time a few training steps and estimate the seconds per epoch",
                    _cli_estimate, lambda r: f"about {r['first_epoch_seconds']:.1f} s for the first epoch, "
                                             f"{r['later_epoch_seconds']:.1f} s for each later one ({r['device']}, "
                                             f"{r['image_size']} px, batch {r['batch_size']})")
    p.add_argument("--data", required=True)
    p.add_argument("--model", default="tf_efficientnet_lite0")
    p.add_argument("--strategy", choices=STRATEGIES, default="linear_probe")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--image-size", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--device", choices=DEVICES, default="auto")

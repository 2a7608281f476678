"""Why did the model say that? Five attribution methods, all through Captum, on one image.

=============  ==========================================================  ==========================
method          what the map is                                             cost (forward passes)
=============  ==========================================================  ==========================
saliency        |d score / d pixel| (Simonyan et al. 2014)                  1 (+ backward)
ig              Integrated Gradients (Sundararajan et al. 2017): the        ``steps`` (+ backward)
                gradient averaged on the straight path from a baseline
                image, times the difference; it sums to f(x) - f(base)
smoothgrad      input gradients averaged over noisy copies (Smilkov 2017)   ``samples`` (+ backward)
gradcam         Grad-CAM (Selvaraju et al. 2017): a convolutional stage's   1 (+ backward)
                maps weighted by their mean gradient, ReLU, upsampled
occlusion       how much the score falls when a black square hides each     one per window position
                region (Zeiler & Fergus 2014)
=============  ==========================================================  ==========================

The score explained is the target class's logit; the probability shown beside it is the softmax's. Pixel
methods give one value per pixel and colour channel; the map sums the channels' absolute values (so
``--save-array`` writes an H×W map). Everything runs on a private copy of the model (see
``core.saliency.subject.private_copy``): the shared model keeps its mode, flags and hooks.
"""
from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Callable, Optional

import numpy as np
import torch
from torch import nn

from core.errors import UserError
from core.saliency.subject import Subject, private_model, seen

METHODS = ("saliency", "ig", "smoothgrad", "gradcam", "occlusion")
PIXEL_METHODS = ("saliency", "ig", "smoothgrad")
FAST_METHODS = ("saliency", "gradcam", "smoothgrad", "ig")   # a few seconds at most on 2 CPU cores
BASELINES = ("black", "blur", "noise")


class Cancelled(Exception):
    """``should_stop()`` said stop; nothing is returned."""


def _opt(default, help: str, lo=None, hi=None, methods: tuple = (), choices: tuple = ()):
    """A setting: its default, help, bounds (inclusive), the methods it matters to, and its choices."""
    return field(default=default, metadata={"help": help, "min": lo, "max": hi, "methods": methods,
                                            "choices": choices})


@dataclass(frozen=True)
class SaliencySettings:
    """One attribution's settings. Only the fields of the chosen method matter (:meth:`relevant`)."""

    method: str = _opt("saliency", "attribution method", methods=METHODS, choices=METHODS)
    target: Optional[int] = _opt(None, "class index to explain (default: the predicted class)", methods=METHODS)
    steps: int = _opt(32, "Integrated Gradients: points on the path from the baseline", 2, 512, ("ig",))
    baseline: str = _opt("black", "Integrated Gradients: the image that means 'nothing'",
                                                  methods=("ig",), choices=BASELINES)
    batch: int = _opt(8, "images per forward pass inside a method (memory against speed)", 1, 256,
                                         ("ig", "smoothgrad", "occlusion"))
    samples: int = _opt(16, "SmoothGrad: noisy copies averaged", 1, 256, ("smoothgrad",))
    noise: float = _opt(0.15, "SmoothGrad: noise level, as a fraction of the input's range",
                                              0.0, 1.0, ("smoothgrad",))
    stage: Optional[str] = _opt(None, "Grad-CAM: the convolutional stage (default: the last one)",
                                methods=("gradcam",))
    window: int = _opt(32, "Occlusion: side of the hiding square, in input pixels", 2, 1024,
                                           ("occlusion",))
    stride: int = _opt(16, "Occlusion: step between squares, in input pixels", 1, 1024,
                                           ("occlusion",))
    seed: int = _opt(0, "random seed (SmoothGrad's noise, the noise baseline)", 0, 2**31 - 1,
                                        ("ig", "smoothgrad"))

    def relevant(self) -> dict:
        """The fields that change this method's result (for cache keys and the JSON record)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if self.method in f.metadata["methods"]}


@dataclass
class Explanation:
    """One map for one image and one target, with how it was made."""

    method: str
    target: int
    target_label: str
    score: float                      # the target's probability (softmax)
    logit: float
    convergence_delta: Optional[float]  # Integrated Gradients only: sum of attributions - (f(x) - f(baseline))
    seconds: float
    forwards: int                     # images that went through the model
    map: np.ndarray = field(repr=False)    # float32 [S, S]: magnitude (occlusion: signed score drop)
    image: np.ndarray = field(repr=False)  # uint8 [S, S, 3]: the picture as the model saw it
    settings: dict = field(default_factory=dict)
    stage: Optional[str] = None       # Grad-CAM's stage

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("map"), d.pop("image")
        return d


# ------------------------------------------------------------------------------------------------ checks
def check(settings: SaliencySettings, subject: Subject) -> SaliencySettings:
    """``settings`` checked against their bounds and the subject; the first problem is one sentence."""
    if settings.method not in METHODS:
        raise UserError.of("saliency.unknown_method", method=str(settings.method), methods=", ".join(METHODS))
    for f in fields(settings):
        lo, hi, value = f.metadata.get("min"), f.metadata.get("max"), getattr(settings, f.name)
        if lo is not None and not (lo <= value <= hi):
            raise UserError.of("saliency.out_of_range", setting=f.name, value=value, lo=lo, hi=hi)
        if f.metadata.get("choices") and value not in f.metadata["choices"]:
            raise UserError.of("saliency.bad_choice", setting=f.name, value=str(value),
                               choices=", ".join(f.metadata["choices"]))
    n = len(subject.labels)
    if settings.target is not None and not (0 <= int(settings.target) < n):
        raise UserError.of("saliency.bad_target", target=int(settings.target), last=n - 1)
    if settings.method == "occlusion":
        size = subject.input_size
        if settings.window > size:
            raise UserError.of("saliency.window_too_big", window=settings.window, size=size)
        if settings.stride > settings.window:
            raise UserError.of("saliency.stride_too_big", stride=settings.stride, window=settings.window)
    return settings


def forward_count(settings: SaliencySettings, input_size: int) -> int:
    """Images one attribution sends through the model (what its time is proportional to)."""
    m = settings.method
    if m == "ig":
        return settings.steps + 2          # the path, plus f(x) and f(baseline) for the convergence delta
    if m == "smoothgrad":
        return settings.samples
    if m == "occlusion":
        per_side = int(np.ceil((input_size - settings.window) / settings.stride)) + 1
        return per_side * per_side + 1     # every window position, plus the image itself
    return 1


def pace(subject: Subject, batch: int = 8) -> float:
    """Seconds per image of a forward pass without gradients on this machine (one timed batch of ``batch``
    after a warm-up), to tell a person how long occlusion will take before it starts."""
    x = torch.zeros(batch, 3, subject.input_size, subject.input_size).contiguous(memory_format=torch.channels_last)
    with private_model(subject) as model, torch.no_grad():
        model(x[:1])
        t0 = time.perf_counter()
        model(x)
    return (time.perf_counter() - t0) / batch


# --------------------------------------------------------------------------------------- conv stages
def conv_stages(model: nn.Module, input_size: int) -> list:
    """The stages whose output is a spatial map (C, H, W), where Grad-CAM can look; none when the network goes on
    in tokens (a ViT's patch embedding is a convolution, but what decides is the transformer after it)."""
    from core.zoo import model_stages
    body = [s for s in model_stages(model, int(input_size)) if s.name != "head"]
    if any(len(s.out_shape) != 3 for s in body):
        return []
    return body


_STAGE_PATHS: dict = {}   # (subject key, input size, stage asked) -> (stage name, module path): one forward each
_STAGE_LOCK = threading.Lock()


def gradcam_layer(model: nn.Module, input_size: int, stage: Optional[str], key: Optional[str] = None
                  ) -> tuple[str, nn.Module]:
    """(stage name, the module whose output Grad-CAM weighs): the stage's last module; default the last stage.

    ``key`` (the subject's) remembers the answer, which otherwise costs a forward pass to find the stages."""
    memo = (key, int(input_size), stage) if key is not None else None
    with _STAGE_LOCK:
        found = _STAGE_PATHS.get(memo)
    if found is None:
        stages = conv_stages(model, input_size)
        if not stages:
            raise UserError.of("saliency.gradcam_needs_conv", model=type(model).__name__)
        names = [s.name for s in stages]
        chosen = stages[-1] if stage is None else next((s for s in stages if s.name == stage), None)
        if chosen is None:
            raise UserError.of("saliency.unknown_stage", stage=str(stage), stages=", ".join(names))
        found = (chosen.name, chosen.modules[-1])
        if memo is not None:
            with _STAGE_LOCK:
                if len(_STAGE_PATHS) > 256:
                    _STAGE_PATHS.clear()
                _STAGE_PATHS[memo] = found
    return found[0], model.get_submodule(found[1])


# ----------------------------------------------------------------------------------------- baselines
def baseline(kind: str, image_u8: np.ndarray, subject: Subject, seed: int = 0) -> torch.Tensor:
    """The 'nothing' image, normalised like the input: ``black`` (pixels 0, which after normalisation is not
    the zero tensor), ``blur`` (the image under a strong Gaussian blur: shapes gone, colours kept) or
    ``noise`` (uniform random pixels, seeded)."""
    from torchvision.transforms.v2 import functional as TF
    u8 = torch.from_numpy(np.ascontiguousarray(image_u8)).permute(2, 0, 1)
    if kind == "black":
        pic = torch.zeros_like(u8)
    elif kind == "blur":
        sigma = max(1.0, u8.shape[-1] / 16)
        k = int(2 * round(3 * sigma) + 1)
        pic = TF.gaussian_blur(u8.float(), [k, k], [sigma, sigma]).round().clamp(0, 255).to(torch.uint8)
    elif kind == "noise":
        gen = torch.Generator().manual_seed(int(seed))
        pic = torch.randint(0, 256, u8.shape, generator=gen, dtype=torch.uint8)
    else:
        raise UserError.of("saliency.bad_choice", setting="baseline", value=str(kind), choices=", ".join(BASELINES))
    return subject.preprocess.normalization()(pic).unsqueeze(0)


# ---------------------------------------------------------------------------------------- progress
class _Counted(nn.Module):
    """The model, counting the images it sees: progress for the caller and a place to stop between batches."""

    def __init__(self, model: nn.Module, total: int, on_progress, should_stop):
        super().__init__()
        self.model, self.total, self.done = model, max(1, int(total)), 0
        self.on_progress, self.should_stop = on_progress, should_stop

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.should_stop is not None and self.should_stop():
            raise Cancelled()
        out = self.model(x.contiguous(memory_format=torch.channels_last))
        self.done += int(x.shape[0])
        if self.on_progress is not None:
            self.on_progress(min(1.0, self.done / self.total))
        return out


# ------------------------------------------------------------------------------------------ explain
def explain(subject: Subject, image, settings: SaliencySettings = SaliencySettings(),
            on_progress: Optional[Callable[[float], None]] = None,
            should_stop: Optional[Callable[[], bool]] = None, model: Optional[nn.Module] = None) -> Explanation:
    """The ``settings.method`` map of ``image`` (a PIL image) for ``subject``.

    Args:
        on_progress: called with the fraction done (0–1) after each forward batch.
        should_stop: asked before each forward batch; True raises :class:`Cancelled`.
        model: the model to attribute instead of a fresh private copy of ``subject.model`` (the randomisation
            check passes its own randomised copies); it must take ``seen(subject, image)``'s tensor.

    Raises:
        UserError: settings out of range, a target the model does not have, Grad-CAM on a model with no
            convolutional stage.
    """
    settings = check(settings, subject)
    image_u8, x = seen(subject, image)
    if model is not None:
        return attribute(subject, image_u8, x, settings, model, on_progress, should_stop)
    with private_model(subject) as own:
        return attribute(subject, image_u8, x, settings, own, on_progress, should_stop)


def attribute(subject: Subject, image_u8: np.ndarray, x: torch.Tensor, settings: SaliencySettings,
              model: nn.Module, on_progress=None, should_stop=None) -> Explanation:
    """:func:`explain` on an already prepared input and private model (shared by the trust checks)."""
    from captum.attr import (IntegratedGradients, LayerAttribution, LayerGradCam, NoiseTunnel, Occlusion,
                             Saliency)
    t0 = time.perf_counter()
    x = torch.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)   # a NaN would poison SmoothGrad's noise level
    size = x.shape[-1]
    counted = _Counted(model, forward_count(settings, size) + 1, on_progress, should_stop)
    with torch.no_grad():
        logits = counted(x).float()
    target = int(logits.argmax(-1)) if settings.target is None else int(settings.target)
    delta, stage = None, None
    m = settings.method
    xg = x.clone().requires_grad_(m != "occlusion")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(settings.seed))
        if m == "saliency":
            attr = Saliency(counted).attribute(xg, target=target, abs=True)
        elif m == "ig":
            base = baseline(settings.baseline, image_u8, subject, settings.seed)
            attr, d = IntegratedGradients(counted).attribute(
                xg, baselines=base, target=target, n_steps=settings.steps, internal_batch_size=settings.batch,
                return_convergence_delta=True)
            delta = float(d.sum())
        elif m == "smoothgrad":
            sigma = float(settings.noise) * float(x.max() - x.min())
            attr = NoiseTunnel(Saliency(counted)).attribute(
                xg, nt_type="smoothgrad", nt_samples=settings.samples, nt_samples_batch_size=settings.batch,
                stdevs=sigma, target=target, abs=True)
        elif m == "gradcam":
            stage, layer = gradcam_layer(model, size, settings.stage, subject.key)
            cam = LayerGradCam(counted, layer).attribute(xg, target=target, relu_attributions=True)
            attr = LayerAttribution.interpolate(cam, (size, size), interpolate_mode="bilinear")
        else:  # occlusion
            base = baseline("black", image_u8, subject)
            w, s = int(settings.window), int(settings.stride)
            with torch.no_grad():
                attr = Occlusion(counted).attribute(xg, sliding_window_shapes=(3, w, w), strides=(3, s, s),
                                                    baselines=base, target=target,
                                                    perturbations_per_eval=settings.batch)
    a = attr.detach().float()[0]
    if m in PIXEL_METHODS:
        heat = a.abs().sum(0)
    elif m == "occlusion":
        heat = a.mean(0)       # the same drop on the three channels a window covers
    else:
        heat = a[0]
    heat = np.nan_to_num(heat.numpy().astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    prob = logits.softmax(-1)[0, target]
    return Explanation(m, target, subject.label(target), round(float(prob), 6), round(float(logits[0, target]), 6),
                       None if delta is None else round(delta, 6), round(time.perf_counter() - t0, 4),
                       counted.done, heat, image_u8, settings.relevant(), stage)


def display(heat: np.ndarray, signed: bool = False) -> np.ndarray:
    """A map scaled to [0, 1] for drawing: values over the 99th percentile saturate (one hot pixel would
    otherwise darken the rest); a flat map stays flat (zeros, never NaN). ``signed``: only the positive part
    counts (occlusion's score drops; a rise means the region spoke against the class)."""
    m = np.nan_to_num(np.asarray(heat, dtype=np.float64))
    m = np.clip(m, 0, None) if signed else np.abs(m)
    if m.size == 0 or m.max() == m.min():   # no pixel matters more than another: nothing to show
        return np.zeros(m.shape, dtype=np.float32)
    top = float(np.percentile(m, 99)) if m.size else 0.0
    if top <= 0:
        top = float(m.max()) if m.size else 0.0
    if top <= 0 or not np.isfinite(top):
        return np.zeros(m.shape, dtype=np.float32)
    return np.clip(m / top, 0, 1).astype(np.float32)


def with_method(settings: SaliencySettings, method: str) -> SaliencySettings:
    return replace(settings, method=method)

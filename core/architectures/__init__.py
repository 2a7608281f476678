"""Architecture profiles: parameters, MACs/FLOPs, receptive field, depth, activations, latency, top-1.

``profile(name, size)`` builds the catalog model *on the meta device* (no weights are allocated: VGG-19 costs
no memory) and runs one forward pass under two watchers at once: ``torch.utils.flop_counter.FlopCounterMode``
counts the multiply-accumulates of every layer, and ``core.receptive_field.FieldTracker`` follows the
receptive field through the real module graph. Stages come from ``core.zoo.model_stages``, the same stages
fine-tuning unfreezes.

Speed: the pass runs on meta tensors, where torch computes most element-wise ops with slow Python reference
kernels; ``_MetaTracker`` gives those calls their shape directly (nothing ``FlopCounterMode`` counts is
skipped, and a test compares both ways). ``profile_many`` forks workers. All 24 catalog models take about 4 s
from a cold start on 2 cores, imports included (``benchmarks/bench_architectures.py``).

Words used here: a **MAC** is one multiply-accumulate; **FLOPs** = 2 × MACs (one multiply and one add).
torchvision publishes GMACs under the name ``_ops``; papers often say "FLOPs" when they mean MACs.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import logging
import math
import multiprocessing
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from core import zoo
from core.errors import UserError
from core.receptive_field import FieldTracker

_log = logging.getLogger(__name__)

MAX_INPUT_SIZE = 1024
# timm's pretrained configs carry no accuracy; these are timm's own published evaluations of the same weights.
_TIMM_RESULTS_SOURCE = ("timm results/results-imagenet.csv (huggingface/pytorch-image-models, "
                        "commit 0173a139), {tag}")
_TIMM_TOP1 = {"tf_efficientnet_lite0": (74.830, "tf_efficientnet_lite0.in1k"),
              "tf_efficientnet_lite1": (76.644, "tf_efficientnet_lite1.in1k"),
              "tf_efficientnet_lite2": (77.464, "tf_efficientnet_lite2.in1k")}
_WEIGHT_LAYERS = {nn.Conv1d: 1, nn.Conv2d: 1, nn.Conv3d: 1, nn.Linear: 1, nn.MultiheadAttention: 2}


# ------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class StageProfile:
    name: str
    modules: tuple
    out_shape: tuple
    params: int
    macs: Optional[int]
    receptive_field: Optional[int]
    effective_stride: Optional[int]
    effective_padding: Optional[int]
    global_context: bool
    field_start: Optional[tuple] = None   # (row, col) of the first input pixel seen by cell (0, 0)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)  # flat fields: much cheaper than asdict's deep copy, called per stage and layer
        d["modules"], d["out_shape"] = list(self.modules), list(self.out_shape)
        d["field_start"] = list(self.field_start) if self.field_start else None
        return d


@dataclass(frozen=True)
class LayerRow:
    name: str
    type: str
    kernel: str
    stride: str
    padding: str
    out_shape: tuple
    params: int
    macs: Optional[int]
    receptive_field: Optional[int]
    effective_stride: Optional[int]
    channels: Optional[int] = None   # output channels (filters) of a convolution

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["out_shape"] = list(self.out_shape)
        return d


@dataclass(frozen=True)
class Profile:
    """Everything the architecture page shows about one model at one input size."""

    model: str
    label: str
    family: str
    year: int
    input_size: tuple                 # (C, H, W)
    params: int
    trainable_params: int
    classifier_params: int
    macs: Optional[int]               # multiply-accumulates for one image
    flops_error: Optional[str]        # why MACs are unavailable, if they are
    counted_on: str                   # "meta" (no weights allocated) or "cpu"
    receptive_field: Optional[int]    # at the final feature map
    effective_stride: Optional[int]
    effective_padding: Optional[int]
    global_context: bool              # some layer mixes all positions (SE gates, attention)
    depth: Optional[int]              # weight layers (conv/linear) on the longest input-output path
    activation_bytes: Optional[int]   # float32 layer outputs for one image (what training keeps)
    stages: tuple
    layers: tuple
    top1: Optional[float]
    top1_source: str
    published: Optional[dict] = None
    note: str = ""

    @property
    def flops(self) -> Optional[int]:
        return None if self.macs is None else 2 * self.macs

    @property
    def classifier_share(self) -> float:
        return self.classifier_params / self.params if self.params else 0.0

    @property
    def first_conv(self) -> Optional[LayerRow]:
        return next((r for r in self.layers if r.type.startswith("Conv")), None)

    def to_dict(self, layers: bool = True) -> dict:
        d = {"model": self.model, "label": self.label, "family": self.family, "year": self.year,
             "input_size": list(self.input_size), "params": self.params,
             "trainable_params": self.trainable_params, "classifier_params": self.classifier_params,
             "classifier_share": round(self.classifier_share, 4), "macs": self.macs, "flops": self.flops,
             "flops_error": self.flops_error, "counted_on": self.counted_on,
             "receptive_field": self.receptive_field, "effective_stride": self.effective_stride,
             "effective_padding": self.effective_padding, "global_context": self.global_context,
             "depth": self.depth, "activation_bytes": self.activation_bytes,
             "stages": [s.to_dict() for s in self.stages], "top1": self.top1, "top1_source": self.top1_source,
             "published": self.published, "note": self.note}
        if layers:
            d["layers"] = [r.to_dict() for r in self.layers]
        return d


# ------------------------------------------------------------------------------------------ building
@contextlib.contextmanager
def _parameters_on_meta():
    """Move each parameter and buffer to the meta device the moment a module registers it.

    For constructors that need real tensors while they run (torchvision's RegNet computes its widths with
    ``.tolist()``), so the model can still be built without allocating its weights.
    """
    register_parameter, register_buffer = nn.Module.register_parameter, nn.Module.register_buffer

    def param(self, name, value):
        if value is not None and value.device.type != "meta":
            value = nn.Parameter(torch.empty_like(value, device="meta"), requires_grad=value.requires_grad)
        register_parameter(self, name, value)

    def buffer(self, name, value, persistent=True):
        if value is not None and value.device.type != "meta":
            value = torch.empty_like(value, device="meta")
        register_buffer(self, name, value, persistent)

    nn.Module.register_parameter, nn.Module.register_buffer = param, buffer
    try:
        yield
    finally:
        nn.Module.register_parameter, nn.Module.register_buffer = register_parameter, register_buffer


_INIT_FILLS = {"uniform_", "normal_", "trunc_normal_", "constant_", "zeros_", "ones_", "zero_", "fill_", "erfinv_",
               "kaiming_uniform_", "kaiming_normal_", "xavier_uniform_", "xavier_normal_", "orthogonal_"}


class _NoFillsOnMeta(TorchFunctionMode):
    """Skips weight initialisation on meta tensors: they hold no values to fill, yet ``normal_`` alone runs a
    Python reference implementation per call (a third of building a model on meta)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if getattr(func, "__name__", "") in _INIT_FILLS:
            t = args[0] if args else kwargs.get("tensor")  # ``nn.init`` functions pass theirs by keyword
            if isinstance(t, torch.Tensor) and t.is_meta:
                return t
        return func(*args, **kwargs)


# Calls whose result on the meta device is a tensor shaped like their first argument, and whose inplace flag
# (when there is one) sits at this position; none of them is a multiply-accumulate that ``FlopCounterMode``
# counts (it counts matrix products, convolutions and attention only).
_SAME_SHAPE = {"relu": 1, "relu6": 1, "hardtanh": 3, "hardswish": 1, "hardsigmoid": 1, "silu": 1, "mish": 1,
               "leaky_relu": 2, "elu": 2, "gelu": None, "sigmoid": None, "tanh": None, "layer_norm": None,
               "group_norm": None, "clamp": None}
_SAME_SHAPE_INPLACE = {"relu_", "hardtanh_", "clamp_", "sigmoid_", "tanh_", "leaky_relu_", "elu_"}
_BINARY = {"add", "sub", "mul", "div", "__add__", "__radd__", "__sub__", "__mul__", "__rmul__", "__truediv__"}
_BINARY_INPLACE = {"add_", "sub_", "mul_", "div_", "__iadd__", "__isub__", "__imul__", "__itruediv__"}
_no_dispatch = getattr(torch._C, "_DisableTorchDispatch", contextlib.nullcontext)


def _empty_meta(shape, dtype) -> torch.Tensor:
    with _no_dispatch():  # a bare allocation on meta: nothing for the flop counter to see
        return torch.empty(shape, dtype=dtype, device="meta")


class _MetaTracker(FieldTracker):
    """The field tracker, computing shape-only results directly for the calls that need no kernel on meta.

    On the meta device torch runs most element-wise operations through Python reference implementations
    (``hardtanh`` alone, i.e. ReLU6, costs about 0.8 ms a call under the flop counter); eval batch norm is a
    Python decomposition into a dozen such ops. Their result is only a shape, known in advance: the input's
    shape for activations, normalisations and dropout, the broadcast shape for element-wise arithmetic, and
    the input itself for in-place variants. None of them is counted by ``FlopCounterMode``, so the counts,
    shapes and fields are the same as with the full kernels (``tests/test_architectures.py`` compares both).
    Anything else, or any call that is not a plain contiguous meta tensor case, runs as usual.
    """

    def compute(self, func, args, kwargs):
        name = getattr(func, "__name__", "")
        x = args[0] if args else None
        if not (isinstance(x, torch.Tensor) and x.is_meta and x.is_contiguous()) or "out" in kwargs:
            return func(*args, **kwargs)
        if name in _SAME_SHAPE and not (name == "clamp" and any(  # tensor bounds could broadcast
                isinstance(a, torch.Tensor) for a in (*args[1:], *kwargs.values()))):
            at = _SAME_SHAPE[name]
            if kwargs.get("inplace") or (at is not None and len(args) > at and args[at] is True):
                return x
            return _empty_meta(x.shape, x.dtype)
        if name in _SAME_SHAPE_INPLACE:
            return x
        if name in ("dropout", "dropout2d"):  # in eval, torch returns the input itself
            training = kwargs["training"] if "training" in kwargs else len(args) <= 2 or args[2]
            if not training:
                return x
            return func(*args, **kwargs)
        if name == "batch_norm" and not (kwargs["training"] if "training" in kwargs else len(args) > 5 and args[5]):
            return _empty_meta(x.shape, x.dtype)
        if (name in _BINARY or name in _BINARY_INPLACE) and len(args) == 2:
            y = args[1]
            if isinstance(y, torch.Tensor):
                if y.dtype != x.dtype or not y.is_meta or not y.is_contiguous():
                    return func(*args, **kwargs)
                shape = x.shape if y.shape == x.shape else torch.broadcast_shapes(x.shape, y.shape)
            elif isinstance(y, (int, float)) and not isinstance(y, bool) and x.is_floating_point():
                shape = x.shape
            else:
                return func(*args, **kwargs)
            if name in _BINARY_INPLACE:
                return x if shape == x.shape else func(*args, **kwargs)
            return _empty_meta(shape, x.dtype)
        return func(*args, **kwargs)


def skeleton(entry: zoo.ModelEntry, device: str = "meta") -> nn.Module:
    """The catalog model with random (or no) weights, as ``build_model`` shapes it (auxiliary heads dropped).

    ``device="meta"`` allocates nothing; constructors that fail on meta are built with their parameters moved
    to meta as they are registered.
    """
    if device == "meta":
        try:
            with _NoFillsOnMeta():
                model = zoo.construct(entry, for_pretrained=False, device="meta")
        except Exception as exc:  # noqa: BLE001 - e.g. RegNet: "Cannot copy out of meta tensor"
            _log.info("meta build of %s failed (%s); moving parameters at registration", entry.name, exc)
            with _parameters_on_meta():
                model = zoo.construct(entry, for_pretrained=False, device="cpu")
    else:
        model = zoo.construct(entry, for_pretrained=False, device=device)
    return model.eval()


def _device_of(model: nn.Module) -> torch.device:
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


def _runs(model: nn.Module, size: int) -> bool:
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, size, size, device=_device_of(model)))
        return True
    except Exception:  # noqa: BLE001 - any failure means "does not run at this size"
        return False


@functools.lru_cache(maxsize=64)
def min_input_size(name: str) -> int:
    """The smallest square input (pixels) that the catalog model runs at, found by bisection on meta."""
    entry = zoo.get_entry(name)
    model = skeleton(entry)
    lo, hi = 1, entry.input_size
    if not _runs(model, hi):
        return hi
    while lo < hi:
        mid = (lo + hi) // 2
        if _runs(model, mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


# ---------------------------------------------------------------------------------------- top-1, meta
def top1_for(entry: zoo.ModelEntry) -> tuple[Optional[float], str]:
    """ImageNet-1k top-1 (%) of the model's default pretrained weights, and where the number comes from."""
    if entry.library == "torchvision":
        w = zoo.torchvision_weights(entry.name)
        if w is not None:
            acc = w.meta.get("_metrics", {}).get("ImageNet-1K", {}).get("acc@1")
            if acc is not None:
                return float(acc), f"torchvision weights metadata ({w})"
        return None, "torchvision publishes no ImageNet-1K accuracy for these weights"
    cfg = zoo.timm_pretrained_cfg(entry.name)
    for key in ("top1", "acc1", "top1_acc"):
        if cfg.get(key) is not None:
            return float(cfg[key]), f"timm pretrained config ({entry.name})"
    if entry.name in _TIMM_TOP1:
        acc, tag = _TIMM_TOP1[entry.name]
        return acc, _TIMM_RESULTS_SOURCE.format(tag=tag)
    return None, "timm's pretrained config carries no accuracy for this model"


def published_for(entry: zoo.ModelEntry) -> Optional[dict]:
    """torchvision's published parameter count and GMACs (``_ops``) for the default weights."""
    if entry.library != "torchvision":
        return None
    w = zoo.torchvision_weights(entry.name)
    if w is None:
        return None
    size = w.transforms().crop_size[0] if hasattr(w.transforms(), "crop_size") else entry.input_size
    return {"params": w.meta.get("num_params"), "gmacs": w.meta.get("_ops"), "input_size": int(size),
            "source": f"torchvision weights metadata ({w})"}


# ------------------------------------------------------------------------------------------ measuring
def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (tuple, list)):
        return "×".join(str(int(x)) for x in v) if len(set(v)) > 1 else str(int(v[0]))
    return str(v)


def _kernel(mod: nn.Module) -> tuple[str, str, str]:
    k = getattr(mod, "kernel_size", None)
    if k is None:
        return "", "", ""
    k = k if isinstance(k, (tuple, list)) else (k, k)
    s = getattr(mod, "stride", None)
    s = k if s in (None, [], ()) else s
    s = s if isinstance(s, (tuple, list)) else (s, s)
    p = getattr(mod, "padding", 0)
    p = p if isinstance(p, str) else (p if isinstance(p, (tuple, list)) else (p, p))
    k_txt = "×".join(str(int(x)) for x in k)
    return k_txt, _fmt(s), p if isinstance(p, str) else _fmt(p)


def _first_tensor(out):
    if isinstance(out, torch.Tensor):
        return out
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    return None


def _measure(model: nn.Module, size: int, count_flops: bool) -> dict:
    """One forward pass with the flop counter, the field tracker and per-module hooks."""
    from torch.utils.flop_counter import FlopCounterMode

    device = _device_of(model)
    tracker = _MetaTracker() if device.type == "meta" else FieldTracker()
    records: dict[str, dict] = {}
    seen_outputs: set = set()
    act = {"bytes": 0}
    keep = []

    names = {id(m): n for n, m in model.named_modules() if n}

    def hook(mod, inp, out):
        name = names.get(id(mod))
        if name is None:  # the model itself, or a module of another model running meanwhile
            return
        with torch._C.DisableTorchFunction():  # plain reads below: keep them out of the tracker
            t = _first_tensor(out)
            if t is None:
                return
            for cls, n in _WEIGHT_LAYERS.items():
                if isinstance(mod, cls):
                    tracker.add_depth(t, n)
                    break
            records[name] = {"shape": tuple(t.shape[1:]), "info": tracker.get(t)}
            if id(t) not in seen_outputs and t._base is None:
                seen_outputs.add(id(t))
                keep.append(t)
                act["bytes"] += math.prod(t.shape[1:]) * 4 if t.dim() > 0 else 4

    # one global hook rather than one handle per module (thousands in a ResNet-152)
    handle = nn.modules.module.register_module_forward_hook(hook)
    counter = FlopCounterMode(display=False) if count_flops else contextlib.nullcontext()
    x = torch.zeros(1, 3, size, size, device=device)
    try:
        with torch.no_grad(), counter, tracker:
            tracker.seed(x)
            out = model(x)
    finally:
        handle.remove()
    out_info = tracker.get(_first_tensor(out))
    counts = None
    if count_flops:
        root = type(model).__name__
        raw = counter.get_flop_counts()
        counts = {"": sum(raw.get("Global", {}).values())}
        for key, ops in raw.items():
            if key.startswith(root + "."):
                counts[key[len(root) + 1:]] = sum(ops.values())
    depth = out_info.depth if out_info is not None else None
    return {"records": records, "counts": counts, "depth": depth, "activation_bytes": act["bytes"]}


def _layer_rows(model: nn.Module, records: dict, counts: Optional[dict]) -> list[LayerRow]:
    called = set(records)
    has_called_child = {n.rpartition(".")[0] for n in called if "." in n}
    rows = []
    for name, mod in model.named_modules():
        if not name or name not in called:
            continue
        leaf = name not in has_called_child
        own = sum(p.numel() for p in mod.parameters(recurse=leaf))
        if not leaf and own == 0:
            continue
        rec = records[name]
        info = rec["info"]
        k, s, p = _kernel(mod) if leaf else ("", "", "")
        macs = counts.get(name, 0) // 2 if counts is not None and leaf else (None if counts is None else 0)
        rows.append(LayerRow(name, type(mod).__name__, k, s, p, rec["shape"], own, macs,
                             info.field.size if info is not None and info.field is not None else None,
                             info.field.stride if info is not None and info.field is not None else None,
                             getattr(mod, "out_channels", None)))
    return rows


def _measure_counted(model: nn.Module, size: int, entry: zoo.ModelEntry) -> tuple[dict, Optional[str]]:
    """``_measure`` with the flop counter; if only the counter fails, again without it, and say why."""
    try:
        return _measure(model, size, count_flops=True), None
    except Exception as exc:  # noqa: BLE001 - counted without MACs, reason shown
        _log.warning("flop counting failed for %s: %s", entry.name, exc)
        reason = f"the FLOP counter cannot trace this model ({type(exc).__name__}: {str(exc)[:160]})"
        return _measure(model, size, count_flops=False), reason


def profile_module(model: nn.Module, input_size: int, entry: Optional[zoo.ModelEntry] = None,
                   counted_on: Optional[str] = None, cpu_fallback: Optional[Callable[[], nn.Module]] = None
                   ) -> Profile:
    """Profile any ImageNet-shaped classifier (meta or real tensors) at a square ``input_size``.

    Args:
        cpu_fallback: makes a real CPU copy of the model; used when the model cannot run on the meta device
            (data-dependent code such as ``.numpy()`` or ``nonzero()``), and only then.

    If the flop counter fails, MACs are reported as unavailable with the reason and the rest is still computed.
    """
    entry = entry or zoo.ModelEntry(type(model).__name__.lower(), type(model).__name__, "", 0, "", "custom")
    model.eval()
    try:
        m, flops_error = _measure_counted(model, input_size, entry)
    except Exception:
        if cpu_fallback is None or _device_of(model).type != "meta":
            raise
        # data-dependent code (``.numpy()``, ``nonzero()``) cannot run on meta: count on a real CPU copy
        _log.info("%s cannot run on the meta device; profiling a CPU build", type(model).__name__)
        model, counted_on = cpu_fallback().eval(), "cpu"
        m, flops_error = _measure_counted(model, input_size, entry)
    # the same forward pass gives the stages their output shapes: one pass per profile, not three
    stages = zoo.model_stages(model, input_size, shapes={n: r["shape"] for n, r in m["records"].items()})
    records, counts = m["records"], m["counts"]
    owner = zoo.stage_of_parameter(stages)
    per_stage = [0] * len(stages)
    total = trainable = 0
    for pname, p in model.named_parameters():
        per_stage[owner(pname)] += p.numel()
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    stage_rows = []
    for st, n_params in zip(stages, per_stage):
        macs = None if counts is None else sum(counts.get(mn, 0) for mn in st.modules) // 2
        last = next((mn for mn in reversed(st.modules) if mn in records), None)
        info = records[last]["info"] if last else None
        fld = info.field if info is not None and st.name != "head" else None
        stage_rows.append(StageProfile(
            st.name, tuple(st.modules), tuple(st.out_shape), n_params, macs,
            fld.size if fld else None, fld.stride if fld else None, fld.padding if fld else None,
            bool(info.global_context) if info is not None and st.name != "head" else st.name == "head",
            (fld.h.start, fld.w.start) if fld else None))
    final = next((s for s in reversed(stage_rows) if s.name != "head"), None)
    top1, source = top1_for(entry) if entry.library in ("torchvision", "timm") else (None, "not a catalog model")
    try:
        published = published_for(entry)
    except Exception:  # noqa: BLE001 - metadata is optional
        published = None
    return Profile(
        model=entry.name, label=entry.label, family=entry.family, year=entry.year,
        input_size=(3, input_size, input_size), params=total, trainable_params=trainable,
        classifier_params=per_stage[-1], macs=None if counts is None else counts[""] // 2,
        flops_error=flops_error, counted_on=counted_on or _device_of(model).type,
        receptive_field=final.receptive_field if final else None,
        effective_stride=final.effective_stride if final else None,
        effective_padding=final.effective_padding if final else None,
        global_context=final.global_context if final else False,
        depth=m["depth"], activation_bytes=m["activation_bytes"], stages=tuple(stage_rows),
        layers=tuple(_layer_rows(model, records, counts)), top1=top1, top1_source=source,
        published=published, note=entry.note)


def _size_error(entry: zoo.ModelEntry, size: int) -> UserError:
    """The forward pass fails at ``size``: too small for the model, or a size it does not take."""
    smallest = min_input_size(entry.name)
    if size < smallest:
        return UserError.of("architectures.too_small", model=entry.label, smallest=smallest, size=size)
    return UserError.of("architectures.does_not_run", model=entry.label, size=size, default=entry.input_size)


def profile(name: str, input_size: Optional[int] = None) -> Profile:
    """Profile a catalog model (or any timm name) at ``input_size`` (default: the model's own size).

    Raises:
        UserError: unknown name (with the closest names), an input too small for the model (with the
            smallest size that works), or a model that cannot run at all.
    """
    entry = zoo.get_entry(name)
    size = int(input_size or entry.input_size)
    if not 1 <= size <= MAX_INPUT_SIZE:
        raise UserError.of("architectures.size_out_of_range", size=size, max=MAX_INPUT_SIZE)
    model = skeleton(entry)

    def cpu_copy() -> nn.Module:
        # the meta pass failed: a size the model cannot take gets the smallest size that works; otherwise the
        # model needs real tensors (data-dependent code), so it is built on the CPU
        if size != entry.input_size and not _runs(model, size) and _runs(model, entry.input_size):
            raise _size_error(entry, size)
        return skeleton(entry, device="cpu")

    try:
        return profile_module(model, size, entry, counted_on="meta", cpu_fallback=cpu_copy)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - the model cannot run at all at this size
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise UserError.of("architectures.cannot_run", model=entry.label, size=size, reason=reason) from None


def profile_or_error(name: str, input_size: Optional[int] = None, layers: bool = True) -> dict:
    """``profile(...).to_dict()``, or, when the model cannot be profiled, a row with ``error`` (one sentence)
    and whatever is still known (label, year, parameter count)."""
    try:
        return profile(name, input_size).to_dict(layers=layers)
    except UserError as exc:
        row = {"model": name, "error": str(exc)}
        if exc.key:  # so that a page can show the error in its language (UserError.restore(error, error_i18n))
            row["error_i18n"] = exc.record()
        try:
            entry = zoo.get_entry(name)
            row.update(model=entry.name, label=entry.label, family=entry.family, year=entry.year)
            row["params"] = sum(p.numel() for p in skeleton(entry).parameters())
        except Exception:  # noqa: BLE001 - an unknown name has nothing more to say
            pass
        return row


def compare(names: list[str], input_size: Optional[int] = None, workers: int = 2) -> list[dict]:
    """Summary rows for several models; a model that fails gets a row with its error and its parameters,
    and the others still come back."""
    return profile_many(names, input_size, workers=workers, layers=False)


def _can_fork() -> bool:
    """A fork copies only the calling thread: with other Python threads running (a Streamlit server) a lock
    one of them holds would stay locked in the child forever, so fork only from a single-threaded process."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _profile_batch(args: tuple) -> list[tuple[dict, float]]:
    names, input_size, layers = args
    done = []
    for name in names:
        t0 = time.perf_counter()
        row = profile_or_error(name, input_size, layers=layers)
        done.append((row, time.perf_counter() - t0))
    return done


def _worker_init() -> None:
    # the workers only touch meta tensors; one intra-op thread each keeps them from starting an OpenMP pool
    # (or from oversubscribing the cores if a CPU fallback build runs)
    torch.set_num_threads(1)


def _batches(names: list[str]) -> list[list[int]]:
    """Positions of ``names`` grouped into the workers' tasks: one model per task, except that every model that
    needs timm goes into one task, first, when timm is not imported yet. That worker imports timm (most of a
    second) while the other profiles torchvision models, instead of the parent importing it before the fork."""
    if "timm" in sys.modules:
        return [[i] for i in range(len(names))]
    is_tv = [getattr(zoo.CATALOG.get(n), "library", "") == "torchvision" for n in names]
    rest = [i for i, tv in enumerate(is_tv) if not tv]
    return ([rest] if rest else []) + [[i] for i, tv in enumerate(is_tv) if tv]


def profile_many(names: list[str], input_size: Optional[int] = None, workers: int = 2, layers: bool = True,
                 timings: Optional[dict] = None) -> list[dict]:
    """``profile_or_error`` for several models, in the order given, spread over ``workers`` processes.

    The workers are forked from this process after it has imported torchvision, so they do not each import it
    again (seconds on a cold start); timm is imported by the one worker that needs it (``_batches``). Profiling
    runs on the meta device and allocates no weights. With ``workers <= 1``, a single model, or where forking
    is not safe (no ``fork`` on the platform, or other threads running in this process) the models are
    profiled here, one by one.

    Args:
        timings: if given, filled with model name -> seconds spent profiling it (in its worker).
    """
    names = list(names)
    batches = _batches(names)
    workers = min(int(workers), len(batches))
    tasks = [([names[i] for i in batch], input_size, layers) for batch in batches]
    if workers > 1 and _can_fork():
        importlib.import_module("torchvision.models")  # every worker needs it: once here, before the fork
        # objects that exist now are never collected in the workers: without this a collection there would
        # touch (and so copy) every page of the parent's heap
        gc.freeze()
        try:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers, initializer=_worker_init) as pool:
                results = pool.map(_profile_batch, tasks, chunksize=1)
        finally:
            gc.unfreeze()
    else:
        results = [_profile_batch(t) for t in tasks]
    done: list = [None] * len(names)
    for batch, result in zip(batches, results):
        for i, row_seconds in zip(batch, result):
            done[i] = row_seconds
    if timings is not None:
        timings.update((n, s) for n, (_, s) in zip(names, done))
    return [row for row, _ in done]


# -------------------------------------------------------------------------------------------- latency
_LATENCY: dict = {}


def measure_latency(name: str, input_size: Optional[int] = None, batch_sizes=(1, 32), repeats: int = 5,
                    budget_s: float = 20.0, device: Optional[str] = None) -> dict:
    """Measured forward time on the current device (random weights; speed does not depend on them).

    One warm-up run, then up to ``repeats`` timed runs per batch size (fewer if ``budget_s`` runs out,
    never fewer than one); the median is reported. Results are cached per process.
    """
    from core.device import best_device
    entry = zoo.get_entry(name)
    size = int(input_size or entry.input_size)
    dev = torch.device(device) if device else best_device()
    key = (entry.name, size, tuple(batch_sizes), str(dev), repeats)
    if key in _LATENCY:
        return _LATENCY[key]
    if not _runs(skeleton(entry), size):
        raise _size_error(entry, size)
    model = skeleton(entry, device="cpu").to(dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    result = {"model": entry.name, "input_size": size, "device": str(dev), "threads": torch.get_num_threads(),
              "batches": {}}
    per_batch_budget = budget_s / max(1, len(batch_sizes))
    with torch.inference_mode():
        for bs in batch_sizes:
            x = torch.randn(int(bs), 3, size, size, device=dev)
            model(x)
            sync()
            times, start = [], time.perf_counter()
            while len(times) < repeats and (not times or time.perf_counter() - start < per_batch_budget):
                t0 = time.perf_counter()
                model(x)
                sync()
                times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            result["batches"][str(bs)] = {"median_ms": round(med * 1000, 2), "per_image_ms": round(med * 1000 / bs, 3),
                                          "images_per_s": round(bs / med, 1), "repeats": len(times)}
    del model
    _LATENCY[key] = result
    return result


# ------------------------------------------------------------------------------------------------ CLI
def _cli_profile(args) -> dict:
    prof = profile(args.model, args.size)
    d = prof.to_dict(layers=args.layers)
    keep_stage = ("name", "out_shape", "receptive_field", "effective_stride", "params", "macs")
    d["stages"] = [{k: s[k] for k in keep_stage} | {"effective_padding": s["effective_padding"],
                                                   "global_context": s["global_context"]} for s in d["stages"]]
    if args.latency:
        d["latency"] = measure_latency(args.model, args.size)
    return d


def _num(v, scale=1.0, fmt="{:,.2f}") -> str:
    return "n/a" if v is None else fmt.format(v / scale)


def _text_profile(d: dict) -> str:
    lines = [f"{d['label']} ({d['model']}) at {d['input_size'][1]}×{d['input_size'][2]}",
             f"  parameters      {d['params']:,} (trainable {d['trainable_params']:,}; classifier "
             f"{d['classifier_share']:.1%})",
             f"  MACs / FLOPs    {_num(d['macs'], 1e9)} GMACs / {_num(d['flops'], 1e9)} GFLOPs"
             + (f"  [{d['flops_error']}]" if d["flops_error"] else ""),
             (f"  receptive field {d['receptive_field']} px, effective stride {d['effective_stride']}, "
              f"effective padding {d['effective_padding']}" + ("  (+ global context)" if d["global_context"] else "")
              if d["receptive_field"] is not None else
              "  receptive field the whole image (attention mixes every position)"),
             f"  depth           {d['depth']} weight layers; activations {_num(d['activation_bytes'], 2**20)} MB/image",
             f"  ImageNet top-1  {d['top1'] if d['top1'] is not None else 'n/a'}  ({d['top1_source']})",
             "", f"  {'stage':8} {'output':>16} {'params':>13} {'GMACs':>8} {'RF':>5} {'stride':>6}"]
    for s in d["stages"]:
        shape = "×".join(map(str, s["out_shape"]))
        lines.append(f"  {s['name']:8} {shape:>16} {s['params']:>13,} {_num(s['macs'], 1e9, '{:.3f}'):>8} "
                     f"{s['receptive_field'] if s['receptive_field'] is not None else '-':>5} "
                     f"{s['effective_stride'] if s['effective_stride'] is not None else '-':>6}")
    if "latency" in d:
        for bs, r in d["latency"]["batches"].items():
            lines.append(f"  latency batch {bs}: {r['median_ms']} ms ({r['images_per_s']} img/s) on {d['latency']['device']}")
    return "\n".join(lines)


def add_commands(sub) -> None:
    from core.cli import add_command
    p = add_command(sub, "profile", "parameters, MACs/FLOPs, receptive field and depth of a model",
                    _cli_profile, _text_profile)
    p.add_argument("model")
    p.add_argument("--size", type=int, default=None, help="input size in pixels (default: the model's own)")
    p.add_argument("--layers", action="store_true", help="include the per-layer table")
    p.add_argument("--latency", action="store_true", help="also measure latency at batch 1 and 32 (slow on CPU)")


# ------------------------------------------------------------------------------- field on a picture
SAMPLE_IMAGES = ("chelsea", "coffee", "astronaut")


def sample_image(key: str):
    """One of scikit-image's bundled photographs as a PIL image (no download)."""
    from PIL import Image
    from skimage import data
    if key not in SAMPLE_IMAGES:
        raise UserError.of("architectures.unknown_sample", sample=str(key), choices=", ".join(SAMPLE_IMAGES))
    return Image.fromarray(getattr(data, key)()).convert("RGB")


def field_picture(built: zoo.BuiltModel, image, input_size: int, stage: dict, cell: tuple[int, int]) -> dict:
    """Theoretical and effective receptive field of one feature-map cell, drawn on ``image``.

    Args:
        built: the model as ``build_model`` made it (its preprocessing is used at ``input_size``).
        image: a PIL RGB image.
        stage: one entry of ``Profile.to_dict()["stages"]`` (a spatial stage).
        cell: (row, column) in that stage's feature map.

    Returns:
        ``image`` (the resized, centre-cropped input as uint8), ``heat`` (|gradient|, max 1), ``box`` (the
        theoretical field clipped to the image: top, bottom, left, right), ``receptive_field``,
        ``effective_stride``, ``erf_side`` (side of the square holding 90 % of the gradient), ``center``.
    """
    import numpy as np
    from torchvision.transforms import v2 as T

    from core.receptive_field import effective_field
    if stage.get("receptive_field") is None or len(stage.get("out_shape", ())) != 3:
        raise UserError.of("architectures.no_spatial_stage", stage=str(stage.get("name")))
    pre = built.preprocess.with_input_size(int(input_size))
    shown = T.Compose([T.Resize(pre.resize_size, antialias=True), T.CenterCrop(pre.input_size)])(image)
    x = pre.transform()(image)
    module = stage["modules"][-1]
    erf = effective_field(built.model, x, module, cell)
    rf, j = stage["receptive_field"], stage["effective_stride"]
    r0, c0 = stage["field_start"]
    top, left = r0 + cell[0] * j, c0 + cell[1] * j
    size = int(input_size)
    box = (max(top, 0), min(top + rf - 1, size - 1), max(left, 0), min(left + rf - 1, size - 1))
    return {"image": np.asarray(shown, dtype=np.uint8), "heat": erf["heat"], "box": box,
            "receptive_field": rf, "effective_stride": j, "erf_side": erf["mass_side"],
            "center": erf["center"], "feature_shape": erf["shape"], "clipped": rf > size}

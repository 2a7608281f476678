"""Models without weights: built on the meta device, tried at a size, and passed through shape-only shortcuts.

Building on meta allocates nothing (VGG-19 costs no memory). On meta tensors torch computes most element-wise
operations with slow Python reference kernels; ``MetaTracker`` gives those calls their shape directly, so the
profiler's one forward pass stays fast (nothing ``FlopCounterMode`` counts is skipped).
"""
from __future__ import annotations

import contextlib
import functools
import logging
from typing import Callable

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from core import zoo
from core.errors import UserError
from core.receptive_field import FieldTracker

_log = logging.getLogger("core.architectures")


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


class MetaTracker(FieldTracker):
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



def build_on_meta(build: Callable[[str], nn.Module], what: str = "model") -> nn.Module:
    """``build(device)`` without allocating a weight.

    ``build`` is first called with ``"meta"`` (weight initialisation skipped: meta tensors hold no values). A
    constructor that needs real tensors while it runs (torchvision's RegNet computes its widths with
    ``.tolist()``) is called again with ``"cpu"``, each parameter and buffer moved to meta as it is registered.
    """
    try:
        with _NoFillsOnMeta():
            return build("meta")
    except Exception as exc:  # noqa: BLE001 - e.g. RegNet: "Cannot copy out of meta tensor"
        _log.info("meta build of %s failed (%s); moving parameters at registration", what, exc)
        with _parameters_on_meta():
            return build("cpu")


def skeleton(entry: zoo.ModelEntry, device: str = "meta") -> nn.Module:
    """The catalog model with random (or no) weights, as ``build_model`` shapes it (auxiliary heads dropped).

    ``device="meta"`` allocates nothing (``build_on_meta``).
    """
    if device == "meta":
        model = build_on_meta(lambda d: zoo.construct(entry, for_pretrained=False, device=d), entry.name)
    else:
        model = zoo.construct(entry, for_pretrained=False, device=device)
    return model.eval()


def device_of(model: nn.Module) -> torch.device:
    """Where the model's parameters live (meta, cpu, cuda)."""
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


def runs_at(model: nn.Module, size: int) -> bool:
    """Whether one forward pass of a square ``size`` image goes through."""
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, size, size, device=device_of(model)))
        return True
    except Exception:  # noqa: BLE001 - any failure means "does not run at this size"
        return False


@functools.lru_cache(maxsize=64)
def min_input_size(name: str) -> int:
    """The smallest square input (pixels) that the catalog model runs at, found by bisection on meta."""
    entry = zoo.get_entry(name)
    model = skeleton(entry)
    lo, hi = 1, entry.input_size
    if not runs_at(model, hi):
        return hi
    while lo < hi:
        mid = (lo + hi) // 2
        if runs_at(model, mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def size_error(entry: zoo.ModelEntry, size: int) -> UserError:
    """The forward pass fails at ``size``: too small for the model, or a size it does not take."""
    smallest = min_input_size(entry.name)
    if size < smallest:
        return UserError.of("architectures.too_small", model=entry.label, smallest=smallest, size=size)
    return UserError.of("architectures.does_not_run", model=entry.label, size=size, default=entry.input_size)

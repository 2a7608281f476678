"""Receptive fields: computed analytically over the real module graph, and measured by gradients to check them.

Analytical fields follow Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks"
(Distill, 2019). For each spatial axis we carry, for feature-map cell 0, the interval ``[start, end]`` of input
pixels it sees and the effective stride ``j`` (input pixels between neighbouring cells). Cell ``u`` then sees
``[start + u·j, end + u·j]``; the receptive field is ``end − start + 1`` and the effective padding ``−start``.
A layer with kernel ``k``, stride ``s``, padding ``p`` and dilation ``d`` maps::

    start' = start − p·j        end' = end + (d·(k − 1) − p)·j        j' = j·s

Where paths run in parallel (residual additions, Inception concatenations) the intervals are united, which is
the largest field over the paths. Rather than parse model code, ``FieldTracker`` watches the real forward pass
(a ``TorchFunctionMode``), so every branch the model actually runs is followed. Operations that mix all
positions (global pooling in squeeze-and-excitation gates, attention over flattened tokens) are flagged as
*global context*: the local field is still reported, with a flag saying the cell also sees a global summary.

The check: on a float64 random-init copy with activations removed and max-pooling replaced by average pooling,
the non-zero footprint of the input gradient of one output cell is exactly the theoretical field
(``gradient_footprint``). With the nonlinearities left in, the gradient magnitude is the *effective* receptive
field (Luo et al., NeurIPS 2016), which is far smaller (``effective_field``).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.overrides import TorchFunctionMode

from core.errors import UserError


# ------------------------------------------------------------------------------------------ the algebra
@dataclass(frozen=True)
class Axis:
    """Cell 0 of a feature map sees input pixels ``start .. end`` along one axis; neighbours are ``stride`` apart."""

    start: int = 0
    end: int = 0
    stride: int = 1

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    @property
    def padding(self) -> int:
        return -self.start

    def layer(self, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> "Axis":
        """The field after one more convolution or pooling layer."""
        return Axis(self.start - padding * self.stride,
                    self.end + (dilation * (kernel - 1) - padding) * self.stride,
                    self.stride * stride)

    def shift(self, pixels: int) -> "Axis":
        """The field after padding the feature map by ``pixels`` cells on the low side (``F.pad``)."""
        return Axis(self.start - pixels * self.stride, self.end - pixels * self.stride, self.stride)

    def union(self, other: "Axis") -> "Axis":
        return Axis(min(self.start, other.start), max(self.end, other.end), max(self.stride, other.stride))

    def cell(self, u: int) -> tuple[int, int]:
        """Input interval (inclusive) seen by cell ``u``."""
        return self.start + u * self.stride, self.end + u * self.stride


@dataclass(frozen=True)
class Field:
    """Receptive field of a feature map: one ``Axis`` per spatial direction (rows, columns)."""

    h: Axis
    w: Axis

    @property
    def size(self) -> int:
        return max(self.h.size, self.w.size)

    @property
    def stride(self) -> int:
        return max(self.h.stride, self.w.stride)

    @property
    def padding(self) -> int:
        return max(self.h.padding, self.w.padding)

    def union(self, other: "Field") -> "Field":
        return Field(self.h.union(other.h), self.w.union(other.w))

    def box(self, row: int, col: int, height: Optional[int] = None, width: Optional[int] = None):
        """(top, bottom, left, right) input pixels (inclusive) seen by cell (row, col), clipped to the image if
        its size is given."""
        top, bottom = self.h.cell(row)
        left, right = self.w.cell(col)
        if height is not None:
            top, bottom = max(top, 0), min(bottom, height - 1)
        if width is not None:
            left, right = max(left, 0), min(right, width - 1)
        return top, bottom, left, right

    def to_dict(self) -> dict:
        return {"receptive_field": self.size, "receptive_field_hw": [self.h.size, self.w.size],
                "effective_stride": self.stride, "effective_padding": self.padding,
                "start_hw": [self.h.start, self.w.start]}


@dataclass(frozen=True)
class Info:
    """What the tracker knows about one tensor.

    ``field`` is None when the tensor no longer has a spatial layout (flattened tokens, pooled vectors);
    ``hw`` are the positions of the row and column dimensions; ``global_context`` says some input to it mixed
    all positions; ``depth`` counts weight layers on the longest path from the input.
    """

    field: Optional[Field]
    hw: Optional[tuple[int, int]]
    global_context: bool = False
    depth: int = 0


def _pair(v) -> tuple[int, int]:
    if isinstance(v, (list, tuple)):
        if len(v) == 0:
            return None  # type: ignore[return-value]
        return (int(v[0]), int(v[-1])) if len(v) <= 2 else (int(v[-2]), int(v[-1]))
    return int(v), int(v)


def _arg(args, kwargs, index: int, name: str, default=None):
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def _tensors(obj, found: list) -> list:
    """The tensors in ``obj`` (a tensor, or tuples, lists and dicts of them), appended to ``found``.

    The tracker walks the arguments and results of every call of a forward pass; this walk is several times
    cheaper than ``torch.utils._pytree.tree_flatten`` for the few shapes that occur (a tensor, a tuple of
    arguments, the list given to ``torch.cat``)."""
    if isinstance(obj, torch.Tensor):
        found.append(obj)
        return found
    for item in obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (tuple, list)) else ():
        if isinstance(item, torch.Tensor):
            found.append(item)
        elif isinstance(item, (tuple, list, dict)):
            _tensors(item, found)
    return found


_CONV = {"conv2d"}
_MAXPOOL = {"max_pool2d", "_max_pool2d", "max_pool2d_with_indices"}
_AVGPOOL = {"avg_pool2d"}
_ADAPTIVE = {"adaptive_avg_pool2d", "adaptive_max_pool2d", "_adaptive_max_pool2d", "adaptive_max_pool2d_with_indices"}


class FieldTracker(TorchFunctionMode):
    """Propagates receptive-field ``Info`` through every torch call of a forward pass.

    Usage::

        tracker = FieldTracker()
        x = torch.zeros(1, 3, 224, 224, device="meta")
        with tracker:
            tracker.seed(x)
            y = model(x)
        tracker.get(y)  # Info of the output (or None)

    Module forward hooks may call ``tracker.get(output)`` to read the field of any layer's output and
    ``tracker.add_depth(output, n)`` to count weight layers.
    """

    def __init__(self):
        super().__init__()
        # keyed by id(): every tensor given an Info is also kept alive in ``_keep`` for the whole pass, so an id
        # cannot be reused by another tensor while the tracker runs (a plain dict is much cheaper to probe than
        # a weak-key one, and the tracker probes it for every argument of every call)
        self.info: dict[int, Info] = {}
        self._keep: list = []

    def seed(self, x: torch.Tensor) -> None:
        n = x.dim()
        self.info[id(x)] = Info(Field(Axis(), Axis()), (n - 2, n - 1), False, 0)
        self._keep.append(x)

    def get(self, t) -> Optional[Info]:
        return self.info.get(id(t)) if isinstance(t, torch.Tensor) else None

    def add_depth(self, t, n: int = 1) -> None:
        info = self.get(t)
        if info is not None:
            self.info[id(t)] = Info(info.field, info.hw, info.global_context, info.depth + n)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if type(func).__name__ == "method-wrapper":  # attribute reads: ``x.shape``, ``x._base``, ``x.mT``
            out = func(*args, **kwargs)
            if not isinstance(out, torch.Tensor) or id(out) in self.info:  # only a new tensor (a view) is followed
                return out
        else:
            out = self.compute(func, args, kwargs)
        try:
            self._propagate(func, args, kwargs, out)
        except Exception:  # noqa: BLE001 - field tracking must never break the model's forward
            pass
        return out

    def compute(self, func, args, kwargs):
        """Run one call of the forward pass; a subclass may compute some calls more cheaply (same result)."""
        return func(*args, **kwargs)

    # ----------------------------------------------------------------------------------------- rules
    def _propagate(self, func, args, kwargs, out) -> None:
        outs = _tensors(out, [])
        if not outs:
            return
        info = self.info
        inputs = [(t, info[id(t)]) for t in _tensors(kwargs, _tensors(args, [])) if id(t) in info]
        if not inputs:
            return
        name = getattr(func, "__name__", "")
        x, xi = inputs[0]
        depth = max(i.depth for _, i in inputs)
        glob = any(i.global_context for _, i in inputs)
        first = args[0] if args else None
        spatial_last = xi.field is not None and xi.hw == (x.dim() - 2, x.dim() - 1) and first is x
        if spatial_last and name in _CONV | _MAXPOOL | _AVGPOOL:
            field = self._layer(name, args, kwargs, xi.field)
            self._set(outs, field, xi.hw, glob, depth)
            return
        if spatial_last and name in _ADAPTIVE:
            out_hw = tuple(outs[0].shape[-2:])
            in_hw = tuple(x.shape[-2:])
            if out_hw == in_hw:
                self._set(outs, xi.field, xi.hw, glob, depth)
            elif out_hw == (1, 1):
                self._set(outs, None, None, True, depth)
            else:
                axes = []
                for axis, i, o in ((xi.field.h, in_hw[0], out_hw[0]), (xi.field.w, in_hw[1], out_hw[1])):
                    k = max(math.ceil((c + 1) * i / o) - math.floor(c * i / o) for c in range(o))
                    axes.append(axis.layer(k, max(1, i // o)))
                self._set(outs, Field(*axes), xi.hw, glob, depth)
            return
        if spatial_last and name == "pad":
            pad = list(_arg(args, kwargs, 1, "pad", ()))
            left, top = (pad[0] if len(pad) > 0 else 0), (pad[2] if len(pad) > 2 else 0)
            self._set(outs, Field(xi.field.h.shift(top), xi.field.w.shift(left)), xi.hw, glob, depth)
            return
        if name in ("permute", "transpose", "swapaxes", "swapdims") and xi.field is not None and first is x:
            hw = self._moved(name, args, kwargs, x.dim(), xi.hw)
            self._set(outs, xi.field if hw else None, hw, glob or hw is None, depth)
            return
        # generic: element-wise ops, normalisation, concatenation, reshapes that keep the spatial dims
        field, hw, local = None, None, False
        o = outs[0]
        for t, i in inputs:
            mapped = self._map_dims(t, i, o)
            if mapped is not None:
                field = i.field if field is None else field.union(i.field)
                hw = hw or mapped
                local = True
            else:
                glob = True  # an input whose positions are gone (pooled, flattened) reaches every output cell
        if not local:
            self._set(outs, None, None, True, depth)
        else:
            self._set(outs, field, hw, glob, depth)

    def _set(self, outs, field, hw, glob, depth) -> None:
        for o in outs:
            if field is not None and hw is not None and (o.dim() <= max(hw)):
                self.info[id(o)] = Info(None, None, True, depth)
            else:
                self.info[id(o)] = Info(field, hw, bool(glob), depth)
            self._keep.append(o)

    @staticmethod
    def _map_dims(t, info: Info, o) -> Optional[tuple[int, int]]:
        """Where ``t``'s spatial dims sit in ``o`` if they survive unchanged (a reshape keeps them only when
        every dim from the row dim to the end is kept, counted from the end)."""
        if info.field is None or info.hw is None:
            return None
        hi, wi = info.hw
        shift = o.dim() - t.dim()
        ho, wo = hi + shift, wi + shift
        if ho < 0 or wo >= o.dim():
            return None
        if shift == 0:
            return (ho, wo) if o.shape[ho] == t.shape[hi] and o.shape[wo] == t.shape[wi] else None
        return (ho, wo) if tuple(t.shape[hi:]) == tuple(o.shape[ho:]) else None

    @staticmethod
    def _moved(name, args, kwargs, ndim, hw):
        if name == "permute":
            dims = args[1:] if len(args) > 2 else _arg(args, kwargs, 1, "dims", ())
            if len(dims) == 1 and isinstance(dims[0], (list, tuple)):
                dims = dims[0]
            dims = [d % ndim for d in dims]
            return (dims.index(hw[0]), dims.index(hw[1]))
        d0 = _arg(args, kwargs, 1, "dim0") % ndim
        d1 = _arg(args, kwargs, 2, "dim1") % ndim
        swap = {d0: d1, d1: d0}
        return (swap.get(hw[0], hw[0]), swap.get(hw[1], hw[1]))

    @staticmethod
    def _layer(name, args, kwargs, field: Field) -> Field:
        if name in _CONV:
            weight = _arg(args, kwargs, 1, "weight")
            kernel = tuple(weight.shape[-2:])
            stride = _pair(_arg(args, kwargs, 3, "stride", 1))
            dilation = _pair(_arg(args, kwargs, 5, "dilation", 1))
            padding = _arg(args, kwargs, 4, "padding", 0)
            if isinstance(padding, str):  # PyTorch's "same" puts the smaller half on the low side
                padding = (0, 0) if padding == "valid" else tuple(d * (k - 1) // 2 for d, k in zip(dilation, kernel))
            else:
                padding = _pair(padding)
        else:
            kernel = _pair(_arg(args, kwargs, 1, "kernel_size"))
            stride = _pair(_arg(args, kwargs, 2, "stride", None)) if _arg(args, kwargs, 2, "stride", None) not in (None, []) else kernel
            padding = _pair(_arg(args, kwargs, 3, "padding", 0))
            dilation = _pair(_arg(args, kwargs, 4, "dilation", 1)) if name in _MAXPOOL else (1, 1)
        return Field(field.h.layer(kernel[0], stride[0], padding[0], dilation[0]),
                     field.w.layer(kernel[1], stride[1], padding[1], dilation[1]))


# ------------------------------------------------------------------------------ the 3×3 stack calculator
def stack_fields(layers: int, kernel: int = 3, stride: int = 1, dilation: int = 1, channels: int = 64) -> dict:
    """Receptive field and parameters of ``layers`` identical stacked convolutions (C → C channels, no bias).

    Returns rows per layer (field, effective stride, cumulative parameters) and the comparison with one
    convolution whose kernel covers the same field: three 3×3 stride-1 layers see 7×7 with 3·(3²C²) = 27C²
    weights, where one 7×7 layer needs 7²C² = 49C².
    """
    if layers < 1 or kernel < 1 or stride < 1 or dilation < 1 or channels < 1:
        raise UserError.of("receptive_field.bad_stack")
    axis, rows, total = Axis(), [], 0
    per_layer = kernel * kernel * channels * channels
    for i in range(layers):
        axis = axis.layer(kernel, stride, 0, dilation)
        total += per_layer
        rows.append({"layer": i + 1, "receptive_field": axis.size, "effective_stride": axis.stride,
                     "params": total})
    single = axis.size * axis.size * channels * channels
    return {"layers": layers, "kernel": kernel, "stride": stride, "dilation": dilation, "channels": channels,
            "rows": rows, "receptive_field": axis.size, "effective_stride": axis.stride,
            "stack_params": total, "single_kernel": axis.size, "single_params": single,
            "single_stride": axis.stride, "ratio": single / total, "nonlinearities": layers}


# ------------------------------------------------------------------------------------- gradient checks
_LINEARISE = {"relu", "relu_", "relu6", "hardtanh", "hardtanh_", "gelu", "silu", "hardswish", "leaky_relu",
              "leaky_relu_", "elu", "elu_", "mish"}


class _Linearise(TorchFunctionMode):
    """Removes activations and turns max-pooling into average pooling: the network becomes linear, so every
    input pixel inside the field gets a non-zero gradient (none is masked by a ReLU or a max)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if name in _LINEARISE and args and isinstance(args[0], torch.Tensor):
            return args[0]
        if name in _MAXPOOL:
            kernel = _arg(args, kwargs, 1, "kernel_size")
            stride = _arg(args, kwargs, 2, "stride", None) or kernel
            padding = _arg(args, kwargs, 3, "padding", 0)
            dilation = _pair(_arg(args, kwargs, 4, "dilation", 1))
            ceil_mode = bool(_arg(args, kwargs, 5, "ceil_mode", False))
            if dilation != (1, 1):
                raise UserError.of("receptive_field.dilated_pool")
            out = F.avg_pool2d(args[0], kernel, stride, padding, ceil_mode, count_include_pad=False)
            return (out, None) if _arg(args, kwargs, 6, "return_indices", False) else out
        if name in ("adaptive_max_pool2d", "_adaptive_max_pool2d"):
            return F.adaptive_avg_pool2d(args[0], _arg(args, kwargs, 1, "output_size"))
        return func(*args, **kwargs)


class _Stop(Exception):
    pass


def _capture(model: nn.Module, module_name: Optional[str], x: torch.Tensor) -> torch.Tensor:
    """Run ``model`` on ``x`` and return the output of ``module_name`` (the model's output if None); the forward
    pass stops right after that module."""
    if not module_name:
        return model(x)
    box: dict = {}

    def hook(mod, inp, out):
        box["out"] = out[0] if isinstance(out, (tuple, list)) else out
        raise _Stop

    handle = model.get_submodule(module_name).register_forward_hook(hook)
    try:
        model(x)
    except _Stop:
        pass
    finally:
        handle.remove()
    if "out" not in box:
        raise UserError.of("receptive_field.layer_not_run", layer=str(module_name))
    return box["out"]


def gradient_footprint(model: nn.Module, input_size: int, module_name: Optional[str] = None,
                       cell: Optional[tuple[int, int]] = None, seed: int = 0) -> dict:
    """Measure the theoretical receptive field of one feature-map cell by its input gradient.

    A float64 copy of ``model`` runs with activations removed and max-pooling replaced by average pooling
    (so the map from input to output is linear); the rows and columns where the input gradient of the chosen
    output cell (summed over channels) is non-zero are the field, clipped to the image.

    Returns:
        dict with ``rows`` and ``cols`` (inclusive pixel intervals), ``cell`` and the feature map ``shape``.
    """
    m = copy.deepcopy(model).to("cpu", torch.float64).eval()
    for p in m.parameters():
        p.requires_grad_(False)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(1, 3, input_size, input_size, dtype=torch.float64, generator=gen, requires_grad=True)
    with _Linearise():
        y = _capture(m, module_name, x)
    if y.dim() != 4:
        raise UserError.of("receptive_field.needs_spatial")
    u, v = cell if cell is not None else (y.shape[2] // 2, y.shape[3] // 2)
    y[0, :, u, v].sum().backward()
    g = x.grad[0].abs().sum(0)
    rows = torch.nonzero(g.sum(1)).flatten()
    cols = torch.nonzero(g.sum(0)).flatten()
    return {"rows": (int(rows.min()), int(rows.max())), "cols": (int(cols.min()), int(cols.max())),
            "cell": (int(u), int(v)), "shape": tuple(y.shape[1:])}


def effective_field(model: nn.Module, image: torch.Tensor, module_name: str, cell: tuple[int, int]) -> dict:
    """Gradient magnitude of one feature-map cell with respect to the input image: the effective receptive field.

    Args:
        model: the network as it is (nonlinearities kept), any dtype; it is not modified.
        image: a preprocessed (3, H, W) or (1, 3, H, W) tensor.
        module_name: the layer whose output cell is explained.
        cell: (row, column) in that layer's feature map.

    Returns:
        ``heat`` (H, W) numpy array of |gradient| summed over colour channels, normalised to max 1;
        ``shape`` of the feature map; ``mass_side`` the side in pixels of the smallest square centred on the
        gradient's centre of mass (``center``, row and column) that holds 90 % of the gradient mass.
    """
    was_training = model.training
    param = next(model.parameters())
    flags = [p.requires_grad for p in model.parameters()]
    x = image.detach().reshape(1, *image.shape[-3:]).to(param.device, param.dtype).requires_grad_(True)
    try:
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
        y = _capture(model, module_name, x)
        if y.dim() != 4:
            raise UserError.of("receptive_field.pick_spatial")
        u, v = int(cell[0]), int(cell[1])
        if not (0 <= u < y.shape[2] and 0 <= v < y.shape[3]):
            raise UserError.of("receptive_field.cell_outside", u=u, v=v, height=int(y.shape[2]), width=int(y.shape[3]))
        y[0, :, u, v].sum().backward()
    finally:
        model.train(was_training)
        for p, f in zip(model.parameters(), flags):
            p.requires_grad_(f)
    heat = x.grad[0].abs().sum(0).detach().float().cpu().numpy()
    side, center = 0, ((heat.shape[0] - 1) / 2, (heat.shape[1] - 1) / 2)
    if float(heat.sum()) > 0 and np.isfinite(heat).all():
        heat = heat / heat.max()
        side, center = _mass_square(heat, 0.9)
    return {"heat": heat, "shape": tuple(y.shape[1:]), "mass_side": side, "center": center}


def _mass_square(heat: np.ndarray, frac: float) -> tuple[int, tuple[float, float]]:
    """Side of the smallest square, centred on the gradient's centre of mass, that holds ``frac`` of its sum."""
    h, w = heat.shape
    total = heat.sum()
    ys, xs = np.indices(heat.shape)
    cy, cx = float((heat * ys).sum() / total), float((heat * xs).sum() / total)
    cum = np.cumsum(np.bincount(np.maximum(np.abs(ys - cy), np.abs(xs - cx)).astype(int).ravel(),
                                weights=heat.ravel()))
    r = int(np.searchsorted(cum, frac * total))
    return int(min(2 * r + 1, max(h, w))), (cy, cx)


def module_fields(model: nn.Module, input_size: int) -> dict[str, Info]:
    """The ``Info`` (field, depth ...) of every module's output for a square ``input_size`` input.

    Runs one forward pass on the model's own device (use a meta-device model to allocate nothing).
    """
    tracker = FieldTracker()
    found: dict[str, Info] = {}

    def make_hook(name):
        def hook(mod, inp, out):
            t = out[0] if isinstance(out, (tuple, list)) and out else out
            info = tracker.get(t)
            if info is not None:
                found[name] = info
        return hook

    handles = [m.register_forward_hook(make_hook(n)) for n, m in model.named_modules() if n]
    param = next(model.parameters(), None)
    x = torch.zeros(1, 3, input_size, input_size, device=param.device if param is not None else "cpu",
                    dtype=param.dtype if param is not None and param.is_floating_point() else torch.float32)
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad(), tracker:
            tracker.seed(x)
            model(x)
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return found

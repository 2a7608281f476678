"""The profile of a model at one input size: its rows (``Profile``, ``StageProfile``, ``LayerRow``) and the one
forward pass that fills them, under the flop counter and the receptive-field tracker at once."""
from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import dataclass
from typing import Callable, Optional

import torch
from torch import nn

from core import zoo
from core.architectures.meta import MetaTracker, device_of, runs_at, size_error, skeleton
from core.architectures.published import published_for, top1_notice, weights_versions
from core.errors import UserError
from core.i18n import t
from core.receptive_field import FieldTracker

_log = logging.getLogger("core.architectures")

MAX_INPUT_SIZE = 1024
_WEIGHT_LAYERS = {nn.Conv1d: 1, nn.Conv2d: 1, nn.Conv3d: 1, nn.Linear: 1, nn.MultiheadAttention: 2}


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
    note: str = ""                    # English (CLI); ``note_key`` names it in core/i18n for the pages
    note_key: str = ""
    top1_source_i18n: Optional[dict] = None   # ``top1_source`` as a notice record, for the page's language
    weights_versions: Optional[dict] = None   # V2 weights (a later recipe) beside the original V1, if any

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
             "published": self.published, "note": self.note, "note_key": self.note_key,
             "top1_source_i18n": self.top1_source_i18n, "weights_versions": self.weights_versions}
        if layers:
            d["layers"] = [r.to_dict() for r in self.layers]
        return d


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

    device = device_of(model)
    tracker = MetaTracker() if device.type == "meta" else FieldTracker()
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


def _stage_row(st: zoo.Stage, params: int, records: dict, counts: Optional[dict]) -> StageProfile:
    """One stage's row: its parameters, MACs, and the field of its last module that ran."""
    macs = None if counts is None else sum(counts.get(mn, 0) for mn in st.modules) // 2
    last = next((mn for mn in reversed(st.modules) if mn in records), None)
    info = records[last]["info"] if last else None
    fld = info.field if info is not None and st.name != "head" else None
    return StageProfile(
        st.name, tuple(st.modules), tuple(st.out_shape), params, macs,
        fld.size if fld else None, fld.stride if fld else None, fld.padding if fld else None,
        bool(info.global_context) if info is not None and st.name != "head" else st.name == "head",
        (fld.h.start, fld.w.start) if fld else None)


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
        if cpu_fallback is None or device_of(model).type != "meta":
            raise
        # data-dependent code (``.numpy()``, ``nonzero()``) cannot run on meta: count on a real CPU copy
        _log.info("%s cannot run on the meta device; profiling a CPU build", type(model).__name__)
        model, counted_on = cpu_fallback().eval(), "cpu"
        m, flops_error = _measure_counted(model, input_size, entry)
    records, counts = m["records"], m["counts"]
    # the same forward pass gives the stages their output shapes: one pass per profile, not three
    stages = zoo.model_stages(model, input_size, shapes={n: r["shape"] for n, r in records.items()})
    owner = zoo.stage_of_parameter(stages)
    per_stage = [0] * len(stages)
    total = trainable = 0
    for pname, p in model.named_parameters():
        per_stage[owner(pname)] += p.numel()
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    stage_rows = [_stage_row(st, n, records, counts) for st, n in zip(stages, per_stage)]
    final = next((s for s in reversed(stage_rows) if s.name != "head"), None)
    top1, source = top1_notice(entry)
    try:
        published, versions = published_for(entry), weights_versions(entry)
    except Exception:  # noqa: BLE001 - metadata is optional
        published = versions = None
    return Profile(
        model=entry.name, label=entry.label, family=entry.family, year=entry.year,
        input_size=(3, input_size, input_size), params=total, trainable_params=trainable,
        classifier_params=per_stage[-1], macs=None if counts is None else counts[""] // 2,
        flops_error=flops_error, counted_on=counted_on or device_of(model).type,
        receptive_field=final.receptive_field if final else None,
        effective_stride=final.effective_stride if final else None,
        effective_padding=final.effective_padding if final else None,
        global_context=final.global_context if final else False,
        depth=m["depth"], activation_bytes=m["activation_bytes"], stages=tuple(stage_rows),
        layers=tuple(_layer_rows(model, records, counts)), top1=top1, top1_source=str(source),
        published=published, note=t(entry.note) if entry.note else "", note_key=entry.note,
        top1_source_i18n=source.record(), weights_versions=versions)


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
        if size != entry.input_size and not runs_at(model, size) and runs_at(model, entry.input_size):
            raise size_error(entry, size)
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


def compare(names: list[str], input_size: Optional[int] = None) -> list[dict]:
    """Summary rows (no layer table) for several models, in order; a model that fails gets a row with its error
    and its parameters, and the others still come back."""
    return [profile_or_error(name, input_size, layers=False) for name in names]

"""What fine-tuning changed, stage by stage: the relative weight change and linear CKA against the exact
weights the run started from.

A run records what it started from (``config.json`` → ``resolved.start_weights``: source, seed and a sha256
of every tensor except the new head's). The reference is rebuilt (the pretrained weights, or for a run that
started from random initialisation that very draw) and compared only when its digest matches, so a newer
cache or a missing download never passes for the run's start. Runs made before the record existed have no
digest: their reference cannot be verified and is used only when the caller accepts it
(``accept_unverified``).

Per stage (``core.zoo.model_stages``; the new head is never compared):

* relative weight change ``‖W_ft − W_ref‖ / ‖W_ref‖`` over the stage's parameters: exactly 0 for a frozen
  stage (training never touched it, so the bytes are equal);
* linear CKA (Kornblith et al., 2019) between the reference's and the fine-tuned model's activations at the
  stage's output, on the run's validation images. A stage whose weights, and every earlier stage's weights
  and batch-norm statistics, are identical computes the same function: its CKA is 1 with no forward pass.
  The others are measured in batches, features flattened (a map larger than ``max_dims`` values per image is
  average-pooled to a coarser grid first) or globally average-pooled.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.errors import UserError
from core.inside import models
from core.inside.cka import linear_cka
from core.inside.taps import eval_batches, run, stage_taps, tapped
from core.notices import Notice

MAX_IMAGES = 300          # validation images for CKA
MAX_DIMS = 16384          # values per image and stage kept for flattened CKA (larger maps are average-pooled)
MODES = ("flatten", "pool")

Progress = Callable[[float, Notice], None]


# --------------------------------------------------------------------------------------------- the run
@dataclass
class RunView:
    """A finished run, as the comparisons need it. ``model`` is the shared export: read it, never change it."""

    id: str
    path: Path
    config: dict
    resolved: dict
    model: nn.Module
    preprocess: object        # core.zoo.Preprocess of the run (its image size)
    stages: list              # core.zoo.Stage, at the run's image size

    @property
    def name(self) -> str:
        return self.config["model"]

    @property
    def head_path(self) -> str:
        return self.resolved["head"]["path"]

    @property
    def image_size(self) -> int:
        return int(self.resolved.get("image_size") or self.preprocess.input_size)

    def describe(self) -> dict:
        return {"run": self.id, "model": self.name, "strategy": self.config.get("strategy"),
                "image_size": self.image_size, "data": self.config.get("data"),
                "dataset": (self.resolved.get("dataset") or {}).get("name"),
                "frozen_stages": list(self.resolved.get("frozen_stages") or [])}


def run_folder(run) -> Path:
    """A run folder from a path or a run id (a bad id is one sentence)."""
    from core.runs import run_path
    p = Path(str(run)).expanduser()
    if p.is_dir():
        return p.resolve()
    return run_path(str(run))


def open_run(run) -> RunView:
    """The finished run ``run`` (folder or id) with its exported weights and its stages."""
    from core.finetune import load_export
    from core.runs import RunFolder
    from core.zoo import model_stages
    path = run_folder(run)
    config = RunFolder(path).config()
    resolved = config.get("resolved") or {}
    if not resolved.get("head"):
        raise UserError.of("inside.run_not_started", run=path.name)
    model, _export_cfg, pre = load_export(path)
    size = int(resolved.get("image_size") or pre.input_size)
    with models.FORWARD_LOCK:
        stages = model_stages(model, size)
    return RunView(path.name, path, config, resolved, model, pre, stages)


def run_dataset(view: RunView):
    """The run's stored dataset, or None when it was deleted (the weight change needs no data)."""
    from core.data import open_dataset
    ds_id = (view.resolved.get("dataset") or {}).get("id")
    if not ds_id:
        return None
    path = Path(view.path)  # a run folder <workspace>/runs/<id> looks in its own workspace, whoever is asking
    root = path.parent.parent if path.parent.name == "runs" else None  # elsewhere: the current workspace
    try:
        return open_dataset(ds_id, root=root, folders=[])
    except UserError:
        return None


# ------------------------------------------------------------------------------------- the reference
@dataclass
class Reference:
    """The weights a run is compared with. ``status``: ``verified`` (digest matches), ``accepted`` (no digest
    recorded, used because the caller accepted it), ``unrecorded`` (no digest, not accepted), ``mismatch``
    (rebuilt weights differ from the run's start), ``unavailable`` (the pretrained weights cannot be had now).
    ``source``: ``pretrained`` or ``init`` (the run's own random initialisation)."""

    status: str
    source: str
    notice: Notice
    model: Optional[nn.Module] = None
    weights: object = None
    expected: Optional[str] = None
    found: Optional[str] = None

    @property
    def usable(self) -> bool:
        return self.status in ("verified", "accepted") and self.model is not None

    def to_dict(self) -> dict:
        return {"status": self.status, "source": self.source, "usable": self.usable,
                "weights": str(self.weights) if self.weights is not None else None,
                "expected_sha256": self.expected, "found_sha256": self.found, "notice": self.notice.record(),
                "text": str(self.notice)}


_REFERENCES: dict = {}     # (run folder, export mtime, accepted) -> Reference; the last two
_LOCK = threading.Lock()


def reference(view: RunView, accept_unverified: bool = False) -> Reference:
    """The weights ``view`` started from, rebuilt and checked against the run's digest (see module doc).
    The last two answers are kept (rebuilding VGG-16 takes seconds)."""
    from core.runs import export_paths
    weights_file = export_paths(view.path)[0]
    key = (str(view.path), weights_file.stat().st_mtime_ns if weights_file.is_file() else 0, bool(accept_unverified))
    with _LOCK:
        if key in _REFERENCES:
            return _REFERENCES[key]
    ref = _reference(view, accept_unverified)
    with _LOCK:
        _REFERENCES[key] = ref
        while len(_REFERENCES) > 2:
            _REFERENCES.pop(next(iter(_REFERENCES)))
    return ref


def _reference(view: RunView, accept_unverified: bool) -> Reference:
    from core.finetune import strategy
    from core.zoo import get_entry
    start = view.resolved.get("start_weights")
    started_pretrained = bool(start["pretrained"]) if start else bool(view.resolved.get("pretrained"))
    source = "pretrained" if started_pretrained else "init"
    seed = int(start["seed"]) if start and start.get("seed") is not None else int(view.config.get("seed", 0))
    model_label = get_entry(view.name).label
    if start is None and not accept_unverified:
        return Reference("unrecorded", source, Notice.of(f"inside.ref.unrecorded.{source}", run=view.id, seed=seed))
    expected = start.get("sha256") if start else None
    if started_pretrained:
        made = models.pretrained(view.name)
        if not made.weights.pretrained:
            return Reference("unavailable", source, Notice.of("inside.ref.unavailable", run=view.id,
                                                             model=model_label), expected=expected)
        found = models.pretrained_digest(view.name, view.head_path)
        candidates = [(made, found)]
    else:
        asked_pretrained = strategy(view.config["strategy"]).pretrained if view.config.get("strategy") else False
        candidates = []
        for pretrained_build in ([False, True] if asked_pretrained else [False]):
            made = models.initialisation(view.name, seed, int(view.resolved["head"]["num_classes"]),
                                         view.resolved["head"], pretrained_build)
            candidates.append((made, models.digest(made.model, view.head_path)))
            if expected is None or candidates[-1][1] == expected:
                break
    made, found = candidates[-1]
    source_text = made.weights.detail or made.weights.kind   # names a file or package: the same in every language
    if expected is None:
        return Reference("accepted", source, Notice.of(f"inside.ref.accepted.{source}", run=view.id, seed=seed,
                                                      weights=source_text),
                         made.model, made.weights, None, found)
    for made, found in candidates:
        if found == expected:
            return Reference("verified", source, Notice.of(f"inside.ref.verified.{source}", seed=seed,
                                                          weights=source_text, sha=expected[:12]),
                             made.model, made.weights, expected, found)
    return Reference("mismatch", source, Notice.of(f"inside.ref.mismatch.{source}", run=view.id, seed=seed,
                                                  weights=source_text, expected=expected[:12],
                                                  found=found[:12]), None, made.weights, expected, found)


# -------------------------------------------------------------------------------------- weight change
def weight_change(ref: nn.Module, tuned: nn.Module, stages, head_path: str,
                  frozen: tuple = ()) -> list[dict]:
    """Per stage with compared parameters: ``name``, ``index``, ``params`` (count), ``relative_change``
    (‖W_ft − W_ref‖ / ‖W_ref‖ over the stage's parameters), ``identical`` (parameters and buffers equal to the
    byte) and ``frozen`` (the run froze it). The new head's parameters are left out; a stage with nothing
    else (a plain linear head) is not listed."""
    from core.zoo import stage_of_parameter
    lookup = stage_of_parameter(stages)
    prefix = head_path + "."
    ref_params = dict(ref.named_parameters())
    ref_buffers = dict(ref.named_buffers())
    acc = {s.index: {"diff": 0.0, "norm": 0.0, "params": 0, "identical": True} for s in stages}
    with torch.no_grad():
        for name, p in tuned.named_parameters():
            if name.startswith(prefix):
                continue
            r = ref_params.get(name)
            if r is None or r.shape != p.shape:
                raise UserError.of("inside.ref_shape", tensor=name)
            a = acc[lookup(name)]
            same = torch.equal(p, r)
            if not same:
                a["diff"] += float((p.double() - r.double()).pow(2).sum())
                a["identical"] = False
            a["norm"] += float(r.double().pow(2).sum())
            a["params"] += p.numel()
        for name, b in tuned.named_buffers():
            if name.startswith(prefix) or name not in ref_buffers:
                continue
            if not torch.equal(b, ref_buffers[name]):
                acc[lookup(name)]["identical"] = False
    rows = []
    for s in stages:
        a = acc[s.index]
        if not a["params"]:
            continue
        change = 0.0 if a["diff"] == 0.0 else math.sqrt(a["diff"]) / max(math.sqrt(a["norm"]), 1e-30)
        rows.append({"name": s.name, "index": s.index, "params": a["params"], "relative_change": change,
                     "identical": a["identical"], "frozen": s.name in frozen})
    return rows


# ------------------------------------------------------------------------------------------------ CKA
def _features(t: torch.Tensor, mode: str, max_dims: int) -> tuple[torch.Tensor, list]:
    """One stage's batch as rows for CKA, and the grid kept ([h, w], [] for pooled or vector features)."""
    t = t.float()
    if mode == "pool" or t.dim() < 3:
        from core.inside.taps import gap
        return gap(t), []
    if t.dim() == 4:
        b, c, h, w = t.shape
        if c * h * w > max_dims:
            f = math.ceil(math.sqrt(c * h * w / max_dims))
            while c * math.ceil(h / f) * math.ceil(w / f) > max_dims:
                f += 1
            t = F.adaptive_avg_pool2d(t, (max(1, math.ceil(h / f)), max(1, math.ceil(w / f))))
        return t.reshape(b, -1), list(t.shape[2:])
    if t[0].numel() > max_dims:  # tokens
        return t.mean(1), []
    return t.reshape(t.shape[0], -1), [int(t.shape[1])]


def stage_cka(ref: nn.Module, tuned: nn.Module, stages, head_path: str, batches, total: int,
              measure: list[str], mode: str = "flatten", max_dims: int = MAX_DIMS,
              progress: Optional[Progress] = None) -> dict[str, dict]:
    """Linear CKA per stage in ``measure`` between ``ref`` and ``tuned`` over ``batches`` (an iterable of
    ``(done, normalised images)``): ``name -> {"cka", "grid"}``. Both models see the same images; only
    ``measure``'s stages are read, and each forward pass stops after the last of them."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    taps = {k: v for k, v in stage_taps(stages, head_path).items() if k in measure}
    if not taps:
        return {}
    got = {side: {k: [] for k in taps} for side in ("ref", "tuned")}
    grids: dict = {}

    def keeper(side):
        def keep(name, t):
            rows, grid = _features(t, mode, max_dims)
            got[side][name].append(rows.numpy().copy())
            grids[name] = grid
        return keep

    with models.FORWARD_LOCK:
        with tapped(ref, taps, keeper("ref")) as fired_ref, tapped(tuned, taps, keeper("tuned")) as fired_tuned:
            for done, x in batches:
                run(ref, x, fired_ref)
                run(tuned, x, fired_tuned)
                if progress is not None:
                    progress(done / max(total, 1), Notice.of("inside.progress.cka", done=done, total=total))
    out = {}
    for name in taps:
        x, y = np.concatenate(got["ref"][name]), np.concatenate(got["tuned"][name])
        out[name] = {"cka": linear_cka(x, y), "grid": grids.get(name, [])}
    return out


def identical_prefix(rows: list[dict]) -> set[str]:
    """Stages whose own weights and every earlier stage's are identical: the same function, CKA exactly 1."""
    same = set()
    for r in sorted(rows, key=lambda r: r["index"]):
        if not r["identical"]:
            break
        same.add(r["name"])
    return same


# --------------------------------------------------------------------------------------- the one call
def run_change(run, accept_unverified: bool = False, cka: bool = True, max_images: int = MAX_IMAGES,
               mode: str = "flatten", max_dims: int = MAX_DIMS, progress: Optional[Progress] = None) -> dict:
    """Per-stage weight change and CKA of a finished run against the weights it started from.

    Returns a JSON-able dict: the run (``run``, ``model``, ``strategy`` ...), ``reference``
    (:meth:`Reference.to_dict`), ``stages`` ([{name, index, params, relative_change, identical, frozen, cka,
    grid}], empty when the reference is not usable), ``cka_images`` and ``notes`` (notice records: data
    gone, reference not verified ...).
    """
    view = open_run(run)
    ref = reference(view, accept_unverified)
    out = {**view.describe(), "reference": ref.to_dict(), "stages": [], "notes": [], "cka_images": 0,
           "cka_mode": mode}
    if not ref.usable:
        out["notes"].append(ref.notice.record())
        return out
    rows = weight_change(ref.model, view.model, view.stages, view.head_path,
                         tuple(view.resolved.get("frozen_stages") or ()))
    same = identical_prefix(rows)
    for r in rows:
        r["cka"], r["grid"] = (1.0, None) if r["name"] in same else (None, None)
    out["stages"] = rows
    todo = [r["name"] for r in rows if r["name"] not in same]
    if not cka or not todo:
        return out
    ds = run_dataset(view)
    if ds is None:
        ds_info = view.resolved.get("dataset") or {}
        out["notes"].append(Notice.of("inside.data_gone", name=str(ds_info.get("name") or view.config.get("data")),
                                      id=str(ds_info.get("id") or "-")).record())
        return out
    val = np.asarray(ds.split.get("val", ()), dtype=np.int64)[:max(1, int(max_images))]
    if not len(val):
        out["notes"].append(Notice.of("inside.no_val", name=ds.name).record())
        return out
    res = stage_cka(ref.model, view.model, view.stages, view.head_path, eval_batches(ds, val, view.preprocess),
                    len(val), todo, mode, max_dims, progress)
    for r in rows:
        if r["name"] in res:
            r["cka"], r["grid"] = res[r["name"]]["cka"], res[r["name"]]["grid"]
    out["cka_images"] = int(len(val))
    return out


def finished_runs(root: Optional[Path] = None) -> list[dict]:
    """The workspace's runs with an export (finished), newest first: ``id``, ``path``, ``model``, ``strategy``,
    ``dataset``, ``image_size``, ``pretrained_start`` (started from pretrained weights), ``recorded`` (has a start
    digest). ``root``: the workspace (:mod:`core.workspaces`; ``None``: the current one)."""
    from core.runs import run_folders
    rows = []
    for folder in run_folders(root):
        if not folder.export_files():
            continue
        cfg = folder.config()
        res = cfg.get("resolved") or {}
        if not res.get("head"):
            continue
        start = res.get("start_weights")
        rows.append({"id": folder.id, "path": str(folder.path), "model": cfg.get("model"),
                     "strategy": cfg.get("strategy"), "dataset": (res.get("dataset") or {}).get("name"),
                     "image_size": res.get("image_size"), "seed": int(cfg.get("seed") or 0),
                     "pretrained_start": bool(start["pretrained"] if start else res.get("pretrained")),
                     "recorded": start is not None})
    return sorted(rows, key=lambda r: r["id"], reverse=True)

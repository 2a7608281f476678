"""Which stages transfer: a linear probe on every stage of a frozen backbone, pretrained against random.

Each stage's output is global-average-pooled (one value per channel) and a logistic regression (scikit-learn,
standardised features, stratified k-fold cross-validation) predicts the dataset's classes from it. Done for
the pretrained weights and for a random initialisation (seed 0) of the same architecture, this measures the
lecture's claim: on natural photos the pretrained curve rises with depth and stays above the random one; on
a shifted domain (the digits demo) late stages may stop helping, and random features can be as good.

Features are computed once per (dataset, model, weights, size) and kept beside the dataset, in
``<dataset dir>/features/<model>-<weights>-<size>.npz`` (written atomically; the pretrained weights are
named by their sha256, so other weights never reuse them). Test images are never used.
"""
from __future__ import annotations

import json
import logging
import re
import time
import warnings
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from core.errors import UserError
from core.inside import models
from core.inside.taps import eval_batches, gap, run, stage_taps, tapped
from core.notices import Notice

_log = logging.getLogger("core.inside")

PROBE_SIZE = 96           # default input side: seconds on a CPU, and the lecture's point still shows
FOLDS = 5
RANDOM_SEED = 0
KINDS = ("pretrained", "random")
FEATURES_DIR = "features"
FORMAT = 1

Progress = Callable[[float, Notice], None]


def probe_size(model: str, image_size: Optional[int] = None) -> int:
    """The input side a probe uses: the one asked for, else PROBE_SIZE, never below what the model accepts."""
    from core.zoo import get_entry
    entry = get_entry(model)
    if image_size:
        if int(image_size) < entry.min_size:
            raise UserError.of("finetune.image_too_small", model=entry.label, min=entry.min_size)
        return int(image_size)
    return max(entry.min_size, PROBE_SIZE)


def probe_taps(model, stages) -> dict[str, tuple[str, str]]:
    """The stages a probe reads: every spatial stage; the head stage too when layers with pretrained weights
    sit before the final classifier (VGG's and AlexNet's FC layers), read at the classifier's input."""
    from core.zoo import classifier_path
    head_path = classifier_path(model)
    head = next((s for s in stages if s.name == "head"), None)
    extra = head is not None and any(
        n for m in head.modules for n, _ in model.get_submodule(m).named_parameters(prefix=m)
        if not (n == head_path or n.startswith(head_path + ".")))
    return stage_taps(stages, head_path if extra else None)


def _weights(name: str, kind: str):
    """(model, tag, WeightsInfo) for a weights kind; tag names the weights in the cache file."""
    from core.zoo import classifier_path
    if kind == "pretrained":
        made = models.pretrained(name)
        if not made.weights.pretrained:
            return None, None, made.weights
        sha = models.pretrained_digest(name, classifier_path(made.model))
        return made.model, f"pretrained-{sha[:16]}", made.weights
    made = models.random_model(name, RANDOM_SEED)
    sha = models.digest(made.model, classifier_path(made.model))
    return made.model, f"random{RANDOM_SEED}-{sha[:16]}", made.weights


def _cache_path(ds, name: str, tag: str, size: int) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return Path(ds.dir) / FEATURES_DIR / f"{safe}-{tag}-{size}.npz"


def _read(path: Path, n: int) -> Optional[dict]:
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT or meta.get("images") != n:
                return None
            return {s: z[f"stage:{s}"] for s in meta["stages"]}
    except (OSError, ValueError, KeyError):
        return None


def _write(path: Path, feats: dict, n: int, info: dict) -> None:
    from core.files import atomic_write
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"format": FORMAT, "images": n, "stages": list(feats), **info})
    arrays = {f"stage:{s}": a for s, a in feats.items()}
    atomic_write(path, lambda fh: np.savez(fh, meta=np.array(meta), **arrays), durable=False)


def stage_features(ds, name: str, kind: str, size: int, progress: Optional[Progress] = None,
                   span: tuple[float, float] = (0.0, 1.0)) -> tuple[Optional[dict], dict]:
    """Pooled features of every image of ``ds`` at each probed stage: ``({stage: float32 [N, C]}, info)``.

    ``info``: ``cached`` (read from the dataset's features folder), ``seconds``, ``path``, ``weights`` (where
    they came from). ``(None, info)`` when ``kind`` is ``pretrained`` and no pretrained weights exist.
    """
    from core.zoo import model_stages, preprocess_for, get_entry
    progress = progress or (lambda f, m: None)
    wname = Notice.of(f"inside.weights.{kind}")
    model, tag, weights = _weights(name, kind)
    info = {"weights": str(weights), "cached": False, "seconds": 0.0, "path": None}
    if model is None:
        return None, info
    path = _cache_path(ds, name, tag, size)
    info["path"] = str(path)
    n = len(ds)
    found = _read(path, n) if path.is_file() else None
    if found is not None:
        info["cached"] = True
        progress(span[1], Notice.of("inside.progress.cached", weights=str(wname)))
        return found, info
    t0 = time.perf_counter()
    with models.FORWARD_LOCK:
        stages = model_stages(model, size)
    taps = probe_taps(model, stages)
    pre = preprocess_for(get_entry(name)).with_input_size(size)
    parts: dict = {k: [] for k in taps}
    with models.FORWARD_LOCK, tapped(model, taps, lambda k, t: parts[k].append(gap(t).numpy().copy())) as fired:
        for done, x in eval_batches(ds, np.arange(n), pre):
            run(model, x, fired)
            progress(span[0] + (span[1] - span[0]) * done / max(n, 1),
                     Notice.of("inside.progress.features", weights=str(wname), done=done, total=n))
    feats = {k: np.concatenate(v).astype(np.float32) for k, v in parts.items()}
    info["seconds"] = round(time.perf_counter() - t0, 2)
    try:
        _write(path, feats, n, {"model": name, "kind": kind, "size": size, "weights": str(weights)})
    except OSError as exc:  # a read-only or full disk costs the cache, not the answer
        _log.warning("could not keep probe features in %s: %s", path, exc)
    return feats, info


def _fit(x: np.ndarray, y: np.ndarray, folds: int) -> tuple[float, float]:
    """Cross-validated accuracy (mean, std over folds) of a standardised logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits
    from sklearn.exceptions import ConvergenceWarning
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300))
    # one BLAS thread: these matrices are small, and on a shared machine more threads make it many times slower
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(clf, x.astype(np.float64), y,
                                 cv=StratifiedKFold(folds, shuffle=True, random_state=0))
    return float(scores.mean()), float(scores.std())


def probe_stages(data, model: str, image_size: Optional[int] = None, folds: int = FOLDS,
                 kinds: tuple = KINDS, progress: Optional[Progress] = None) -> dict:
    """Per-stage linear-probe accuracy of ``model`` on dataset ``data`` (a ref for ``core.data.open_dataset``
    or an open Dataset), for pretrained and random-init weights.

    Returns a JSON-able dict: ``dataset``, ``dataset_id``, ``model``, ``image_size``, ``images`` (used: train and
    validation), ``folds``, ``stages`` ([{name, dims, pretrained_acc, pretrained_std, random_acc, random_std}];
    an accuracy is None for weights that do not exist), ``features`` (per kind: cached, seconds, weights),
    ``notes`` (notice records).
    """
    from core.data import open_dataset
    from core.zoo import get_entry
    progress = progress or (lambda f, m: None)
    ds = open_dataset(data) if isinstance(data, str) else data
    entry = get_entry(model)
    size = probe_size(entry.name, image_size)
    test = set(np.asarray(ds.split.get("test", ()), dtype=np.int64).tolist())
    idx = np.array([i for i in range(len(ds)) if i not in test], dtype=np.int64)
    y = np.asarray(ds.labels)[idx]
    counts = np.bincount(y, minlength=len(ds.classes))
    low = int(np.argmin(counts))
    if counts[low] < 2:
        raise UserError.of("inside.probe_too_few", cls=ds.classes[low], name=ds.name, count=int(counts[low]))
    folds = int(max(2, min(folds, counts.min())))
    out = {"dataset": ds.name, "dataset_id": ds.id, "model": entry.name, "image_size": size, "images": int(len(idx)),
           "classes": len(ds.classes), "folds": folds, "stages": [], "features": {}, "notes": []}
    feats = {}
    for i, kind in enumerate(kinds):
        span = (0.8 * i / len(kinds), 0.8 * (i + 1) / len(kinds))
        f, info = stage_features(ds, entry.name, kind, size, progress, span)
        out["features"][kind] = info
        if f is None:
            out["notes"].append(Notice.of("inside.probe.no_pretrained", model=entry.label).record())
        else:
            feats[kind] = f
    names = list(next(iter(feats.values()))) if feats else []
    jobs = [(s, k) for s in names for k in feats]
    rows = {s: {"name": s, "dims": int(next(iter(feats.values()))[s].shape[1])} for s in names}
    for j, (stage, kind) in enumerate(jobs):
        progress(0.8 + 0.2 * j / max(len(jobs), 1),
                 Notice.of("inside.progress.fit", stage=stage, weights=str(Notice.of(f"inside.weights.{kind}"))))
        acc, std = _fit(feats[kind][stage][idx], y, folds)
        rows[stage][f"{kind}_acc"], rows[stage][f"{kind}_std"] = acc, std
    for s in names:
        for kind in KINDS:
            rows[s].setdefault(f"{kind}_acc", None)
            rows[s].setdefault(f"{kind}_std", None)
    out["stages"] = [rows[s] for s in names]
    progress(1.0, Notice.of("inside.progress.fit", stage=names[-1] if names else "-",
                            weights=str(Notice.of(f"inside.weights.{kinds[-1]}"))))
    return out

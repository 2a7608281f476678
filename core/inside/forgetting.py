"""Catastrophic forgetting, made visible: the original ImageNet classifier put back on a fine-tuned backbone.

The run's new head is taken off and the whole pretrained classifier goes back on (for VGG, AlexNet and
MobileNetV3 that includes their pretrained fully connected layers, which fine-tuning may have changed too:
everything under the classifier's top module comes from the reference). Its top-5 on natural photos stands
beside the pretrained model's; one number sums it up: top-1 agreement, the share of photos on which both
name the same ImageNet class. A frozen backbone agrees on every photo; the more fine-tuning moved the
backbone, the less of the source task survives.

The photos are scikit-image's bundled colour photographs (those that load here, offline), with deterministic
views of them (mirrored, then centre crops) until there are at least ``MIN_PHOTOS``; a user may add their own.
"""
from __future__ import annotations

import copy
import functools
from typing import Optional

import numpy as np

from core.errors import UserError
from core.inside import models

MIN_PHOTOS = 12
BUNDLED = ("astronaut", "chelsea", "coffee", "rocket", "stereo_motorcycle:left", "stereo_motorcycle:right")
VIEWS = ("mirror", "crop", "crop_mirror")
CROP = 0.7


@functools.lru_cache(maxsize=1)
def bundled_photos() -> tuple:
    """``((name, uint8 RGB array), ...)``: scikit-image's colour photos that load here (no download)."""
    from skimage import data
    out = []
    for item in BUNDLED:
        fn, _, part = item.partition(":")
        try:
            arr = getattr(data, fn)()
        except Exception:  # noqa: BLE001 - a photo that needs a download (pooch) or is missing is skipped
            continue
        if isinstance(arr, tuple):
            arr = arr[0 if part == "left" else 1]
        arr = np.asarray(arr)
        if arr.ndim == 3 and arr.shape[2] >= 3:
            out.append((item.replace(":", "_"), np.ascontiguousarray(arr[..., :3]).astype(np.uint8)))
    return tuple(out)


def _view(arr: np.ndarray, view: str) -> np.ndarray:
    if "crop" in view:
        h, w = arr.shape[:2]
        ch, cw = int(round(h * CROP)), int(round(w * CROP))
        arr = arr[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]
    if "mirror" in view:
        arr = arr[:, ::-1]
    return np.ascontiguousarray(arr)


def natural_photos(extra: tuple = ()) -> tuple[list, dict]:
    """(photos, info): ``[(name, PIL image)]`` (the bundled photos, then their views while fewer than
    MIN_PHOTOS, then ``extra``, ``(name, PIL image)`` pairs a user gave) and ``info`` (``photos``, ``names``,
    ``views``, ``extra``, ``total``)."""
    from PIL import Image
    base = bundled_photos()
    photos = [(name, Image.fromarray(arr)) for name, arr in base]
    views = 0
    for view in VIEWS:
        for name, arr in base:
            if len(photos) >= MIN_PHOTOS:
                break
            photos.append((f"{name} ({view})", Image.fromarray(_view(arr, view))))
            views += 1
    photos += [(str(n), im.convert("RGB")) for n, im in extra]
    return photos, {"photos": len(base), "names": [n for n, _ in base], "views": views, "extra": len(extra),
                    "total": len(photos)}


def imagenet_on_backbone(reference, tuned, head_path: str):
    """A copy of ``reference`` (ImageNet-shaped, pretrained) whose backbone is ``tuned``'s: every tensor comes
    from the fine-tuned model except those under the classifier's top module, which stay pretrained."""
    root = head_path.split(".")[0] + "."
    model = copy.deepcopy(reference)
    ref_sd, tuned_sd = reference.state_dict(), tuned.state_dict()
    mixed = {k: (v if k.startswith(root) else tuned_sd[k]) for k, v in ref_sd.items()}
    model.load_state_dict(mixed, strict=True)
    return model.eval()


_STATISTICS = ("running_mean", "running_var", "num_batches_tracked")


def _with_reference_statistics(mixed, reference):
    """``mixed`` with the reference's batch-norm statistics (None when the model has none that differ)."""
    ref_sd = reference.state_dict()
    sd = mixed.state_dict()
    keys = [k for k in sd if k.rsplit(".", 1)[-1] in _STATISTICS and not sd[k].equal(ref_sd[k])]
    if not keys:
        return None
    model = copy.deepcopy(mixed)
    model.load_state_dict({**sd, **{k: ref_sd[k] for k in keys}}, strict=True)
    return model.eval()


def forgetting(run, extra: tuple = (), accept_unverified: bool = False, top: int = 5,
               photos: Optional[list] = None) -> dict:
    """Top-k of the pretrained model and of the fine-tuned backbone with the original ImageNet classifier, on
    natural photos, and their top-1 agreement.

    Returns ``run``, ``model``, ``strategy``, ``reference`` (see ``core.inside.change.Reference.to_dict``),
    ``photos`` (info from :func:`natural_photos`), ``rows`` ([{photo, pretrained, tuned, same_top1,
    top5_overlap}], each side a top-k list of {index, label, prob}), ``agreement`` (share of photos with the
    same top-1), ``top5_overlap`` (mean share of shared top-5 classes), ``identical_backbone``, and
    ``agreement_reference_statistics``: the agreement when the fine-tuned weights keep the pretrained
    batch-norm statistics (None without any that changed), which tells forgotten weights from statistics
    re-estimated on the new images.
    """
    from core.inside.change import open_run, reference
    from core.zoo import BuiltModel, classify, get_entry, preprocess_for
    view = open_run(run)
    ref = reference(view, accept_unverified)
    if ref.source != "pretrained":
        raise UserError.of("inside.forgetting_scratch", run=view.id)
    if ref.status == "unavailable":
        raise UserError.of("inside.forgetting_no_weights", model=get_entry(view.name).label)
    if not ref.usable:
        raise UserError.restore(str(ref.notice), ref.notice.record())
    if photos is None:
        photos, info = natural_photos(tuple(extra))
    else:
        info = {"photos": len(photos), "names": [n for n, _ in photos], "views": 0, "extra": 0, "total": len(photos)}
    entry = get_entry(view.name)
    pre = preprocess_for(entry)
    images = [im for _, im in photos]
    with models.FORWARD_LOCK:
        mixed = imagenet_on_backbone(ref.model, view.model, view.head_path)
        ref_sd = ref.model.state_dict()
        identical = all(ref_sd[k].equal(v) for k, v in mixed.state_dict().items())
        before = classify(BuiltModel(ref.model, ref.weights, pre, entry), images, top=top)
        # a backbone that did not move is the same network: the same answers, without a second pass
        after = before if identical else classify(BuiltModel(mixed, ref.weights, pre, entry), images, top=top)
        # how much of it is the batch-norm statistics (re-estimated on the new images) rather than the weights
        stats_only = _with_reference_statistics(mixed, ref.model)
        bn_after = (classify(BuiltModel(stats_only, ref.weights, pre, entry), images, top=1)
                    if stats_only is not None and not identical else None)
    rows = []
    for (name, _), b, a in zip(photos, before, after):
        shared = len({r["index"] for r in b[:5]} & {r["index"] for r in a[:5]}) / max(1, min(5, len(b)))
        rows.append({"photo": name, "pretrained": b, "tuned": a, "same_top1": b[0]["index"] == a[0]["index"],
                     "top5_overlap": shared})
    n = max(1, len(rows))
    bn_agreement = (sum(b[0]["index"] == a[0]["index"] for b, a in zip(before, bn_after)) / n
                    if bn_after is not None else None)
    return {"run": view.id, "model": view.name, "strategy": view.config.get("strategy"),
            "reference": ref.to_dict(), "photos": info, "rows": rows, "input_size": pre.input_size,
            "agreement": sum(r["same_top1"] for r in rows) / n, "top5_overlap": sum(r["top5_overlap"] for r in rows) / n,
            "agreement_reference_statistics": bn_agreement, "identical_backbone": identical}

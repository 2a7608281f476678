"""Can the maps be trusted? Two checks, and the map comparison they (and before/after) use.

* :func:`randomisation_check` (Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS 2018): replace the
  model's learned weights by random ones, stage by stage from the output down (cascading), and compare each
  new map with the original by Spearman rank correlation. A map that explains the model must change when the
  model is destroyed; one that barely changes shows the picture (its edges), not what the model learned.
* :func:`deletion_curve` (Samek et al. 2017; Petsiuk et al. 2018): hide the pixels the map ranks most important
  first and watch the class probability fall. A faithful map makes it fall fast: a small area under the curve.
  The reference is the same deletion least important first, which a faithful map makes fall slowly (a random
  order is no reference: scattered hidden pixels wreck any image, so it falls fast for every map).
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np
import torch
from torch import nn

from core.saliency.methods import (Cancelled, SaliencySettings, attribute, baseline, check, display,
                                   forward_count)
from core.saliency.subject import Subject, private_copy, private_model, seen

# After the whole network is random, a map still this rank-correlated with the original is flagged.
# Adebayo et al. report Guided Backprop near 1 and gradients well under 0.5 on ImageNet models.
FLAG_CORRELATION = 0.5
TOP_FRACTION = 0.10     # "top-k %" overlap: the share of the most important 10 % of pixels two maps agree on
DELETION_STEPS = 20


# ----------------------------------------------------------------------------------------- comparing maps
def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation of two maps of the same shape (ties get average ranks); 0 if one is flat."""
    from scipy.stats import rankdata
    ra, rb = rankdata(np.ravel(a)), rankdata(np.ravel(b))
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def top_overlap(a: np.ndarray, b: np.ndarray, fraction: float = TOP_FRACTION) -> float:
    """Of the ``fraction`` most important pixels of ``a``, the share that are also among ``b``'s (0–1)."""
    k = max(1, int(round(fraction * np.size(a))))
    ta = set(np.argsort(-np.ravel(a), kind="stable")[:k].tolist())
    tb = set(np.argsort(-np.ravel(b), kind="stable")[:k].tolist())
    return len(ta & tb) / k


def align(a: np.ndarray, frac_a: float, b: np.ndarray, frac_b: float) -> tuple[np.ndarray, np.ndarray]:
    """Two maps of the same picture onto one grid. Each covers the central ``frac`` of the picture's central
    square (its model's centre crop); the wider one is cropped to the narrower one's view, then both are
    resized to the smaller side."""
    def crop(m: np.ndarray, keep: float) -> np.ndarray:
        if keep >= 0.999:
            return m
        s = m.shape[0]
        side = max(1, int(round(s * keep)))
        o = (s - side) // 2
        return m[o:o + side, o:o + side]
    a = crop(a, min(frac_a, frac_b) / frac_a)
    b = crop(b, min(frac_a, frac_b) / frac_b)
    side = min(a.shape[0], b.shape[0])
    return _resize(a, side), _resize(b, side)


def _resize(m: np.ndarray, side: int) -> np.ndarray:
    if m.shape[0] == side:
        return m.astype(np.float32)
    t = torch.from_numpy(np.ascontiguousarray(m, dtype=np.float32))[None, None]
    return torch.nn.functional.interpolate(t, size=(side, side), mode="bilinear", align_corners=False,
                                           antialias=True)[0, 0].numpy()


def similarity(a: np.ndarray, b: np.ndarray, signed: bool = False) -> dict:
    """``{"spearman", "top_overlap"}`` of two aligned maps (compared as drawn: :func:`display`'s scaling)."""
    da, db = display(a, signed), display(b, signed)
    return {"spearman": round(spearman(da, db), 4), "top_overlap": round(top_overlap(da, db), 4)}


# ------------------------------------------------------------------------------------- randomisation
def _randomise(module: nn.Module, gen_seed: int) -> None:
    """New random weights for every layer of ``module`` (each layer's own initialiser), statistics reset."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(gen_seed)
        for sub in module.modules():
            if hasattr(sub, "reset_parameters") and callable(sub.reset_parameters):
                sub.reset_parameters()
            if hasattr(sub, "reset_running_stats") and callable(sub.reset_running_stats):
                sub.reset_running_stats()
    for p in module.parameters():
        p.requires_grad_(False)


def randomisation_check(subject: Subject, image, settings: SaliencySettings = SaliencySettings(),
                        on_progress: Optional[Callable[[float], None]] = None,
                        should_stop: Optional[Callable[[], bool]] = None, seed: int = 0) -> dict:
    """Cascading model randomisation from the head down to the stem, on a private copy.

    The target stays the class the intact model explained (as in the paper), so only the weights change.

    Returns:
        ``original`` (the intact model's :class:`Explanation`), ``steps`` ([{"stage", "map", "spearman",
        "top_overlap"}], one per randomised stage, head first), ``final_spearman``, ``flagged`` (the map
        still correlates at least :data:`FLAG_CORRELATION` with the original once every stage is random),
        ``signed``.
    """
    from core.zoo import model_stages
    settings = check(settings, subject)
    image_u8, x = seen(subject, image)
    model = private_copy(subject.model)
    stages = [s for s in model_stages(model, subject.input_size)]
    per = forward_count(settings, subject.input_size) + 1
    total = per * (len(stages) + 1)
    done = [0]

    def part(f: float) -> None:
        if on_progress is not None:
            on_progress(min(1.0, (done[0] + f * per) / total))

    original = attribute(subject, image_u8, x, settings, model, part, should_stop)
    done[0] += per
    fixed = SaliencySettings(**{**vars(settings), "target": original.target})
    signed = settings.method == "occlusion"
    steps = []
    for i, stage in enumerate(reversed(stages)):
        for name in stage.modules:
            _randomise(model.get_submodule(name), seed * 1000 + i)
        exp = attribute(subject, image_u8, x, fixed, model, part, should_stop)
        done[0] += per
        sim = similarity(original.map, exp.map, signed)
        steps.append({"stage": stage.name, "map": exp.map, **sim})
    final = steps[-1]["spearman"] if steps else 1.0
    return {"original": original, "steps": steps, "final_spearman": final,
            "flagged": bool(abs(final) >= FLAG_CORRELATION), "signed": signed}


# ------------------------------------------------------------------------------------------ deletion
def deletion_curve(subject: Subject, image, heat: np.ndarray, target: int, steps: int = DELETION_STEPS,
                   fill: str = "black", seed: int = 0, batch: int = 8,
                   on_progress: Optional[Callable[[float], None]] = None,
                   should_stop: Optional[Callable[[], bool]] = None) -> dict:
    """The target's probability as the most important pixels (by ``heat``) are hidden, step by step.

    Pixels are replaced by the ``fill`` image (see :func:`core.saliency.methods.baseline`); ties in the map
    (Grad-CAM's flat zero regions) are broken at random with ``seed``.

    Returns:
        ``fractions`` (0 … 1, ``steps`` + 1 points), ``scores`` (the probability at each), ``area`` (mean over
        the fractions, trapezoids: lower means the map found what the model relies on), the same least
        important first: ``reverse_scores``, ``reverse_area``; and ``gap`` = reverse_area − area (higher: more
        faithful; near zero or negative: the map ranks pixels no better than its reverse).
    """
    image_u8, x = seen(subject, image)
    base = baseline(fill, image_u8, subject, seed)
    flat = np.asarray(heat, dtype=np.float64).ravel()
    if flat.size != x.shape[-1] * x.shape[-2]:
        raise ValueError("the map does not match the subject's input size")
    rng = np.random.default_rng(seed)
    tiebreak = rng.random(flat.size)
    order = np.lexsort((tiebreak, -np.nan_to_num(flat)))     # most important first, ties at random
    fractions = np.linspace(0, 1, steps + 1)
    curves = []
    total = 2 * len(fractions)
    with private_model(subject) as model:
        for ranking in (order, order[::-1]):
            curves.append(_scores(model, x, base, flat.size, ranking, fractions, target, batch, total,
                                  len(curves) * len(fractions), on_progress, should_stop))
    area = lambda s: float(np.trapezoid(s, fractions))  # noqa: E731
    return {"fractions": fractions.round(4).tolist(), "scores": curves[0].round(6).tolist(),
            "area": round(area(curves[0]), 4), "reverse_scores": curves[1].round(6).tolist(),
            "reverse_area": round(area(curves[1]), 4), "gap": round(area(curves[1]) - area(curves[0]), 4),
            "fill": fill}


def _scores(model, x, base, pixels: int, ranking, fractions, target: int, batch: int, total: int, done: int,
            on_progress, should_stop) -> np.ndarray:
    """The target's probability with the first ``fraction`` of ``ranking``'s pixels replaced by ``base``."""
    images = []
    for f in fractions:
        mask = torch.zeros(pixels, dtype=torch.bool)
        mask[torch.from_numpy(ranking[:int(round(f * pixels))].copy())] = True
        images.append(torch.where(mask.view(1, 1, *x.shape[-2:]), base, x))
    scores = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            if should_stop is not None and should_stop():
                raise Cancelled()
            chunk = torch.cat(images[i:i + batch]).contiguous(memory_format=torch.channels_last)
            scores += model(chunk).float().softmax(-1)[:, target].tolist()
            done += chunk.shape[0]
            if on_progress is not None:
                on_progress(done / total)
    return np.asarray(scores)

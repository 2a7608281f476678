"""Before and after fine-tuning: the same method on the pretrained model and on a run, and how alike the
maps are. Each side explains its own prediction (an ImageNet class before, one of the run's classes after):
the maps answer "what did each model look at to decide", not "the same class on both"."""
from __future__ import annotations

from typing import Callable, Optional

from core.saliency.methods import SaliencySettings, explain
from core.saliency.subject import Subject, pretrained_subject
from core.saliency.trust import align, similarity


def before_after(run: Subject, image, settings: SaliencySettings = SaliencySettings(),
                 on_progress: Optional[Callable[[float], None]] = None,
                 should_stop: Optional[Callable[[], bool]] = None) -> dict:
    """``settings.method`` on the run's architecture with its ImageNet weights (``before``) and on the run
    (``after``), each with its own predicted class (``settings.target`` is ignored), and their similarity on
    the common view: ``{"before", "after", "spearman", "top_overlap"}``.

    Raises:
        UserError: the architecture's pretrained weights cannot be had offline.
    """
    before_subject = pretrained_subject(run.architecture)
    own = SaliencySettings(**{**vars(settings), "target": None})

    def half(offset: float):
        return None if on_progress is None else (lambda f: on_progress(offset + f / 2))

    before = explain(before_subject, image, own, half(0.0), should_stop)
    after = explain(run, image, own, half(0.5), should_stop)
    a, b = align(before.map, before_subject.seen_fraction, after.map, run.seen_fraction)
    return {"before": before, "after": after, **similarity(a, b, signed=settings.method == "occlusion")}

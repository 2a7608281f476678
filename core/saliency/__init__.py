"""Try it and see why: predictions and Captum attribution maps for any image, before and after fine-tuning.

Where things are: ``subject`` (a pretrained model or a finished run, and how it sees an image), ``methods``
(Saliency, Integrated Gradients, SmoothGrad, Grad-CAM, Occlusion), ``trust`` (the randomisation check, the
deletion curve, map similarity), ``compare`` (before/after fine-tuning). Import from ``core.saliency``.
"""
from core.saliency.compare import before_after
from core.saliency.methods import (BASELINES, FAST_METHODS, METHODS, PIXEL_METHODS, Cancelled, Explanation,
                                   SaliencySettings, conv_stages, display, explain, forward_count, pace)
from core.saliency.subject import (Subject, predictions, pretrained_subject, private_copy, private_model,
                                   run_subject, seen)
from core.saliency.trust import (FLAG_CORRELATION, TOP_FRACTION, align, deletion_curve, randomisation_check,
                                 similarity, spearman, top_overlap)

__all__ = [
    "BASELINES", "FAST_METHODS", "METHODS", "PIXEL_METHODS", "Cancelled", "Explanation", "SaliencySettings",
    "conv_stages", "display", "explain", "forward_count", "pace", "Subject", "predictions", "pretrained_subject",
    "private_copy", "private_model", "run_subject", "seen", "FLAG_CORRELATION", "TOP_FRACTION", "align", "deletion_curve",
    "randomisation_check", "similarity", "spearman", "top_overlap", "before_after",
]

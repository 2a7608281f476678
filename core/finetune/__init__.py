"""Fine-tuning: the course's four strategies on a stored dataset, as one headless, resumable loop.

Strategies (a table in :mod:`core.finetune.strategies`; each a real, distinct setup):

* ``linear_probe``: the backbone is frozen and only a new head trains. The backbone's features are computed
  once per image (first epoch) and cached, so every later epoch costs only the head; augmentation is off,
  since a cached feature cannot be re-augmented.
* ``partial``: the last ``unfreeze`` stages of :func:`core.zoo.model_stages` train, with the head; earlier
  stages are frozen (their batch-norm statistics too).
* ``full``: every layer trains, with layer-wise learning-rate decay from timm over our stages
  (:mod:`core.finetune.param_groups`).
* ``scratch``: the same architecture, randomly initialised, the same budget: the baseline that shows
  whether transfer helped or hurt.

The loop (:mod:`core.finetune.loop`: AdamW, cosine schedule with warm-up from timm, optional label smoothing,
augmentation on the device, early stopping on validation loss) writes everything into a run folder through
:mod:`core.runs`. Training never imports the job manager; :mod:`core.jobs` imports training.
"""
from core.finetune.config import (AUGMENTS, CPU_IMAGE_SIZE, DEFAULTS, DEVICES, FinetuneConfig, default_image_size,
                                  default_lr, resolve_device)
from core.finetune.estimate import estimate_epoch_seconds
from core.finetune.export import load_export
from core.finetune.loop import Cancelled, Diverged, fit
from core.finetune.predict import predict, predict_logits
from core.finetune.strategies import STRATEGIES, STRATEGY_NAMES, Strategy, strategy

__all__ = ["AUGMENTS", "CPU_IMAGE_SIZE", "DEFAULTS", "DEVICES", "FinetuneConfig", "default_image_size", "default_lr",
           "resolve_device", "estimate_epoch_seconds", "load_export", "Cancelled", "Diverged", "fit", "predict",
           "predict_logits", "STRATEGIES", "STRATEGY_NAMES", "Strategy", "strategy"]

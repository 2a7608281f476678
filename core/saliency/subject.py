"""What is being explained: a model with its own preprocessing and class names.

* a pretrained catalog model (ImageNet's 1000 classes), :func:`pretrained_subject`;
* a finished fine-tuning run (its classes, from its export), :func:`run_subject`.

The models are the shared, cached ones (``core.inside.models.pretrained``, ``core.finetune.load_export``): read
them, never change them. Attribution works on a private copy (:func:`private_copy`).
"""
from __future__ import annotations

import contextlib
import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
import torch
from torch import nn

from core.errors import UserError


@dataclass(frozen=True)
class Subject:
    """A model to explain and how it sees an image.

    ``kind`` is ``pretrained`` or ``run``; ``key`` names it uniquely for caches (model name, or run id and the
    export's modification time); ``dataset_side``: a run saw every image first fitted to this square side.
    """

    kind: str
    key: str
    architecture: str
    model: nn.Module = field(repr=False, compare=False)
    preprocess: object = field(repr=False)
    labels: tuple = field(repr=False)
    dataset_side: Optional[int] = None
    run_id: Optional[str] = None
    weights: object = field(default=None, repr=False, compare=False)

    @property
    def input_size(self) -> int:
        return int(self.preprocess.input_size)

    @property
    def seen_fraction(self) -> float:
        """The fraction of the image's central square the model sees (its centre crop), for aligning maps."""
        return float(self.preprocess.input_size) / float(self.preprocess.resize_size)

    def label(self, index: int) -> str:
        return self.labels[int(index)]


def pretrained_subject(name: str) -> Subject:
    """The catalog model ``name`` with its ImageNet classifier and pretrained weights.

    Raises:
        UserError: no pretrained weights can be had (offline and none bundled or cached): explaining a random
            network's guesses would show nothing, so the sentence names the models that do work offline.
    """
    from core.inside import models
    from core.zoo import get_entry, imagenet_labels, list_entries, preprocess_for, weights_available_offline
    entry = get_entry(name)
    made = models.pretrained(entry.name)
    if not made.weights.pretrained:
        usable = [e.label for e in list_entries() if weights_available_offline(e.name)]
        raise UserError.of("saliency.no_weights", model=entry.label, models=", ".join(usable) or "-")
    return Subject("pretrained", f"model:{entry.name}", entry.name, made.model, preprocess_for(entry),
                   tuple(imagenet_labels()), weights=made.weights)


def run_subject(run: str | Path) -> Subject:
    """A finished run's exported model: a run id, a run folder or an export folder.

    The export carries the class names and the preprocessing, so a run whose dataset was deleted since still
    explains its predictions.
    """
    from core.finetune import load_export
    from core.runs import export_paths, is_run_id, run_path
    folder = run_path(str(run)) if is_run_id(str(run)) else Path(run)
    weights, _ = export_paths(folder)
    model, cfg, pre = load_export(folder)
    run_id = folder.name if is_run_id(folder.name) else None
    side = cfg.get("preprocess", {}).get("dataset_side")
    return Subject("run", f"run:{folder.resolve()}:{weights.stat().st_mtime_ns}", cfg["architecture"], model, pre,
                   tuple(cfg["class_names"]), int(side) if side else None, run_id)


def seen(subject: Subject, image) -> tuple[np.ndarray, torch.Tensor]:
    """The picture as ``subject`` sees it and its input tensor.

    Returns:
        (uint8 [S, S, 3]: after the run's dataset fit (if any), the model's resize and centre crop;
         float32 [1, 3, S, S]: the same pixels normalised, ready for the model).
    """
    from core.finetune.predict import as_trained
    pre = subject.preprocess
    u8 = pre.geometry()(as_trained(image.convert("RGB"), subject.dataset_side))
    x = pre.normalization()(u8).unsqueeze(0)
    return u8.permute(1, 2, 0).contiguous().numpy(), x


def predictions(subject: Subject, images: list, top: int = 5) -> list[list[dict]]:
    """Top-k over the subject's classes for PIL images: ``[[{"index", "label", "prob"}, ...], ...]``."""
    if not images:
        return []
    from core.inside.models import FORWARD_LOCK
    batch = torch.cat([seen(subject, im)[1] for im in images])
    with FORWARD_LOCK, torch.inference_mode():  # the lock: another view's hooks may sit on the shared model
        probs = subject.model(batch).float().softmax(-1)
    k = max(1, min(int(top), len(subject.labels)))
    out = []
    for row in probs:
        p, idx = row.topk(k)
        out.append([{"index": int(i), "label": subject.labels[int(i)], "prob": round(float(q), 6)}
                    for q, i in zip(p, idx)])
    return out


_PRIVATE: "OrderedDict[str, tuple[nn.Module, threading.Lock]]" = OrderedDict()
_PRIVATE_LOCK = threading.Lock()
PRIVATE_KEPT = 2   # private copies kept (one per subject), so that a map does not pay for a copy every time


@contextlib.contextmanager
def private_model(subject: Subject) -> Iterator[nn.Module]:
    """The subject's kept private copy (:func:`private_copy`), held alone for the block: attribution adds hooks
    and gradients to it, so two sessions never share it at once (the second waits). Read-only use only:
    anything that changes weights (the randomisation check) takes its own fresh :func:`private_copy`."""
    with _PRIVATE_LOCK:
        kept = _PRIVATE.get(subject.key)
        if kept is None:
            kept = _PRIVATE[subject.key] = (private_copy(subject.model), threading.Lock())
            while len(_PRIVATE) > PRIVATE_KEPT:
                _PRIVATE.popitem(last=False)
        else:
            _PRIVATE.move_to_end(subject.key)
    model, lock = kept
    with lock:
        yield model


def private_copy(model: nn.Module) -> nn.Module:
    """A copy of a shared model for attribution: eval mode, no parameter gradients (only the input's are
    needed, and skipping the weights' makes a backward pass about a quarter cheaper), channels-last (faster
    convolutions on CPU). Hooks, flags and randomisation then never touch the shared model."""
    from core.inside.models import FORWARD_LOCK
    with FORWARD_LOCK:  # never copy another view's temporary hooks along
        private = copy.deepcopy(model).eval()
    for p in private.parameters():
        p.requires_grad_(False)
    return private.to(memory_format=torch.channels_last)

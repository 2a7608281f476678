"""The models the inside views compare, made once and shared read-only.

* ``pretrained(name)``: the catalog model with its ImageNet classifier and the best weights available
  (``core.zoo.build_model``; it says where they came from, random initialisation included).
* ``initialisation(name, seed, ...)``: the random initialisation a run drew, rebuilt exactly as
  ``core.finetune.head.start_model`` drew it for the run (the same function), without touching the caller's
  random state.
* ``digest(model, head_path)``: the run's own fingerprint of a backbone (``core.finetune.head.backbone_digest``).

Models here are shared between calls (and page sessions): never train, move or modify them; forward passes
with hooks go through :data:`FORWARD_LOCK` so that two sessions' hooks never meet.
"""
from __future__ import annotations

import functools
import threading
from typing import NamedTuple

import torch
from torch import nn

FORWARD_LOCK = threading.RLock()


class Made(NamedTuple):
    model: nn.Module
    weights: object          # core.zoo.WeightsInfo
    digests: dict = {}       # head path -> digest, filled by pretrained_digest (shared models only)


@functools.lru_cache(maxsize=2)
def pretrained(name: str) -> Made:
    """The ImageNet-shaped model with the best weights available now (random when none are)."""
    from core.zoo import build_model
    built = build_model(name, pretrained=True)
    return Made(built.model.eval(), built.weights, {})


def initialisation(name: str, seed: int, num_classes: int, head: dict | None, pretrained_build: bool = False) -> Made:
    """The weights a run with ``seed`` started from when it started from random initialisation.

    ``pretrained_build``: the run asked for pretrained weights and found none (then ``build_model`` was called
    with ``pretrained=True``, which builds GoogLeNet / Inception-v3 differently); offline this gives the same
    random draw, and with weights now in a cache it gives those, which the digest then refuses.
    """
    from core.finetune.head import start_model
    with torch.random.fork_rng(devices=[]):
        built, _, _ = start_model(name, int(num_classes), pretrained_build, int(seed), spec=head,
                                  allow_download=False if pretrained_build else None)
    return Made(built.model.eval(), built.weights, {})


def random_model(name: str, seed: int = 0) -> Made:
    """A randomly initialised ImageNet-shaped model, the same draw for the same seed."""
    from core.zoo import build_model
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        built = build_model(name, pretrained=False)
    return Made(built.model.eval(), built.weights, {})


def digest(model: nn.Module, head_path: str) -> str:
    """sha256 of every tensor except those under ``head_path`` (what a run records as its start)."""
    from core.finetune.head import backbone_digest
    return backbone_digest(model, {"path": head_path})


def pretrained_digest(name: str, head_path: str) -> str:
    """The digest of :func:`pretrained` with ``head_path`` left out (computed once per model and head path)."""
    made = pretrained(name)
    if head_path not in made.digests:
        made.digests[head_path] = digest(made.model, head_path)
    return made.digests[head_path]

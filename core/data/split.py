"""The train / validation / test split of a dataset: stratified per class, fixed seed, duplicates kept together.

The fractions are part of a dataset's id (:mod:`core.data.store`), so a different split is a different
stored dataset, never a silently reshuffled one.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from core.errors import UserError

SPLIT_SEED = 0
VAL_FRACTION = 0.2
TEST_FRACTION = 0.0
TEST_CHOICES = (0.0, 0.1, 0.2)  # the test fractions the datasets page offers (the CLI takes any)


def check_fractions(val: float, test: float) -> tuple[float, float]:
    """The fractions as stored (rounded to 4 places); ``UserError`` when they leave too little to train on."""
    val, test = float(val), float(test)
    if not (0 < val < 0.9) or not (0 <= test < 0.9) or val + test >= 0.9:
        raise UserError.of("data.bad_fractions")
    return round(val, 4), round(test, 4)


def stratified_split(labels: np.ndarray, hashes: list[str] | None, val_fraction: float, test_fraction: float,
                     seed: int = SPLIT_SEED) -> dict[str, np.ndarray]:
    """Per-class shuffled split with a fixed seed; exact duplicates inside a class stay in one split.

    Every class with at least 2 images gets at least 1 training and 1 validation image; test is empty when
    ``test_fraction`` is 0 (or the class is too small to spare one).

    Args:
        labels: int class index of each image.
        hashes: content hash of each image (equal hashes stay together), or None to split plain indices.

    Returns:
        ``{"train", "val", "test"}`` -> sorted int64 indices into ``labels``.
    """
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    out: dict[str, list[int]] = {"train": [], "val": [], "test": []}
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n_val, n_test = _class_quota(len(idx), val_fraction, test_fraction)
        parts = _deal_groups(idx, hashes, n_val, n_test, rng)
        for k in out:
            out[k].extend(parts[k])
    return {k: np.asarray(sorted(v), dtype=np.int64) for k, v in out.items()}


def _class_quota(n: int, val_fraction: float, test_fraction: float) -> tuple[int, int]:
    """How many of a class's ``n`` images go to validation and test, leaving at least one to train on."""
    n_val = max(1, int(round(n * val_fraction)))
    n_test = max(1, int(round(n * test_fraction))) if test_fraction > 0 else 0
    while n - n_val - n_test < 1 and n_test > 0:
        n_test -= 1
    while n - n_val - n_test < 1 and n_val > 1:
        n_val -= 1
    return n_val, n_test


def _deal_groups(idx: np.ndarray, hashes: list[str] | None, n_val: int, n_test: int,
                 rng: np.random.Generator) -> dict[str, list[int]]:
    """One class's images dealt to test, then val, then train, a group of identical files at a time."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        groups[hashes[i] if hashes else str(i)].append(int(i))
    order = [groups[k] for k in sorted(groups)]
    perm = rng.permutation(len(order))
    parts: dict[str, list[int]] = {"test": [], "val": [], "train": []}
    for g in (order[p] for p in perm):
        if len(parts["test"]) < n_test:
            parts["test"].extend(g)
        elif len(parts["val"]) < n_val:
            parts["val"].extend(g)
        else:
            parts["train"].extend(g)
    if not parts["train"] or not parts["val"]:  # duplicate groups too big to honour: split plain indices
        shuffled = idx[rng.permutation(len(idx))].tolist()
        parts = {"test": shuffled[:n_test], "val": shuffled[n_test:n_test + n_val],
                 "train": shuffled[n_test + n_val:]}
    return parts

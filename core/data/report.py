"""A dataset's validation report (counts, sizes, duplicates, split) and its warnings, as notices.

The report is stored as ``report.json`` next to the cache. Its ``warnings`` are ``{"key", "params"}``
records (keys ``data.warn.*`` in ``core/i18n/data.py``), and so is the ``reason`` of each ``skipped`` file
(``{"path", "reason", "code"}``, ``code`` naming its kind): the page renders them in its language, the CLI
in English. :func:`report_warnings` and :func:`skipped_text` also read reports stored before notices, whose
warnings and reasons were English sentences (with a ``warning_items`` list of ``{"code", "message",
"params"}`` beside the warnings).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Mapping

import numpy as np

from core.i18n import DEFAULT_LANG, all_strings
from core.notices import Notice

IMBALANCE_RATIO = 3.0       # largest / smallest class above this: a warning
SMALL_VAL = 20              # fewer validation images than this: a warning
SHOWN_DUPLICATES = 50       # duplicate groups listed in the report (all are counted)


def build_report(*, name: str, source: str, classes: list[str], labels: np.ndarray, files: list[str],
                 hashes: list[str], sizes: list[tuple[int, int]], formats: Mapping[str, int], skipped: list[dict],
                 collisions: list[dict], split: dict[str, np.ndarray], splits: tuple[float, float], seed: int,
                 cache_size: int) -> dict:
    """The report of a dataset about to be stored (plain JSON: lists, dicts, numbers, strings)."""
    counts = {c: int((labels == i).sum()) for i, c in enumerate(classes)}
    groups = _duplicate_groups(classes, labels, files, hashes, split)
    warnings = [*_imbalance(counts), *_collisions(collisions), *_duplicates(groups), *_small_val(split)]
    short = np.asarray(sizes, dtype=np.int64).reshape(-1, 2).min(axis=1)
    return {
        "name": name, "source": source,
        "classes": list(classes), "counts": counts, "num_images": int(len(labels)),
        "skipped": skipped,
        "skipped_by_reason": dict(Counter(s["code"] for s in skipped)),
        "warnings": [w.record() for w in warnings],
        "collisions": collisions,
        "duplicates": groups[:SHOWN_DUPLICATES], "num_duplicate_groups": len(groups),
        "sizes": {**_size_stats(sizes), "formats": dict(formats), "cache_size": cache_size,
                  "upscaled": int((short < cache_size).sum())},
        "split": {k: int(len(v)) for k, v in split.items()},
        "split_counts": {k: {c: int((labels[v] == i).sum()) for i, c in enumerate(classes)} for k, v in split.items()},
        "seed": seed, "val_fraction": splits[0], "test_fraction": splits[1],
    }


def report_warnings(report: Mapping[str, Any]) -> list[Notice]:
    """The warnings of a stored report as notices, whichever code stored it."""
    items = report.get("warning_items")
    if isinstance(items, list):  # stored before notices: English next to a code that names the same sentence
        found = (Notice.legacy(w.get("message"), _key_of_code(w.get("code")), w.get("params"))
                 for w in items if isinstance(w, Mapping))
    else:
        found = (Notice.restore(w) if isinstance(w, Mapping) else Notice.legacy(w)
                 for w in report.get("warnings") or ())
    return [n for n in found if n is not None]


def skipped_entry(path: str, code: str, reason: Notice) -> dict:
    """A skipped file as the report stores it: its path, why (a notice record) and its kind (``data.skip.<code>``)."""
    return {"path": path, "reason": reason.record(), "code": code}


def skipped_text(entry: Mapping[str, Any], lang: str = DEFAULT_LANG) -> str:
    """Why a file was skipped, in ``lang``, without the file name that image messages start with."""
    reason = entry.get("reason")
    notice = Notice.restore(reason) or Notice.legacy(str(reason))  # before notices: the English it stored
    return _without_label(notice.text(lang), str(entry.get("path")))


def _without_label(message: str, label: str) -> str:
    """``message`` without a leading ``"<label>: "`` and its final full stop (to sit in a column beside it)."""
    prefix = f"{label}: "
    return (message[len(prefix):] if message.startswith(prefix) else message).rstrip(".")


def _key_of_code(code: Any) -> str | None:
    key = f"data.warn.{code}"
    return key if key in all_strings() else None


def _duplicate_groups(classes: list[str], labels: np.ndarray, files: list[str], hashes: list[str],
                      split: dict[str, np.ndarray]) -> list[dict]:
    """Groups of identical files (same content hash): their files, classes and splits."""
    by_hash: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(hashes):
        by_hash[h].append(i)
    split_of = np.empty(len(labels), dtype=object)
    for k, idx in split.items():
        split_of[idx] = k
    return [{"files": [files[i] for i in idx], "classes": sorted({classes[labels[i]] for i in idx}),
             "splits": sorted({split_of[i] for i in idx})}
            for idx in by_hash.values() if len(idx) > 1]


def _imbalance(counts: dict[str, int]) -> list[Notice]:
    big, small = max(counts, key=counts.get), min(counts, key=counts.get)
    if counts[big] <= IMBALANCE_RATIO * counts[small]:
        return []
    return [Notice.of("data.warn.imbalance", big=big, small=small, n_big=counts[big], n_small=counts[small],
                      ratio=round(counts[big] / counts[small], 1))]


def _collisions(collisions: list[dict]) -> list[Notice]:
    out = []
    for col in collisions:
        names = ", ".join(f"'{n}'" for n in col["folders"])
        if col["kind"] == "unicode":
            out.append(Notice.of("data.warn.collision_unicode", names=names, label=col["label"]))
        else:
            out.append(Notice.of("data.warn.collision_case", names=names))
    return out


def _duplicates(groups: list[dict]) -> list[Notice]:
    """Contradicting labels, duplicates inside a class, and leakage across splits, each with an example."""
    across_classes = [g for g in groups if len(g["classes"]) > 1]
    across_splits = [g for g in groups if len(g["splits"]) > 1]
    within = len(groups) - len(across_classes)
    out = []
    if across_classes:
        a, b = across_classes[0]["files"][:2]
        out.append(Notice.of("data.warn.dup_classes", n=len(across_classes), a=a, b=b))
    if within:
        out.append(Notice.of("data.warn.dup_within", n=within))
    if across_splits:
        a, b = across_splits[0]["files"][:2]
        out.append(Notice.of("data.warn.leakage", n=len(across_splits), a=a, b=b))
    return out


def _small_val(split: dict[str, np.ndarray]) -> list[Notice]:
    n_val = len(split["val"])
    if n_val >= SMALL_VAL:
        return []
    return [Notice.of("data.warn.small_val", n=n_val, step=round(100 / n_val))]


def _size_stats(sizes: list[tuple[int, int]]) -> dict[str, dict]:
    """min / median / max / mean of the original widths and heights."""
    arr = np.asarray(sizes, dtype=np.int64).reshape(-1, 2)
    return {key: {"min": int(col.min()), "median": float(np.median(col)), "max": int(col.max()),
                  "mean": round(float(col.mean()), 1)}
            for key, col in (("width", arr[:, 0]), ("height", arr[:, 1]))}

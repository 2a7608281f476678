"""The built-in demo sets, made from installed packages (no network): ``digits`` and ``faces``."""
from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections import Counter
from pathlib import Path
from typing import Optional

import numpy as np

from core import images as imgs
from core.data.dataset import Builder
from core.data.ingest import choose_size
from core.errors import UserError
from core.i18n import t
from core.notices import Notice

DEMOS = {"digits": "Digits (scikit-learn, 8×8)", "faces": "Faces vs. not faces (scikit-image LFW subset)"}
# How our demo sets' names and class labels read on a page. What is stored stays as it is (a dataset's name and
# class folders are data: runs, exports and the CLI keep them); only what a page shows is in its language.
SHOWN_NAMES = {name: f"data.demo.{name}.name" for name in DEMOS}
SHOWN_CLASSES = {"faces": {"face": "data.demo.faces.class.face", "not_face": "data.demo.faces.class.not_face"}}


def demo_of(name: str) -> Optional[str]:
    """The demo set (``digits``, ``faces``) stored under ``name``, or ``None`` for a person's own dataset."""
    return next((demo for demo, stored in DEMOS.items() if stored == name), None)


def shown_name(name: str, lang: str) -> str:
    """A stored dataset's name as a page shows it: our demo sets in ``lang``, anyone else's as they named it."""
    demo = demo_of(name)
    return t(SHOWN_NAMES[demo], lang) if demo else name


def shown_class(dataset_name: str, cls: str, lang: str) -> str:
    """A class label as a page shows it: our demo sets' labels in ``lang`` ("rosto"), any other as stored."""
    key = SHOWN_CLASSES.get(demo_of(dataset_name) or "", {}).get(cls)
    return t(key, lang) if key else cls


def build_demo(builder: Builder, name: str) -> None:
    """Fill ``builder`` with the demo set ``name`` (a key of :data:`DEMOS`)."""
    from PIL import Image
    classes, arrays, labels = _demo_arrays(name)
    builder.classes = classes
    side = choose_size([min(a.shape[:2]) for a in arrays])
    builder.allocate(len(arrays), side)
    counters: Counter = Counter()
    for i, (arr, y) in enumerate(zip(arrays, labels)):
        rel = f"{classes[y]}/{counters[y]:04d}.png"
        counters[y] += 1
        im = Image.fromarray(arr)
        builder.add(imgs.fit_square(im, side), int(y), rel, hashlib.sha256(arr.tobytes()).hexdigest(),
                    (arr.shape[1], arr.shape[0]), "PNG")
        if i % 100 == 0:
            builder.progress(0.1 + 0.85 * i / len(arrays), Notice.of("data.progress.making", k=i, n=len(arrays)))


def write_demo(name: str, out: Path) -> dict:
    """Write a demo set as a class-per-folder tree of PNG files at its original resolution.

    Returns:
        ``{"name", "out", "classes", "counts", "num_images"}``.
    """
    from PIL import Image
    name = name.removeprefix("demo:").strip().lower()
    if name not in DEMOS:
        raise UserError.of("data.unknown_demo", demo=name, choices=", ".join(DEMOS))
    out = Path(out).expanduser()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError.of("data.out_not_empty", out=str(out))
    classes, arrays, labels = _demo_arrays(name)
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        for c in classes:
            (tmp / c).mkdir(parents=True)
        counts: Counter = Counter()
        for i, (arr, y) in enumerate(zip(arrays, labels)):
            Image.fromarray(arr).save(tmp / classes[y] / f"{i:04d}.png")
            counts[classes[y]] += 1
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"name": name, "out": str(out.resolve()), "classes": classes,
            "counts": {c: counts[c] for c in classes}, "num_images": int(len(labels))}


def _demo_arrays(name: str) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """uint8 RGB images at their original resolution, with class names and labels."""
    if name == "digits":
        from sklearn.datasets import load_digits
        d = load_digits()
        # 0..16 ink intensity -> dark ink on white paper, like a scanned page
        gray = (255 - np.round(d.images * (255.0 / 16.0))).clip(0, 255).astype(np.uint8)
        classes = [str(int(c)) for c in d.target_names]
        labels = d.target.astype(np.int64)
    else:
        from skimage.data import lfw_subset
        x = np.asarray(lfw_subset())  # (200, 25, 25) float64 in [0, 1]: 100 faces, then 100 non-faces
        gray = np.round((x if x.max() > 1.0 else x * 255.0)).clip(0, 255).astype(np.uint8)
        classes = ["face", "not_face"]
        labels = np.repeat(np.arange(2, dtype=np.int64), [100, len(x) - 100])
    rgb = [np.repeat(g[:, :, None], 3, axis=2) for g in gray]
    return classes, rgb, labels

"""A stored dataset's folder: the files it holds, their one writer (:class:`Builder`) and one reader (:class:`Dataset`).

``<data_dir>/datasets/<id>/`` holds ``images.npy`` (uint8 [N, S, S, 3], the decoded cache), ``labels.npy``,
``sizes.npy`` (original width, height), ``files.json``, ``split.json``, ``report.json`` and ``meta.json``.
``meta.json`` is written last, so a folder without it is not (yet) a dataset. Only this module spells these
names; :mod:`core.data.store` decides where a folder lives and when it is built.
"""
from __future__ import annotations

import io
import json
import os
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from core.data.report import build_report, report_warnings, skipped_entry
from core.data.split import SPLIT_SEED, TEST_FRACTION, VAL_FRACTION, stratified_split
from core.errors import UserError
from core.notices import Notice

# Part of every id. Bump it when the stored pixels for the same source would change (the reduced-scale JPEG
# rule, the resize filter, the crop), so a new rule makes new ids instead of serving caches made by the old
# one; changes that store the same bytes faster keep it, and so keep every stored dataset opening at once.
FORMAT_VERSION = 1
MIN_PER_CLASS = 2

Progress = Callable[[float, Notice], None]   # (fraction 0..1, what is being done)


class DatasetRejected(UserError):
    """The source cannot be used as a dataset; the message says which entry or rule, and what to do."""


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    name: str
    classes: list[str]
    num_images: int
    created: str
    val_fraction: float = VAL_FRACTION
    test_fraction: float = TEST_FRACTION   # 0: no test split


class Dataset:
    """A stored dataset: the decoded cache (memory-mapped), labels, file names, split and report."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        meta = _read_json(self.dir / "meta.json")
        self.id: str = meta["id"]
        self.name: str = meta["name"]
        self.created: str = meta["created"]
        self.source: str = meta["source"]
        self.classes: list[str] = list(meta["classes"])
        self.cache_size: int = int(meta["cache_size"])
        self.val_fraction: float = float(meta.get("val_fraction", VAL_FRACTION))    # as asked when stored
        self.test_fraction: float = float(meta.get("test_fraction", TEST_FRACTION))
        self.images: np.ndarray = np.load(self.dir / "images.npy", mmap_mode="r")
        self.labels: np.ndarray = np.load(self.dir / "labels.npy").astype(np.int64)
        self.files: list[str] = _read_json(self.dir / "files.json")
        self.split: dict[str, np.ndarray] = {k: np.asarray(v, dtype=np.int64)
                                             for k, v in _read_json(self.dir / "split.json").items()}
        self.report: dict = _read_json(self.dir / "report.json")

    @property
    def original_sizes(self) -> np.ndarray:
        """int32 [N, 2]: each image's (width, height) before resizing."""
        return np.load(self.dir / "sizes.npy")

    @property
    def warnings(self) -> list[Notice]:
        """The report's warnings (also those of datasets stored before notices); render with ``.text(lang)``."""
        return report_warnings(self.report)

    @property
    def info(self) -> DatasetInfo:
        return DatasetInfo(self.id, self.name, list(self.classes), int(len(self.labels)), self.created,
                           self.val_fraction, self.test_fraction)

    def __len__(self) -> int:
        return int(len(self.labels))

    def __repr__(self) -> str:
        return f"Dataset(id={self.id!r}, name={self.name!r}, classes={len(self.classes)}, images={len(self)})"


def is_stored(folder: Path) -> bool:
    """Whether ``folder`` holds a complete dataset."""
    return (Path(folder) / "meta.json").is_file()


def read_info(folder: Path) -> DatasetInfo:
    """The listing of a stored dataset, without opening its arrays (raises OSError, ValueError, KeyError)."""
    m = _read_json(Path(folder) / "meta.json")
    return DatasetInfo(m["id"], m["name"], list(m["classes"]), int(m["num_images"]), m["created"],
                       float(m.get("val_fraction", VAL_FRACTION)), float(m.get("test_fraction", TEST_FRACTION)))


class Builder:
    """Collects decoded images into a new dataset folder, then writes labels, split, report and meta.

    Images stream into ``images.npy`` with plain writes (not a memory map: resident memory stays flat);
    sources fill ``classes``, ``collisions`` and ``skipped`` as they find them.
    """

    def __init__(self, tmp: Path, progress: Progress):
        self.tmp = tmp
        self.progress = progress
        self._fh = None
        self.capacity = 0
        self.size = 0
        self.count = 0
        self.labels: list[int] = []
        self.files: list[str] = []
        self.hashes: list[str] = []
        self.sizes: list[tuple[int, int]] = []
        self.formats: Counter = Counter()
        self.skipped: list[dict] = []
        self.classes: list[str] = []
        self.collisions: list[dict] = []

    def allocate(self, capacity: int, size: int) -> None:
        """Open images.npy for up to ``capacity`` images of ``size``×``size``."""
        self.capacity, self.size = capacity, size
        self._fh = open(self.tmp / "images.npy", "wb")
        np.lib.format.write_array_header_1_0(self._fh, _header((capacity, size, size, 3)))

    def add(self, arr: np.ndarray, label: int, rel: str, digest: str, orig: tuple[int, int], fmt: str) -> None:
        assert arr.shape == (self.size, self.size, 3) and arr.dtype == np.uint8 and self.count < self.capacity
        self._fh.write(np.ascontiguousarray(arr).tobytes())
        self.labels.append(label)
        self.files.append(rel)
        self.hashes.append(digest)
        self.sizes.append(orig)
        self.formats[fmt] += 1
        self.count += 1

    def skip(self, path: str, code: str, reason: Notice) -> None:
        self.skipped.append(skipped_entry(path, code, reason))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def finish(self, ds_id: str, name: str, source: str, splits: tuple[float, float]) -> None:
        """Check the classes, then write every file of the folder (``meta.json`` last)."""
        self._check_classes()
        self._shrink()
        labels = np.asarray(self.labels, dtype=np.int64)
        split = stratified_split(labels, self.hashes, splits[0], splits[1], SPLIT_SEED)
        report = build_report(name=name, source=source, classes=self.classes, labels=labels, files=self.files,
                              hashes=self.hashes, sizes=self.sizes, formats=self.formats, skipped=self.skipped,
                              collisions=self.collisions, split=split, splits=splits, seed=SPLIT_SEED,
                              cache_size=self.size)
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        np.save(self.tmp / "labels.npy", labels)
        np.save(self.tmp / "sizes.npy", np.asarray(self.sizes, dtype=np.int32).reshape(-1, 2))
        _write_json(self.tmp / "files.json", self.files)
        _write_json(self.tmp / "split.json", {k: v.tolist() for k, v in split.items()})
        _write_json(self.tmp / "report.json", report)
        _write_json(self.tmp / "meta.json", {
            "id": ds_id, "name": name, "source": source, "created": created, "classes": self.classes,
            "num_images": int(len(labels)), "cache_size": self.size, "format_version": FORMAT_VERSION,
            "seed": SPLIT_SEED, "val_fraction": splits[0], "test_fraction": splits[1]})

    def _check_classes(self) -> None:
        counts = Counter(self.labels)
        if len(self.classes) < 2:
            only = f" ('{self.classes[0]}')" if self.classes else ""
            raise DatasetRejected.of("data.too_few_classes", count=len(self.classes), only=only)
        for i, c in enumerate(self.classes):
            if counts.get(i, 0) < MIN_PER_CLASS:
                raise DatasetRejected.of("data.too_few_images", name=c, count=counts.get(i, 0), min=MIN_PER_CLASS)

    def _shrink(self) -> None:
        """Make images.npy describe exactly the images that decoded (rewrite the header; copy if it grew)."""
        path = self.tmp / "images.npy"
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.close()
        shape = (self.count, self.size, self.size, 3)
        if self.count == self.capacity:
            return
        with open(path, "r+b") as fh:
            np.lib.format.read_magic(fh)
            np.lib.format.read_array_header_1_0(fh)
            offset = fh.tell()
            header = io.BytesIO()  # magic + version + padded header dict
            np.lib.format.write_array_header_1_0(header, _header(shape))
            if len(header.getvalue()) == offset:
                fh.seek(0)
                fh.write(header.getvalue())
                fh.truncate(offset + int(np.prod(shape)))
                return
            fh.seek(offset)
            body = fh.read(int(np.prod(shape)))
        with open(path, "wb") as fh:
            fh.write(header.getvalue())
            fh.write(body)


def _header(shape: tuple[int, ...]) -> dict:
    return {"descr": "|u1", "fortran_order": False, "shape": shape}


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _write_json(path: Path, obj: Any) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=1)

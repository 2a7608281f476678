"""Datasets: safe ingest of a small labelled image set, its report, stratified splits and a decoded cache.

A dataset comes from a ``.zip`` (one folder per class; one wrapping folder is unwrapped), a folder on the
server (same layout) or a built-in demo set made from installed packages (``demo:digits``, ``demo:faces``).
Every image is decoded once with :func:`core.images.open_rgb` (EXIF, colour modes, limits) and stored,
resized so its short side is ``S`` and centre-cropped, in ``<data_dir>/datasets/<id>/images.npy``
(uint8 [N, S, S, 3], memory-mapped when opened). ``id`` is a content hash of the source, so the same zip
uploaded again opens instantly.

Archives are read in place, entry by entry, through :mod:`zipfile`: nothing is extracted, so no entry can
land anywhere on disk; names that would escape a folder, links, encrypted entries and bombs reject the whole
archive with one sentence. Everything written goes into a temporary folder inside the data directory that is
renamed into place (``os.replace``) under a per-id lock, or removed on failure.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import stat
import threading
import time
import unicodedata
import uuid
import zipfile
import zlib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable

import numpy as np

from core import images as imgs
from core.errors import UserError
from core.settings import MAX_UPLOAD_MB, data_dir

_log = logging.getLogger("core.data")

FORMAT_VERSION = 1          # part of every id: a change in decoding makes new ids instead of stale caches
SPLIT_SEED = 0
VAL_FRACTION = 0.2
TEST_FRACTION = 0.0
MIN_PER_CLASS = 2
MIN_CACHE, MAX_CACHE = 32, 256
IMBALANCE_RATIO = 3.0       # largest / smallest class above this: a warning

# Archive limits. The byte limits are enforced on the bytes actually decompressed, not on header claims.
MAX_ENTRIES = 20_000
MAX_DEPTH = 16              # path components in one entry name
MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_ENTRY_BYTES = 256 * 1024 ** 2
MAX_RATIO = 100             # uncompressed / compressed for one entry, checked once it passes RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 ** 2
CHUNK = 1024 * 1024
PROBE_BYTES = 256 * 1024    # how much of a file the size probe may read
DECODE_THREADS = max(1, min(4, os.cpu_count() or 1))
DECODE_BATCH = 4 * DECODE_THREADS  # files read ahead of the decoders (bounds memory to a few files)

DEMOS = {"digits": "Digits (scikit-learn, 8×8)", "faces": "Faces vs. not faces (scikit-image LFW subset)"}
ARCHIVE_SUFFIXES = frozenset({".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar"})
REFUSED_SUFFIXES = frozenset({".eps", ".ps", ".pdf", ".psd", ".fits", ".fit", ".fts", ".svg", ".heic", ".heif",
                              ".avif", ".ico", ".tga", ".xcf", ".dng", ".cr2", ".nef", ".arw", ".raw", ".ppm",
                              ".pgm", ".pbm", ".jp2", ".j2k"})
SYSTEM_FILES = {"thumbs.db": "Windows thumbnail cache", "ehthumbs.db": "Windows thumbnail cache",
                "desktop.ini": "Windows folder settings", ".ds_store": "macOS folder settings"}
_ID_RE = re.compile(r"^[0-9a-f]{16}$")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")

Progress = Callable[[float, str], None]


class DatasetRejected(UserError):
    """The source cannot be used as a dataset; the message says which entry or rule, and what to do."""


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    name: str
    classes: list[str]
    num_images: int
    created: str


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
    def info(self) -> DatasetInfo:
        return DatasetInfo(self.id, self.name, list(self.classes), int(len(self.labels)), self.created)

    def __len__(self) -> int:
        return int(len(self.labels))

    def __repr__(self) -> str:
        return f"Dataset(id={self.id!r}, name={self.name!r}, classes={len(self.classes)}, images={len(self)})"


# ----------------------------------------------------------------------------------------------------------
# Public API


def open_dataset(ref: str, progress: Progress | None = None, *, name: str | None = None,
                 val_fraction: float = VAL_FRACTION, test_fraction: float = TEST_FRACTION) -> Dataset:
    """Open a dataset, ingesting it first when it is not stored yet.

    Args:
        ref: ``"demo:digits"``, ``"demo:faces"``, a stored dataset id, or a path to a ``.zip`` or a folder
            with one sub-folder per class.
        progress: called with (fraction 0..1, message) while ingesting.
        name: the name to store (defaults to the file or folder name).
        val_fraction, test_fraction: the stratified split (fixed seed); part of the id.

    Raises:
        UserError: one sentence naming the entry or rule that makes the source unusable.
    """
    progress = progress or (lambda f, m: None)
    ref = str(ref).strip()
    splits = _check_fractions(val_fraction, test_fraction)
    if ref.startswith("demo:"):
        demo = ref[5:].strip().lower()
        if demo not in DEMOS:
            raise UserError.of("data.unknown_demo", demo=demo, choices=", ".join("demo:" + d for d in DEMOS))
        ds_id = _make_id(f"demo:{demo}".encode(), splits)
        return _get_or_build(ds_id, lambda b: _build_demo(b, demo), name or DEMOS[demo], "demo", splits, progress)
    if _ID_RE.match(ref):
        path = datasets_root() / ref
        if (path / "meta.json").is_file():
            return Dataset(path)
        if not Path(ref).exists():
            raise UserError.of("data.no_such_id", id=ref)
    path = Path(ref).expanduser()
    if not path.exists():
        raise UserError.of("data.not_a_source", ref=ref)
    path = path.resolve()
    if path.is_dir():
        progress(0.0, "hashing the folder")
        ds_id = _make_id(_hash_folder(path), splits)
        return _get_or_build(ds_id, lambda b: _build_folder(b, path), name or path.name, "folder", splits, progress)
    progress(0.0, "hashing the archive")
    _check_zip_file(path)
    ds_id = _make_id(_upload_digest(path) or _hash_file(path), splits)
    return _get_or_build(ds_id, lambda b: _build_zip(b, path), name or path.stem, "zip", splits, progress)


def list_datasets() -> list[DatasetInfo]:
    """The stored datasets, newest first."""
    root = datasets_root()
    _sweep_stale(root)
    out = []
    for d in root.iterdir():
        if d.is_dir() and _ID_RE.match(d.name) and (d / "meta.json").is_file():
            try:
                m = _read_json(d / "meta.json")
                out.append(DatasetInfo(m["id"], m["name"], list(m["classes"]), int(m["num_images"]), m["created"]))
            except (OSError, ValueError, KeyError):
                _log.warning("unreadable dataset folder %s", d)
    return sorted(out, key=lambda i: (i.created, i.id), reverse=True)


def delete_dataset(dataset_id: str) -> None:
    """Remove a stored dataset (its folder disappears at once; open memory maps keep working until closed)."""
    if not _ID_RE.match(str(dataset_id)):
        raise UserError.of("data.bad_id", id=str(dataset_id))
    root = datasets_root()
    path = root / dataset_id
    if not path.is_dir():
        raise UserError.of("data.unknown_id", id=str(dataset_id))
    with _lock(dataset_id):
        trash = root / f".trash-{dataset_id}-{uuid.uuid4().hex[:8]}"
        os.replace(path, trash)  # atomic: readers see either the whole dataset or none
    shutil.rmtree(trash, ignore_errors=True)


def datasets_root() -> Path:
    root = data_dir() / "datasets"
    root.mkdir(parents=True, exist_ok=True)
    return root


def save_upload(fileobj: BinaryIO, filename: str) -> Path:
    """Stream an uploaded archive to a private temporary file inside the data directory.

    The caller opens the returned path with :func:`open_dataset` and removes it with :func:`discard_upload`.
    The bytes are copied in chunks, so the upload is never held in memory a second time.
    """
    stem = re.sub(r"[^\w.\- ]+", "_", Path(str(filename).replace("\\", "/")).name).strip(" .") or "upload.zip"
    folder = data_dir() / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    dest = folder / stem
    limit = MAX_UPLOAD_MB * 1024 * 1024
    try:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
        written = 0
        digest = hashlib.sha256()
        with open(dest, "wb") as out:
            while chunk := fileobj.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise DatasetRejected.of("data.upload_too_large", name=stem, limit=MAX_UPLOAD_MB)
                digest.update(chunk)
                out.write(chunk)
        # hashed while copying, so a re-upload of a stored zip opens without reading it a second time
        _write_json(folder / ".digest.json", {"sha256": digest.hexdigest(), "size": written})
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return dest


def discard_upload(path: Path) -> None:
    """Remove a file made by :func:`save_upload` (only ever inside ``<data_dir>/uploads``)."""
    path = Path(path).resolve()
    uploads = (data_dir() / "uploads").resolve()
    if path.parent.parent == uploads:
        shutil.rmtree(path.parent, ignore_errors=True)


def thumbnails(ds: Dataset, per_class: int = 8, split: str | None = None) -> dict[str, list[tuple[np.ndarray, str]]]:
    """Up to ``per_class`` cached images of each class, with their file names, in stored order."""
    allowed = None if split is None else set(ds.split.get(split, np.array([], dtype=np.int64)).tolist())
    out: dict[str, list[tuple[np.ndarray, str]]] = {c: [] for c in ds.classes}
    for c_idx, c in enumerate(ds.classes):
        for i in np.flatnonzero(ds.labels == c_idx):
            if allowed is not None and int(i) not in allowed:
                continue
            out[c].append((np.asarray(ds.images[i]), ds.files[i]))
            if len(out[c]) >= per_class:
                break
    return out


def write_demo(name: str, out: Path) -> dict:
    """Write a demo set as a class-per-folder tree of PNG files at its original resolution."""
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


# ----------------------------------------------------------------------------------------------------------
# Storage: one folder per id, built in a temporary folder and renamed into place under a lock.


def _make_id(source_digest: bytes, splits: tuple[float, float]) -> str:
    h = hashlib.sha256()
    h.update(f"cnnlab-data-v{FORMAT_VERSION}|val={splits[0]:.4f}|test={splits[1]:.4f}|".encode())
    h.update(source_digest)
    return h.hexdigest()[:16]


def _check_fractions(val: float, test: float) -> tuple[float, float]:
    val, test = float(val), float(test)
    if not (0 < val < 0.9) or not (0 <= test < 0.9) or val + test >= 0.9:
        raise UserError.of("data.bad_fractions")
    return round(val, 4), round(test, 4)


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


@contextmanager
def _lock(ds_id: str):
    """Serialise work on one id across threads (a lock) and processes (flock on a lock file)."""
    lock_dir = datasets_root() / ".locks"
    lock_dir.mkdir(exist_ok=True)
    with _THREAD_LOCKS_GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(ds_id, threading.Lock())
    with thread_lock:
        with open(lock_dir / f"{ds_id}.lock", "a+b") as fh:
            try:
                import fcntl
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            except ImportError:  # Windows: the thread lock and os.replace still keep one stored copy
                pass
            yield


def _get_or_build(ds_id: str, fill: Callable[["_Builder"], None], name: str, source: str,
                  splits: tuple[float, float], progress: Progress) -> Dataset:
    root = datasets_root()
    final = root / ds_id
    if (final / "meta.json").is_file():
        progress(1.0, "already stored")
        return Dataset(final)
    with _lock(ds_id):
        if (final / "meta.json").is_file():  # another session finished it while we waited
            progress(1.0, "already stored")
            return Dataset(final)
        tmp = root / f".tmp-{ds_id}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        builder = _Builder(tmp, progress)
        try:
            fill(builder)
            builder.finish(ds_id, name, source, splits)
            if final.exists():  # a leftover without meta.json (crash mid-delete): replace it
                shutil.rmtree(final)
            os.replace(tmp, final)
        except BaseException:
            builder.close()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    progress(1.0, "stored")
    _log.info("stored dataset %s (%s, %d images)", ds_id, name, builder.count)
    return Dataset(final)


def _sweep_stale(root: Path, max_age_s: float = 6 * 3600) -> None:
    """Remove temporary folders left by a crashed ingest, and old uploads."""
    now = time.time()
    candidates = [d for d in root.iterdir() if d.name.startswith((".tmp-", ".trash-"))]
    uploads = data_dir() / "uploads"
    if uploads.is_dir():
        candidates += list(uploads.iterdir())
    for d in candidates:
        try:
            if now - d.stat().st_mtime > max_age_s:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def _read_json(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _write_json(path: Path, obj) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=1)


# ----------------------------------------------------------------------------------------------------------
# The builder: collects decoded images into the cache and writes labels, split and report.


@dataclass
class _Candidate:
    rel: str                       # the original relative path, as shown to people
    raw_class: str                 # the class folder name as found (before normalisation)
    read: Callable[[], bytes]      # the file's bytes (counted against the limits)
    probe: Callable[[], tuple[int, int] | None]


@dataclass
class _Source:
    candidates: list[_Candidate]
    skipped: list[dict]
    class_folders: list[str]       # raw names of every class folder, including empty ones
    entries: int = 0


class _Builder:
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
        self.warning_items: list[dict] = []

    def allocate(self, capacity: int, size: int) -> None:
        """Open images.npy for sequential writes (plain writes, not a memory map: resident memory stays flat)."""
        self.capacity, self.size = capacity, size
        self._fh = open(self.tmp / "images.npy", "wb")
        np.lib.format.write_array_header_1_0(self._fh, {"descr": "|u1", "fortran_order": False,
                                                       "shape": (capacity, size, size, 3)})

    def add(self, arr: np.ndarray, label: int, rel: str, digest: str, orig: tuple[int, int], fmt: str) -> None:
        assert arr.shape == (self.size, self.size, 3) and arr.dtype == np.uint8 and self.count < self.capacity
        self._fh.write(np.ascontiguousarray(arr).tobytes())
        self.labels.append(label)
        self.files.append(rel)
        self.hashes.append(digest)
        self.sizes.append(orig)
        self.formats[fmt] += 1
        self.count += 1

    def skip(self, path: str, code: str, reason: str) -> None:
        self.skipped.append({"path": path, "reason": reason, "code": code})

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

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
            np.lib.format.write_array_header_1_0(header, {"descr": "|u1", "fortran_order": False, "shape": shape})
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

    def finish(self, ds_id: str, name: str, source: str, splits: tuple[float, float]) -> None:
        self._check_classes()
        self._shrink()
        labels = np.asarray(self.labels, dtype=np.int64)
        split = stratified_split(labels, self.hashes, splits[0], splits[1], SPLIT_SEED)
        report = self._report(labels, split, splits, name, source)
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

    def _warn(self, code: str, message: str, **params) -> None:
        self.warning_items.append({"code": code, "message": message, "params": params})

    def _report(self, labels, split, splits, name, source) -> dict:
        counts = {c: int((labels == i).sum()) for i, c in enumerate(self.classes)}
        big = max(counts, key=counts.get)
        small = min(counts, key=counts.get)
        if counts[big] > IMBALANCE_RATIO * counts[small]:
            ratio = counts[big] / counts[small]
            self._warn("imbalance", f"Class imbalance: '{big}' has {counts[big]} images and '{small}' has "
                       f"{counts[small]} ({ratio:.1f}×); accuracy alone will flatter the larger class.",
                       big=big, small=small, n_big=counts[big], n_small=counts[small], ratio=round(ratio, 1))
        for col in self.collisions:
            names = ", ".join(f"'{n}'" for n in col["folders"])
            if col["kind"] == "unicode":
                self._warn("collision_unicode", f"Folders {names} are the same name written in different Unicode "
                           f"forms; they were merged into class '{col['label']}'.", names=names, label=col["label"])
            else:
                self._warn("collision_case", f"Folders {names} differ only in letter case or spaces; they are kept "
                           f"as separate classes (rename or merge them if they are the same).", names=names)
        by_hash: dict[str, list[int]] = defaultdict(list)
        for i, h in enumerate(self.hashes):
            by_hash[h].append(i)
        split_of = np.empty(len(labels), dtype=object)
        for k, idx in split.items():
            split_of[idx] = k
        duplicates = []
        cross_class = cross_split = within = 0
        for h, idx in by_hash.items():
            if len(idx) < 2:
                continue
            cls = sorted({self.classes[labels[i]] for i in idx})
            sp = sorted({split_of[i] for i in idx})
            duplicates.append({"files": [self.files[i] for i in idx], "classes": cls, "splits": sp})
            if len(cls) > 1:
                cross_class += 1
            else:
                within += 1
            if len(sp) > 1:
                cross_split += 1
        if cross_class:
            ex = next(d for d in duplicates if len(d["classes"]) > 1)
            self._warn("dup_classes", f"{cross_class} image(s) appear with the same content in more than one class "
                       f"(e.g. '{ex['files'][0]}' and '{ex['files'][1]}'); the labels contradict each other.",
                       n=cross_class, a=ex["files"][0], b=ex["files"][1])
        if within:
            self._warn("dup_within", f"{within} image(s) have exact duplicates inside their own class; each group was "
                       f"kept in one split.", n=within)
        if cross_split:
            ex = next(d for d in duplicates if len(d["splits"]) > 1)
            self._warn("leakage", f"{cross_split} identical image(s) sit in different splits (e.g. '{ex['files'][0]}' "
                       f"and '{ex['files'][1]}'): validation accuracy will be optimistic.",
                       n=cross_split, a=ex["files"][0], b=ex["files"][1])
        n_val = len(split["val"])
        if n_val < 20:
            self._warn("small_val", f"Only {n_val} validation images: accuracy moves in steps of "
                       f"{100 / n_val:.0f} points, so small differences between runs mean little.",
                       n=n_val, step=round(100 / n_val))
        sizes = np.asarray(self.sizes, dtype=np.int64).reshape(-1, 2)
        stats = {}
        for j, key in enumerate(("width", "height")):
            col = sizes[:, j]
            stats[key] = {"min": int(col.min()), "median": float(np.median(col)), "max": int(col.max()),
                          "mean": round(float(col.mean()), 1)}
        short = sizes.min(axis=1)
        return {
            "name": name, "source": source,
            "classes": list(self.classes), "counts": counts, "num_images": int(len(labels)),
            "skipped": self.skipped,
            "skipped_by_reason": dict(Counter(s["code"] for s in self.skipped)),
            "warnings": [w["message"] for w in self.warning_items],
            "warning_items": self.warning_items,
            "collisions": self.collisions,
            "duplicates": duplicates[:50], "num_duplicate_groups": len(duplicates),
            "sizes": {**stats, "formats": dict(self.formats), "cache_size": self.size,
                      "upscaled": int((short < self.size).sum())},
            "split": {k: int(len(v)) for k, v in split.items()},
            "split_counts": {k: {c: int((labels[v] == i).sum()) for i, c in enumerate(self.classes)}
                             for k, v in split.items()},
            "seed": SPLIT_SEED, "val_fraction": splits[0], "test_fraction": splits[1],
        }


def stratified_split(labels: np.ndarray, hashes: list[str] | None, val_fraction: float, test_fraction: float,
                     seed: int = SPLIT_SEED) -> dict[str, np.ndarray]:
    """Per-class shuffled split with a fixed seed; exact duplicates inside a class stay in one split.

    Every class with at least 2 images gets at least 1 training and 1 validation image; test is empty when
    ``test_fraction`` is 0 (or the class is too small to spare one).
    """
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    out: dict[str, list[int]] = {"train": [], "val": [], "test": []}
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n = len(idx)
        n_val = max(1, int(round(n * val_fraction)))
        n_test = max(1, int(round(n * test_fraction))) if test_fraction > 0 else 0
        while n - n_val - n_test < 1 and n_test > 0:
            n_test -= 1
        while n - n_val - n_test < 1 and n_val > 1:
            n_val -= 1
        groups: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            groups[hashes[i] if hashes else str(i)].append(int(i))
        order = [groups[k] for k in sorted(groups)]
        perm = rng.permutation(len(order))
        parts = {"test": [], "val": [], "train": []}
        for g in (order[p] for p in perm):
            if len(parts["test"]) < n_test:
                parts["test"].extend(g)
            elif len(parts["val"]) < n_val:
                parts["val"].extend(g)
            else:
                parts["train"].extend(g)
        if not parts["train"] or not parts["val"]:  # duplicate groups too big to honour: split plain indices
            shuffled = idx[rng.permutation(n)].tolist()
            parts = {"test": shuffled[:n_test], "val": shuffled[n_test:n_test + n_val],
                     "train": shuffled[n_test + n_val:]}
        for k in out:
            out[k].extend(parts[k])
    return {k: np.asarray(sorted(v), dtype=np.int64) for k, v in out.items()}


# ----------------------------------------------------------------------------------------------------------
# Class names


def _clean_label(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in text)
    return text


def _assign_classes(builder: _Builder, raw_names: list[str]) -> dict[str, int]:
    """Map raw folder names to class indices: NFC-equal names merge (reported); case-only twins stay apart."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for raw in sorted(set(raw_names)):
        by_label[_clean_label(raw)].append(raw)
    labels = sorted(by_label, key=lambda s: (s.casefold(), s))
    for label, raws in by_label.items():
        if len(raws) > 1:
            builder.collisions.append({"kind": "unicode", "label": label, "folders": raws,
                                       "forms": [unicodedata.is_normalized("NFC", r) and "NFC" or "NFD" for r in raws],
                                       "action": "merged"})
    by_fold: dict[str, list[str]] = defaultdict(list)
    for label in labels:
        by_fold[label.casefold().strip()].append(label)
    for group in by_fold.values():
        if len(group) > 1:
            builder.collisions.append({"kind": "case", "label": group[0], "folders": group, "action": "kept apart"})
    builder.classes = labels
    index = {label: i for i, label in enumerate(labels)}
    return {raw: index[_clean_label(raw)] for raw in raw_names}


# ----------------------------------------------------------------------------------------------------------
# Filtering rules shared by zip and folder sources


def _skip_reason(parts: list[str]) -> tuple[str, str] | None:
    name = parts[-1]
    low = name.lower()
    if "__MACOSX" in parts:
        return "macos", "macOS metadata folder (__MACOSX), not an image"
    if name.startswith("._"):
        return "macos", "AppleDouble metadata file (._*), not an image"
    if low in SYSTEM_FILES:
        return "system", f"{SYSTEM_FILES[low]} file, not an image"
    if any(p.startswith(".") for p in parts):
        return "hidden", "hidden file or folder"
    suffix = Path(low).suffix
    if suffix in ARCHIVE_SUFFIXES:
        return "archive", "an archive inside the archive is not expanded"
    if suffix in REFUSED_SUFFIXES:
        return "format", f"the {suffix[1:].upper()} format is not accepted (use JPEG, PNG, GIF, BMP, WEBP or TIFF)"
    if not imgs.is_image_name(low):
        return "not_image", "not an image file (by its name)"
    return None


def _unwrap(paths: list[list[str]]) -> int:
    """How many leading wrapper folders every file shares (wrapper/class/file)."""
    depth = 0
    while paths and all(len(p) >= depth + 3 for p in paths) and len({p[depth] for p in paths}) == 1:
        depth += 1
    return depth


def _organise(files: list[tuple[list[str], Callable[[], bytes], Callable[[], tuple[int, int] | None]]],
              dirs: list[list[str]], skipped: list[dict], what: str) -> _Source:
    """Apply the skip rules, unwrap a wrapper folder, and find the class folders."""
    kept = []
    for parts, read, probe in files:
        rel = "/".join(parts)
        why = _skip_reason(parts)
        if why:
            skipped.append({"path": rel, "reason": why[1], "code": why[0]})
        else:
            kept.append((parts, read, probe))
    depth = _unwrap([p for p, _, _ in kept])
    candidates, folders = [], set()
    for parts, read, probe in kept:
        inner = parts[depth:]
        rel = "/".join(parts)
        if len(inner) == 1:
            skipped.append({"path": rel, "reason": "not inside a class folder", "code": "root"})
            continue
        folders.add(inner[0])
        candidates.append(_Candidate(rel, inner[0], read, probe))
    wrapper = kept[0][0][:depth] if kept else []
    for parts in dirs:  # empty class folders count as classes (and then fail the 2-images rule)
        if parts[:depth] != wrapper or len(parts) != depth + 1:
            continue
        name = parts[depth]
        if not name.startswith(".") and name != "__MACOSX":
            folders.add(name)
    if not candidates:
        root_images = [s for s in skipped if s["code"] == "root"]
        if root_images:
            raise DatasetRejected.of("data.archive_images_at_top" if what == "archive" else "data.folder_images_at_top")
        raise DatasetRejected.of("data.archive_no_images" if what == "archive" else "data.folder_no_images")
    return _Source(candidates, skipped, sorted(folders))


# ----------------------------------------------------------------------------------------------------------
# Sources


def _hash_file(path: Path) -> bytes:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.digest()


def _upload_digest(path: Path) -> bytes | None:
    """The digest save_upload computed while copying (only for files it made inside the data dir)."""
    side = path.parent / ".digest.json"
    try:
        if path.parent.parent != (data_dir() / "uploads").resolve() or not side.is_file():
            return None
        info = _read_json(side)
        return bytes.fromhex(info["sha256"]) if info["size"] == path.stat().st_size else None
    except (OSError, ValueError, KeyError):
        return None


def _hash_folder(root: Path) -> bytes:
    h = hashlib.sha256()
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for fn in sorted(filenames):
            count += 1
            if count > MAX_ENTRIES:
                raise DatasetRejected.of("data.folder_too_many_files", name=root.name, limit=f"{MAX_ENTRIES:,}")
            p = Path(dirpath) / fn
            rel = p.relative_to(root).as_posix()
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            if p.is_symlink() or not p.is_file():
                h.update(b"<link>")
                continue
            h.update(str(p.stat().st_size).encode() + b"\0")
            h.update(_hash_file(p))
    return h.digest()


def _check_zip_file(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise DatasetRejected.of("data.zip_empty_file", name=path.name)
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head == b"PK\x05\x06":
        raise DatasetRejected.of("data.zip_empty", name=path.name)
    if head != b"PK\x03\x04":
        raise DatasetRejected.of("data.not_zip", name=path.name)


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry name, readable: names without the UTF-8 flag are tried as UTF-8 before cp437."""
    name = info.orig_filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _check_entry(info: zipfile.ZipInfo, name: str, zname: str) -> list[str]:
    """Reject names and entry kinds that could write or read outside a folder; returns the path parts."""
    shown = name.replace("\x00", "\\0")
    if "\x00" in info.orig_filename:
        raise DatasetRejected.of("data.entry_nul", entry=shown)
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE_RE.match(norm):
        raise DatasetRejected.of("data.entry_absolute", entry=shown)
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise DatasetRejected.of("data.entry_outside", entry=shown)
    if len(parts) > MAX_DEPTH:
        raise DatasetRejected.of("data.entry_too_deep", entry=shown, depth=len(parts), limit=MAX_DEPTH)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise DatasetRejected.of("data.entry_symlink", entry=shown)
    if info.flag_bits & 0x1:
        raise DatasetRejected.of("data.entry_encrypted", entry=shown)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        raise DatasetRejected.of("data.entry_compression", entry=shown)
    return parts


class _Budget:
    """Counts the bytes really decompressed, against the archive's total limit."""

    def __init__(self, zname: str):
        self.total = 0
        self.zname = zname

    def add(self, n: int) -> None:
        self.total += n
        if self.total > MAX_TOTAL_BYTES:
            raise DatasetRejected.of("data.zip_total_too_large", name=self.zname,
                                     limit=f"{MAX_TOTAL_BYTES // 1024 ** 2:,}")


def read_capped(stream: BinaryIO, entry: str, compressed: int, budget: _Budget) -> bytes:
    """Read one entry in chunks, stopping as soon as it passes the per-entry, ratio or total limits."""
    chunks, n = [], 0
    while chunk := stream.read(CHUNK):
        n += len(chunk)
        budget.add(len(chunk))
        if n > MAX_ENTRY_BYTES:
            raise DatasetRejected.of("data.entry_too_large", entry=entry, limit=MAX_ENTRY_BYTES // 1024 ** 2)
        if n > RATIO_FLOOR and n > MAX_RATIO * max(compressed, 1):
            raise DatasetRejected.of("data.entry_ratio", entry=entry, ratio=MAX_RATIO)
        chunks.append(chunk)
    return b"".join(chunks)


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    return len(info.orig_filename.encode(encoding, "replace"))


def _check_overlaps(infos: list[zipfile.ZipInfo], zname: str) -> None:
    """Entries whose data ranges overlap (the 'overlapping files' bomb); the end is a lower bound."""
    spans = sorted((i.header_offset, i.header_offset + 30 + _raw_name_length(i) + i.compress_size, i.orig_filename)
                   for i in infos)
    for (s0, e0, n0), (s1, _e1, n1) in zip(spans, spans[1:]):
        if s1 < e0:
            raise DatasetRejected.of("data.entries_overlap", first=n0, second=n1, name=zname)


def _scan_zip(zf: zipfile.ZipFile, zname: str) -> _Source:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise DatasetRejected.of("data.zip_too_many_entries", name=zname, count=f"{len(infos):,}",
                                 limit=f"{MAX_ENTRIES:,}")
    if not infos:
        raise DatasetRejected.of("data.zip_empty", name=zname)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        raise DatasetRejected.of("data.zip_declared_too_large", name=zname, size=f"{declared // 1024 ** 2:,}",
                                 limit=f"{MAX_TOTAL_BYTES // 1024 ** 2:,}")
    _check_overlaps(infos, zname)
    seen: set[str] = set()
    files, dirs, skipped = [], [], []
    budget = _Budget(zname)
    for info in infos:
        name = _entry_name(info)
        parts = _check_entry(info, name, zname)
        key = "/".join(parts)
        if key in seen:
            raise DatasetRejected.of("data.entry_twice", name=zname, entry=key)
        seen.add(key)
        if not parts:
            continue
        if info.is_dir() or name.endswith(("/", "\\")):
            dirs.append(parts)
            continue
        files.append((parts, _zip_reader(zf, info, key, budget), _zip_prober(zf, info)))
    return _organise(files, dirs, skipped, "archive")


def _zip_reader(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: _Budget) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            with zf.open(info) as fh:
                return read_capped(fh, shown, info.compress_size, budget)
        except DatasetRejected:
            raise
        except zipfile.BadZipFile as exc:
            raise DatasetRejected.of("data.entry_damaged", entry=shown, reason=str(exc)) from None
        except (zlib.error, EOFError):
            raise DatasetRejected.of("data.entry_truncated", entry=shown) from None
        except RuntimeError:  # encrypted entries that slipped past the flag check
            raise DatasetRejected.of("data.entry_encrypted", entry=shown) from None
        except NotImplementedError:
            raise DatasetRejected.of("data.entry_compression", entry=shown) from None
    return read


def _zip_prober(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    def probe():
        try:  # only a prefix: a header pointing far into a compressed entry must not make us inflate it all
            with zf.open(info) as fh:
                return imgs.probe_size(fh.read(PROBE_BYTES))
        except Exception:  # noqa: BLE001 - the full read reports the real problem
            return None
    return probe


def _build_zip(builder: _Builder, path: Path) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DatasetRejected.of("data.zip_damaged", name=path.name) from None
    except OSError as exc:
        raise DatasetRejected.of("data.zip_unreadable", name=path.name, reason=str(exc.strerror or exc)) from None
    with zf:
        src = _scan_zip(zf, path.name)
        _ingest(builder, src)


def _build_folder(builder: _Builder, root: Path) -> None:
    files, dirs, skipped = [], [], []
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).parts
        for d in list(dirnames):
            p = here / d
            if p.is_symlink():
                skipped.append({"path": "/".join((*rel_dir, d)), "reason": "symbolic link (not followed)",
                                "code": "symlink"})
                dirnames.remove(d)
            elif d.startswith(".") or d == "__MACOSX":
                reason = ("macOS metadata folder (__MACOSX), not an image" if d == "__MACOSX"
                          else "hidden file or folder")
                skipped.append({"path": "/".join((*rel_dir, d)) + "/", "reason": reason,
                                "code": "macos" if d == "__MACOSX" else "hidden"})
                dirnames.remove(d)
        dirnames.sort()
        if rel_dir and not filenames and not dirnames:
            dirs.append(list(rel_dir))
        for fn in sorted(filenames):
            count += 1
            if count > MAX_ENTRIES:
                raise DatasetRejected.of("data.folder_too_many_files", name=root.name, limit=f"{MAX_ENTRIES:,}")
            p = here / fn
            parts = [*rel_dir, fn]
            if p.is_symlink() or not p.is_file():
                skipped.append({"path": "/".join(parts), "reason": "symbolic link or special file (not followed)",
                                "code": "symlink"})
                continue
            files.append((parts, _file_reader(p, "/".join(parts)), lambda p=p: _probe_file(p)))
    src = _organise(files, dirs, skipped, "folder")
    _ingest(builder, src)


def _probe_file(path: Path) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as fh:
            return imgs.probe_size(fh.read(PROBE_BYTES))
    except OSError:
        return None


def _file_reader(path: Path, shown: str) -> Callable[[], bytes]:
    def read() -> bytes:
        size = path.stat().st_size
        if size > MAX_ENTRY_BYTES:
            raise imgs.ImageRejected.of("images.file_too_large", code="too_large", label=shown,
                                        limit=MAX_ENTRY_BYTES // 1024 ** 2)
        with open(path, "rb") as fh:
            return fh.read(MAX_ENTRY_BYTES + 1)
    return read


def _choose_size(short_sides: list[int]) -> int:
    if not short_sides:
        return MAX_CACHE
    median = float(np.median(short_sides))
    return int(min(MAX_CACHE, max(MIN_CACHE, int(median) // 8 * 8)))


def _ingest(builder: _Builder, src: _Source) -> None:
    """Probe sizes, choose the working size, then decode every candidate once into the cache."""
    index = _assign_classes(builder, src.class_folders)
    n = len(src.candidates)
    short = []
    for k, cand in enumerate(src.candidates):
        size = cand.probe()
        if size:
            short.append(min(size))
        if k % 50 == 0:
            builder.progress(0.05 + 0.1 * k / max(n, 1), f"reading headers {k}/{n}")
    side = _choose_size(short)
    builder.allocate(n, side)
    done = 0
    # Reading (and counting bytes) stays in this thread, in order; decoding runs in a few threads because
    # Pillow releases the GIL while it decodes. A batch bounds how many files are held in memory at once.
    with ThreadPoolExecutor(max_workers=DECODE_THREADS) as pool:
        for start in range(0, n, DECODE_BATCH):
            batch = []
            for cand in src.candidates[start:start + DECODE_BATCH]:
                try:
                    payload = cand.read()
                except imgs.ImageRejected as exc:
                    batch.append((cand, exc))
                    continue
                batch.append((cand, pool.submit(_decode, payload, cand.rel, side)))
            for cand, job in batch:
                try:
                    if isinstance(job, Exception):
                        raise job
                    arr, size, fmt, digest = job.result()
                except imgs.ImageRejected as exc:
                    if exc.code == "too_large":  # a decompression bomb (or a file far beyond a photo) refuses it all
                        raise DatasetRejected.of("data.image_too_large", file=cand.rel,
                                                 reason=_reason(str(exc), cand.rel)) from None
                    builder.skip(cand.rel, exc.code, _reason(str(exc), cand.rel))
                    continue
                builder.add(arr, index[cand.raw_class], cand.rel, digest, size, fmt)
            done += len(batch)
            builder.progress(0.15 + 0.8 * done / n, f"decoding {done}/{n}")
    builder.skipped = src.skipped + builder.skipped


def _decode(payload: bytes, rel: str, side: int) -> tuple[np.ndarray, tuple[int, int], str, str]:
    """One file's bytes -> (S×S×3 uint8, original size, format, sha256); raises ImageRejected."""
    im = imgs.open_rgb(payload, name=rel, min_side=side)
    size = imgs.probe_size(payload) or im.size
    return imgs.fit_square(im, side), size, _format_of(payload), hashlib.sha256(payload).hexdigest()


def _reason(message: str, rel: str) -> str:
    prefix = f"{rel}: "
    return (message[len(prefix):] if message.startswith(prefix) else message).rstrip(".")


def _format_of(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] in (b"GIF8",):
        return "GIF"
    if data[:2] == b"BM":
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return "other"


# ----------------------------------------------------------------------------------------------------------
# Demo sets


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


def _build_demo(builder: _Builder, name: str) -> None:
    from PIL import Image
    classes, arrays, labels = _demo_arrays(name)
    builder.classes = classes
    side = _choose_size([min(a.shape[:2]) for a in arrays])
    builder.allocate(len(arrays), side)
    counters: Counter = Counter()
    for i, (arr, y) in enumerate(zip(arrays, labels)):
        rel = f"{classes[y]}/{counters[y]:04d}.png"
        counters[y] += 1
        im = Image.fromarray(arr)
        builder.add(imgs.fit_square(im, side), int(y), rel, hashlib.sha256(arr.tobytes()).hexdigest(),
                    (arr.shape[1], arr.shape[0]), "PNG")
        if i % 100 == 0:
            builder.progress(0.1 + 0.85 * i / len(arrays), f"making {name} {i}/{len(arrays)}")


# ----------------------------------------------------------------------------------------------------------
# CLI


def _inspect(args) -> dict:
    ds = open_dataset(args.path)
    r = ds.report
    return {"id": ds.id, "name": ds.name, "classes": r["classes"], "counts": r["counts"],
            "num_images": r["num_images"], "skipped": [{"path": s["path"], "reason": s["reason"]} for s in r["skipped"]],
            "warnings": r["warnings"], "sizes": r["sizes"], "split": r["split"], "dir": str(ds.dir)}


def _inspect_text(r: dict) -> str:
    lines = [f"{r['name']} ({r['id']}): {r['num_images']} images in {len(r['classes'])} classes"]
    w = max(len(c) for c in r["classes"])
    lines += [f"  {c:<{w}}  {n}" for c, n in r["counts"].items()]
    lines.append("split: " + ", ".join(f"{k} {v}" for k, v in r["split"].items()))
    if r["skipped"]:
        lines.append(f"skipped {len(r['skipped'])}:")
        lines += [f"  {s['path']}: {s['reason']}" for s in r["skipped"][:50]]
        if len(r["skipped"]) > 50:
            lines.append(f"  ... and {len(r['skipped']) - 50} more (use --json)")
    lines += [f"warning: {w}" for w in r["warnings"]]
    return "\n".join(lines)


def _demo(args) -> dict:
    return write_demo(args.name, Path(args.out))


def _list(args) -> dict:
    return {"datasets": [asdict(i) for i in list_datasets()]}


def _list_text(r: dict) -> str:
    if not r["datasets"]:
        return "No stored datasets."
    return "\n".join(f"{d['id']}  {d['created']}  {d['num_images']:>6} images  {len(d['classes'])} classes  {d['name']}"
                     for d in r["datasets"])


def _delete(args) -> dict:
    delete_dataset(args.id)
    return {"deleted": args.id}


def add_commands(sub) -> None:
    from core.cli import add_command
    p = add_command(sub, "data", "Datasets: inspect a zip or folder, write a demo set, list or delete stored ones.",
                    handler=lambda a: {}, text=None)
    dsub = p.add_subparsers(dest="data_command", required=True, parser_class=type(p))

    def cmd(name, help, handler, text=None):
        q = dsub.add_parser(name, help=help, description=help)
        q.add_argument("--json", action="store_true", help="print one JSON object to stdout")
        q.set_defaults(handler=handler, text=text)
        return q

    q = cmd("inspect", "Validate a .zip or folder (one folder per class), store it, and print its report.",
            _inspect, _inspect_text)
    q.add_argument("path", help="a .zip file, a folder, a stored dataset id, or demo:digits / demo:faces")
    q = cmd("demo", "Write a built-in demo set as a class-per-folder tree of PNG files.", _demo,
            lambda r: f"wrote {r['num_images']} images in {len(r['classes'])} classes to {r['out']}")
    q.add_argument("name", choices=sorted(DEMOS), help="which demo set")
    q.add_argument("--out", required=True, help="a new (or empty) folder to write")
    cmd("list", "List stored datasets, newest first.", _list, _list_text)
    q = cmd("delete", "Delete a stored dataset.", _delete, lambda r: f"deleted {r['deleted']}")
    q.add_argument("id", help="the dataset id (see `data list`)")

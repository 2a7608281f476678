"""From a zip or a folder (one sub-folder per class) to a new dataset's images, labels and skipped files.

The layout rules (clutter skipped, one wrapping folder unwrapped, images at the top refused) and the class
names (NFC-equal names merged, case-only twins kept apart) are the same for both sources. Every image is
decoded once with :func:`core.images.open_rgb` (EXIF, colour modes, limits), resized so its short side is
the working size chosen by :func:`choose_size`, centre-cropped and handed to the :class:`Builder`.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import images as imgs
from core.data import zipsafe
from core.data.dataset import Builder, DatasetRejected
from core.data.report import skipped_entry
from core.data.zipsafe import Entry, Prober, Reader
from core.notices import Notice

MIN_CACHE, MAX_CACHE = 32, 256
DECODE_THREADS = max(1, min(4, os.cpu_count() or 1))
DECODE_AHEAD = 4 * DECODE_THREADS  # files read ahead of the decoders, at most ...
DECODE_AHEAD_BYTES = 64 * 1024 ** 2  # ... and at most this many bytes of them (one larger file still passes)
PROGRESS_EVERY = 16                 # images between two progress notices while decoding

ARCHIVE_SUFFIXES = frozenset({".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar"})
REFUSED_SUFFIXES = frozenset({".eps", ".ps", ".pdf", ".psd", ".fits", ".fit", ".fts", ".svg", ".heic", ".heif",
                              ".avif", ".ico", ".tga", ".xcf", ".dng", ".cr2", ".nef", ".arw", ".raw", ".ppm",
                              ".pgm", ".pbm", ".jp2", ".j2k"})
SYSTEM_FILES = {"thumbs.db": "data.skipped.windows_thumbnails", "ehthumbs.db": "data.skipped.windows_thumbnails",
                "desktop.ini": "data.skipped.windows_settings", ".ds_store": "data.skipped.macos_settings"}


@dataclass
class _Candidate:
    rel: str                       # the original relative path, as shown to people
    raw_class: str                 # the class folder name as found (before normalisation)
    read: Reader
    probe: Prober


@dataclass
class _Source:
    candidates: list[_Candidate]
    skipped: list[dict]
    class_folders: list[str]       # raw names of every class folder, including empty ones


def build_zip(builder: Builder, path: Path) -> None:
    """Fill ``builder`` from the zip at ``path`` (checked whole before any image is read)."""
    with zipsafe.open_zip(path) as zf:
        files, dirs = zipsafe.scan_zip(zf, path.name)
        _ingest(builder, _organise(files, dirs, [], "archive"))


def build_folder(builder: Builder, root: Path) -> None:
    """Fill ``builder`` from a folder on the server; links are listed as skipped, never followed."""
    files: list[Entry] = []
    dirs: list[list[str]] = []
    skipped: list[dict] = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).parts
        for d in list(dirnames):
            p = here / d
            if p.is_symlink():
                skipped.append(skipped_entry(_shown((*rel_dir, d)), "symlink",
                                             Notice.of("data.skipped.symlink_folder")))
                dirnames.remove(d)
            elif d.startswith(".") or d == "__MACOSX":
                why = (("macos", Notice.of("data.skipped.macos_folder")) if d == "__MACOSX"
                       else ("hidden", Notice.of("data.skipped.hidden")))
                skipped.append(skipped_entry(_shown((*rel_dir, d)) + "/", *why))
                dirnames.remove(d)
        dirnames.sort()
        if rel_dir and not filenames and not dirnames:
            dirs.append(list(rel_dir))
        for fn in sorted(filenames):
            count += 1
            if count > zipsafe.MAX_ENTRIES:
                raise DatasetRejected.of("data.folder_too_many_files", name=root.name,
                                         limit=f"{zipsafe.MAX_ENTRIES:,}")
            p = here / fn
            parts = [*rel_dir, fn]
            if p.is_symlink() or not p.is_file():
                skipped.append(skipped_entry(_shown(parts), "symlink", Notice.of("data.skipped.symlink_file")))
                continue
            files.append((parts, _file_reader(p, _shown(parts)), lambda p=p: _probe_file(p)))
    _ingest(builder, _organise(files, dirs, skipped, "folder"))


def choose_size(short_sides: list[int]) -> int:
    """The working size S (the cache's side) for images with these short sides: their median, rounded down
    to a multiple of 8, kept within [MIN_CACHE, MAX_CACHE]; MAX_CACHE when no size is known."""
    if not short_sides:
        return MAX_CACHE
    median = float(np.median(short_sides))
    return int(min(MAX_CACHE, max(MIN_CACHE, int(median) // 8 * 8)))


def _probe_file(path: Path) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as fh:
            return zipsafe.probe_head(fh)
    except OSError:
        return None


def _file_reader(path: Path, shown: str) -> Reader:
    def read() -> bytes:
        size = path.stat().st_size
        if size > zipsafe.MAX_ENTRY_BYTES:
            raise imgs.ImageRejected.of("images.file_too_large", code="too_large", label=shown,
                                        limit=zipsafe.MAX_ENTRY_BYTES // 1024 ** 2)
        with open(path, "rb") as fh:
            return fh.read(zipsafe.MAX_ENTRY_BYTES + 1)
    return read


def _ingest(builder: Builder, src: _Source) -> None:
    """Probe sizes, choose the working size, then decode every candidate once into the cache."""
    index = _assign_classes(builder, src.class_folders)
    n = len(src.candidates)
    short = []
    for k, cand in enumerate(src.candidates):
        size = cand.probe()
        if size:
            short.append(min(size))
        if k % 50 == 0:
            builder.progress(0.05 + 0.1 * k / max(n, 1), Notice.of("data.progress.headers", k=k, n=n))
    side = choose_size(short)
    builder.allocate(n, side)
    # Reading (and counting bytes) stays in this thread, in file order; decoding runs in a few threads, which
    # Pillow lets run in parallel (it releases the GIL while it decodes and resizes). A sliding window keeps
    # every decoder busy while bounding what is held: at most DECODE_AHEAD files and DECODE_AHEAD_BYTES.
    ahead: deque[tuple[_Candidate, Future | imgs.ImageRejected, int]] = deque()
    held = done = 0

    def store_oldest() -> None:
        nonlocal held, done
        cand, job, nbytes = ahead.popleft()
        _store_one(builder, cand, job, index[cand.raw_class])
        held -= nbytes
        done += 1
        if done % PROGRESS_EVERY == 0 or done == n:
            builder.progress(0.15 + 0.8 * done / n, Notice.of("data.progress.decoding", k=done, n=n))

    pool = ThreadPoolExecutor(max_workers=DECODE_THREADS, thread_name_prefix="decode")
    try:
        for cand in src.candidates:
            while ahead and (len(ahead) >= DECODE_AHEAD or held >= DECODE_AHEAD_BYTES):
                store_oldest()
            try:
                payload = cand.read()
            except imgs.ImageRejected as exc:
                ahead.append((cand, exc, 0))
                continue
            ahead.append((cand, pool.submit(_decode, payload, cand.rel, side), len(payload)))
            held += len(payload)
        while ahead:
            store_oldest()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # after a refusal, files not yet started are dropped
    builder.skipped = src.skipped + builder.skipped


def _store_one(builder: Builder, cand: _Candidate, job, label: int) -> None:
    """Add one decoded image, or list it as skipped; a pixel bomb refuses the whole dataset."""
    try:
        if isinstance(job, Exception):
            raise job
        arr, size, fmt, digest = job.result()
    except imgs.ImageRejected as exc:
        if exc.code == "too_large":  # a decompression bomb (or a file far beyond a photo) refuses it all
            key = {"images.too_many_pixels": "data.image_too_many_pixels",
                   "images.file_too_large": "data.image_file_too_large"}.get(exc.key, "data.image_bomb")
            params = {k: v for k, v in exc.params.items() if k != "label"}
            raise DatasetRejected.of(key, file=cand.rel, **params) from None
        builder.skip(cand.rel, exc.code, Notice.of(exc.key, **exc.params))
        return
    builder.add(arr, label, cand.rel, digest, size, fmt)


def _decode(payload: bytes, rel: str, side: int) -> tuple[np.ndarray, tuple[int, int], str, str]:
    """One file's bytes -> (S×S×3 uint8, original size, format, sha256); raises ImageRejected."""
    arr, size = imgs.square_rgb(payload, side, name=rel)
    return arr, size, _format_of(payload), hashlib.sha256(payload).hexdigest()


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
# Class names


def _shown(parts) -> str:
    """A path as people see it (report, file list, messages): '/'-joined and composed (NFC), since macOS
    writes names decomposed (NFD). Class folders keep their raw names until :func:`_assign_classes`, which
    reports NFC / NFD twins."""
    return unicodedata.normalize("NFC", "/".join(parts))


def _clean_label(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in text)
    return text


def _assign_classes(builder: Builder, raw_names: list[str]) -> dict[str, int]:
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
# Layout rules shared by zip and folder sources


def _skip_reason(parts: list[str]) -> tuple[str, Notice] | None:
    """(kind, why) for a file that is not a dataset image, judged by its path alone; None to keep it."""
    name = parts[-1]
    low = name.lower()
    if "__MACOSX" in parts:
        return "macos", Notice.of("data.skipped.macos_folder")
    if name.startswith("._"):
        return "macos", Notice.of("data.skipped.appledouble")
    if low in SYSTEM_FILES:
        return "system", Notice.of(SYSTEM_FILES[low])
    if any(p.startswith(".") for p in parts):
        return "hidden", Notice.of("data.skipped.hidden")
    suffix = Path(low).suffix
    if suffix in ARCHIVE_SUFFIXES:
        return "archive", Notice.of("data.skipped.archive")
    if suffix in REFUSED_SUFFIXES:
        return "format", Notice.of("data.skipped.format", format=suffix[1:].upper())
    if not imgs.is_image_name(low):
        return "not_image", Notice.of("data.skipped.not_image")
    return None


def _unwrap(paths: list[list[str]]) -> int:
    """How many leading wrapper folders every file shares (wrapper/class/file)."""
    depth = 0
    while paths and all(len(p) >= depth + 3 for p in paths) and len({p[depth] for p in paths}) == 1:
        depth += 1
    return depth


def _organise(files: list[Entry], dirs: list[list[str]], skipped: list[dict], what: str) -> _Source:
    """Apply the skip rules, unwrap a wrapper folder, and find the class folders."""
    kept = []
    for parts, read, probe in files:
        why = _skip_reason(parts)
        if why:
            skipped.append(skipped_entry(_shown(parts), *why))
        else:
            kept.append((parts, read, probe))
    depth = _unwrap([p for p, _, _ in kept])
    candidates, folders = [], set()
    for parts, read, probe in kept:
        inner = parts[depth:]
        rel = _shown(parts)
        if len(inner) == 1:
            skipped.append(skipped_entry(rel, "root", Notice.of("data.skipped.root")))
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

"""Where datasets live: ids, locks, opening (ingesting once), listing, deleting, uploads, sweeping, thumbnails.

A dataset's ``id`` is a content hash of its source (and of the split fractions and :data:`FORMAT_VERSION`),
so the same zip uploaded again opens instantly. Everything written goes into a temporary folder inside the
data directory that is renamed into place (``os.replace``) under a per-id lock, or removed on failure.

Every function takes the workspace ``root`` it works in (:mod:`core.workspaces`; ``None``: the current one):
each workspace has its own store, locks and uploads, so storing a dataset another workspace already has costs
the same time and says the same things as storing a new one. The workspace's quotas (stored bytes, number of
datasets) are checked before anything is renamed into place. ``folders`` (pages: the operator's allowed
server folders) limits which server paths a source may name; the CLI passes none and reads any path.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable

import numpy as np

from core.data import ingest, zipsafe
from core.data.dataset import (FORMAT_VERSION, Builder, Dataset, DatasetInfo, DatasetRejected, Progress, is_stored,
                               read_info)
from core.data.demos import DEMOS, build_demo
from core.data.split import TEST_FRACTION, VAL_FRACTION, check_fractions
from core.errors import UserError
from core.files import write_json
from core.notices import Notice
from core.settings import MAX_UPLOAD_MB, quotas

_log = logging.getLogger("core.data")

_ID_RE = re.compile(r"^[0-9a-f]{16}$")
STALE_AFTER_S = 6 * 3600    # temporary folders and uploads older than this are swept


def open_dataset(ref: str, progress: Progress | None = None, *, name: str | None = None,
                 val_fraction: float = VAL_FRACTION, test_fraction: float = TEST_FRACTION,
                 root: Path | None = None, folders: list[Path] | None = None) -> Dataset:
    """Open a dataset, ingesting it first when it is not stored yet.

    Args:
        ref: ``"demo:digits"``, ``"demo:faces"``, a stored dataset id, or a path to a ``.zip`` or a folder
            with one sub-folder per class.
        progress: called with ``(fraction 0..1, notice)`` while ingesting; ``notice`` is a
            :class:`core.notices.Notice` (``data.progress.*``): ``notice.text(lang)`` on a page, ``str(notice)``
            in English.
        name: the name to store (defaults to the file or folder name).
        val_fraction, test_fraction: the stratified split (fixed seed); part of the id.
        root: the workspace (``None``: :func:`core.workspaces.current_root`).
        folders: ``None`` reads any path (the CLI); otherwise a path must resolve, links and ``..`` included,
            inside one of these folders (the browser: ``core.settings.server_folders()``; empty: no paths).

    Raises:
        UserError: one sentence naming the entry or rule that makes the source unusable.
    """
    progress = progress or (lambda f, m: None)
    ref = str(ref).strip()
    splits = check_fractions(val_fraction, test_fraction)
    root = _root(root)
    if ref.startswith("demo:"):
        demo = ref[5:].strip().lower()
        if demo not in DEMOS:
            raise UserError.of("data.unknown_demo", demo=demo, choices=", ".join("demo:" + d for d in DEMOS))
        ds_id = make_id(f"demo:{demo}".encode(), splits)
        return _get_or_build(ds_id, lambda b: build_demo(b, demo), name or DEMOS[demo], "demo", splits, progress,
                             root)
    if _ID_RE.match(ref):
        path = datasets_root(root) / ref
        if is_stored(path):
            return Dataset(path)
        if folders is not None or not Path(ref).exists():
            raise UserError.of("data.no_such_id", id=ref)
    upload = _is_upload(ref, root)
    if folders is not None and not upload:
        path = allowed_path(ref, folders)
    else:
        path = Path(ref).expanduser()
    if not path.exists():
        raise UserError.of("data.not_a_source", ref=ref if folders is None else Path(ref).name)
    path = path.resolve()
    if path.is_dir():
        progress(0.0, Notice.of("data.progress.hashing_folder"))
        ds_id = make_id(_hash_folder(path), splits)
        return _get_or_build(ds_id, lambda b: ingest.build_folder(b, path), name or path.name, "folder", splits,
                             progress, root)
    progress(0.0, Notice.of("data.progress.hashing_archive"))
    zipsafe.check_zip_file(path)
    ds_id = make_id(_upload_digest(path, root) or _hash_file(path), splits)
    return _get_or_build(ds_id, lambda b: ingest.build_zip(b, path), name or path.stem, "zip", splits, progress,
                         root)


def allowed_path(text: str, folders: list[Path]) -> Path:
    """The server path ``text`` when it resolves (``..`` and symbolic links followed) inside one of ``folders``.

    Raises:
        UserError: paths are off (no folders), or the path is outside them: the same sentence whether or not
            it exists there, so probing says nothing about what is outside.
    """
    if not folders:
        raise UserError.of("data.server_paths_off")
    raw = str(text).strip()
    path = Path(raw).expanduser()
    shown = ", ".join(str(f) for f in folders)
    if not path.is_absolute() or "\0" in raw:
        raise UserError.of("data.path_not_allowed", folders=shown)
    real = Path(os.path.realpath(path))
    for folder in folders:
        base = Path(os.path.realpath(folder))
        if real == base or base in real.parents:
            return real
    raise UserError.of("data.path_not_allowed", folders=shown)


def list_datasets(root: Path | None = None) -> list[DatasetInfo]:
    """The workspace's stored datasets, newest first."""
    ws_root = _root(root)
    root = datasets_root(ws_root)
    _sweep_stale(root, ws_root)
    out = []
    for d in root.iterdir():
        if d.is_dir() and _ID_RE.match(d.name) and is_stored(d):
            try:
                out.append(read_info(d))
            except (OSError, ValueError, KeyError):
                _log.warning("unreadable dataset folder %s", d)
    return sorted(out, key=lambda i: (i.created, i.id), reverse=True)


def delete_dataset(dataset_id: str, root: Path | None = None) -> None:
    """Remove a stored dataset of the workspace (its folder disappears at once; open memory maps keep working
    until closed)."""
    if not _ID_RE.match(str(dataset_id)):
        raise UserError.of("data.bad_id", id=str(dataset_id)[:60])
    ws_root = _root(root)
    root = datasets_root(ws_root)
    path = root / dataset_id
    if not path.is_dir():
        raise UserError.of("data.unknown_id", id=str(dataset_id))
    with _lock(dataset_id, ws_root):
        trash = root / f".trash-{dataset_id}-{uuid.uuid4().hex[:8]}"
        os.replace(path, trash)  # atomic: readers see either the whole dataset or none
    shutil.rmtree(trash, ignore_errors=True)


def datasets_root(root: Path | None = None) -> Path:
    """``<workspace>/datasets`` (made when missing)."""
    path = _root(root) / "datasets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _root(root: Path | None) -> Path:
    if root is not None:
        return Path(root)
    from core.workspaces import current_root
    return current_root()


def save_upload(fileobj: BinaryIO, filename: str, root: Path | None = None) -> Path:
    """Stream an uploaded archive to a private temporary file inside the workspace.

    The caller opens the returned path with :func:`open_dataset` and removes it with :func:`discard_upload`.
    The bytes are copied in chunks, so the upload is never held in memory a second time. The workspace's
    stored-bytes quota is checked as the bytes arrive: passing it stops the copy and removes the partial file.
    """
    from core.workspaces import quota_bytes, used_bytes
    root = _root(root)
    stem = re.sub(r"[^\w.\- ]+", "_", Path(str(filename).replace("\\", "/")).name).strip(" .") or "upload.zip"
    folder = _uploads(root) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    dest = folder / stem
    limit = MAX_UPLOAD_MB * 1024 * 1024
    room = quota_bytes()
    if room is not None:
        room -= used_bytes(root)
    try:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
        written = 0
        digest = hashlib.sha256()
        with open(dest, "wb") as out:
            while chunk := fileobj.read(zipsafe.CHUNK):
                written += len(chunk)
                if written > limit:
                    raise DatasetRejected.of("data.upload_too_large", name=stem, limit=MAX_UPLOAD_MB)
                if room is not None and written > room:
                    raise DatasetRejected.of("data.quota_bytes_upload", name=stem, limit=quotas()["mb"])
                digest.update(chunk)
                out.write(chunk)
        # hashed while copying, so a re-upload of a stored zip opens without reading it a second time
        write_json(folder / ".digest.json", {"sha256": digest.hexdigest(), "size": written}, durable=False)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return dest


def discard_upload(path: Path, root: Path | None = None) -> None:
    """Remove a file made by :func:`save_upload` (only ever inside ``<workspace>/uploads``)."""
    path = Path(path).resolve()
    if path.parent.parent == _uploads(_root(root)).resolve():
        shutil.rmtree(path.parent, ignore_errors=True)


def _is_upload(ref: str, root: Path) -> bool:
    """Whether ``ref`` is a file :func:`save_upload` made in this workspace (the page opens those by path)."""
    with contextlib.suppress(OSError, ValueError):
        path = Path(ref).resolve()
        return path.parent.parent == _uploads(root).resolve() and path.is_file()
    return False


def copy_dataset(dataset_id: str, source_root: Path, root: Path | None = None) -> Dataset:
    """Copy a stored dataset of another workspace (the classroom's) into this one, under this one's quotas."""
    if not _ID_RE.match(str(dataset_id)):
        raise UserError.of("data.bad_id", id=str(dataset_id)[:60])
    src = datasets_root(source_root) / dataset_id
    if not is_stored(src):
        raise UserError.of("data.unknown_id", id=str(dataset_id))
    info = read_info(src)

    def fill(builder: Builder) -> None:  # the stored files as they are: no decoding again
        builder.close()
        for f in src.iterdir():
            if f.is_file():
                shutil.copy2(f, builder.tmp / f.name)

    return _get_or_build(dataset_id, fill, info.name, "copy", (info.val_fraction, info.test_fraction),
                         lambda f, m: None, _root(root), finish=False)


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


# ----------------------------------------------------------------------------------------------------------
# One folder per id, built in a temporary folder and renamed into place under a lock.


def make_id(source_digest: bytes, splits: tuple[float, float]) -> str:
    """A stored dataset's id: its source's digest and its split fractions, under the cache format's version."""
    h = hashlib.sha256()
    h.update(f"cnnlab-data-v{FORMAT_VERSION}|val={splits[0]:.4f}|test={splits[1]:.4f}|".encode())
    h.update(source_digest)
    return h.hexdigest()[:16]


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


@contextmanager
def _lock(ds_id: str, root: Path):
    """Serialise work on one id of one workspace across threads (a lock) and processes (flock on a lock file).
    Keyed by workspace too: a visitor never waits on (so never learns of) another workspace's ingest."""
    lock_dir = datasets_root(root) / ".locks"
    lock_dir.mkdir(exist_ok=True)
    with _THREAD_LOCKS_GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(f"{root}|{ds_id}", threading.Lock())
    with thread_lock:
        with open(lock_dir / f"{ds_id}.lock", "a+b") as fh:
            try:
                import fcntl
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            except ImportError:  # Windows: the thread lock and os.replace still keep one stored copy
                pass
            yield


def _get_or_build(ds_id: str, fill: Callable[[Builder], None], name: str, source: str,
                  splits: tuple[float, float], progress: Progress, ws_root: Path, finish: bool = True) -> Dataset:
    from core.workspaces import check_bytes, lock as ws_lock
    root = datasets_root(ws_root)
    final = root / ds_id
    if is_stored(final):
        progress(1.0, Notice.of("data.progress.already_stored"))
        return Dataset(final)
    with _lock(ds_id, ws_root):
        if is_stored(final):  # another session finished it while we waited
            progress(1.0, Notice.of("data.progress.already_stored"))
            return Dataset(final)
        _check_count(root)
        tmp = root / f".tmp-{ds_id}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        builder = Builder(tmp, progress)
        try:
            fill(builder)
            if finish:
                builder.finish(ds_id, name, source, splits)
            with ws_lock(ws_root):  # the limits hold for two sessions storing at once
                _check_count(root)
                check_bytes(ws_root, adding=_folder_bytes(tmp), uploads=False)
                if final.exists():  # a leftover without meta.json (crash mid-delete): replace it
                    shutil.rmtree(final)
                os.replace(tmp, final)
        except BaseException:
            builder.close()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    progress(1.0, Notice.of("data.progress.stored"))
    _log.info("stored dataset %s (%s, %d images)", ds_id, name, builder.count)
    return Dataset(final)


def _check_count(root: Path) -> None:
    """The workspace's limit on stored datasets (``root``: its datasets folder)."""
    limit = quotas()["datasets"]
    if limit is not None and sum(1 for d in root.iterdir() if _ID_RE.match(d.name) and is_stored(d)) >= limit:
        raise UserError.of("data.quota_datasets", limit=limit)


def _folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def sweep_stale(ws_root: Path | None = None) -> None:
    """Remove a workspace's temporary folders left by a crashed ingest, and its abandoned uploads."""
    ws_root = _root(ws_root)
    _sweep_stale(datasets_root(ws_root), ws_root)


def _sweep_stale(root: Path, ws_root: Path, max_age_s: float = STALE_AFTER_S) -> None:
    """Remove temporary folders left by a crashed ingest, and old uploads."""
    now = time.time()
    candidates = [d for d in root.iterdir() if d.name.startswith((".tmp-", ".trash-"))]
    uploads = _uploads(ws_root)
    if uploads.is_dir():
        candidates += list(uploads.iterdir())
    for d in candidates:
        try:
            if now - d.stat().st_mtime > max_age_s:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


# ----------------------------------------------------------------------------------------------------------
# Source digests (what an id is made from)


def _uploads(root: Path) -> Path:
    return Path(root) / "uploads"


def _hash_file(path: Path) -> bytes:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(zipsafe.CHUNK):
            h.update(chunk)
    return h.digest()


def _upload_digest(path: Path, root: Path) -> bytes | None:
    """The digest save_upload computed while copying (only for files it made inside the workspace)."""
    side = path.parent / ".digest.json"
    try:
        if path.parent.parent != _uploads(root).resolve() or not side.is_file():
            return None
        info = json.loads(side.read_text(encoding="utf-8"))
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
            if count > zipsafe.MAX_ENTRIES:
                raise DatasetRejected.of("data.folder_too_many_files", name=root.name,
                                         limit=f"{zipsafe.MAX_ENTRIES:,}")
            p = Path(dirpath) / fn
            rel = p.relative_to(root).as_posix()
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            if p.is_symlink() or not p.is_file():
                h.update(b"<link>")
                continue
            h.update(str(p.stat().st_size).encode() + b"\0")
            h.update(_hash_file(p))
    return h.digest()

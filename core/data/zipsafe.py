"""Reading a zip archive in place, safely, entry by entry through :mod:`zipfile`.

Nothing is extracted, so no entry can land anywhere on disk. Names that would escape a folder, links,
encrypted entries, overlapping entries and bombs reject the whole archive with one sentence. The byte limits
are enforced on the bytes actually decompressed, not on what the headers claim. The limits are module
constants, read at call time (tests patch them here).
"""
from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Callable

from core import images as imgs
from core.data.dataset import DatasetRejected

MAX_ENTRIES = 20_000        # entries in an archive (files in a folder)
MAX_DEPTH = 16              # path components in one entry name
MAX_TOTAL_BYTES = 2 * 1024 ** 3
MAX_ENTRY_BYTES = 256 * 1024 ** 2
MAX_RATIO = 100             # uncompressed / compressed for one entry, checked once it passes RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 ** 2
CHUNK = 1024 * 1024
PROBE_FIRST = 16 * 1024     # the size probe reads this much first (a JPEG's or PNG's header fits) ...
PROBE_BYTES = 256 * 1024    # ... and at most this much (long EXIF or colour-profile blocks before the size)
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
LEGACY_CODE_PAGES = ("cp850", "cp437")  # for names without the UTF-8 flag that are not UTF-8, in tie order

Reader = Callable[[], bytes]                          # the file's bytes (counted against the limits)
Prober = Callable[[], "tuple[int, int] | None"]       # its declared (width, height), from a prefix
Entry = tuple[list[str], Reader, Prober]              # path parts, reader, prober


class Budget:
    """Counts the bytes really decompressed, against the archive's total limit."""

    def __init__(self, zname: str):
        self.total = 0
        self.zname = zname

    def add(self, n: int) -> None:
        self.total += n
        if self.total > MAX_TOTAL_BYTES:
            raise DatasetRejected.of("data.zip_total_too_large", name=self.zname,
                                     limit=f"{MAX_TOTAL_BYTES // 1024 ** 2:,}")


def read_capped(stream: BinaryIO, entry: str, compressed: int, budget: Budget) -> bytes:
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


def check_zip_file(path: Path) -> None:
    """Refuse an empty file, an empty archive or something that is not a zip, from its first bytes."""
    size = path.stat().st_size
    if size == 0:
        raise DatasetRejected.of("data.zip_empty_file", name=path.name)
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head == b"PK\x05\x06":
        raise DatasetRejected.of("data.zip_empty", name=path.name)
    if head != b"PK\x03\x04":
        raise DatasetRejected.of("data.not_zip", name=path.name)


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, or one sentence saying why it cannot be read."""
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DatasetRejected.of("data.zip_damaged", name=path.name) from None
    except OSError as exc:
        raise DatasetRejected.of("data.zip_unreadable", name=path.name, reason=str(exc.strerror or exc)) from None


def scan_zip(zf: zipfile.ZipFile, zname: str) -> tuple[list[Entry], list[list[str]]]:
    """Check every entry before any is read; returns the files (with lazy, capped readers) and the folders."""
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
    legacy = legacy_encoding(infos)
    _check_overlaps(infos, zname, legacy)
    seen: set[str] = set()
    files: list[Entry] = []
    dirs: list[list[str]] = []
    budget = Budget(zname)
    for info in infos:
        name = _entry_name(info, legacy)
        parts = _check_entry(info, name)
        key = "/".join(parts)  # as stored: an NFC and an NFD spelling are two entries (their classes merge later)
        shown = unicodedata.normalize("NFC", key)
        if key in seen:
            raise DatasetRejected.of("data.entry_twice", name=zname, entry=shown)
        seen.add(key)
        if not parts:
            continue
        if info.is_dir() or name.endswith(("/", "\\")):
            dirs.append(parts)
            continue
        files.append((parts, _reader(zf, info, shown, budget), _prober(zf, info)))
    return files, dirs


def legacy_encoding(infos: list[zipfile.ZipInfo]) -> str:
    """How an archive's names without the UTF-8 flag are encoded: ``utf-8``, ``cp850`` or ``cp437``.

    The zip format says cp437 when the flag (bit 11) is off, but tools disagree: many write UTF-8 without the
    flag, and Windows' built-in "Send to > Compressed folder" writes the OEM code page, which is cp850 on
    Brazilian and Western European Windows (``maçã`` read as cp437 becomes ``maç╞``). One archive comes from one
    tool, so one decoding serves all its names (and two different names never decode to one): UTF-8 when every
    such name is valid UTF-8; otherwise the code page that reads the names as more letters and fewer invisible
    characters, cp850 on a tie (the two share ASCII and most lowercase accented letters).
    """
    raw = [i.orig_filename.encode("cp437") for i in infos if not i.flag_bits & 0x800]
    raw = [r for r in raw if not r.isascii()]
    try:
        for r in raw:
            r.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return max(LEGACY_CODE_PAGES, key=lambda enc: sum(_plausibility(r.decode(enc)) for r in raw))


def _plausibility(name: str) -> int:
    """+1 for each non-ASCII letter (or accent), -2 for each invisible or control character."""
    score = 0
    for ch in name:
        if ord(ch) < 128:
            continue
        kind = unicodedata.category(ch)
        score += 1 if kind[0] in "LM" else -2 if kind[0] in "CZ" else 0
    return score


def _entry_name(info: zipfile.ZipInfo, legacy: str) -> str:
    """The entry name, readable: a name without the UTF-8 flag is decoded as the archive's ``legacy`` encoding
    (see :func:`legacy_encoding`). Not normalised: NFC and NFD forms stay distinct entries here."""
    name = info.orig_filename
    if not info.flag_bits & 0x800 and legacy != "cp437":
        name = name.encode("cp437").decode(legacy)
    return name


def _check_entry(info: zipfile.ZipInfo, name: str) -> list[str]:
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


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    return len(info.orig_filename.encode(encoding, "replace"))


def _check_overlaps(infos: list[zipfile.ZipInfo], zname: str, legacy: str) -> None:
    """Entries whose data ranges overlap (the 'overlapping files' bomb); the end is a lower bound."""
    spans = sorted((i.header_offset, i.header_offset + 30 + _raw_name_length(i) + i.compress_size, k)
                   for k, i in enumerate(infos))
    for (s0, e0, k0), (s1, _e1, k1) in zip(spans, spans[1:]):
        if s1 < e0:
            first, second = (unicodedata.normalize("NFC", _entry_name(infos[k], legacy)) for k in (k0, k1))
            raise DatasetRejected.of("data.entries_overlap", first=first, second=second, name=zname)


def _reader(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: Budget) -> Reader:
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


def probe_head(fh: BinaryIO) -> tuple[int, int] | None:
    """The (width, height) a file's header declares, reading only a prefix of it (more only when needed)."""
    head = fh.read(PROBE_FIRST)
    size = imgs.probe_size(head)
    if size is None and len(head) == PROBE_FIRST:
        size = imgs.probe_size(head + fh.read(PROBE_BYTES - PROBE_FIRST))
    return size


def _prober(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Prober:
    def probe():
        try:  # only a prefix: a header pointing far into a compressed entry must not make us inflate it all
            with zf.open(info) as fh:
                return probe_head(fh)
        except Exception:  # noqa: BLE001 - the full read reports the real problem
            return None
    return probe

"""Writing run and dataset files so that a reader, a crash or a kill never sees half of one."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any, BinaryIO, Callable


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (best effort: not every filesystem allows it)."""
    try:
        fd = os.open(str(path), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, write: Callable[[BinaryIO], Any], durable: bool = True) -> None:
    """Write through a temporary file in the same folder, then ``os.replace``: readers see the old file or
    the new one, never half of one. On any error the temporary file is removed, the old file stays, and the
    error propagates. ``durable`` adds the fsyncs that make the new file survive a power cut."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(path.parent)


def write_json(path: Path, obj: Any, durable: bool = True, indent: int | None = None) -> None:
    """``atomic_write`` of ``obj`` as JSON (anything JSON does not know is written as its ``str``)."""
    data = json.dumps(obj, indent=indent, default=str).encode("utf-8")
    atomic_write(path, lambda fh: fh.write(data), durable=durable)

"""The run folder: the only module that spells its file names, writes its files and reads them back.

A run is a folder ``<workspace>/runs/<run id>/`` (a workspace root: :mod:`core.workspaces`; ``root`` arguments
below are one, and ``None`` means :func:`core.workspaces.current_root`):

=====================  ====================================================================  ==============
file                   what                                                                  written by
=====================  ====================================================================  ==============
``job.json``           what to run: the config, the resume flag, a label                      jobs
``config.json``        ``asdict(cfg)``; fine-tuning rewrites it with its resolved values      jobs, finetune
``status.json``        state, notice (key + params), pid, device, times, heartbeat, exit code jobs
``progress.json``      the last progress event and the run's notices                          jobs (worker)
``cancel``             present = stop requested                                               anyone
``worker.log``         the worker's log, tracebacks included (never shown raw)               jobs (worker)
``metrics.jsonl``      one row per finished epoch                                             finetune
``checkpoint.pt``      the last complete epoch (model, optimizer, bookkeeping)                finetune
``best.safetensors``   the weights of the best epoch so far                                   finetune
``results.json``       confusion matrix, per-class scores, mistakes, parameter groups         finetune
``summary.json``       what fine-tuning returned                                              jobs (worker)
``export/``            ``model.safetensors`` + ``config.json``, loadable without this app     finetune
=====================  ====================================================================  ==============

Every write is atomic (a temporary file, fsync, ``os.replace``): a reader, a crash or a kill sees the old file
or the new one, never half of one. A full disk or another write error becomes one sentence that says the
last complete checkpoint is intact. Reading is forgiving in one way only, the same everywhere: a missing or
unreadable JSON file reads as ``None`` (logged), and in a JSON-lines file a line that does not parse (a torn
last line, junk) is skipped and logged, keeping every complete row.
"""
from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from core.errors import UserError
from core.files import atomic_write

try:  # POSIX advisory locks; elsewhere the app is single-process in practice and runs unlocked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_log = logging.getLogger(__name__)

JOB, CONFIG, STATUS, PROGRESS = "job.json", "config.json", "status.json", "progress.json"
CANCEL, WORKER_LOG, LOCK = "cancel", "worker.log", ".lock"
METRICS, CHECKPOINT, BEST = "metrics.jsonl", "checkpoint.pt", "best.safetensors"
RESULTS, SUMMARY = "results.json", "summary.json"
EXPORT, EXPORT_WEIGHTS, EXPORT_CONFIG = "export", "model.safetensors", "config.json"
MANAGER_LOCK = ".manager.lock"

RUN_ID_RE = re.compile(r"\A\d{8}-\d{6}-[0-9a-f]{6}\Z")


# ------------------------------------------------------------------------------------------- locations
def runs_dir(root: Optional[Path] = None) -> Path:
    """``<workspace>/runs``, created on first use."""
    if root is None:
        from core.workspaces import current_root
        root = current_root()
    path = Path(root) / "runs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_run_id() -> str:
    """``YYYYMMDD-HHMMSS-xxxxxx`` (UTC): sorts by start time; the random tail keeps same-second runs apart."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


def is_run_id(text: Any) -> bool:
    return isinstance(text, str) and bool(RUN_ID_RE.match(text))


def run_path(run_id: str, root: Optional[Path] = None, must_exist: bool = True) -> Path:
    """The folder of ``run_id``.

    Raises:
        UserError: the id does not have the run-id shape (so nothing outside ``runs/`` can be named), or no
            such run exists.
    """
    rid = str(run_id or "")
    if not is_run_id(rid):
        raise UserError.of("jobs.bad_run_id", run=str(run_id)[:60])
    path = runs_dir(root) / rid
    if must_exist and not (path / STATUS).is_file():
        raise UserError.of("jobs.no_such_run", run=rid)
    return path


def run_folders(root: Optional[Path] = None) -> Iterator["RunFolder"]:
    """Every folder under ``runs/`` that has a run id for a name (status or not)."""
    for d in runs_dir(root).iterdir():
        if is_run_id(d.name):
            yield RunFolder(d)


# --------------------------------------------------------------------------------------- file plumbing
def _write_bytes(path: Path, data: bytes | Callable, durable: bool = True) -> None:
    """``core.files.atomic_write`` with a full disk or any other write error as one sentence."""
    write = data if callable(data) else (lambda fh: fh.write(data))
    try:
        atomic_write(path, write, durable=durable)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError.of("finetune.disk_full", file=path.name, folder=shown(path.parent)) from exc
        raise UserError.of("finetune.write_failed", file=path.name, folder=shown(path.parent),
                           reason=str(exc.strerror or exc)) from exc


def shown(path: Path) -> str:
    """A folder as a person may see it: relative to its workspace (``runs/<id>``), never a server path."""
    from core.workspaces import shown as _shown
    return _shown(path)


def write_json(path: Path, obj: Any, durable: bool = True) -> None:
    _write_bytes(Path(path), json.dumps(obj, indent=2, default=str).encode("utf-8"), durable)


def read_json(path: Path, default: Any = None) -> Any:
    """The JSON in ``path``; ``default`` when it is missing or unreadable (the latter is logged)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return default
    except (OSError, ValueError):
        _log.warning("unreadable %s", path)
        return default


def read_jsonl(path: Path) -> list[dict]:
    """Every complete row of a JSON-lines file; a line that does not parse is skipped (and logged)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return []
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            row = json.loads(line)
        except ValueError:
            _log.warning("%s line %d does not parse: skipped", path, n)
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (created if missing) for a read-modify-write."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# ------------------------------------------------------------------------------------------ the folder
class RunFolder:
    """One run folder: named readers and atomic writers for each of its files."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @property
    def id(self) -> str:
        return self.path.name

    def __repr__(self) -> str:
        return f"RunFolder({str(self.path)!r})"

    def file(self, name: str) -> Path:
        return self.path / name

    # -- small JSON files
    def job(self) -> dict:
        return read_json(self.path / JOB, {}) or {}

    def write_job(self, job: dict) -> None:
        write_json(self.path / JOB, job)

    def config(self) -> dict:
        return read_json(self.path / CONFIG, {}) or {}

    def write_config(self, config: dict) -> None:
        write_json(self.path / CONFIG, config)

    def status(self) -> dict:
        return read_json(self.path / STATUS, {}) or {}

    def has_status(self) -> bool:
        return (self.path / STATUS).is_file()

    def status_key(self) -> Optional[tuple]:
        """(inode, mtime, size) of status.json, to re-read it only when it changed; None when missing."""
        try:
            st = (self.path / STATUS).stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size  # os.replace makes a new inode

    def write_status(self, status: dict, durable: bool = True) -> None:
        write_json(self.path / STATUS, status, durable)

    def lock(self):
        """The run's lock, for read-modify-writes of status.json."""
        return locked(self.path / LOCK)

    def update_status(self, **changes) -> dict:
        """Read-modify-write status.json under the run's lock; returns the new status."""
        with self.lock():
            status = self.status()
            status.update(changes)
            self.write_status(status)
        return status

    def progress(self) -> Optional[dict]:
        return read_json(self.path / PROGRESS)

    def write_progress(self, progress: dict) -> None:
        write_json(self.path / PROGRESS, progress, durable=False)  # rewritten a few times a second

    def results(self) -> Optional[dict]:
        return read_json(self.path / RESULTS)

    def write_results(self, results: dict) -> None:
        write_json(self.path / RESULTS, results)

    def summary(self) -> Optional[dict]:
        return read_json(self.path / SUMMARY)

    def write_summary(self, summary: dict) -> None:
        write_json(self.path / SUMMARY, summary)

    # -- metrics
    def metrics(self) -> list[dict]:
        return read_jsonl(self.path / METRICS)

    def write_metrics(self, rows: list[dict]) -> None:
        """The whole file at once (a few rows), so it is never torn."""
        _write_bytes(self.path / METRICS, "".join(json.dumps(r) + "\n" for r in rows).encode())

    # -- cancel
    def request_cancel(self) -> None:
        (self.path / CANCEL).write_text(str(round(time.time(), 3)))

    def cancel_requested(self) -> bool:
        return (self.path / CANCEL).exists()

    def cancel_time(self) -> Optional[float]:
        try:
            return float((self.path / CANCEL).read_text() or 0)
        except (OSError, ValueError):
            return None

    def clear_cancel(self) -> None:
        (self.path / CANCEL).unlink(missing_ok=True)

    # -- weights
    def has_checkpoint(self) -> bool:
        return (self.path / CHECKPOINT).is_file()

    def save_checkpoint(self, obj: dict) -> None:
        import torch
        _write_bytes(self.path / CHECKPOINT, lambda fh: torch.save(obj, fh))

    def load_checkpoint(self) -> Optional[dict]:
        """The checkpoint (``weights_only``: a pickle cannot run code), None when there is none.

        Raises:
            UserError: the file is there but cannot be read.
        """
        import torch
        if not self.has_checkpoint():
            return None
        try:
            return torch.load(str(self.path / CHECKPOINT), map_location="cpu", weights_only=True)
        except Exception as exc:  # noqa: BLE001 - a damaged checkpoint is the user's problem to know about
            raise UserError.of("finetune.checkpoint_unreadable", run=self.id, kind=type(exc).__name__) from exc

    def save_best(self, tensors: dict, epoch: int, val_loss: float) -> None:
        _save_safetensors(self.path / BEST, tensors, {"epoch": str(epoch), "val_loss": f"{val_loss:.6f}"})

    def best_epoch(self) -> Optional[int]:
        """The epoch recorded in best.safetensors; None when it is missing or damaged."""
        from safetensors import safe_open
        try:
            with safe_open(str(self.path / BEST), framework="pt") as f:
                return int((f.metadata() or {}).get("epoch", -1))
        except Exception:  # noqa: BLE001 - missing or damaged: treat as absent
            return None

    def load_best(self) -> dict:
        from safetensors.torch import load_file
        return load_file(str(self.path / BEST), device="cpu")

    def clear_outcome(self) -> None:
        """A fresh start: no best weights or results from an earlier attempt."""
        for name in (BEST, RESULTS):
            (self.path / name).unlink(missing_ok=True)

    # -- export
    @property
    def export_dir(self) -> Path:
        return self.path / EXPORT

    def export_files(self) -> list[Path]:
        """The exported files that exist (weights first)."""
        return [p for p in (self.export_dir / EXPORT_WEIGHTS, self.export_dir / EXPORT_CONFIG) if p.is_file()]

    def write_export(self, tensors: dict, config: dict) -> Path:
        """``export/model.safetensors`` and ``export/config.json``; returns the folder."""
        self.export_dir.mkdir(exist_ok=True)
        _save_safetensors(self.export_dir / EXPORT_WEIGHTS, tensors, {"format": "pt"})
        write_json(self.export_dir / EXPORT_CONFIG, config)
        return self.export_dir

    # -- log
    def worker_log_tail(self, lines: int = 30) -> str:
        try:
            text = (self.path / WORKER_LOG).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def export_paths(folder: Path) -> tuple[Path, Path]:
    """(weights, config) of an export: ``folder`` is a run folder or an export folder itself."""
    folder = Path(folder)
    export = folder / EXPORT if (folder / EXPORT).is_dir() else folder
    return export / EXPORT_WEIGHTS, export / EXPORT_CONFIG


def _save_safetensors(path: Path, tensors: dict, metadata: Optional[dict] = None) -> None:
    from safetensors.torch import save
    _write_bytes(path, save(tensors, metadata=metadata))

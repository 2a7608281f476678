"""Where the app keeps its files, and whether it may use the network.

Everything the app writes lives under ``data_dir()`` (env ``CNNLAB_DATA_DIR``; default ``data/`` in the
project folder, git-ignored). Nothing is written anywhere else.

Sharing settings (environment variables; on Streamlit Community Cloud, top-level keys of the app's secrets
become environment variables too). They are read at each call, so a test can change them:

=============================  =========================================================  =================
variable                       what                                                       default
=============================  =========================================================  =================
``CNNLAB_WORKSPACES``          ``private`` (a workspace per private link), ``single``     ``private``
                               (one workspace: a laptop), ``login`` (one per signed-in
                               user, Streamlit's ``st.login``)
``CNNLAB_SERVER_FOLDERS``      folders (``os.pathsep``-separated) whose zips and folders   none: the page's
                               the Datasets page may read by path                         path source is off
                                                                                          (single: any path)
``CNNLAB_QUOTA_MB``            stored megabytes per workspace (datasets, runs, uploads)   2000 (none in single)
``CNNLAB_QUOTA_DATASETS``      stored datasets per workspace                              10 (none in single)
``CNNLAB_QUOTA_QUEUED``        queued or running runs per workspace                       3 (none in single)
``CNNLAB_SWEEP_DAYS``          days after which an idle workspace is deleted              30 (0: never)
``CNNLAB_TEACHER_WORKSPACE``   a workspace's private link token (or ``default``) whose    none
                               datasets and finished runs every visitor may open read-only
=============================  =========================================================  =================
"""
from __future__ import annotations

import functools
import logging
import os
import socket
from pathlib import Path
from typing import Optional

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Upload cap for a dataset archive, in MB. .streamlit/config.toml's server.maxUploadSize matches it.
MAX_UPLOAD_MB = 500


MODES = ("private", "single", "login")
DEFAULT_MODE = "private"
QUOTA_DEFAULTS = {"mb": 2000, "datasets": 10, "queued": 3}   # a class of about 30 on one server
SWEEP_DAYS = 30


def data_dir() -> Path:
    """The app's data directory, created on first use."""
    path = Path(os.environ.get("CNNLAB_DATA_DIR") or PROJECT_DIR / "data").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def subdir(name: str) -> Path:
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def workspace_mode() -> str:
    """``private``, ``single`` or ``login`` (``CNNLAB_WORKSPACES``; anything else reads as ``private``, the safe
    choice for a shared server)."""
    mode = os.environ.get("CNNLAB_WORKSPACES", "").strip().lower() or DEFAULT_MODE
    return mode if mode in MODES else DEFAULT_MODE


def server_folders() -> list[Path]:
    """The folders the browser may read datasets from by path (``CNNLAB_SERVER_FOLDERS``), resolved; empty: none."""
    raw = os.environ.get("CNNLAB_SERVER_FOLDERS", "")
    out = []
    for part in raw.split(os.pathsep):
        part = part.strip()
        if part:
            path = Path(part).expanduser()
            if path.is_absolute():  # a relative folder would depend on the server's working directory
                out.append(path.resolve())
    return out


def browser_folders() -> Optional[list[Path]]:
    """Which server paths a page may read datasets from: the listed folders (``CNNLAB_SERVER_FOLDERS``); when none
    are listed, none in a shared mode (``private``, ``login``) and, in ``single`` mode (the browser's user is the
    machine's user), ``None``: any path, as the CLI."""
    folders = server_folders()
    if not folders and workspace_mode() == "single":
        return None
    return folders


def _int_env(name: str, default: Optional[int]) -> Optional[int]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        logging.getLogger("core").warning("%s=%r is not a number; using %s", name, raw, default)
        return default
    return value if value > 0 else None  # 0 or less: no limit


def quotas() -> dict[str, Optional[int]]:
    """Per-workspace limits: ``{"mb", "datasets", "queued"}``; ``None`` is no limit. ``single`` mode has none
    unless the operator sets them."""
    single = workspace_mode() == "single"
    return {key: _int_env(f"CNNLAB_QUOTA_{key.upper()}", None if single else default)
            for key, default in QUOTA_DEFAULTS.items()}


def sweep_days() -> Optional[int]:
    """Days after which an idle workspace is deleted (``CNNLAB_SWEEP_DAYS``); ``None``: never."""
    return _int_env("CNNLAB_SWEEP_DAYS", SWEEP_DAYS)


def teacher_token() -> Optional[str]:
    """The classroom workspace's token (``CNNLAB_TEACHER_WORKSPACE``), or ``None``."""
    return os.environ.get("CNNLAB_TEACHER_WORKSPACE", "").strip() or None


def offline() -> bool:
    """True when downloads are forbidden by the environment (tests set these; so can a classroom server)."""
    return any(os.environ.get(v, "").strip() not in ("", "0") for v in
               ("CNNLAB_OFFLINE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def raise_unexpected() -> bool:
    """True under test (``CNNLAB_RAISE_UNEXPECTED``): a page re-raises an unexpected exception instead of turning
    it into one sentence, so that AppTest and the browser tests see the crash."""
    return os.environ.get("CNNLAB_RAISE_UNEXPECTED", "").strip() not in ("", "0")


@functools.lru_cache(maxsize=16)
def host_reachable(host: str, port: int = 443, timeout: float = 1.5) -> bool:
    """Whether a TCP connection to ``host`` opens within ``timeout`` seconds (so no call hangs without a network)."""
    if offline():
        return False
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


_LOGGING_READY = False


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the ``core`` loggers to ``<data>/logs/cnnlab.log`` (tracebacks go there, never to the user)."""
    global _LOGGING_READY
    log_path = subdir("logs") / "cnnlab.log"
    if not _LOGGING_READY:
        handler = logging.FileHandler(log_path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
        logger = logging.getLogger("core")
        logger.addHandler(handler)
        logger.setLevel(level)
        _LOGGING_READY = True
    return log_path

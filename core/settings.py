"""Where the app keeps its files, and whether it may use the network.

Everything the app writes lives under ``data_dir()`` (env ``CNNLAB_DATA_DIR``; default ``data/`` in the
project folder, git-ignored). Nothing is written anywhere else.
"""
from __future__ import annotations

import functools
import logging
import os
import socket
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Upload cap for a dataset archive, in MB. .streamlit/config.toml's server.maxUploadSize matches it.
MAX_UPLOAD_MB = 500


def data_dir() -> Path:
    """The app's data directory, created on first use."""
    path = Path(os.environ.get("CNNLAB_DATA_DIR") or PROJECT_DIR / "data").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def subdir(name: str) -> Path:
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


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

"""Private workspaces: whose datasets, runs and uploads a page, the CLI or a worker is working with.

A workspace is a folder laid out like the data directory used to be (``runs/``, ``datasets/``, ``uploads/``):

- the **default** workspace is the data directory itself (``<data_dir>/runs``, ``<data_dir>/datasets``): the
  layout of earlier versions, so existing runs and datasets belong to it where they are, nothing is moved, a
  worker still writing keeps writing, and stored summaries keep paths that are still true;
- every other workspace is ``<data_dir>/workspaces/<id>/``, where ``id`` is 24 hex characters of a SHA-256 of
  its private-link token (or of the signed-in user), so the folder names on disk and in logs are not the
  tokens themselves.

Modes (``CNNLAB_WORKSPACES``, :func:`core.settings.workspace_mode`): ``private`` (default) gives each visitor a
workspace whose token (``secrets.token_urlsafe``, 24 characters) rides in the address as ``?ws=<token>``;
``single`` gives everyone the default workspace (one person on a laptop); ``login`` gives each signed-in user
(Streamlit's ``st.login``) their own. ``CNNLAB_TEACHER_WORKSPACE`` names a token (or ``default``) whose datasets
and finished runs every visitor may open read-only.

**How code reaches a workspace** (core never imports Streamlit, and a fragment rerun does not rerun app.py, so
nothing here depends on a per-script-run global):

- functions that take ``root`` (``core.runs``, ``core.jobs.store``, ``core.data.store``) take a
  :attr:`Workspace.root`; pages always pass it (``ui.workspace().root``);
- code that does not take one (``core.inside``, ``core.saliency``, ``core.finetune``) reads
  :func:`current_root`, which is, in order: the workspace of a ``with using(ws):`` block (a ContextVar, so it
  is scoped to the calling thread and block); the process's workspace (a worker: :func:`enter_run_dir`; the
  CLI: ``--workspace`` / ``CNNLAB_WORKSPACE``); in ``single`` mode the default workspace. In ``private`` and
  ``login`` mode with none of these it raises :class:`NoWorkspace` (fail closed: a page that forgot to say
  whose data it wants gets an error, never someone else's data).

For a page (e.g. saliency) the recipe is::

    from core import workspaces
    from ui import workspace
    ws = workspace()                          # this visitor's Workspace (session state; fragments too)
    runs = change.finished_runs(ws.root)      # a function that takes root: pass it
    with workspaces.using(ws):                # one that does not: scope the call
        result = saliency.run_saliency(run_id, ...)
    @st.cache_data                            # every cache that reads datasets or runs is keyed by workspace
    def cached(ws_id: str, run_id: str): ...  # (ws.id), never by a run or dataset id alone

Run ids and dataset ids are only ever looked up inside the caller's workspace root, so an id from another
workspace reads as "not found", exactly like an id that never existed.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Union

from core.errors import UserError
from core.settings import data_dir, quotas, sweep_days, teacher_token, workspace_mode

_log = logging.getLogger("core.workspaces")

DEFAULT = "default"
WORKSPACES = "workspaces"            # <data_dir>/workspaces/<id>/
TOKEN_RE = re.compile(r"\A[A-Za-z0-9_-]{24}\Z")   # secrets.token_urlsafe(18)
ID_RE = re.compile(r"\A[0-9a-f]{24}\Z")
SEEN = ".seen"                       # its mtime: the workspace's last visit (idle sweep)
LOCK = ".workspace.lock"             # serialises quota checks with the writes they allow
SEEN_EVERY_S = 3600                  # .seen is refreshed at most this often
EMPTY_SWEEP_S = 24 * 3600            # a workspace that never stored anything goes after a day
ENV = "CNNLAB_WORKSPACE"             # the CLI's workspace: a token, ``default`` or ``user:<name>``


class NoWorkspace(RuntimeError):
    """A shared-mode process asked for "the current workspace" without having chosen one (a bug, not input)."""


@dataclass(frozen=True)
class Workspace:
    """One workspace. ``token``: its private link's token (private mode); ``user``: the signed-in user (login
    mode); ``readonly``: the classroom workspace seen by a visitor who does not own it."""

    id: str
    root: Path
    token: Optional[str] = None
    user: Optional[str] = None
    readonly: bool = False

    @property
    def is_default(self) -> bool:
        return self.id == DEFAULT

    def read_only(self) -> "Workspace":
        return Workspace(self.id, self.root, None, None, True)

    def cli_spec(self) -> str:
        """What ``--workspace`` / ``CNNLAB_WORKSPACE`` takes to reach this workspace."""
        if self.token:
            return self.token
        if self.user:
            return f"user:{self.user}"
        return DEFAULT


# ----------------------------------------------------------------------------------------------- naming
def new_token() -> str:
    """24 URL-safe characters (144 random bits), never starting with '-' (``--workspace -x...`` reads as a flag)."""
    while (token := secrets.token_urlsafe(18)).startswith("-"):
        pass
    return token


def is_token(text) -> bool:
    return isinstance(text, str) and bool(TOKEN_RE.match(text))


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"cnnlab-workspace|{kind}|{value}".encode("utf-8")).hexdigest()[:24]


def _base(base: Optional[Path]) -> Path:
    return Path(base) if base is not None else data_dir()


def root_of(ws_id: str, base: Optional[Path] = None) -> Path:
    """The folder of workspace ``ws_id`` (``default``: the data directory itself)."""
    if ws_id == DEFAULT:
        return _base(base)
    if not ID_RE.match(str(ws_id)):
        raise ValueError(f"not a workspace id: {ws_id!r}")
    return _base(base) / WORKSPACES / ws_id


def base_of(root: Path) -> Path:
    """The data directory a workspace root belongs to."""
    root = Path(root)
    if root.parent.name == WORKSPACES and ID_RE.match(root.name):
        return root.parent.parent
    return root


def id_of(root: Path) -> str:
    root = Path(root)
    return root.name if root.parent.name == WORKSPACES and ID_RE.match(root.name) else DEFAULT


def exists(ws_id: str, base: Optional[Path] = None) -> bool:
    return ws_id == DEFAULT or (ID_RE.match(str(ws_id)) is not None and root_of(ws_id, base).is_dir())


def default(base: Optional[Path] = None) -> Workspace:
    return Workspace(DEFAULT, _base(base))


def _make(ws_id: str, base: Optional[Path]) -> Path:
    root = root_of(ws_id, base)
    root.mkdir(parents=True, exist_ok=True)
    (root / SEEN).touch()
    return root


def create(base: Optional[Path] = None) -> Workspace:
    """A new private workspace with a fresh token."""
    token = new_token()
    ws_id = _digest("token", token)
    root = _make(ws_id, base)
    _log.info("workspace %s created", ws_id)
    return Workspace(ws_id, root, token=token)


def from_token(token, base: Optional[Path] = None) -> Workspace:
    """The workspace of a private link's token.

    Raises:
        UserError: the text is not a token (``data.workspace_bad_link``), or no workspace on this server has it
            (``data.workspace_unknown_link``). The two say nothing about any other workspace.
    """
    if not is_token(token):
        raise UserError.of("data.workspace_bad_link")
    ws_id = _digest("token", token)
    if not root_of(ws_id, base).is_dir():
        raise UserError.of("data.workspace_unknown_link")
    return Workspace(ws_id, root_of(ws_id, base), token=token)


def for_user(user: str, base: Optional[Path] = None) -> Workspace:
    """The workspace of a signed-in user (made on first sign-in); ``user``: the identity's e-mail or subject."""
    user = str(user).strip()
    if not user:
        raise UserError.of("data.workspace_no_user")
    ws_id = _digest("user", user.lower())
    return Workspace(ws_id, _make(ws_id, base), user=user)


def resolve(spec: Optional[str], base: Optional[Path] = None) -> Workspace:
    """The CLI's workspace: ``default`` (or nothing), a private link's token, or ``user:<e-mail>``."""
    spec = (spec or "").strip()
    if spec in ("", DEFAULT):
        return default(base)
    if spec.startswith("user:"):
        return for_user(spec[5:], base)
    return from_token(spec, base)


def teacher(base: Optional[Path] = None) -> Optional[Workspace]:
    """The classroom workspace (``CNNLAB_TEACHER_WORKSPACE``), when set and present."""
    token = teacher_token()
    if not token:
        return None
    try:
        return resolve(token, base)
    except UserError:
        _log.warning("CNNLAB_TEACHER_WORKSPACE names no workspace on this server")
        return None


def all_workspaces(base: Optional[Path] = None) -> list[Path]:
    """Every workspace root of the data directory: the default one first."""
    b = _base(base)
    roots = [b]
    folder = b / WORKSPACES
    if folder.is_dir():
        roots += sorted(d for d in folder.iterdir() if ID_RE.match(d.name) and d.is_dir())
    return roots


def touch(ws: Workspace) -> None:
    """Record a visit (at most once an hour), so the idle sweep keeps a workspace that is in use."""
    if ws.is_default or ws.readonly:
        return
    seen = ws.root / SEEN
    try:
        if time.time() - seen.stat().st_mtime < SEEN_EVERY_S:
            return
    except FileNotFoundError:
        pass
    with contextlib.suppress(OSError):
        seen.touch()


# --------------------------------------------------------------------------------- the current workspace
_CURRENT: contextvars.ContextVar[Optional[Path]] = contextvars.ContextVar("cnnlab_workspace", default=None)
_PROCESS_ROOT: Optional[Path] = None


@contextlib.contextmanager
def using(ws: Union[Workspace, Path, str]) -> Iterator[Path]:
    """Within the block (this thread only), :func:`current_root` is ``ws``'s root."""
    root = Path(ws.root if isinstance(ws, Workspace) else ws)
    token = _CURRENT.set(root)
    try:
        yield root
    finally:
        _CURRENT.reset(token)


def enter_run_dir(run_dir: Union[str, Path]) -> Path:
    """Make the workspace that holds ``run_dir`` (``<root>/runs/<id>``) this process's workspace (a worker)."""
    global _PROCESS_ROOT
    _PROCESS_ROOT = Path(run_dir).resolve().parent.parent
    return _PROCESS_ROOT


def current_root() -> Path:
    """The workspace root that code without a ``root`` argument works in (see the module's docstring)."""
    root = _CURRENT.get()
    if root is not None:
        return root
    if _PROCESS_ROOT is not None:
        return _PROCESS_ROOT
    spec = os.environ.get(ENV, "").strip()
    if spec:
        return resolve(spec).root
    if workspace_mode() == "single":
        return data_dir()
    raise NoWorkspace("no workspace chosen: pass root=, use `with workspaces.using(ws):`, or run the CLI with "
                      "--workspace")


def shown(path: Union[str, Path], root: Optional[Path] = None) -> str:
    """``path`` as a person may see it: relative to its workspace (``runs/<id>/export``), never a server path."""
    p = Path(path)
    if root is not None:
        with contextlib.suppress(ValueError):
            return p.resolve().relative_to(Path(root).resolve()).as_posix()
    parts = p.parts
    for anchor in ("runs", "datasets", "uploads"):  # the nearest workspace folder that names it
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i:])
    return p.name


# ----------------------------------------------------------------------------------------------- quotas
def lock(root: Path):
    """An exclusive lock on one workspace for a quota check and the write it allows (threads and processes)."""
    from core.runs import locked
    Path(root).mkdir(parents=True, exist_ok=True)
    return locked(Path(root) / LOCK)


def _tree_bytes(path: Path, skip: frozenset = frozenset()) -> int:
    total = 0
    try:
        entries = list(os.scandir(path))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return 0
    for e in entries:
        if e.name in skip:
            continue
        try:
            if e.is_dir(follow_symlinks=False):
                total += _tree_bytes(Path(e.path))
            elif e.is_file(follow_symlinks=False):
                total += e.stat(follow_symlinks=False).st_size
        except OSError:
            continue
    return total


def used_bytes(root: Path, uploads: bool = True) -> int:
    """Bytes a workspace stores (datasets, runs and, with ``uploads``, uploads in progress)."""
    root = Path(root)
    total = _tree_bytes(root / "datasets") + _tree_bytes(root / "runs")
    if uploads:
        total += _tree_bytes(root / "uploads")
    return total


def quota_bytes() -> Optional[int]:
    mb = quotas()["mb"]
    return None if mb is None else mb * 1024 * 1024


def check_bytes(root: Path, adding: int = 0, uploads: bool = True, what: str = "dataset") -> None:
    """Raise the quota sentence when ``adding`` more bytes would pass the workspace's stored-bytes limit."""
    limit = quota_bytes()
    if limit is None:
        return
    if used_bytes(root, uploads) + adding > limit:
        key = {"dataset": "data.quota_bytes_dataset", "run": "jobs.quota_bytes_run"}[what]
        raise UserError.of(key, limit=quotas()["mb"])


def active_runs(root: Path) -> int:
    """Queued or running runs of the workspace (read through core.runs: the sidebar must not import training)."""
    from core.runs import run_folders
    return sum(1 for f in run_folders(root) if f.status().get("state") in ("queued", "running"))  # jobs.ACTIVE


def usage(root: Path) -> dict:
    """What a workspace holds against its limits (for the sidebar and ``workspaces show``)."""
    from core.data.store import list_datasets
    return {"mb": round(used_bytes(root) / 2**20, 1), "datasets": len(list_datasets(root)), "queued": active_runs(root),
            "limits": quotas()}


# ---------------------------------------------------------------------------------------------- sweeping
def _last_seen(root: Path) -> float:
    try:
        return (root / SEEN).stat().st_mtime
    except OSError:
        return root.stat().st_mtime


def _holds_anything(root: Path) -> bool:
    return any(any(True for _ in (root / sub).iterdir()) for sub in ("datasets", "runs")
               if (root / sub).is_dir())


def sweep(base: Optional[Path] = None, now: Optional[float] = None) -> list[str]:
    """Delete workspaces idle for ``CNNLAB_SWEEP_DAYS`` (never the default or the classroom one, never one with
    a queued or running run); a workspace that never stored anything goes after a day. Returns their ids."""
    from core.jobs.store import ACTIVE, statuses
    days = sweep_days()
    now = time.time() if now is None else now
    keep = teacher(base)
    removed = []
    for root in all_workspaces(base)[1:]:
        if keep is not None and root == keep.root:
            continue
        idle = now - _last_seen(root)
        full = _holds_anything(root)
        if full and (days is None or idle < days * 86400):
            continue
        if not full and idle < EMPTY_SWEEP_S:
            continue
        with contextlib.suppress(OSError):
            if any(st.get("state") in ACTIVE for st in statuses(root).values()):
                continue
            trash = root.parent / f".trash-{root.name}-{secrets.token_hex(4)}"
            os.replace(root, trash)  # atomic: a visitor sees the whole workspace or an unknown link
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(root.name)
            _log.info("workspace %s swept after %.1f idle days", root.name, idle / 86400)
    return removed


__all__ = ["Workspace", "NoWorkspace", "DEFAULT", "new_token", "is_token", "root_of", "base_of", "id_of", "exists",
           "default", "create", "from_token", "for_user", "resolve", "teacher", "all_workspaces", "touch", "using",
           "enter_run_dir", "current_root", "shown", "lock", "used_bytes", "check_bytes", "usage", "sweep"]

"""Streamlit helpers shared by the pages: language, errors, cached resources. No maths here."""
from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from core import workspaces
from core.errors import UserError
from core.i18n import DEFAULT_LANG, LANGUAGES, Translator, normalize_lang
from core.settings import raise_unexpected, workspace_mode

_log = logging.getLogger("core.ui")


ROUTER_SEEN = "_router_seen"
WANTED_PAGE = "_wanted_page"
WORKSPACE = "_workspace"          # this session's core.workspaces.Workspace (session state: fragments see it too)
WORKSPACE_LINK = "_workspace_link"  # a ?ws= that arrived before the router (kept through its detour)
WORKSPACE_NOTE = "_workspace_note"  # why a fresh workspace was made (a bad or unknown link), said once


def routed(page_file: str) -> None:
    """Make sure this page runs inside app.py's router (sidebar, language, navigation).

    On a freshly started server, Streamlit serves a direct link such as ``/finetune`` from the ``pages/``
    folder before app.py has ever run, so the page would run alone. Such a session has never been through
    the router: remember the wanted page, go to the router, and let it switch back here, so the deep link
    still lands on the right page, in the right language. (Only a session's first run can be affected, so
    the check is "has this session seen the router", which also leaves AppTest's switch_page alone.)
    """
    if st.session_state.get(ROUTER_SEEN):
        return
    st.session_state.setdefault("lang", normalize_lang(st.query_params.get("lang")))
    if st.query_params.get("ws"):  # the private link survives the detour, as ?run= does
        st.session_state[WORKSPACE_LINK] = st.query_params.get("ws")
    st.session_state[WANTED_PAGE] = page_file
    st.switch_page("app.py")


def signed_in_user() -> str | None:
    """The signed-in user's e-mail (or subject) in ``login`` mode, ``None`` when nobody is signed in (tests stand in
    for the identity provider by replacing this function)."""
    try:
        if not st.user.is_logged_in:
            return None
        return str(st.user.get("email") or st.user.get("sub") or "") or None
    except Exception:  # noqa: BLE001 - no [auth] section: nobody can be signed in
        return None


def attach_workspace() -> workspaces.Workspace | None:
    """Find or make this session's workspace (app.py calls it on every run, before the page).

    ``single``: the default workspace. ``login``: the signed-in user's (``None`` until someone signs in).
    ``private``: the workspace of ``?ws=<token>`` (or of the link kept through the router's detour), else the
    session's, else a new one; a malformed or unknown token gets a fresh workspace and one sentence saying why,
    never another's data. The token is written back into the address, so a bookmark or refresh returns here.
    """
    mode = workspace_mode()
    current = st.session_state.get(WORKSPACE)
    if mode == "single":
        ws = current if current is not None and current.is_default else workspaces.default()
    elif mode == "login":
        user = signed_in_user()
        if user is None:
            st.session_state.pop(WORKSPACE, None)
            return None
        ws = current if current is not None and current.user == user else workspaces.for_user(user)
    else:
        wanted = st.query_params.get("ws") or st.session_state.pop(WORKSPACE_LINK, None)
        if current is not None and current.token and wanted in (None, current.token):
            ws = current
        elif wanted:
            try:
                ws = workspaces.from_token(wanted)
            except UserError as exc:
                ws = workspaces.create()
                st.session_state[WORKSPACE_NOTE] = exc
        else:
            ws = workspaces.create()
        st.query_params["ws"] = ws.token
    if ws is not current:
        st.session_state[WORKSPACE] = ws
    workspaces.touch(ws)
    return ws


def workspace() -> workspaces.Workspace:
    """This visitor's workspace, for a page that reads or writes datasets or runs (fragments included).

    In ``login`` mode with nobody signed in, the page stops here with a sentence (the sidebar has the button).
    """
    ws = st.session_state.get(WORKSPACE)
    if ws is None:
        ws = attach_workspace()
    if ws is None:
        st.info(tr()("workspaces.sign_in_needed"))
        st.stop()
    return ws


def classroom() -> workspaces.Workspace | None:
    """The classroom workspace, read-only, for a visitor who is not its owner (``None`` when there is none)."""
    teacher = workspaces.teacher()
    ws = st.session_state.get(WORKSPACE)
    if teacher is None or (ws is not None and ws.id == teacher.id) or workspace_mode() == "single":
        return None
    return teacher.read_only()


def workspace_sidebar(ws: workspaces.Workspace | None) -> None:
    """The sidebar's workspace box: the private link and who can use it, the CLI line, what it stores."""
    _ = tr()
    mode = workspace_mode()
    note = st.session_state.pop(WORKSPACE_NOTE, None)
    if note is not None:
        st.warning(_("workspaces.fresh", reason=note.text(lang())), icon="🔑")
    with st.sidebar.expander(_("workspaces.title"), icon="🔒", expanded=note is not None):
        if mode == "login" and ws is None:
            st.caption(_("workspaces.sign_in_needed"))
            if st.button(_("workspaces.sign_in"), key="ws_login"):
                try:
                    st.login()
                except Exception:  # noqa: BLE001 - [auth] missing or Authlib not installed
                    _log.exception("st.login failed")
                    st.error(_("workspaces.login_unconfigured"))
            return
        if ws is None:
            return
        if mode == "single":
            st.caption(_("workspaces.single"))
        elif mode == "login":
            st.caption(_("workspaces.signed_in", user=ws.user))
            if st.button(_("workspaces.sign_out"), key="ws_logout"):
                st.logout()
        else:
            base = (st.context.url or "").rstrip("/")
            st.caption(_("workspaces.private_link"))
            st.code(f"{base}/?ws={ws.token}" if base else f"?ws={ws.token}", language=None, wrap_lines=True)
        teacher = workspaces.teacher()
        if teacher is not None and teacher.id == ws.id and mode != "single":
            st.caption(_("workspaces.classroom_owner"))
        st.caption(_("workspaces.cli"))
        spec = ws.cli_spec()
        st.code(f"CNNLAB_WORKSPACE={spec} python -m core jobs list" if spec != workspaces.DEFAULT
                else "python -m core jobs list", language="bash", wrap_lines=True)
        st.caption(usage_line(ws))


def usage_line(ws: workspaces.Workspace) -> str:
    """What the workspace stores against its limits, in the page's language."""
    _ = tr()
    u = workspaces.usage(ws.root)
    cap = lambda v: _("workspaces.no_limit") if v is None else str(v)  # noqa: E731
    lim = u["limits"]
    return _("workspaces.usage", mb=u["mb"], limit_mb=cap(lim["mb"]), datasets=u["datasets"],
             limit_datasets=cap(lim["datasets"]), queued=u["queued"], limit_queued=cap(lim["queued"]))


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def tr() -> Translator:
    """The translator for the language chosen in the sidebar."""
    return Translator(lang())


@contextmanager
def user_errors():
    """Show a ``UserError`` as one sentence in the page's language.

    Anything else is a bug, not the person's input: its traceback goes to the log and the page says so in one
    sentence, never a traceback. Under test (``CNNLAB_RAISE_UNEXPECTED``, set by tests/conftest.py) it is raised
    again, so that a crash fails AppTest and shows in the browser instead of passing for a red message.
    """
    try:
        yield
    except UserError as exc:
        st.error(exc.text(lang()))
    except Exception as exc:  # noqa: BLE001
        _log.exception("page failed")
        if raise_unexpected():
            raise
        st.error(tr()("common.unexpected", kind=type(exc).__name__))


@st.cache_resource(show_spinner=False, max_entries=1)
def cached_model(name: str, pretrained: bool = True):
    """A shared, read-only ImageNet model (one at a time: memory on Community Cloud is modest)."""
    from core.zoo import build_model
    return build_model(name, pretrained=pretrained)


@st.cache_data(show_spinner=False)
def cached_device_info() -> dict:
    """The device as torch sees it (imports torch: seconds, once per server)."""
    from core.device import device_info
    return device_info()


@st.cache_data(show_spinner=False)
def known_device_info() -> dict | None:
    """The device without importing torch, or ``None`` when a GPU may be visible and only torch can tell."""
    from core.device import known_device_info as known
    return known()


def device_caption(info: dict) -> None:
    """The sidebar's device lines: GPU name and memory, or the CPU cores; then the library versions."""
    _ = tr()
    st.caption(_("app.device"))
    if info["kind"] == "cuda":
        st.markdown(_("app.device_cuda", name=info["name"], memory_gb=info["memory_gb"]))
    else:
        st.markdown(_("app.device_cpu", cores=info["cpu_cores"]))
    st.caption(_("app.versions", **info))


def weights_notice(weights, model_label: str) -> None:
    """A visible warning when a model fell back to random initialisation."""
    if not weights.pretrained:
        st.warning(tr()("common.random_weights", model=model_label), icon="⚠️")
    else:
        _ = tr()
        source = _(f"common.weights_kind.{weights.kind}") + (f" ({weights.detail})" if weights.detail else "")
        st.caption(_("common.weights_source", source=source))


__all__ = ["LANGUAGES", "routed", "lang", "tr", "user_errors", "attach_workspace", "workspace", "classroom",
           "workspace_sidebar", "usage_line", "signed_in_user", "cached_model", "cached_device_info",
           "known_device_info", "device_caption", "weights_notice"]

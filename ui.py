"""Streamlit helpers shared by the pages: language, errors, cached resources. No maths here."""
from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from core.errors import UserError
from core.i18n import DEFAULT_LANG, LANGUAGES, Translator, normalize_lang
from core.settings import raise_unexpected

_log = logging.getLogger("core.ui")


ROUTER_SEEN = "_router_seen"
WANTED_PAGE = "_wanted_page"


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
    st.session_state[WANTED_PAGE] = page_file
    st.switch_page("app.py")


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


__all__ = ["LANGUAGES", "routed", "lang", "tr", "user_errors", "cached_model", "cached_device_info",
           "known_device_info", "device_caption", "weights_notice"]

"""CNN Transfer Lab: the router. Sidebar frame (language, device, workspace) and navigation over pages/.

Nothing here imports torch: it takes seconds, and every page waits for the router before drawing anything.
"""
import sys
from pathlib import Path

import streamlit as st

from core.i18n import LANGUAGES, normalize_lang
from core.settings import setup_logging
from ui import (ROUTER_SEEN, WANTED_PAGE, attach_workspace, cached_device_info, device_caption, known_device_info, tr,
                workspace_sidebar)

setup_logging()
st.set_page_config(page_title="CNN Transfer Lab", page_icon="🧠", layout="wide")

# The language survives page changes (a plain session-state key, which Streamlit never garbage-collects,
# unlike widget keys) and refreshes (a query parameter).
if "lang" not in st.session_state:
    st.session_state.lang = normalize_lang(st.query_params.get("lang"))
st.session_state.lang_picker = st.session_state.lang
st.sidebar.selectbox("🌐 Language / Idioma", options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang_picker",
                     on_change=lambda: st.session_state.update(lang=st.session_state.lang_picker))
st.query_params["lang"] = st.session_state.lang
device_slot = st.sidebar.container()  # under the language picker, whenever it is filled
_ = tr()
# Whose datasets and runs: this visitor's private workspace (?ws=, kept in the address like ?lang=), the signed-in
# user's, or the one shared workspace (core.workspaces; CNNLAB_WORKSPACES). Pages read it with ui.workspace().
workspace_sidebar(attach_workspace())

HERE = Path(__file__).parent
PAGES = {
    "app.section_learn": [("pages/home.py", "page.home", "🏠", True), ("pages/architectures.py", "page.architectures", "🏛️", False), ("pages/inside.py", "page.inside", "🔬", False)],
    "app.section_do": [("pages/data.py", "page.data", "🗂️", False), ("pages/finetune.py", "page.finetune", "🎯", False),
                       ("pages/saliency.py", "page.saliency", "🔍", False)],
}
nav = {
    _(section): [st.Page(path, title=_(title), icon=icon, default=default) for path, title, icon, default in items]
    for section, items in PAGES.items()
}
page = st.navigation(nav)
st.session_state[ROUTER_SEEN] = True
wanted = st.session_state.pop(WANTED_PAGE, None)  # a deep link that arrived before the router existed
if wanted and Path(wanted).stem != page.url_path and (HERE / wanted).exists():
    st.switch_page(wanted)

# The device line: without torch when no GPU can be visible; otherwise torch must answer, and unless a page has
# already imported it, the answer comes after the page has drawn (a page that stops early leaves the line
# to the next run).
info = known_device_info() or (cached_device_info() if "torch" in sys.modules else None)
if info is not None:
    with device_slot:
        device_caption(info)

page.run()

if info is None:
    with device_slot:
        device_caption(cached_device_info())

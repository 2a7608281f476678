"""Home: what the app does, how to use it, and the map of ideas with links to where each one happens."""
from pathlib import Path

import streamlit as st

from core.concepts import CONCEPTS, GROUPS
from ui import routed, tr

routed("pages/home.py")
_ = tr()
st.title(_("home.title"))
st.markdown(_("home.intro"))

st.subheader(_("home.how_title"))
st.markdown(_("home.how"))

st.subheader(_("home.map_title"))
ROOT = Path(__file__).resolve().parent
cols = st.columns(len(GROUPS))
for col, group in zip(cols, GROUPS):
    with col:
        st.markdown(f"#### {_('home.group.' + group)}")
        for c in (c for c in CONCEPTS if c.group == group):
            with st.container(border=True):
                st.markdown(f"**{_(f'home.idea.{c.key}.title')}**")
                st.caption(_(f"home.idea.{c.key}.body"))
                page_title = _(f"page.{c.page}")
                if (ROOT / f"{c.page}.py").exists():
                    st.page_link(f"pages/{c.page}.py", label=_("home.see_it", page=page_title), icon="➡️")
                else:
                    st.caption(_("home.coming", page=page_title))

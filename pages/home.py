"""Home: what the app does, how to use it, and the map of ideas with links to where each one happens."""
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
st.caption(_("home.map_caption"))
cols = st.columns(len(GROUPS))
for col, group in zip(cols, GROUPS):
    with col:
        st.markdown(f"#### {_(f'home.group.{group}')}")
        for c in (c for c in CONCEPTS if c.group == group):
            with st.container(border=True):
                st.markdown(f"**{_(f'home.idea.{c.key}.title')}**")
                st.caption(_(f"home.idea.{c.key}.body"))
                if c.page:  # no page shows it: the card defines the idea and promises nothing
                    st.page_link(f"pages/{c.page}.py", label=_(f"page.{c.page}"), icon="➡️")

"""Not found: an address that names no page (a typo, an old bookmark, a page this account
cannot open) gets this page, with links on, instead of Streamlit's "page not found" box."""

from __future__ import annotations

import streamlit as st

from app.ui import formatting, frame
from app.ui.navigation import requested_page
from app.ui.session import current_user

frame.require_frame()

st.title("Page not found", anchor=False)
signed_in = current_user() is not None
st.markdown(
    f"There is no page at **{formatting.literal('/' + requested_page())}**"
    + (" for your account." if signed_in else ". Sign in to see your own pages.")
    + " It may have been mistyped, or the link may be old."
)
if signed_in:
    st.page_link("pages/create.py", label="Create an animation", icon=":material/movie_edit:")
    st.page_link("pages/gallery.py", label="Your gallery", icon=":material/video_library:")
else:
    st.page_link("pages/login.py", label="Sign in", icon=":material/login:")
st.page_link("pages/help.py", label="Help", icon=":material/help:")

"""Chalk's web app: the frame around every page, then the router (`streamlit run` this file)."""

from __future__ import annotations

import logging

import streamlit as st

from app.logs import configure_logging
from app.ui import auth, layout, session
from app.ui.navigation import build_pages

log = logging.getLogger("chalk.app")

st.set_page_config(page_title="Chalk", page_icon=":material/draw:", layout="wide")


@st.cache_resource(show_spinner=False)
def _logging() -> bool:
    configure_logging()
    return True


_logging()
ready = False
with layout.friendly_errors("startup"):
    session.start_services()
    ready = True
if not ready:
    st.stop()

# The sign-in gate: who is signed in, re-read from the database on every run.
user = None
gate_ready = False
with layout.friendly_errors("sign-in"):
    try:
        user = auth.gate(session.settings())
        gate_ready = True
    except auth.CookieKeyError as exc:  # production without a real cookie key
        st.error(str(exc), icon=":material/key_off:")
if not gate_ready:
    st.stop()

page = st.navigation(build_pages(user), position="top")
layout.show_flashes()
if user is not None:
    auth.user_menu(user)
with layout.page_frame(), layout.friendly_errors(page.title):
    page.run()

"""Chalk's web app: the frame around every page, then the router (`streamlit run` this file)."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from app.logs import configure_logging, start_request
from app.settings import ProductionSettingError
from app.ui import a11y, auth, frame, session
from app.ui.navigation import build_pages, embed_pages, embedded, requested_page

log = logging.getLogger("chalk.app")
ICON = Path(__file__).parent / "app" / "ui" / "icon.png"

# Every line this script run logs (and every job it queues) carries one request id.
start_request()

# A file of our own: a :material/…: icon is fetched from a public font CDN by every browser.
st.set_page_config(page_title="Chalk", page_icon=ICON, layout="wide")
a11y.install()  # first, so it keeps its place on every run and page


@st.cache_resource(show_spinner=False)
def _logging() -> bool:
    configure_logging()
    return True


# The settings refuse to load in production without a real cookie key or the app's address:
# say why, start nothing.
try:
    settings = session.settings()
except ProductionSettingError as exc:
    st.error(str(exc), icon=":material/key_off:")
    st.stop()

_logging()
ready = False
with frame.friendly_errors("startup"):
    session.start_services()
    ready = True
if not ready:
    st.stop()

# The player-only page for iframes on other sites: no sign-in, no menu, nothing but the video.
if embedded():
    page = st.navigation(embed_pages(), position="hidden")
    with frame.page_frame(), frame.friendly_errors(page.title):
        page.run()
    st.stop()

# The sign-in gate: who is signed in, re-read from the database on every run.
user = None
gate_ready = False
with frame.friendly_errors("sign-in"):
    user = auth.gate(settings)
    gate_ready = True
if not gate_ready:
    st.stop()

page = st.navigation(build_pages(user, requested_page()), position="top")
frame.show_flashes()
if user is not None:
    auth.user_menu(user)
with frame.page_frame(), frame.friendly_errors(page.title):
    page.run()

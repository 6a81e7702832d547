"""The frame around every page: friendly errors, toasts that survive a rerun, and the run
through streamlit_app.py that every page needs."""

from __future__ import annotations

import logging
import runpy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from app.errors import ChalkError

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong on this page; reload it, and if it keeps happening tell your "
    "administrator."
)
"""What a teacher sees instead of a traceback."""


@contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    """Show one sentence instead of a traceback; the traceback goes to the log.

    Streamlit's rerun/stop signals are BaseExceptions and pass through untouched.
    """
    try:
        yield
    except ChalkError as exc:
        st.error(exc.message, icon=":material/error:")
    except Exception:
        log.exception("unexpected error in %s", where)
        st.error(UNEXPECTED, icon=":material/error:")


def flash(message: str, icon: str = ":material/check_circle:") -> None:
    """A toast shown on the next run (a toast raised just before st.rerun would be lost)."""
    st.session_state.setdefault("flash", []).append((message, icon))


def show_flashes() -> None:
    for message, icon in st.session_state.pop("flash", []):
        st.toast(message, icon=icon)


# Streamlit still has its old "pages/ folder" mode: the first run of a process (and every
# AppTest run) on a page other than the home page executes that page's file on its own,
# without streamlit_app.py. Each page starts with `require_frame()`, which then runs the
# entry file instead (it calls st.navigation, which turns the old mode off, and runs the
# page inside the frame: services started, toasts, friendly errors).
_frame = threading.local()
ENTRY = Path(__file__).resolve().parents[2] / "streamlit_app.py"


@contextmanager
def page_frame() -> Iterator[None]:
    """Marks the current run as going through the entry file (used around `page.run()`)."""
    _frame.active = True
    try:
        yield
    finally:
        _frame.active = False


def require_frame() -> None:
    """Run the page through streamlit_app.py if Streamlit started it on its own."""
    if getattr(_frame, "active", False):
        return
    runpy.run_path(str(ENTRY), run_name="__main__")
    st.stop()

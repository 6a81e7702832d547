"""Per-session state shared by every page: settings, started services and the current user."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import streamlit as st

from app.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionUser:
    """Who is using this browser session."""

    id: int
    username: str
    display_name: str
    role: str


def settings() -> Settings:
    """The app's settings (environment and .env, read once per process)."""
    return get_settings()


@st.cache_resource(show_spinner=False)
def _start(identity: str) -> bool:
    """Once per process and settings: schema at head, and the inline worker pool warming up.

    Without Redis the app process is the worker. Warming the render pool takes a few
    seconds, so it happens on a background thread and the first page never waits for it.
    """
    from app.db.migrate import ensure_schema
    from app.jobs.backends import InlineBackend, get_backend

    current = settings()
    ensure_schema(current)
    backend = get_backend(current)
    if isinstance(backend, InlineBackend):
        threading.Thread(target=backend.start, name="chalk-prewarm", daemon=True).start()
    log.info("app services started (%s queue)", backend.name)
    return True


def start_services() -> None:
    """Make sure the database and the worker pool are ready (cheap after the first call)."""
    _start(settings().model_dump_json())


def current_user() -> SessionUser:
    """The user of this session.

    SEAM (issue 7, accounts): until login exists every session is the local default teacher.
    streamlit-authenticator replaces this function; pages only ever call it.
    """
    user = st.session_state.get("session_user")
    if isinstance(user, SessionUser):
        return user
    from app.db.engine import session_scope
    from app.users import get_or_create_user

    with session_scope(settings()) as session:
        row = get_or_create_user(session, "teacher", "teacher")
        session.flush()
        user = SessionUser(
            id=row.id,
            username=row.username,
            display_name=row.display_name or row.username,
            role=row.role,
        )
    st.session_state["session_user"] = user
    return user

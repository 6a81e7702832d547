"""Per-session state shared by every page: settings, started services and the signed-in user."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NoReturn

import streamlit as st

from app.settings import Settings, get_settings

log = logging.getLogger(__name__)

USER_KEY = "session_user"
"""Session-state key of this run's SessionUser (set by the sign-in gate, app/ui/auth.py)."""


@dataclass(frozen=True)
class SessionUser:
    """Who is signed in to this browser session, as read from the database on this run."""

    id: int
    username: str
    display_name: str
    role: str
    email: str | None = None
    preferences: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


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


def current_user() -> SessionUser | None:
    """The signed-in user of this session, or None for a visitor who has not signed in.

    The sign-in gate in streamlit_app.py (app/ui/auth.py) sets it on every run from the
    database, so a role change or a disabled account takes effect at the next click.
    """
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, SessionUser) else None


def still_admin(settings: Settings) -> bool:
    """Whether this session's user is an active admin *now*, read from the database.

    Widget callbacks run before the page (and the sign-in gate) on the next click, so an
    admin demoted or disabled meanwhile must not get one last admin action through them.
    """
    from app.accounts.users import AccountNotFound, get_account

    user = current_user()
    if user is None or not user.is_admin:
        return False
    try:
        account = get_account(settings=settings, user_id=user.id)
    except AccountNotFound:
        return False
    return account.is_admin and not account.disabled


def require_user() -> SessionUser:
    """The signed-in user; stops the page with a sentence when nobody is signed in."""
    user = current_user()
    if user is None:
        _stop("Sign in to use this page.")
    return user


def require_admin() -> SessionUser:
    """The signed-in admin; stops the page (showing nothing of it) for anyone else."""
    user = require_user()
    if not user.is_admin:
        _stop("This page is for Chalk admins only.")
    return user


def _stop(message: str) -> NoReturn:
    st.warning(message, icon=":material/lock:")
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises; this keeps type checkers honest

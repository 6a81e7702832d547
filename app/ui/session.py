"""Per-session state shared by every page: settings, started services and the signed-in user."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn

import streamlit as st

from app.accounts.users import Account, AccountNotFound, get_account
from app.db.migrate import ensure_schema
from app.settings import Settings, get_settings
from app.ui import frame

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


NOT_ADMIN = "Only Chalk admins can do that."
"""What an admin action says when its user is no longer an admin (see still_admin)."""
NOT_ACTIVE = "Your account is disabled or removed, so nothing was changed; ask your Chalk admin."
"""What a change from a widget says when its user's account is no longer active."""


def _active_account(settings: Settings, user_id: int) -> Account | None:
    """The account `user_id` as the database has it *now*, if it exists and is enabled.

    Widget callbacks run before the page (and the sign-in gate) on the next click, so a user
    disabled, removed or demoted meanwhile must not get one last change through them.
    """
    try:
        account = get_account(settings=settings, user_id=user_id)
    except AccountNotFound:
        return None
    return None if account.disabled else account


def still_admin(settings: Settings) -> bool:
    """Whether this session's user is an active admin now, read from the database."""
    user = current_user()
    account = _active_account(settings, user.id) if user is not None else None
    return account is not None and account.is_admin


def may_change(settings: Settings, user_id: int) -> bool:
    """For a widget callback about to change something for `user_id`: whether the account is
    still active now; if not, a toast says nothing was changed."""
    if _active_account(settings, user_id) is not None:
        return True
    frame.flash(NOT_ACTIVE, ":material/lock:")
    return False


def require_user() -> SessionUser:
    """The signed-in user; stops the page with a sentence when nobody is signed in."""
    user = current_user()
    if user is None:
        _stop("Sign in to use this page.")
    return user


ADMINS_ONLY = "This page is for Chalk admins."
"""What the Admin page shows anyone else who reaches it (navigation lists it only for admins)."""


def require_admin() -> SessionUser:
    """The signed-in admin; stops the page (showing nothing of it) for anyone else."""
    user = current_user()
    if user is None or not user.is_admin:
        _stop(ADMINS_ONLY, st.error)
    return user


def _stop(message: str, show: Callable[..., object] = st.warning) -> NoReturn:
    show(message, icon=":material/lock:")
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises; this keeps type checkers honest

"""Forgot password and forgot username.

A reset is a random token mailed as a link; only its SHA-256 is stored, it expires after
`password_reset_ttl_min`, works once, and dies when a newer one is issued for the account.
Asking for a reset says the same thing whether or not the account exists, so the form does
not reveal who has an account.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from app.accounts.passwords import hash_password, normalize_username, password_problem
from app.accounts.users import (
    Account,
    create_account,
    end_sessions_of,
    forget_failed_sign_ins,
    to_account,
)
from app.db.engine import session_scope
from app.db.models import PasswordReset, User, utcnow
from app.errors import ChalkError
from app.links import RESET_PASSWORD, STREAMLIT_DEFAULT_SERVER, LocalServer, app_base_url
from app.mail import Mailer, MailError, get_mailer
from app.settings import Settings

log = logging.getLogger(__name__)

INVALID_LINK = (
    "This reset link has expired or was already used; ask for a new one with 'Forgot password'."
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _send(mailer: Mailer, *, to: str, subject: str, body: str) -> None:
    try:
        mailer.send(to=to, subject=subject, body=body)
    except MailError:
        # The page's answer must not depend on it (it would tell who has an account).
        log.exception("could not send %r", subject)


def _replace_token(session: Session, user_id: int, token: str, lifetime: timedelta) -> None:
    # Only the newest link works: an older one lying in a mailbox is no way in.
    session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None)
        )
    )
    session.add(
        PasswordReset(user_id=user_id, token_hash=_digest(token), expires_at=utcnow() + lifetime)
    )


def add_user(
    *,
    settings: Settings,
    username: str,
    role: str,
    display_name: str | None = None,
    email: str | None = None,
    server: LocalServer = STREAMLIT_DEFAULT_SERVER,
) -> tuple[Account, str]:
    """An admin adds an account, whatever the registration mode: it gets a random password
    nobody sees, and the returned link (valid `invite_ttl_days`, once) lets its owner choose
    their own. The link is shown to the admin once; only its hash is stored."""
    account = create_account(
        settings=settings,
        username=username,
        password=secrets.token_urlsafe(32),
        email=email,
        display_name=display_name,
        role=role,
    )
    token = secrets.token_urlsafe(32)
    with session_scope(settings) as session:
        _replace_token(session, account.id, token, timedelta(days=settings.invite_ttl_days))
    return account, f"{app_base_url(settings, server)}/{RESET_PASSWORD}?token={token}"


def request_password_reset(
    *,
    settings: Settings,
    username_or_email: str,
    server: LocalServer = STREAMLIT_DEFAULT_SERVER,
    mailer: Mailer | None = None,
) -> None:
    """Mail a reset link to the account's email, if there is such an account with an email.

    The link's address is CHALK_APP_URL, else (development) `server`'s: never anything the
    request says (app/links.py).
    """
    wanted = username_or_email.strip()
    if not wanted:
        return
    token = secrets.token_urlsafe(32)
    with session_scope(settings) as session:
        user = session.scalar(
            select(User).where(
                or_(User.username == normalize_username(wanted), User.email == wanted.lower())
            )
        )
        if user is None or user.disabled or not user.email:
            log.info("password reset asked for an unknown, disabled or mail-less account")
            return
        _replace_token(session, user.id, token, timedelta(minutes=settings.password_reset_ttl_min))
        email, username = user.email, user.username
    link = f"{app_base_url(settings, server)}/{RESET_PASSWORD}?token={token}"
    _send(
        mailer or get_mailer(settings),
        to=email,
        subject="Reset your Chalk password",
        body=(
            f"Someone (hopefully you) asked to reset the password of the Chalk account "
            f"'{username}'.\n\nOpen this link within {settings.password_reset_ttl_min} "
            f"minutes to choose a new password:\n\n{link}\n\n"
            "If you did not ask for this, ignore this mail; your password stays the same.\n"
        ),
    )


def reset_password_with_token(*, settings: Settings, token: str, new_password: str) -> Account:
    """Set a new password with a mailed token; ChalkError when it is expired or used."""
    now = utcnow()
    with session_scope(settings) as session:
        reset = session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == _digest(token.strip()))
        )
        if reset is None or reset.used_at is not None or reset.expires_at <= now:
            raise ChalkError("validation", INVALID_LINK)
        user = session.get(User, reset.user_id)
        if user is None or user.disabled:
            raise ChalkError("validation", INVALID_LINK)
        problem = password_problem(new_password, user.username)
        if problem:
            raise ChalkError("validation", problem)
        # Claim the token atomically: of two tabs using one link, only one succeeds.
        claimed = session.execute(
            update(PasswordReset)
            .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
            .values(used_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise ChalkError("validation", INVALID_LINK)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = now
        forget_failed_sign_ins(session, settings=settings, username=user.username)
        end_sessions_of(user)
        return to_account(user)


def send_username_reminder(*, settings: Settings, email: str, mailer: Mailer | None = None) -> None:
    """Mail the username of the account with this email, if there is one."""
    with session_scope(settings) as session:
        username = session.scalar(
            select(User.username).where(User.email == email.strip().lower(), ~User.disabled)
        )
    if username is None:
        return
    _send(
        mailer or get_mailer(settings),
        to=email.strip().lower(),
        subject="Your Chalk username",
        body=f"Your Chalk username is: {username}\n\nSign in with it and your password.\n",
    )

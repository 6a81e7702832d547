"""Accounts as the app, the CLI and the admin page use them.

Plain functions with keyword-only arguments. Teacher-facing refusals are ChalkError
("validation", one sentence); `AccountNotFound` is for a user id or name that does not exist.
The database is the only store of users: streamlit-authenticator gets a fresh credentials
dict built from it on every run (`authenticator_credentials`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts import throttle
from app.accounts.invites import INVALID_INVITE, find_invite
from app.accounts.passwords import (
    UNUSABLE_PASSWORD_HASH,
    hash_password,
    normalize_username,
    password_problem,
    username_problem,
    verify_password,
)
from app.db.engine import session_scope
from app.db.models import ROLES, Invite, User, utcnow
from app.errors import ChalkError
from app.events import add_event
from app.generators import GENERATORS
from app.settings import ASPECTS, QUALITIES, RoleQuota, Settings
from app.text import storable

EMAIL_MAX = 256
SIGN_UP_CLOSED = "Sign-up is closed on this Chalk; ask your Chalk admin for an account."
SIGN_UP_BUSY = (
    "Chalk has had too many sign-ups recently; try again in {wait}, or ask your Chalk admin "
    "for an account."
)
DISPLAY_NAME_MAX = 128
PREFERENCE_CHOICES: dict[str, tuple[str, ...]] = {
    "quality": QUALITIES,
    "aspect": ASPECTS,
    "generator": GENERATORS,
}

# RoleQuota field → the users column that overrides it.
OVERRIDE_COLUMNS = {
    "videos_per_day": "daily_job_quota",
    "render_minutes_per_month": "monthly_render_minutes_quota",
    "concurrent_jobs": "max_concurrent_jobs",
    "queued_jobs": "queued_jobs_quota",
    "llm_tokens_per_month": "monthly_llm_tokens_quota",
    "submits_per_minute": "submits_per_minute_quota",
}


class AccountNotFound(LookupError):
    """No user with this id or name."""


@dataclass(frozen=True)
class Account:
    """A user as pages and the CLI see one (never the password hash)."""

    id: int
    username: str
    display_name: str
    email: str | None
    role: str
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None
    password_changed_at: datetime | None = None
    preferences: dict[str, str] = field(default_factory=dict)
    overrides: RoleQuota = field(default_factory=RoleQuota)
    has_password: bool = True
    sessions_ended_at: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "email": self.email,
            "role": self.role,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat(),
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
            "overrides": self.overrides.model_dump(exclude_none=True),
        }


def to_account(user: User) -> Account:
    return Account(
        id=user.id,
        username=user.username,
        display_name=user.display_name or user.username,
        email=user.email,
        role=user.role,
        disabled=bool(user.disabled),
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        password_changed_at=user.password_changed_at,
        preferences=dict(user.preferences or {}),
        overrides=overrides_of(user),
        has_password=bool(user.password_hash),
        sessions_ended_at=user.sessions_ended_at,
    )


def overrides_of(user: User) -> RoleQuota:
    """The user's own quota overrides (None fields fall back to the role's quota)."""
    return RoleQuota(**{name: getattr(user, column) for name, column in OVERRIDE_COLUMNS.items()})


TAKEN = (
    "That username or email is already in use; choose another, or sign in if the account is yours."
)
"""One answer for a taken username and a taken email: it does not tell which one exists."""


def _refuse(message: str) -> ChalkError:
    return ChalkError("validation", message)


def _clean_email(email: str | None) -> str | None:
    email = storable(email or "").strip().lower()
    if not email:
        return None
    if len(email) > EMAIL_MAX or "@" not in email.strip("@") or any(c.isspace() for c in email):
        raise _refuse(f"'{email[:60]}' is not an email address; check it and try again.")
    return email


def _clean_display_name(name: str | None, fallback: str) -> str:
    name = " ".join(storable(name or "").split())
    if len(name) > DISPLAY_NAME_MAX:
        raise _refuse(f"The name is longer than {DISPLAY_NAME_MAX} characters; shorten it.")
    return name or fallback


def _lock_users(session: Session) -> None:
    """Serialize account creation: PostgreSQL takes a table lock, SQLite its write lock.

    Needed so that "the first account becomes admin" and invite uses hold when two people
    register at the same moment.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(func.pg_advisory_xact_lock(0x43484C4B))  # "CHLK"
    else:
        session.execute(update(User).where(User.id == -1).values(role=User.role))


def _has_active_admin(session: Session, *, excluding: int | None = None) -> bool:
    query = select(func.count()).select_from(User).where(User.role == "admin", ~User.disabled)
    if excluding is not None:
        query = query.where(User.id != excluding)
    return bool(session.scalar(query))


def _has_users(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def is_new_install(*, settings: Settings) -> bool:
    """Whether there are no users at all (then the next account becomes the admin).

    Not "no active admin": disabling or demoting every admin must not hand the install to
    whoever signs up next.
    """
    with session_scope(settings) as session:
        return not _has_users(session)


def _insert(
    session: Session,
    *,
    username: str,
    password: str,
    email: str | None,
    display_name: str | None,
    role: str | None,
) -> User:
    problem = username_problem(username) or password_problem(password, username)
    if problem:
        raise _refuse(problem)
    if role is not None and role not in ROLES:
        raise _refuse(f"Unknown role '{role}'; use {' or '.join(ROLES)}.")
    # Hashed before looking for the name and email, so a refusal for a taken one costs as
    # long as a new account: the time does not tell who has an account.
    password_hash = hash_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise _refuse(TAKEN)
    if email and session.scalar(select(User.id).where(User.email == email)) is not None:
        raise _refuse(TAKEN)
    if role is None:
        role = "teacher" if _has_users(session) else "admin"
    user = User(
        username=username,
        display_name=_clean_display_name(display_name, username),
        email=email,
        password_hash=password_hash,
        role=role,
        preferences={},
    )
    session.add(user)
    session.flush()
    return user


def create_account(
    *,
    settings: Settings,
    username: str,
    password: str,
    email: str | None = None,
    display_name: str | None = None,
    role: str | None = None,
) -> Account:
    """A new account (the operator's way in; registration goes through `register`).

    With `role` None the account is an admin when the install has no users at all.
    """
    username = normalize_username(username)
    clean_email = _clean_email(email)
    try:
        with session_scope(settings) as session:
            _lock_users(session)
            user = _insert(
                session,
                username=username,
                password=password,
                email=clean_email,
                display_name=display_name,
                role=role,
            )
            return to_account(user)
    except IntegrityError as exc:  # a concurrent registration took the name or email
        raise _refuse(TAKEN) from exc


def _sign_up_busy(session: Session, *, settings: Settings, client: str) -> str | None:
    lockout = throttle.sign_up_lockout(session, settings=settings, client=client)
    if lockout is None:
        return None
    return SIGN_UP_BUSY.format(wait=throttle.wait_words(lockout.seconds_left()))


def sign_up_busy(*, settings: Settings, client: str) -> str | None:
    """Why `client` may not sign up now (the sign-up limits), or None."""
    with session_scope(settings) as session:
        return _sign_up_busy(session, settings=settings, client=client)


def register(
    *,
    settings: Settings,
    username: str,
    password: str,
    email: str | None,
    client: str,
    display_name: str | None = None,
    invite_code: str | None = None,
) -> Account:
    """Self-service sign-up from `client` under `settings.registration` (open, invite or closed).

    "closed" refuses everyone, always (operators add users with `chalk users add`). In the
    other modes the first account of an install with no users at all becomes the admin;
    after that "invite" needs a valid code (its role is the new account's). Sign-ups are
    limited per client and overall per window (`sign_up_rules`); that refusal comes before
    any look at the name, so it is the same for taken and free names.
    """
    username = normalize_username(username)
    clean_email = _clean_email(email)
    if settings.registration == "closed":
        raise _refuse(SIGN_UP_CLOSED)
    try:
        with session_scope(settings) as session:
            _lock_users(session)  # also makes the limit's check and count one step
            busy = _sign_up_busy(session, settings=settings, client=client)
            if busy is not None:
                raise _refuse(busy)
            role: str | None = None
            invite: Invite | None = None
            if _has_users(session):
                if settings.registration == "invite":
                    invite = find_invite(session, invite_code or "")
                    if invite is None:
                        raise _refuse(INVALID_INVITE)
                    role = invite.role
                else:
                    role = "teacher"
            user = _insert(
                session,
                username=username,
                password=password,
                email=clean_email,
                display_name=display_name,
                role=role,
            )
            if invite is not None:
                invite.uses_left -= 1
            throttle.count_sign_up(session, settings=settings, client=client)
            return to_account(user)
    except IntegrityError as exc:
        raise _refuse(TAKEN) from exc


def _user(session: Session, *, user_id: int | None = None, username: str | None = None) -> User:
    if user_id is not None:
        user = session.get(User, user_id)
    else:
        user = session.scalar(
            select(User).where(User.username == normalize_username(username or ""))
        )
    if user is None:
        raise AccountNotFound(f"There is no user {username or user_id}.")
    return user


def get_account(*, settings: Settings, user_id: int) -> Account:
    with session_scope(settings) as session:
        return to_account(_user(session, user_id=user_id))


def find_account(*, settings: Settings, username: str) -> Account | None:
    """The account called `username` (any case), or None."""
    try:
        with session_scope(settings) as session:
            return to_account(_user(session, username=username))
    except AccountNotFound:
        return None


def list_accounts(*, settings: Settings) -> list[Account]:
    """Every account, admins first, then by name."""
    with session_scope(settings) as session:
        users = session.scalars(select(User).order_by(User.role, User.username)).all()
        return [to_account(user) for user in users]


def set_role(*, settings: Settings, username: str, role: str) -> Account:
    """Make a user an admin or a teacher; the last active admin stays one."""
    if role not in ROLES:
        raise _refuse(f"Unknown role '{role}'; use {' or '.join(ROLES)}.")
    with session_scope(settings) as session:
        _lock_users(session)
        user = _user(session, username=username)
        if (
            user.role == "admin"
            and role != "admin"
            and not _has_active_admin(session, excluding=user.id)
        ):
            raise _refuse(f"{user.username} is the only admin; make someone else admin first.")
        user.role = role
        return to_account(user)


def set_disabled(*, settings: Settings, username: str, disabled: bool) -> Account:
    """Disable (or enable again) an account; a disabled user cannot sign in, and its
    sign-in cookies stay dead after it is enabled again."""
    with session_scope(settings) as session:
        _lock_users(session)
        user = _user(session, username=username)
        if disabled and user.role == "admin" and not _has_active_admin(session, excluding=user.id):
            raise _refuse(f"{user.username} is the only admin; make someone else admin first.")
        user.disabled = disabled
        if disabled:
            end_sessions_of(user)
        return to_account(user)


def end_sessions_of(user: User) -> None:
    """Make every sign-in cookie issued to `user` so far stop working (at the flush)."""
    user.session_version = User.session_version + 1  # in SQL: two at once both count
    user.sessions_ended_at = utcnow()  # school sign-ins carry a time, not a version


def end_sessions(*, settings: Settings, username: str) -> None:
    """Sign-out: the account's sign-in cookies, in every browser, stop working."""
    with session_scope(settings) as session:
        user = session.scalar(select(User).where(User.username == normalize_username(username)))
        if user is not None:  # else deleted meanwhile: no cookie of it signs in anyway
            end_sessions_of(user)


def session_version(*, settings: Settings, username: str) -> int | None:
    """The number a current sign-in cookie of `username` carries; None for no such user."""
    with session_scope(settings) as session:
        return session.scalar(
            select(User.session_version).where(User.username == normalize_username(username))
        )


def set_quota_overrides(*, settings: Settings, user_id: int, overrides: RoleQuota) -> Account:
    """Replace a user's quota overrides (None: the role's quota from the settings)."""
    with session_scope(settings) as session:
        user = _user(session, user_id=user_id)
        for name, column in OVERRIDE_COLUMNS.items():
            setattr(user, column, getattr(overrides, name))
        return to_account(user)


def change_password(
    *,
    settings: Settings,
    user_id: int,
    new_password: str,
    current_password: str | None = None,
) -> None:
    """Set a new password; with `current_password`, only if that one is right."""
    with session_scope(settings) as session:
        user = _user(session, user_id=user_id)
        if current_password is not None and not verify_password(
            current_password, user.password_hash
        ):
            raise _refuse("Your current password is not right; type it again.")
        problem = password_problem(new_password, user.username)
        if problem:
            raise _refuse(problem)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = utcnow()
        forget_failed_sign_ins(session, settings=settings, username=user.username)
        end_sessions_of(user)


def update_profile(
    *,
    settings: Settings,
    user_id: int,
    display_name: str | None = None,
    email: str | None = None,
) -> Account:
    """Change the name and/or email shown for a user (None leaves a field as it is)."""
    try:
        with session_scope(settings) as session:
            user = _user(session, user_id=user_id)
            if display_name is not None:
                user.display_name = _clean_display_name(display_name, user.username)
            if email is not None:
                clean = _clean_email(email)
                taken = session.scalar(
                    select(User.id).where(User.email == clean, User.id != user.id)
                )
                if clean is not None and taken is not None:
                    raise _refuse("Another account uses this email; choose a different one.")
                user.email = clean
            session.flush()
            return to_account(user)
    except IntegrityError as exc:
        raise _refuse("Another account uses this email; choose a different one.") from exc


def set_preferences(
    *,
    settings: Settings,
    user_id: int,
    quality: str | None = None,
    aspect: str | None = None,
    generator: str | None = None,
) -> dict[str, str]:
    """Save personal defaults for the Create page; returns all of them."""
    chosen = {"quality": quality, "aspect": aspect, "generator": generator}
    with session_scope(settings) as session:
        user = _user(session, user_id=user_id)
        preferences = dict(user.preferences or {})
        for name, value in chosen.items():
            if value is None:
                continue
            if value not in PREFERENCE_CHOICES[name]:
                choices = ", ".join(PREFERENCE_CHOICES[name])
                raise _refuse(f"Unknown {name} '{value}'; use {choices}.")
            preferences[name] = value
        user.preferences = preferences
        return preferences


def forget_failed_sign_ins(session: Session, *, settings: Settings, username: str) -> None:
    """A new password: the failed sign-ins against the old one, from every client, are moot."""
    throttle.forget(session, throttle.sign_in_rule(settings), subject=username)


def record_sign_in(*, settings: Settings, user_id: int, client: str) -> None:
    """A successful sign-in from `client`: clears that client's failed attempts (not another
    client's) and records the `sign_in` event."""
    with session_scope(settings) as session:
        user = _user(session, user_id=user_id)
        user.last_login_at = utcnow()
        throttle.forget(
            session, throttle.sign_in_rule(settings), subject=user.username, client=client
        )
        add_event(session, "sign_in", user_id=user.id)


def authenticator_credentials(*, settings: Settings, client: str) -> dict[str, Any]:
    """The credentials dict streamlit-authenticator expects, built from the database.

    Disabled accounts, accounts `client` is locked out of (and accounts without a password,
    such as the CLI's named users) get a hash no password matches, so they cannot sign in;
    their entry stays so that a failed attempt names them and the page can say why.
    """
    usernames: dict[str, dict[str, Any]] = {}
    with session_scope(settings) as session:
        locked = throttle.locked_usernames(session, settings=settings, client=client)
        for user in session.scalars(select(User)):
            usable = bool(user.password_hash) and not user.disabled and user.username not in locked
            usernames[user.username] = {
                "email": user.email or "",
                "first_name": user.display_name or user.username,
                "last_name": "",
                "password": user.password_hash if usable else UNUSABLE_PASSWORD_HASH,
                "roles": [user.role],
                "failed_login_attempts": 0,
                "logged_in": False,
            }
    return {"usernames": usernames}


def get_or_create_user(session: Session, username: str, role: str = "teacher") -> User:
    """The user called `username`, created (without a password) with `role` if new.

    The CLI submits jobs as such a named user. Safe when two processes create the same user
    at once: the loser of the race finds the winner's row (the insert runs in a savepoint).
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = session.scalar(select(User).where(User.username == username))
    if user is not None:
        return user
    try:
        with session.begin_nested():
            user = User(username=username, display_name=username, role=role, preferences={})
            session.add(user)
    except IntegrityError:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise
    return user

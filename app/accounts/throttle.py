"""Sign-in throttling: after too many failed sign-ins, a lockout that grows with each failure.

Two counters: one per account (in the database, so it holds across browser sessions and
app processes) and one per browser session (in memory, so guessing many usernames from one
session is slowed too). After `login_max_failures` failures sign-in locks for
`login_lockout_s`, doubling with every further failure up to an hour; a success clears the
account's counter (app.accounts.users.record_sign_in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.passwords import normalize_username
from app.db.engine import session_scope
from app.db.models import User, utcnow
from app.settings import Settings

MAX_LOCKOUT_S = 3600.0


def lockout_seconds(failures: int, settings: Settings) -> float:
    """How long sign-in locks after `failures` failures in a row (0 below the threshold)."""
    extra = failures - settings.login_max_failures
    if extra < 0:
        return 0.0
    return min(settings.login_lockout_s * 2 ** min(extra, 20), MAX_LOCKOUT_S)


@dataclass(frozen=True)
class Lockout:
    """Sign-in is refused until `until`."""

    until: datetime

    def seconds_left(self, now: datetime | None = None) -> int:
        left = (self.until - (now or utcnow())).total_seconds()
        return max(1, int(left + 0.999))

    def message(self, now: datetime | None = None) -> str:
        seconds = self.seconds_left(now)
        wait = f"{seconds} seconds" if seconds < 120 else f"{-(-seconds // 60)} minutes"
        return (
            f"Too many failed sign-ins; sign-in is locked for {wait}. Wait, then try again, "
            "or use 'Forgot password'."
        )


def _active(until: datetime | None, now: datetime) -> Lockout | None:
    return Lockout(until) if until is not None and until > now else None


def record_failed_login(*, settings: Settings, username: str) -> Lockout | None:
    """Count a failed sign-in for `username`; the lockout it earned, if any.

    Failures while the account is already locked are not counted, so a stranger typing
    wrong passwords cannot keep a teacher locked out longer and longer.
    """
    now = utcnow()
    with session_scope(settings) as session:
        user = session.scalar(
            select(User).where(User.username == normalize_username(username)).with_for_update()
        )
        if user is None:
            return None
        locked = _active(user.locked_until, now)
        if locked is not None:
            return locked
        user.failed_logins = (user.failed_logins or 0) + 1
        seconds = lockout_seconds(user.failed_logins, settings)
        if seconds:
            user.locked_until = now + timedelta(seconds=seconds)
            return Lockout(user.locked_until)
        return None


def user_lockout(*, settings: Settings, username: str) -> Lockout | None:
    """The account's current lockout, or None."""
    with session_scope(settings) as session:
        until = session.scalar(
            select(User.locked_until).where(User.username == normalize_username(username))
        )
    return _active(until, utcnow())


@dataclass
class SessionThrottle:
    """Failed sign-ins of one browser session (kept in Streamlit's session state)."""

    failures: int = 0
    locked_until: datetime | None = None

    def lockout(self, now: datetime | None = None) -> Lockout | None:
        return _active(self.locked_until, now or utcnow())

    def fail(self, settings: Settings, now: datetime | None = None) -> Lockout | None:
        """Count a failure; the lockout it earned, if any (none counted while locked)."""
        now = now or utcnow()
        locked = self.lockout(now)
        if locked is not None:
            return locked
        self.failures += 1
        seconds = lockout_seconds(self.failures, settings)
        if seconds:
            self.locked_until = now + timedelta(seconds=seconds)
            return Lockout(self.locked_until)
        return None

    def reset(self) -> None:
        self.failures = 0
        self.locked_until = None

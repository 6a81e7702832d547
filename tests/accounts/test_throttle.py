"""Sign-in throttling: the lockout comes after N failures, grows, and a success clears it."""

from __future__ import annotations

from datetime import timedelta

from app.accounts import users
from app.accounts.throttle import (
    MAX_LOCKOUT_S,
    SessionThrottle,
    lockout_seconds,
    record_failed_login,
    user_lockout,
)
from app.db.engine import session_scope
from app.db.models import User, utcnow
from app.settings import Settings


def test_the_delay_starts_after_the_threshold_and_doubles_up_to_an_hour():
    settings = Settings(login_max_failures=5, login_lockout_s=30)
    assert [lockout_seconds(n, settings) for n in range(1, 9)] == [0, 0, 0, 0, 30, 60, 120, 240]
    assert lockout_seconds(500, settings) == MAX_LOCKOUT_S


def test_five_failures_lock_the_account_even_for_the_right_password(db_settings):
    ada = users.create_account(settings=db_settings, username="ada", password="correct horse")
    for _ in range(4):
        assert record_failed_login(settings=db_settings, username="ada") is None
    assert user_lockout(settings=db_settings, username="ada") is None
    lockout = record_failed_login(settings=db_settings, username="ADA")
    assert lockout is not None and 25 <= lockout.seconds_left() <= 30
    assert "locked for" in lockout.message() and "seconds" in lockout.message()
    assert user_lockout(settings=db_settings, username="ada") == lockout
    creds = users.authenticator_credentials(settings=db_settings)["usernames"]
    assert creds["ada"]["password"] != users_hash(db_settings, "ada")
    # Failures while locked are not counted (a stranger cannot extend the lockout).
    assert record_failed_login(settings=db_settings, username="ada") == lockout
    # When the lockout has passed, the next failure locks for twice as long.
    with session_scope(db_settings) as session:
        session.get(User, ada.id).locked_until = utcnow() - timedelta(seconds=1)
    longer = record_failed_login(settings=db_settings, username="ada")
    assert longer is not None and 55 <= longer.seconds_left() <= 60
    # A successful sign-in (after the lockout) starts over.
    users.record_sign_in(settings=db_settings, user_id=ada.id)
    assert user_lockout(settings=db_settings, username="ada") is None
    assert record_failed_login(settings=db_settings, username="ada") is None


def test_unknown_usernames_are_not_recorded(db_settings):
    assert record_failed_login(settings=db_settings, username="nobody") is None
    assert user_lockout(settings=db_settings, username="nobody") is None


def users_hash(settings: Settings, name: str) -> str:
    with session_scope(settings) as session:
        return session.query(User).filter_by(username=name).one().password_hash


def test_a_session_is_throttled_on_its_own():
    settings = Settings(login_max_failures=5, login_lockout_s=10)
    throttle = SessionThrottle()
    now = utcnow()
    assert [throttle.fail(settings, now) for _ in range(4)] == [None] * 4
    locked = throttle.fail(settings, now)
    assert locked is not None and locked.until == now + timedelta(seconds=10)
    assert throttle.lockout(now + timedelta(seconds=9)) == locked
    assert throttle.lockout(now + timedelta(seconds=11)) is None
    again = throttle.fail(settings, now + timedelta(seconds=11))
    assert again is not None and again.until == now + timedelta(seconds=31)
    assert again.message(now + timedelta(seconds=11)).startswith(
        "Too many failed sign-ins; sign-in is locked for 20 seconds."
    )
    throttle.reset()
    assert throttle.lockout() is None and throttle.failures == 0

"""Throttling: failed sign-ins lock one client out of one account (never the account for
everyone), the lock grows and ends; sign-ups are limited per client and overall."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts import throttle, users
from app.accounts.passwords import verify_password
from app.accounts.throttle import (
    MAX_LOCKOUT_S,
    SessionThrottle,
    lockout_seconds,
    record_failed_login,
    user_lockout,
)
from app.db.engine import session_scope
from app.db.models import Throttle, User, utcnow
from app.errors import ChalkError
from app.settings import Settings

PASSWORD = "correct horse"
STRANGER = "203.0.113.9"
TEACHER = "198.51.100.7"


def move_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The throttles' clock jumps `seconds` ahead (from the real now)."""
    later = utcnow() + timedelta(seconds=seconds)
    monkeypatch.setattr(throttle, "utcnow", lambda: later)


def signs_in(settings: Settings, client: str, username: str = "ada") -> bool:
    """Whether the right password works for `client` (what the authenticator checks)."""
    creds = users.authenticator_credentials(settings=settings, client=client)["usernames"]
    return verify_password(PASSWORD, creds[username]["password"])


def test_the_delay_starts_after_the_threshold_and_doubles_up_to_an_hour():
    settings = Settings(login_max_failures=5, login_lockout_s=30)
    assert [lockout_seconds(n, settings) for n in range(1, 9)] == [0, 0, 0, 0, 30, 60, 120, 240]
    assert lockout_seconds(500, settings) == MAX_LOCKOUT_S


def test_a_strangers_failures_lock_only_the_stranger_out(db_settings, monkeypatch):
    users.create_account(settings=db_settings, username="ada", password=PASSWORD)
    for _ in range(4):
        assert record_failed_login(settings=db_settings, client=STRANGER, username="ada") is None
    lockout = record_failed_login(settings=db_settings, client=STRANGER, username="ADA")
    assert lockout is not None and 25 <= lockout.seconds_left() <= 30
    assert "locked for" in lockout.message() and "seconds" in lockout.message()
    # The stranger is locked out, the right password included...
    assert user_lockout(settings=db_settings, client=STRANGER, username="ada") == lockout
    assert not signs_in(db_settings, STRANGER)
    # ...failures while locked are not counted (the lock does not grow)...
    assert record_failed_login(settings=db_settings, client=STRANGER, username="ada") == lockout
    # ...and the teacher, from another client, is not locked out at all.
    assert user_lockout(settings=db_settings, client=TEACHER, username="ada") is None
    assert signs_in(db_settings, TEACHER)

    # When the lock has passed, the right password works for the stranger's client too; the
    # next failure there locks for twice as long.
    move_clock(monkeypatch, 31)
    assert user_lockout(settings=db_settings, client=STRANGER, username="ada") is None
    assert signs_in(db_settings, STRANGER)
    longer = record_failed_login(settings=db_settings, client=STRANGER, username="ada")
    assert longer is not None and 55 <= longer.seconds_left(throttle.utcnow()) <= 60


def test_a_sign_in_clears_only_its_own_clients_failures(db_settings):
    ada = users.create_account(settings=db_settings, username="ada", password=PASSWORD)
    for client in (STRANGER, TEACHER):
        for _ in range(4):
            record_failed_login(settings=db_settings, client=client, username="ada")
    users.record_sign_in(settings=db_settings, user_id=ada.id, client=TEACHER)
    assert record_failed_login(settings=db_settings, client=TEACHER, username="ada") is None
    assert record_failed_login(settings=db_settings, client=STRANGER, username="ada")
    # A new password makes every client's failures moot.
    users.change_password(settings=db_settings, user_id=ada.id, new_password="another one!")
    assert user_lockout(settings=db_settings, client=STRANGER, username="ada") is None


def test_sign_ups_are_limited_per_client_and_the_refusal_writes_nothing(db_settings, monkeypatch):
    def sign_up(name: str, client: str) -> users.Account:
        return users.register(
            settings=db_settings, username=name, password=PASSWORD, email=None, client=client
        )

    for number in range(db_settings.signups_per_client):
        sign_up(f"teacher{number}", STRANGER)
    with session_scope(db_settings) as session:
        before = sorted((row.rule, row.client, row.hits) for row in session.query(Throttle).all())
    for name in ("sixth", "teacher0"):  # a free name and a taken one: the same answer
        with pytest.raises(ChalkError) as refused:
            sign_up(name, STRANGER)
        assert refused.value.message.startswith("Chalk has had too many sign-ups recently;")
        assert "try again in 60 minutes" in refused.value.message
    with session_scope(db_settings) as session:
        assert session.query(User).count() == db_settings.signups_per_client
        after = sorted((row.rule, row.client, row.hits) for row in session.query(Throttle).all())
    assert after == before
    # Another client still signs up; the first one can again after the window.
    assert sign_up("other", TEACHER).username == "other"
    move_clock(monkeypatch, db_settings.signup_window_s + 1)
    assert sign_up("sixth", STRANGER).username == "sixth"


def test_sign_ups_are_limited_overall(db_settings):
    settings = db_settings.model_copy(update={"signups_total": 3})
    for number in range(3):
        users.register(
            settings=settings,
            username=f"teacher{number}",
            password=PASSWORD,
            email=None,
            client=f"192.0.2.{number}",
        )
    with pytest.raises(ChalkError, match="too many sign-ups"):
        users.register(
            settings=settings, username="late", password=PASSWORD, email=None, client=TEACHER
        )
    assert users.find_account(settings=settings, username="late") is None


def test_a_session_is_throttled_on_its_own():
    settings = Settings(login_max_failures=5, login_lockout_s=10)
    session_throttle = SessionThrottle()
    now = utcnow()
    assert [session_throttle.fail(settings, now) for _ in range(4)] == [None] * 4
    locked = session_throttle.fail(settings, now)
    assert locked is not None and locked.until == now + timedelta(seconds=10)
    assert session_throttle.lockout(now + timedelta(seconds=9)) == locked
    assert session_throttle.lockout(now + timedelta(seconds=11)) is None
    again = session_throttle.fail(settings, now + timedelta(seconds=11))
    assert again is not None and again.until == now + timedelta(seconds=31)
    assert again.message(now + timedelta(seconds=11)).startswith(
        "Too many failed sign-ins; sign-in is locked for 20 seconds."
    )
    session_throttle.reset()
    assert session_throttle.lockout() is None and session_throttle.failures == 0


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "hops", "client"),
    [
        # No proxy trusted: a header the client wrote changes nothing.
        ("203.0.113.7", "198.51.100.1", 0, "203.0.113.7"),
        (None, "198.51.100.1", 0, throttle.LOCAL_CLIENT),
        # One proxy (Caddy on this host): it appended the address it saw; the entries left of
        # that are the client's own writing and never chosen.
        (None, "6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),
        ("10.0.0.2", "1.1.1.1, 2.2.2.2, 203.0.113.7", 1, "203.0.113.7"),
        # Two proxies: the outer one's entry is second from the right.
        ("10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),
        # A request that skipped the proxy has fewer entries than hops, or none.
        (None, "203.0.113.7", 2, "203.0.113.7"),
        ("10.0.0.2", None, 1, "10.0.0.2"),
        ("10.0.0.2", " , ", 1, "10.0.0.2"),
    ],
)
def test_the_client_behind_trusted_proxies_is_the_address_they_saw(
    peer, forwarded_for, hops, client
):
    assert throttle.client_address(peer, forwarded_for, hops) == client


def test_a_forged_forwarded_address_cannot_lock_out_another_client(sqlite_settings):
    """Behind one trusted proxy, a stranger who writes the teacher's address into
    X-Forwarded-For is counted as the stranger (the proxy's entry is the last one)."""
    users.create_account(settings=sqlite_settings, username="ada", password=PASSWORD)
    forged = throttle.client_address(None, f"{TEACHER}, {STRANGER}", 1)
    for _ in range(sqlite_settings.login_max_failures):
        record_failed_login(settings=sqlite_settings, client=forged, username="ada")
    assert not signs_in(sqlite_settings, forged)
    assert signs_in(sqlite_settings, throttle.client_address(None, TEACHER, 1))

"""Throttling: counters per (rule, client, subject) in the database, and the lock they earn.

One mechanism for sign-in and sign-up. A `Rule` counts hits of one kind (a failed sign-in,
an account made) per client and subject; at `limit` hits in its window the pair is blocked.
Counters live in the database (table `throttles`), so they hold across browser sessions and
app processes.

Sign-in counts failures per client *and* account: a stranger's wrong passwords lock the
account for the stranger's client only, never for the teacher's. There is deliberately no
lock per account alone: any such lock is one a stranger can trigger (from enough addresses,
for as long as they keep trying). Guessing from many addresses is bounded per address (the
lock doubles up to an hour) and by the password rule (app/accounts/passwords.py).

The client is what `client_address` makes of the connection's address (and, behind trusted
reverse proxies, of X-Forwarded-For); app/ui/auth.py feeds it what Streamlit gives. A browser
session also has its own in-memory counter (`SessionThrottle`), so guessing many usernames
from one session is slowed too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.accounts.passwords import normalize_username
from app.db.engine import session_scope
from app.db.models import Throttle, utcnow
from app.settings import Settings

MAX_LOCKOUT_S = 3600.0
SIGN_IN_WINDOW_S = 86400.0
"""Failed sign-ins are forgotten a day after the first of them (or at a success)."""
EVERYONE = "*"
"""The client of a rule that counts every client together (the overall sign-up ceiling)."""
LOCAL_CLIENT = "local"
"""Every connection with no address (loopback) counts as this one client."""


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxy_hops: int) -> str:
    """The client the throttles count: the connection's own address, or, behind
    `trusted_proxy_hops` reverse proxies, the address the outermost of them saw.

    Each proxy appends the address it was connected from to X-Forwarded-For, so only the last
    `trusted_proxy_hops` entries were written by proxies we trust; anything left of them came
    from the client and is ignored. Too few entries mean the request skipped a proxy: its
    leftmost entry is then the best there is, and is still counted per address.
    """
    if trusted_proxy_hops and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if hops:
            return hops[-min(trusted_proxy_hops, len(hops))][:64]
    return peer[:64] if peer else LOCAL_CLIENT


def lockout_seconds(failures: int, settings: Settings) -> float:
    """How long sign-in locks after `failures` failures in a row (0 below the threshold)."""
    extra = failures - settings.login_max_failures
    if extra < 0:
        return 0.0
    return min(settings.login_lockout_s * 2 ** min(extra, 20), MAX_LOCKOUT_S)


def wait_words(seconds: int) -> str:
    """'40 seconds' or '3 minutes': how long to wait, as a teacher reads it."""
    return f"{seconds} seconds" if seconds < 120 else f"{-(-seconds // 60)} minutes"


@dataclass(frozen=True)
class Lockout:
    """Refused until `until`."""

    until: datetime

    def seconds_left(self, now: datetime | None = None) -> int:
        left = (self.until - (now or utcnow())).total_seconds()
        return max(1, int(left + 0.999))

    def message(self, now: datetime | None = None) -> str:
        return (
            f"Too many failed sign-ins; sign-in is locked for "
            f"{wait_words(self.seconds_left(now))}. Wait, then try again, "
            "or use 'Forgot password'."
        )


@dataclass(frozen=True)
class Rule:
    """At most `limit` hits per client and subject in `window_s`, then a lock.

    The lock lasts `lock_s(hits)` seconds from the hit that earned it, or, when `lock_s` is
    None, until the window ends (a plain rate limit). A `shared` rule counts every client
    together.
    """

    name: str
    limit: int
    window_s: float
    lock_s: Callable[[int], float] | None = None
    shared: bool = False

    def client_key(self, client: str) -> str:
        return EVERYONE if self.shared else client


def sign_in_rule(settings: Settings) -> Rule:
    """Failed sign-ins per client and account; the lock doubles with each further failure."""
    return Rule(
        "sign-in",
        settings.login_max_failures,
        SIGN_IN_WINDOW_S,
        lambda failures: lockout_seconds(failures, settings),
    )


def sign_up_rules(settings: Settings) -> tuple[Rule, Rule]:
    """Accounts made per client, and by everyone together, in one window."""
    return (
        Rule("sign-up", settings.signups_per_client, settings.signup_window_s),
        Rule("sign-up-all", settings.signups_total, settings.signup_window_s, shared=True),
    )


def sign_up_lockout(session: Session, *, settings: Settings, client: str) -> Lockout | None:
    """Whether a sign-up from `client` must wait (its own limit or everyone's)."""
    for rule in sign_up_rules(settings):
        locked = blocked(session, rule, client=client)
        if locked is not None:
            return locked
    return None


def count_sign_up(session: Session, *, settings: Settings, client: str) -> None:
    """Count an account made from `client` (in the transaction that makes it)."""
    for rule in sign_up_rules(settings):
        hit(session, rule, client=client)


def _active(until: datetime | None, now: datetime) -> Lockout | None:
    return Lockout(until) if until is not None and until > now else None


def blocked(
    session: Session, rule: Rule, *, client: str, subject: str = "", now: datetime | None = None
) -> Lockout | None:
    """The lock `rule` holds on this client and subject now, or None."""
    row = session.get(Throttle, (rule.name, rule.client_key(client), subject))
    return None if row is None else _active(row.blocked_until, now or utcnow())


def hit(
    session: Session, rule: Rule, *, client: str, subject: str = "", now: datetime | None = None
) -> Lockout | None:
    """Count one hit; the lock it earned (or the one already held, which it does not extend).

    Not counting hits while locked means a stranger cannot make a lock longer and longer.
    """
    now = now or utcnow()
    client = rule.client_key(client)
    # Forget what has expired (all rules: rows are few and the column is indexed).
    session.execute(delete(Throttle).where(Throttle.expires_at <= now))
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Throttle)
        .values(
            rule=rule.name,
            client=client,
            subject=subject,
            hits=0,
            expires_at=now + timedelta(seconds=rule.window_s),
        )
        .on_conflict_do_nothing()
    )
    row = session.scalar(
        select(Throttle)
        .where(Throttle.rule == rule.name, Throttle.client == client, Throttle.subject == subject)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert row is not None  # inserted above, in this transaction
    locked = _active(row.blocked_until, now)
    if locked is not None:
        return locked
    row.hits += 1
    if row.hits < rule.limit:
        return None
    if rule.lock_s is None:
        row.blocked_until = row.expires_at
    else:
        row.blocked_until = now + timedelta(seconds=rule.lock_s(row.hits))
        row.expires_at = max(row.expires_at, row.blocked_until)
    return Lockout(row.blocked_until)


def forget(session: Session, rule: Rule, *, subject: str, client: str | None = None) -> None:
    """Drop the counters of `subject` (of one client, or of every client)."""
    query = delete(Throttle).where(Throttle.rule == rule.name, Throttle.subject == subject)
    if client is not None:
        query = query.where(Throttle.client == client)
    session.execute(query)


# --- sign-in, as the pages use it ------------------------------------------------------------


def record_failed_login(*, settings: Settings, client: str, username: str) -> Lockout | None:
    """Count a failed sign-in of `client` for `username`; the lockout it earned, if any."""
    with session_scope(settings) as session:
        return hit(
            session, sign_in_rule(settings), client=client, subject=normalize_username(username)
        )


def user_lockout(*, settings: Settings, client: str, username: str) -> Lockout | None:
    """The lockout `client` has for `username` now, or None."""
    with session_scope(settings) as session:
        return blocked(
            session, sign_in_rule(settings), client=client, subject=normalize_username(username)
        )


def locked_usernames(session: Session, *, settings: Settings, client: str) -> set[str]:
    """The accounts `client` may not sign in to now."""
    rule = sign_in_rule(settings)
    return set(
        session.scalars(
            select(Throttle.subject).where(
                Throttle.rule == rule.name,
                Throttle.client == rule.client_key(client),
                Throttle.blocked_until > utcnow(),
            )
        )
    )


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

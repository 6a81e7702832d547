"""School sign-in: an OpenID Connect identity (Google, Microsoft Entra, any OIDC provider,
through Streamlit's `st.login`) as a Chalk account.

The rules, each one sentence to the teacher when it refuses:
- the identity is keyed by the provider's issuer and subject (stable; an email can change);
- its email must be at one of `CHALK_SSO_ALLOWED_DOMAINS`, at every sign-in, and verified
  when the provider says whether it is;
- a new identity gets an account of its own (a teacher; the admin on an install with no
  users at all) at its first sign-in, or is linked to the account that has its email when
  the provider vouches for that email (email_verified true);
- a sign-in older than the account's last ended session (sign-out, disabling, a new
  password) no longer counts, as a password cookie's old session version does not.
A disabled account is the caller's to refuse, as for password sign-ins (app/ui/auth.py).

Which providers secrets.toml configures (`providers`) is read here too, from the [auth]
table as a plain mapping; nothing here imports streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.passwords import USERNAME_PATTERN
from app.accounts.users import (
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    Account,
    _has_users,
    _lock_users,
    to_account,
)
from app.db.engine import session_scope
from app.db.models import SsoIdentity, User, utcnow
from app.errors import ChalkError
from app.settings import Settings
from app.text import storable

NO_EMAIL = (
    "Your school account did not give Chalk an email address, so it cannot sign you in; "
    "ask your Chalk admin."
)
NOT_VERIFIED = (
    "Your school account's email address is not verified yet; verify it with your school, "
    "then sign in again."
)
WRONG_DOMAIN = (
    "Chalk here accepts school accounts from {domains} only; sign in with your school "
    "account, or ask your Chalk admin."
)
EMAIL_HAS_ACCOUNT = (
    "A Chalk account already uses your email address; sign in with its username and password."
)
SIGN_IN_ENDED = "Your school sign-in here has ended; sign in again."

PROVIDER_NAMES = {"google": "Google", "microsoft": "Microsoft", "entra": "Microsoft"}
"""How a named provider of secrets.toml ([auth.google]) appears on its button."""
DEFAULT_PROVIDER = "default"
"""Streamlit's name for the provider set in [auth] itself."""
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
_SHARED_KEYS = ("redirect_uri", "cookie_secret")


@dataclass(frozen=True)
class Provider:
    """One school sign-in button: Streamlit's provider name and the words on the button."""

    name: str
    label: str

    @property
    def login_name(self) -> str | None:
        """What `st.login` takes for it (None for the [auth] table's own provider)."""
        return None if self.name == DEFAULT_PROVIDER else self.name


def providers(auth: Mapping[str, Any] | None) -> list[Provider]:
    """The providers secrets.toml's [auth] table configures completely, in its order.

    Streamlit needs `redirect_uri` and `cookie_secret` in [auth], and a provider's client
    id, secret and metadata address either in [auth] itself or in a named sub-table. The
    table may also hold Chalk's own cookie settings (cookie_key…): those are not a provider.
    """
    if not auth or not all(auth.get(key) for key in _SHARED_KEYS):
        return []
    found: list[tuple[str, Mapping[str, Any]]] = []
    if all(auth.get(key) for key in _PROVIDER_KEYS):
        found.append((DEFAULT_PROVIDER, auth))
    found += [
        (name, table)
        for name, table in auth.items()
        if isinstance(table, Mapping) and all(table.get(key) for key in _PROVIDER_KEYS)
    ]
    if len(found) == 1:
        return [Provider(found[0][0], "Sign in with your school account")]
    return [
        Provider(name, f"Sign in with your school account ({_provider_words(name)})")
        for name, _ in found
    ]


def _provider_words(name: str) -> str:
    if name == DEFAULT_PROVIDER:
        return "school"
    return PROVIDER_NAMES.get(name.lower(), name.replace("-", " ").title())


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in (the identity token's claims that Chalk uses)."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool | None
    name: str
    issued_at: float | None

    @property
    def domain(self) -> str:
        return (self.email or "").rpartition("@")[2]


def identity(claims: Mapping[str, Any]) -> Identity | None:
    """The identity in `st.user`'s claims; None without an issuer and subject."""
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not isinstance(issuer, str) or not isinstance(subject, str) or not issuer or not subject:
        return None
    email = claims.get("email")
    email = storable(email).strip().lower() if isinstance(email, str) else ""
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"/"false"
        verified = verified.strip().lower() == "true"
    issued = claims.get("iat")
    name = claims.get("name")
    return Identity(
        issuer=issuer,
        subject=subject,
        email=email if "@" in email.strip("@") and len(email) <= EMAIL_MAX else None,
        email_verified=verified if isinstance(verified, bool) else None,
        name=" ".join(storable(name).split())[:DISPLAY_NAME_MAX] if isinstance(name, str) else "",
        issued_at=float(issued) if isinstance(issued, int | float) else None,
    )


def refusal(who: Identity, allowed_domains: Sequence[str]) -> str | None:
    """Why `who` may not sign in to Chalk (one sentence), or None."""
    if who.email is None:
        return NO_EMAIL
    if who.domain not in allowed_domains:
        return WRONG_DOMAIN.format(domains=_domain_words(allowed_domains))
    if who.email_verified is False:
        return NOT_VERIFIED
    return None


def _domain_words(domains: Sequence[str]) -> str:
    named = [f"@{domain}" for domain in domains]
    if len(named) <= 1:
        return "".join(named) or "no school"
    return ", ".join(named[:-1]) + " and " + named[-1]


def ended(who: Identity, sessions_ended_at: datetime | None) -> bool:
    """Whether this sign-in dates from before the account's sessions were last ended.

    Identity tokens date themselves in whole seconds; the end counts from its second, so a
    sign-in in that same second (before or after it) still counts.
    """
    if sessions_ended_at is None:
        return False
    return who.issued_at is None or who.issued_at < int(sessions_ended_at.timestamp())


def sign_in(*, settings: Settings, who: Identity) -> Account:
    """The account `who` signs in as, made at its first sign-in; ChalkError with the
    sentence when a rule refuses it. The caller refuses a disabled account."""
    problem = refusal(who, settings.sso_allowed_domains)
    if problem:
        raise ChalkError("validation", problem)
    try:
        with session_scope(settings) as session:
            user = _known_user(session, who)
            if user is None:
                _lock_users(session)  # the first account becomes admin; names stay unique
                user = _known_user(session, who) or _link_or_create(session, who)
            # Disabled says so (the caller's refusal), rather than that the session ended.
            if not user.disabled and ended(who, user.sessions_ended_at):
                raise ChalkError("validation", SIGN_IN_ENDED)
            return to_account(user)
    except IntegrityError:  # the same identity's first sign-in in two tabs at once
        with session_scope(settings) as session:
            user = _known_user(session, who)
            if user is None:
                raise
            return to_account(user)


def record_sign_in(*, settings: Settings, who: Identity) -> bool:
    """Note a sign-in the identity had not made before (its token is newer than the last one
    noted) with the email the provider gives now; whether it was new. Each new browser
    session reads the same token again: that is not another sign-in."""
    with session_scope(settings) as session:
        row = _identity_row(session, who)
        if row is None:
            return False
        last = row.last_sign_in_at
        if last is not None and (who.issued_at or 0) <= last.timestamp():
            return False
        row.last_sign_in_at = utcnow()
        row.email = who.email
        return True


def _identity_row(session: Session, who: Identity) -> SsoIdentity | None:
    return session.scalar(
        select(SsoIdentity).where(
            SsoIdentity.issuer == who.issuer, SsoIdentity.subject == who.subject
        )
    )


def _known_user(session: Session, who: Identity) -> User | None:
    row = _identity_row(session, who)
    return session.get(User, row.user_id) if row is not None else None


def _link_or_create(session: Session, who: Identity) -> User:
    """A first sign-in: the account with this email when the provider vouches for it,
    otherwise a new one."""
    owner = session.scalar(select(User).where(User.email == who.email))
    if owner is not None and who.email_verified is not True:
        raise ChalkError("validation", EMAIL_HAS_ACCOUNT)
    if owner is None:
        username = free_username(session, who.email or "")
        owner = User(
            username=username,
            display_name=who.name or username,
            email=who.email,
            password_hash="",  # no password: the school account is the way in
            role="teacher" if _has_users(session) else "admin",
            preferences={},
        )
        session.add(owner)
        session.flush()
    session.add(
        SsoIdentity(user_id=owner.id, issuer=who.issuer, subject=who.subject, email=who.email)
    )
    session.flush()
    return owner


def username_from_email(email: str) -> str:
    """A username by Chalk's rule from an email's local part ("Ana.Lima+x@…" → "ana.lima")."""
    local = email.partition("@")[0].partition("+")[0].lower()
    name = re.sub(r"[^a-z0-9._-]+", "", local).lstrip("._-")[:28]
    return name if USERNAME_PATTERN.fullmatch(name) else f"user{name}"[:28].rstrip("._-")


def free_username(session: Session, email: str) -> str:
    """`username_from_email`, with a number added when another account has it."""
    base = username_from_email(email)
    taken = set(
        session.scalars(
            select(User.username).where((User.username == base) | User.username.like(f"{base}-%"))
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"

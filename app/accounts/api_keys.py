"""API keys: a user's keys for the HTTP API, each with a label and a webhook secret.

A key is shown once, when it is made; only its SHA-256 is stored (a random 256-bit key
cannot be guessed, so it needs no slow hash, and looking it up stays one indexed read).
`authenticate` finds the key's owner; a revoked key, or any key of a disabled user, finds
nobody, from the next request on. The webhook secret signs the webhooks of jobs submitted with
the key (app/webhooks.py); the owner sees it again in the key list, as with Stripe.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from app.db.engine import session_scope
from app.db.models import ApiKey, User, utcnow
from app.errors import ChalkError, not_found_message
from app.settings import Settings
from app.text import storable

KEY_PREFIX = "chalk_"
"""Every key starts with this, so a leaked key is easy to recognise (secret scanners)."""
SECRET_PREFIX = "whsec_"
"""Every webhook secret starts with this."""
LABEL_MAX = 100
"""Characters of a key's label (the api_keys.label column)."""
LAST_USED_EVERY = timedelta(seconds=60)
"""`last_used_at` is written at most this often per key: polling must not write per request."""


class ApiKeyNotFound(LookupError):
    """No key with this id that the user owns."""


@dataclass(frozen=True)
class ApiKeyView:
    """A key as its owner sees it in a list (never the key itself)."""

    id: str
    label: str
    prefix: str
    webhook_secret: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment is not None else None

        return {
            "id": self.id,
            "label": self.label,
            "prefix": self.prefix,
            "webhook_secret": self.webhook_secret,
            "created_at": iso(self.created_at),
            "last_used_at": iso(self.last_used_at),
            "revoked_at": iso(self.revoked_at),
            "active": self.active,
        }


@dataclass(frozen=True)
class NewApiKey:
    """A key just made: `key` is shown this once and never stored."""

    view: ApiKeyView
    key: str

    def to_json(self) -> dict[str, Any]:
        return {**self.view.to_json(), "key": self.key}


@dataclass(frozen=True)
class KeyOwner:
    """Who a request's key belongs to."""

    key_id: str
    user_id: int
    username: str
    role: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _view(row: ApiKey) -> ApiKeyView:
    return ApiKeyView(
        id=row.id,
        label=row.label,
        prefix=row.key_prefix,
        webhook_secret=row.webhook_secret,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _clean_label(label: str | None) -> str:
    clean = " ".join(storable(label or "").split())
    if len(clean) > LABEL_MAX:
        raise ChalkError("validation", f"The label is longer than {LABEL_MAX} characters.")
    return clean


def create_key(*, settings: Settings, user_id: int, label: str | None = None) -> NewApiKey:
    """Make a key for the user; the returned key is the only time it can be seen."""
    clean = _clean_label(label)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with session_scope(settings) as session:
        user = session.get(User, user_id)
        if user is None:
            raise ApiKeyNotFound(f"no user with id {user_id}")
        if user.disabled:
            raise ChalkError("validation", "A disabled account cannot have API keys.")
        row = ApiKey(
            user_id=user_id,
            label=clean,
            key_prefix=key[: len(KEY_PREFIX) + 6],
            key_hash=hash_key(key),
            webhook_secret=SECRET_PREFIX + secrets.token_hex(24),
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        return NewApiKey(view=_view(row), key=key)


def list_keys(*, settings: Settings, user_id: int) -> list[ApiKeyView]:
    """The user's keys, newest first, revoked ones included (marked)."""
    with session_scope(settings) as session:
        rows = session.scalars(
            select(ApiKey)
            .where(ApiKey.user_id == user_id)
            .order_by(ApiKey.created_at.desc(), ApiKey.id)
        )
        return [_view(row) for row in rows]


def revoke_key(*, settings: Settings, user_id: int, key_id: str) -> ApiKeyView:
    """Revoke one of the user's keys: it stops working at the next request."""
    with session_scope(settings) as session:
        row = session.get(ApiKey, storable(key_id)[:32])
        if row is None or row.user_id != user_id:
            raise ApiKeyNotFound(not_found_message("API key", key_id))
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        return _view(row)


def authenticate(*, settings: Settings, key: str) -> KeyOwner | None:
    """The owner of an active key of an enabled user; None for anything else."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    now = utcnow()
    with session_scope(settings) as session:
        row = session.execute(
            select(ApiKey.id, ApiKey.last_used_at, User.id, User.username, User.role)
            .join(User, User.id == ApiKey.user_id)
            .where(
                ApiKey.key_hash == hash_key(key),
                ApiKey.revoked_at.is_(None),
                User.disabled.is_(False),
            )
        ).first()
        if row is None:
            return None
        key_id, last_used, user_id, username, role = row
        if last_used is None or now - last_used >= LAST_USED_EVERY:
            session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))
        return KeyOwner(key_id=key_id, user_id=user_id, username=username, role=role)


def webhook_secret(*, settings: Settings, key_id: str) -> str | None:
    """The secret that signs webhooks of jobs submitted with this key."""
    with session_scope(settings) as session:
        return session.scalar(select(ApiKey.webhook_secret).where(ApiKey.id == key_id))

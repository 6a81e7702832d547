"""Invite codes for registration in "invite" mode.

A code is 12 random characters shown once to the admin who made it; only its SHA-256 is
stored. It has a number of uses and an expiry (`invite_ttl_days`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import session_scope
from app.db.models import ROLES, Invite, utcnow
from app.errors import ChalkError
from app.settings import Settings

INVALID_INVITE = (
    "This invite code is not valid (wrong, used up or expired); ask your Chalk admin for a new one."
)


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


def create_invite(
    *, settings: Settings, created_by: int | None = None, role: str = "teacher", uses: int = 1
) -> str:
    """A new invite code for `uses` sign-ups as `role`; the code is not stored in clear."""
    if role not in ROLES:
        raise ChalkError("validation", f"Unknown role '{role}'; use {' or '.join(ROLES)}.")
    if not 1 <= uses <= 1000:
        raise ChalkError("validation", "An invite can be used 1 to 1000 times.")
    # Unambiguous letters and digits, grouped for reading aloud: ABCD-EFGH-JKMN.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    with session_scope(settings) as session:
        session.add(
            Invite(
                code_hash=_digest(code.replace("-", "")),
                role=role,
                uses_left=uses,
                created_by=created_by,
                expires_at=utcnow() + timedelta(days=settings.invite_ttl_days),
            )
        )
    return code


def find_invite(session: Session, code: str) -> Invite | None:
    """The usable invite for `code` (dashes and case ignored), or None."""
    cleaned = code.replace("-", "").replace(" ", "")
    if not cleaned:
        return None
    invite = session.scalar(select(Invite).where(Invite.code_hash == _digest(cleaned)))
    if invite is None or invite.uses_left < 1 or invite.expires_at <= utcnow():
        return None
    return invite


def invite_problem(*, settings: Settings, code: str) -> str | None:
    """Why `code` cannot be used to sign up (one sentence), or None when it can."""
    with session_scope(settings) as session:
        return None if find_invite(session, code) is not None else INVALID_INVITE

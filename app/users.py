"""Users as the job system needs them: find or create one by name, and each user's limits.

Real accounts (sign-up, passwords, admin overrides) arrive with their own issue; until then
the CLI submits as a named teacher that is created on first use.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import ROLES, User
from app.settings import Settings


def get_or_create_user(session: Session, username: str, role: str = "teacher") -> User:
    """The user called `username`, created with `role` if there is none yet.

    Safe when two processes create the same user at once: the loser of the race finds the
    winner's row (the insert runs in a savepoint so the caller's transaction survives).
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = session.scalar(select(User).where(User.username == username))
    if user is not None:
        return user
    try:
        with session.begin_nested():
            user = User(username=username, display_name=username, role=role)
            session.add(user)
    except IntegrityError:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise
    return user


def max_concurrent_jobs(user: User, settings: Settings) -> int:
    """How many jobs `user` may have queued or running at once."""
    if user.max_concurrent_jobs is not None:
        return user.max_concurrent_jobs
    return settings.max_concurrent_jobs

"""The sign-in cookie: its name, signing key and lifetime, from the settings, and what its
signed token says (the account's session version, so sign-out and disabling end it).

The settings (app/settings.py) read the key from CHALK_AUTH_COOKIE_KEY or secrets.toml's
[auth] table and refuse, in production, a missing, placeholder or short one. In
development such a key is never used either: a random one is made here and kept in the
data dir, and the log says so once.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.accounts.users import session_version
from app.settings import COOKIE_KEY_ENV, COOKIE_KEY_MIN_CHARS, Settings, cookie_key_problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CookieSettings:
    """The re-authentication cookie: its name, signing key and lifetime."""

    name: str
    key: str
    expiry_days: float


def development_key(path: Path) -> str:
    """A random key kept in `path` (mode 0600), made on first use; for development only."""
    try:
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="utf-8").strip() or key
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


@functools.cache
def _say_key_is_unused(problem: str) -> None:
    """Warn once per process (and problem): this runs on every page run."""
    log.warning(
        "The configured cookie key is not used because %s; sign-in cookies are signed with a "
        "random key kept in the data dir instead. Set %s to a random string of at least %d "
        "characters.",
        problem,
        COOKIE_KEY_ENV,
        COOKIE_KEY_MIN_CHARS,
    )


def cookie_settings(settings: Settings) -> CookieSettings:
    """The cookie's name, key and lifetime; in development a kept random key stands in for
    a missing, placeholder or short one (a known key would let anyone sign cookies).

    Production settings always hold a real key: they refuse to load without one.
    """
    key = settings.auth_cookie_key.get_secret_value() if settings.auth_cookie_key else ""
    problem = cookie_key_problem(key)
    if problem:
        if key:
            _say_key_is_unused(problem)
        key = development_key(settings.data_dir / "secrets" / "cookie_key")
    return CookieSettings(
        name=settings.auth_cookie_name, key=key, expiry_days=settings.auth_cookie_expiry_days
    )


SESSION_CLAIM = "session"
"""The token's claim holding the account's session version when the cookie was made."""


def token_claims(*, settings: Settings, username: str, expires: float) -> dict[str, Any]:
    """What the signed sign-in token says: who, until when, and the session version."""
    return {
        "username": username,
        "exp_date": expires,
        SESSION_CLAIM: session_version(settings=settings, username=username),
    }


def token_is_current(*, settings: Settings, claims: Mapping[str, Any]) -> bool:
    """Whether a (correctly signed) token may still sign in: no sign-out, disabling or new
    password since it was made. A token from before session versions existed may not."""
    version = claims.get(SESSION_CLAIM)
    username = claims.get("username")
    return (
        isinstance(version, int)
        and isinstance(username, str)
        and version == session_version(settings=settings, username=username)
    )

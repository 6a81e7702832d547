"""Password hashing (bcrypt) and the rules for usernames and passwords.

The rules are checked here, for the CLI and the services, and streamlit-authenticator's
widgets use the same ones (app/ui/auth.py), so a password is judged the same everywhere.
"""

from __future__ import annotations

import re
import secrets

import bcrypt

from app.text import storable

PASSWORD_MIN_CHARS = 8
# bcrypt looks at the first 72 bytes only; longer passwords are refused rather than cut.
PASSWORD_MAX_BYTES = 72
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
USERNAME_RULE = (
    "3 to 32 characters: lowercase letters, digits, dots, dashes or underscores, "
    "starting with a letter or digit"
)

# A real bcrypt hash of 32 random bytes nobody knows: no password matches it, so a disabled
# or locked-out account can stay in the sign-in widget's list without being usable.
UNUSABLE_PASSWORD_HASH = bcrypt.hashpw(secrets.token_hex(32).encode(), bcrypt.gensalt(4)).decode()


BCRYPT_ROUNDS = 12
"""bcrypt's cost (2^12 rounds, about a quarter second per hash); tests lower it for speed."""


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def spend_a_hash() -> None:
    """Hash a throwaway password: for a refusal that must take as long as a sign-up that
    hashed one, so the time does not tell whether an account exists."""
    hash_password("throwaway password")


def verify_password(password: str, password_hash: str) -> bool:
    """True when `password` matches; False for a wrong password or an unusable hash."""
    if not password_hash or not password:
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("utf-8"))
    except ValueError:  # not a bcrypt hash, or a password bcrypt refuses (> 72 bytes)
        return False


def password_problem(password: str, username: str = "") -> str | None:
    """What is wrong with `password`, as one sentence; None when it is acceptable."""
    if len(password) < PASSWORD_MIN_CHARS:
        return f"Choose a password of at least {PASSWORD_MIN_CHARS} characters."
    if storable(password) != password:  # a lone surrogate has no UTF-8 bytes to hash
        return "Choose a password without NUL bytes or broken characters."
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        return f"Choose a password of at most {PASSWORD_MAX_BYTES} bytes (about 70 letters)."
    if not password.strip():
        return "Choose a password that is not only spaces."
    if username and password.strip().lower() == username.strip().lower():
        return "Choose a password that is not your username."
    return None


def username_problem(username: str) -> str | None:
    """What is wrong with `username`, as one sentence; None when it is acceptable."""
    if not USERNAME_PATTERN.fullmatch(username):
        return f"Choose a username of {USERNAME_RULE}."
    return None


def normalize_username(username: str) -> str:
    """Usernames are compared lowercase and without surrounding spaces."""
    return storable(username).strip().lower()

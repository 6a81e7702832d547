"""Keeping secrets out of logs and error reports: which values are secret, and blanking them.

`secret_values(settings)` lists the configured keys, passwords and the database password;
`redact(text, secrets)` replaces each of them, and the password of any URL
(`scheme://user:***@host`), by `***`. Used by the log formatters, Sentry's event scrubber and
the health report.
"""

from __future__ import annotations

import re

from sqlalchemy import make_url

from app.settings import Settings

REDACTED = "***"
"""What a secret is replaced with."""

_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^@\s/]+(?P<at>@)")


def secret_values(settings: Settings) -> list[str]:
    """The configured secrets that must never be logged."""
    found = [
        secret.get_secret_value()
        for secret in (
            settings.llm_api_key,
            settings.s3_secret_access_key,
            settings.sentry_dsn,
            settings.auth_cookie_key,
            settings.smtp_password,
        )
        if secret is not None
    ]
    try:
        password = make_url(settings.database).password
    except Exception:
        password = None
    if password:
        found.append(str(password))
    # Very short values would blank out ordinary words.
    return [value for value in found if len(value) >= 4]


def redact(text: str, secrets: list[str]) -> str:
    """`text` with URL passwords and each of `secrets` replaced by ***."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return _URL_PASSWORD.sub(lambda m: m.group("head") + REDACTED + m.group("at"), text)

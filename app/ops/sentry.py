"""Error reports to Sentry (sentry-sdk) for the app and the workers, only with a DSN set.

`init_sentry(settings, component=...)` does nothing unless `CHALK_SENTRY_DSN` is set. Reports
carry no local variables (they would hold prompts and code), no request bodies and no
personal data, and every configured secret is replaced by *** before an event leaves.
"""

from __future__ import annotations

import json
import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from app.redaction import redact, secret_values
from app.settings import Settings

log = logging.getLogger(__name__)

_initialised_with: str | None = None


def init_sentry(settings: Settings, *, component: str) -> bool:
    """Start reporting errors of this process (`component`: app, worker, cli); True if on."""
    global _initialised_with
    if settings.sentry_dsn is None or not settings.sentry_dsn.get_secret_value().strip():
        return False
    dsn = settings.sentry_dsn.get_secret_value().strip()
    if _initialised_with == dsn:
        return True
    # Lazy: sentry_sdk costs about 0.2 s of start-up, and most installs set no DSN.
    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration

    secrets = secret_values(settings)

    def scrub(event: Any, _hint: Any) -> Any:
        # Round-trip through JSON so every string anywhere in the event is redacted.
        return json.loads(redact(json.dumps(event, default=str), secrets))

    try:
        release = _version()
        sentry_sdk.init(
            dsn=dsn,
            environment=settings.sentry_environment,
            release=f"chalk@{release}",
            send_default_pii=False,
            include_local_variables=False,
            max_request_body_size="never",
            traces_sample_rate=0.0,
            before_send=scrub,
            before_breadcrumb=lambda crumb, _hint: scrub(crumb, None),
            integrations=[LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
        )
    except Exception as exc:  # a malformed DSN must not stop the app
        log.error("Sentry is not reporting: the DSN was refused (%s)", exc.__class__.__name__)
        return False
    sentry_sdk.set_tag("component", component)
    _initialised_with = dsn
    return True


def _version() -> str:
    try:
        return version("chalk")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def set_component(component: str) -> None:
    """Tag this process's later error reports with `component` (when Sentry is on)."""
    if _initialised_with is None:
        return
    import sentry_sdk  # lazy, as in init_sentry (already imported when it ran)

    sentry_sdk.set_tag("component", component)

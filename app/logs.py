"""Logging to stderr (so `--json` keeps stdout to one object): JSON lines or plain text.

With `CHALK_LOG_FORMAT=json` (the Docker image's setting) each line has `time` (UTC, ISO
8601), `level`, `logger`, `message` and, when known, `request_id`, `job_id`, `user_id`,
`stage` and `duration_s`. Those come from `log_context(...)` (a context variable, so each job
thread carries its own) or from `extra={...}` on one call.

One id follows a job end to end: every Streamlit script run starts a `request_id`
(`start_request`); a job submitted in it logs "queued" with its `job_id`, the queue carries
the request id along (RQ job meta, or the inline pool's copied context), and the worker's lines
for that job carry both. `grep` either id to see one click's or one job's whole story.

The default format, `text`, gives plain lines for a terminal with the same context;
`CHALK_LOG_LEVEL` sets the level.

Secrets never reach the output: the configured keys, passwords and DSN are replaced by `***`
wherever they appear, and so is the password of any URL (`scheme://user:***@host`); see
app.redaction.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from app.ops.sentry import init_sentry
from app.redaction import redact, secret_values
from app.settings import Settings, get_settings

CONTEXT_FIELDS = ("request_id", "job_id", "user_id", "stage", "duration_s")
"""Fields a log line carries when they are known."""

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "chalk_log_context", default=None
)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add `job_id`, `user_id`, `stage`... to every log line written inside the block."""
    current = dict(_context.get() or {})
    current.update({k: v for k, v in fields.items() if v is not None})
    token = _context.set(current)
    try:
        yield
    finally:
        _context.reset(token)


def start_request(request_id: str | None = None) -> str:
    """Begin a new request (one Streamlit script run): a fresh context holding only its id.

    Streamlit reuses a script thread for later runs, so nothing of the last run is kept.
    """
    request_id = request_id or uuid.uuid4().hex[:16]
    _context.set({"request_id": request_id})
    return request_id


def current_log_context() -> dict[str, Any]:
    """A copy of the fields every log line gets now (what a queued job takes along)."""
    return dict(_context.get() or {})


def update_log_context(**fields: Any) -> None:
    """Change fields of the current `log_context` block (e.g. the stage a job moved to)."""
    current = dict(_context.get() or {})
    current.update(fields)
    _context.set(current)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the context fields."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = secrets or []

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), self.secrets),
        }
        context = _context.get() or {}
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is None:
                value = context.get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info), self.secrets)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Plain lines for a terminal, with the same redaction and context."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = secrets or []

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = _context.get() or {}
        extra = [
            f"{name}={getattr(record, name, None) or context.get(name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, None) is not None or context.get(name) is not None
        ]
        if extra:
            line += " [" + " ".join(extra) + "]"
        return redact(line, self.secrets)


def configure_logging(
    *, verbose: bool = False, settings: Settings | None = None, component: str | None = None
) -> None:
    """Send logs to stderr in the configured format, and errors to Sentry if a DSN is set.

    `component` tags error reports (app, worker, cli); by default it is "app" inside
    Streamlit and "cli" elsewhere.
    """
    settings = settings or get_settings()
    level = logging.DEBUG if verbose else getattr(logging, settings.log_level.upper(), logging.INFO)
    secrets = secret_values(settings)
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(TextFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic narrates every migration check at INFO: heard only at DEBUG (or with -v).
    alembic_level = level if level <= logging.DEBUG else max(level, logging.WARNING)
    logging.getLogger("alembic").setLevel(alembic_level)
    init_sentry(settings, component=component or ("app" if "streamlit" in sys.modules else "cli"))

"""Limits the API checks before a service sees the request."""

from __future__ import annotations

from app.api.errors import ApiProblem
from app.jobs.service import PROMPT_MAX_CHARS
from app.settings import Settings


def refuse_oversized(
    settings: Settings, *, prompt: str | None, code: str | None, field_prefix: str = ""
) -> None:
    """413 for a prompt or code over the limits the pages use (the field is named)."""
    if prompt is not None and len(prompt) > PROMPT_MAX_CHARS:
        raise ApiProblem(
            413,
            "validation",
            f"The prompt is longer than {PROMPT_MAX_CHARS} characters; shorten it.",
            field=f"{field_prefix}prompt",
        )
    if code is not None and len(code.encode("utf-8")) > settings.max_code_bytes:
        raise ApiProblem(
            413,
            "validation",
            f"The code is more than the {settings.max_code_bytes // 1000} KB allowed; shorten "
            "the animation.",
            field=f"{field_prefix}code",
        )

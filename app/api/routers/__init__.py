"""One router per resource, mounted under /v1 by app.api.main."""

from __future__ import annotations

from typing import Any

from app.api.models import Problem
from app.api.problems import PROBLEM_JSON


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses: each a problem+json body."""
    described = {
        400: "The body is not well-formed JSON.",
        401: "Missing, wrong or revoked API key (or a disabled account).",
        404: "Nothing with this id that the key's owner may see.",
        409: "The job already finished.",
        413: "The prompt, the code or the whole request is too large.",
        422: "Invalid input; `field` names the field.",
        429: "A rate limit or quota; `Retry-After` says when to try again.",
        503: "A service Chalk needs is down.",
    }
    return {
        status: {
            "model": Problem,
            "description": described[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }

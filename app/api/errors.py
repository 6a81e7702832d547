"""The exception a handler raises for an error response (app/api/problems.py renders it)."""

from __future__ import annotations


class ApiProblem(Exception):
    """An error response: status, Chalk kind, one sentence, and the field it is about."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.field = field
        self.headers = headers or {}
        self.errors = errors

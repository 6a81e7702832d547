"""The errors a job can end with.

Every error carries a `kind` from the fixed list in DESIGN.md and a `message` that is one
sentence a teacher can act on. The technical detail (traceback, policy node, stderr tail) goes
to `detail`, which is logged and fed to the repair loop but never shown as the message.
"""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal[
    "validation",
    "sandbox",
    "timeout",
    "render",
    "generation",
    "llm_unavailable",
    "no_template",
    "quota",
    "cancelled",
    "internal",
]

ERROR_KINDS: tuple[str, ...] = ErrorKind.__args__  # type: ignore[attr-defined]

INTERNAL_MESSAGE = "Something went wrong inside Chalk; please try again."
"""The sentence for an "internal" error: Chalk failed, not the teacher's prompt or code."""


def not_found_message(thing: str, identifier: object) -> str:
    """The sentence for an id that names nothing the caller may see ("video", "job")."""
    return f"There is no {thing} with id {identifier}."


class ChalkError(Exception):
    """A job failure with a teacher-facing sentence and a technical detail."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        detail: str = "",
        line: int | None = None,
        suggestions: list[str] | None = None,
    ) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown error kind {kind!r}")
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.detail = detail
        self.line = line
        self.suggestions = suggestions or []

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        if self.suggestions:
            data["suggestions"] = self.suggestions
        return data


class InfrastructureError(ChalkError):
    """Chalk's own machinery failed under the job (a warm sandbox died, the database went away).

    A worker gives such a job back to the queue (within `max_requeues`) instead of failing it,
    so it is neither the teacher's failure nor charged to them.
    """

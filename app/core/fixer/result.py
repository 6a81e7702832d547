"""What the fixer returns: the code and one Fix per rewrite it made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fix:
    """One rewrite: a stable rule id, the line in the code as given, and what changed."""

    rule: str
    line: int | None
    description: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "line": self.line, "description": self.description}

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.description}"


@dataclass
class FixResult:
    code: str
    fixes: list[Fix] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixes)

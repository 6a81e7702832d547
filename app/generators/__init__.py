"""Generators turn a prompt into Manim code; every one returns a `Generation`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Generation:
    """Code for one prompt and where it came from.

    `generator` is "offline:<template_id>" or "llm:<model>"; `template` and `params` are set
    when a template produced the code; `notes` are short remarks for the teacher (for example
    "The values were sorted so binary search can work.").
    """

    code: str
    generator: str
    template: str | None
    params: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

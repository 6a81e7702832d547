"""Generators turn a prompt into Manim code; every one returns a `Generation`."""

from __future__ import annotations

from dataclasses import dataclass, field

GENERATORS = ("auto", "offline", "llm")
"""The generators a job may ask for; "auto" is the LLM when one is set up, else the templates."""

EMPTY_PROMPT = "The prompt is empty; describe the animation you want."
"""The sentence every entry point gives for a blank prompt."""

NO_LLM = (
    "No AI model is set up on this Chalk; use the template generator or ask your "
    "administrator to configure one."
)
"""The sentence for asking for the LLM generator where no model is configured."""


@dataclass
class Generation:
    """Code for one prompt and where it came from.

    `generator` is "offline:<template_id>" or "llm:<model>"; `template` and `params` are set
    when a template produced the code; `notes` are short remarks for the teacher (for example
    "The values were sorted so binary search can work."); `description` is what a template's
    video shows, in order, one sentence each with its values (empty for other code: its
    description comes from what the sandbox saw, app/description.py); `unused` names the
    parts of the prompt a template did not use ("the axis of symmetry").
    """

    code: str
    generator: str
    template: str | None
    params: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

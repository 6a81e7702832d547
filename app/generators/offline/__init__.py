"""The offline template engine: prompt → vetted template → clean Manim code, no LLM needed.

plan(prompt)                      → (template_id, params)
generate(prompt)                  → Generation (raises ChalkError no_template / generation)
render_template(template_id, ...) → Generation for explicit parameters
list_templates()                  → [TemplateInfo] for `chalk templates` and the UI
origin(code)                      → the template and values code was made from (its header)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

from app.errors import ChalkError
from app.generators import Generation
from app.generators.offline import codegen, header
from app.generators.offline import params as checks
from app.generators.offline.catalogue import TemplateInfo, registry
from app.generators.offline.planner import Reading, plan_with_notes, read
from app.generators.offline.templates.common import narrated

__all__ = [
    "Origin",
    "Reading",
    "TemplateInfo",
    "generate",
    "list_templates",
    "origin",
    "plan",
    "reading_of",
    "render_template",
]


def plan(prompt: str) -> tuple[str, dict]:
    """The template id and validated parameters (defaults filled in) for a prompt."""
    template_id, params, _notes = plan_with_notes(prompt)
    return template_id, params


def generate(prompt: str) -> Generation:
    reading = read(prompt)
    generation = render_template(reading.template_id, reading.params)
    generation.notes = reading.notes + generation.notes
    generation.unused = list(reading.unused)
    return generation


@lru_cache(maxsize=256)
def reading_of(prompt: str) -> Reading | None:
    """How the planner reads a stored prompt, or None when it refuses it. The planner is
    deterministic, so a job's view reads its prompt again instead of storing the reading;
    cached because a page polls its jobs every second (never mutate what it returns)."""
    try:
        return read(prompt)
    except ChalkError:
        return None


def render_template(template_id: str, params: dict | None = None) -> Generation:
    """Code for a template with `params` merged over its defaults and validated."""
    catalogue = registry()
    if template_id not in catalogue:
        raise ChalkError(
            "generation",
            f"There is no template called '{template_id}'; run `chalk templates` to see them.",
        )
    template = catalogue[template_id]
    given = dict(params or {})
    checks.no_unknown(given, template.defaults, template_id)
    notes: list[str] = []
    clean = template.validate({**copy.deepcopy(template.defaults), **given}, notes)
    scene = narrated(template.build(clean), template.narration(clean))
    return Generation(
        code=header.header(template_id, clean) + codegen.with_palette(scene),
        generator=f"offline:{template_id}",
        template=template_id,
        params=clean,
        notes=notes,
        description=template.describe(clean),
    )


def list_templates() -> list[TemplateInfo]:
    return [template.info() for template in registry().values()]


@dataclass(frozen=True)
class Origin:
    """What a code's header says, and whether the code is still the template's own."""

    template: str
    params: dict
    edited: bool
    description: list[str]


def origin(code: str) -> Origin | None:
    """The template and validated values the code was made from, or None when it names no
    template, or one with values the template refuses (the header is untrusted text)."""
    found = header.read(code)
    if found is None:
        return None
    template_id, params = found
    try:
        made = render_template(template_id, params)
    except ChalkError:
        return None
    return Origin(template_id, made.params, made.code != code, made.description)

"""Read a prompt, pick the template that fits it, and pull out its parameters.

Each template lists trigger phrases with weights (TRIGGERS in its module) and may add a bonus
from prompt features (an expression after "y =", an equation, a list of numbers). The highest
score wins if it reaches MIN_SCORE; otherwise the prompt is out of scope and the teacher gets
`no_template` with the three nearest templates, never a generic video that pretends to answer.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from app.errors import ChalkError
from app.generators import EMPTY_PROMPT
from app.generators.offline.catalogue import STOP_WORDS, Template, registry, stem
from app.generators.offline.extract import Prompt
from app.generators.offline.leftover import label_in_words, unused_parts, unused_sentence
from app.generators.offline.mathexpr import format_number
from app.generators.offline.topics import uncovered

MIN_SCORE = 3
MAX_PROMPT_CHARS = 2000
# Suggested when nothing in the prompt resembles any template.
FALLBACK_SUGGESTIONS = ["title_bullets", "function_graph", "shape_transform"]


def score(template: Template, prompt: Prompt) -> int:
    total = sum(weight for pattern, weight in template.triggers if pattern.search(prompt.text))
    if template.bonus is not None:
        total += template.bonus(prompt)
    return total


def scores(prompt: Prompt) -> dict[str, int]:
    return {template_id: score(t, prompt) for template_id, t in registry().items()}


def choose(prompt_text: str) -> tuple[Template, Prompt]:
    """The best template for the prompt, or ChalkError(no_template) with suggestions."""
    if not prompt_text or not prompt_text.strip():
        raise ChalkError("validation", EMPTY_PROMPT)
    prompt = Prompt(prompt_text[:MAX_PROMPT_CHARS])
    ranked = scores(prompt)
    best_id = max(ranked, key=lambda template_id: ranked[template_id])
    best = registry()[best_id]
    fits = ranked[best_id] >= MIN_SCORE
    topic = uncovered(prompt.text, best.triggers if fits else [])
    if topic is not None and not (fits and best.any_topic):
        raise ChalkError(
            "no_template",
            f"Chalk's built-in templates do not draw {topic} yet; try one of the suggested "
            "templates, or rephrase the prompt.",
            detail=f"{best_id} (score {ranked[best_id]}) does not cover {topic}",
            suggestions=suggestions(prompt, ranked),
        )
    if not fits:
        raise ChalkError(
            "no_template",
            "None of Chalk's built-in templates covers this prompt; try one of the suggested "
            "templates, or rephrase it as a maths, physics, chemistry or computer-science "
            "animation.",
            detail=f"best score {ranked[best_id]} ({best_id}) < {MIN_SCORE}",
            suggestions=suggestions(prompt, ranked),
        )
    return best, prompt


def suggestions(prompt: Prompt, ranked: dict[str, int], count: int = 3) -> list[str]:
    """Nearest templates: partial trigger score first, then shared words, then popular ones."""
    words = {stem(w) for w in re.findall(r"[a-z]{3,}", prompt.text)} - STOP_WORDS
    catalogue = registry()

    def closeness(template_id: str) -> tuple[int, int, int]:
        overlap = len(words & catalogue[template_id].vocabulary)
        popular = (
            -FALLBACK_SUGGESTIONS.index(template_id) if template_id in FALLBACK_SUGGESTIONS else -9
        )
        return (ranked[template_id], overlap, popular)

    nearest = sorted(catalogue, key=closeness, reverse=True)
    return nearest[:count]


@dataclass(frozen=True)
class Reading:
    """How the planner read a prompt: the template, its validated values, notes for the
    teacher (the defaults it filled in, values it changed), the parameters the prompt gave
    (`used`, as control labels in words) and the phrases nothing read (`unused`)."""

    template_id: str
    params: dict
    notes: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    @property
    def unused_note(self) -> str | None:
        """The sentence that names the unused phrases, or None when there are none."""
        return unused_sentence(self.used, self.unused)


def read(prompt_text: str) -> Reading:
    template, prompt = choose(prompt_text)
    extracted = template.extract(prompt)
    notes: list[str] = []
    params = template.validate({**copy.deepcopy(template.defaults), **extracted}, notes)
    defaulted = [key for key in template.defaults if key not in extracted]
    if defaulted:
        shown = "; ".join(
            f"{template.controls[key].label}: {_shown(params[key])}" for key in defaulted
        )
        notes.insert(0, f"Not in the prompt, so the template's defaults were used: {shown}.")
    used = [label_in_words(template.controls[key].label) for key in template.defaults]
    used = [label for key, label in zip(template.defaults, used, strict=True) if key in extracted]
    return Reading(template.id, params, notes, used, unused_parts(prompt, template, params))


def plan_with_notes(prompt_text: str) -> tuple[str, dict, list[str]]:
    reading = read(prompt_text)
    return reading.template_id, reading.params, reading.notes


def _shown(value: object) -> str:
    """A parameter's value as a teacher reads it: 2.0 → 2, [5.0, 3.0] → 5, 3."""
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        rest = ", ".join(_shown(item) for key, item in value.items() if key != "name")
        return f"{value['name']} ({rest})" if "name" in value else rest
    return str(value)

"""The template registry: each module in templates/ becomes one `Template`.

A template module defines ID, TITLE, SUBJECT, EXAMPLE_PROMPT, DEFAULTS, VARIANTS (other
parameter sets it is tested with), TRIGGERS (regex → weight, read by the planner), and the
functions extract(prompt) → params, validate(params, notes) → params, build(params) → code,
describe(params) → the sentences that say what the video shows, in order, with its values
(validated params; the video's text alternative) and narration(params) → what a narrator says,
one entry per visual step of the scene (common.narrated puts each under its step's comment),
and CONTROLS (parameter → a control from controls.py: the form the Create page draws and the
limits the refiner keeps). An optional bonus(prompt) → int adds planner score from features
such as a found expression; ANY_TOPIC = True marks a template of free text (a slide) that
shows whatever topic the prompt names.
"""

from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from app.generators.offline.controls import Control
from app.generators.offline.extract import Prompt
from app.generators.offline.templates.common import Spoken

THUMBNAILS = Path(__file__).parent / "thumbnails"
SUBJECTS = ("Math", "Physics", "Chemistry", "CS", "General")

# Catalogue order: the order `chalk templates` lists them.
TEMPLATE_MODULES = [
    "function_graph",
    "derivative_tangent",
    "riemann_sum",
    "integral_area",
    "limit_approach",
    "taylor_series",
    "pythagorean_theorem",
    "unit_circle_trig",
    "quadratic_formula",
    "equation_steps",
    "number_line",
    "fractions",
    "circle_area",
    "triangle_angle_sum",
    "vector_addition",
    "matrix_transformation",
    "probability_coin_flips",
    "bar_chart",
    "venn_diagram",
    "projectile_motion",
    "pendulum",
    "transverse_wave",
    "sorting_algorithm",
    "binary_search",
    "graph_traversal",
    "shape_transform",
    "title_bullets",
    # Physics and chemistry (issue 16)
    "newtons_second_law",
    "velocity_time_graph",
    "ohms_law_circuit",
    "balancing_chemical_equations",
    "atomic_structure",
    # CS templates (tpl-cs)
    "binary_numbers",
    "logic_gates",
    "stack_queue",
    "recursion_call_stack",
    "linked_list",
    # tpl-maths: algebra and graphs
    "straight_line_graph",
    "simultaneous_equations",
    "inequality_number_line",
    "exponential_growth_decay",
    "similar_triangles",
    # tpl-maths 2 (issue 16): logs, circles, transformations, trig, probability, statistics
    "logarithms",
    "circle_theorems",
    "graph_transformations",
    "trig_graphs",
    "probability_tree",
    "histogram_box_plot",
    # Issue 16, second batch (i16s): statistics, complex numbers, physics, CS
    "normal_distribution",
    "complex_numbers",
    "forces_free_body",
    "wave_interference",
    "circular_orbit",
    "dijkstra_shortest_path",
]


@dataclass(frozen=True)
class TemplateInfo:
    """What `chalk templates` and the UI show for one template."""

    id: str
    title: str
    subject: str
    example_prompt: str
    params: dict
    thumbnail: Path

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "subject": self.subject,
            "example_prompt": self.example_prompt,
            "params": copy.deepcopy(self.params),
            "thumbnail": str(self.thumbnail),
        }


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    subject: str
    example_prompt: str
    defaults: dict
    variants: list[dict]
    triggers: list[tuple[re.Pattern[str], int]]
    extract: Callable[[Prompt], dict]
    validate: Callable[[dict, list[str]], dict]
    build: Callable[[dict], str]
    describe: Callable[[dict], list[str]]
    # One spoken sentence (or a few) per visual step, from the values (issue 18)
    narration: Callable[[dict], Sequence[str | Spoken]]
    controls: dict[str, Control] = field(default_factory=dict)
    bonus: Callable[[Prompt], int] | None = None
    any_topic: bool = False
    vocabulary: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_module(cls, module: ModuleType) -> Template:
        controls = getattr(module, "CONTROLS", None)
        if controls is None or list(controls) != list(module.DEFAULTS):
            # The form draws one control per parameter, in the order DEFAULTS lists them.
            raise ValueError(
                f"{module.ID}: CONTROLS must have one entry per DEFAULTS key, in order "
                f"({', '.join(module.DEFAULTS) or 'none'})"
            )
        triggers = [(re.compile(p), w) for p, w in module.TRIGGERS.items()]
        words = " ".join(
            [module.TITLE, module.EXAMPLE_PROMPT, module.ID.replace("_", " ")]
            + [re.sub(r"\\[a-z]|[^a-z ]", " ", p) for p in module.TRIGGERS]
        )
        vocabulary = frozenset(stem(w) for w in re.findall(r"[a-z]{3,}", words.lower()))
        template = cls(
            id=module.ID,
            title=module.TITLE,
            subject=module.SUBJECT,
            example_prompt=module.EXAMPLE_PROMPT,
            defaults=module.DEFAULTS,
            variants=module.VARIANTS,
            triggers=triggers,
            extract=module.extract,
            validate=module.validate,
            build=module.build,
            describe=module.describe,
            narration=module.narration,
            controls=controls,
            bonus=getattr(module, "bonus", None),
            any_topic=getattr(module, "ANY_TOPIC", False),
            vocabulary=vocabulary - STOP_WORDS,
        )
        if template.subject not in SUBJECTS:
            raise ValueError(f"{template.id}: unknown subject {template.subject}")
        return template

    def info(self) -> TemplateInfo:
        return TemplateInfo(
            id=self.id,
            title=self.title,
            subject=self.subject,
            example_prompt=self.example_prompt,
            params=copy.deepcopy(self.defaults),
            thumbnail=THUMBNAILS / f"{self.id}.png",
        )


STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "show",
        "how",
        "what",
        "why",
        "draw",
        "make",
        "animate",
        "animation",
        "explain",
        "from",
        "into",
        "that",
        "this",
        "its",
        "are",
        "was",
        "use",
        "using",
        "each",
        "one",
        "two",
        "three",
    ]
)


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@cache
def registry() -> dict[str, Template]:
    """All templates by id, in catalogue order."""
    loaded = {}
    for name in TEMPLATE_MODULES:
        module = importlib.import_module(f"app.generators.offline.templates.{name}")
        template = Template.from_module(module)
        if template.id != name:
            raise ValueError(f"module {name} declares ID {template.id}")
        loaded[template.id] = template
    return loaded

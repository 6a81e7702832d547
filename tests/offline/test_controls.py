"""Each template's CONTROLS (the form under its videos) agree with its validate().

For every control, with the other parameters at their defaults, the values at its limits are
accepted and a value just past them is refused with one sentence, or (text and lists that
validate() shortens rather than refuses) cut back within the limit with a note. Cross-parameter
rules are met by changing the other parameter alongside (ALONGSIDE); a control narrower than
validate() on purpose says so in NARROWER.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from app.errors import ChalkError
from app.generators.offline import render_template
from app.generators.offline.catalogue import TEMPLATE_MODULES, Template, registry
from app.generators.offline.controls import (
    Choice,
    Control,
    Expression,
    Formula,
    Matrix,
    Number,
    NumberList,
    Range,
    Sets,
    Text,
    TextList,
    Toggle,
    Vectors,
)


def _other_shape(template_id: str, shape: str) -> str:
    options = registry()[template_id].controls["from_shape"]
    assert isinstance(options, Choice)
    return next(option for option in options.options if option != shape)


def _per_stage(stages: list, number: float) -> list[float]:
    """`number` once per stage of `stages`, as many as a velocity-time list may hold on its own
    (so a list of the wrong length is refused for its own length, not for the other's)."""
    durations = registry()["velocity_time_graph"].controls["durations"]
    assert isinstance(durations, NumberList)
    return [number] * min(max(len(stages), durations.min_items), durations.max_items)


# Other values a case is tried with, where a rule ties two parameters together.
ALONGSIDE: dict[tuple[str, str], Callable[[Any], dict]] = {
    # The two shapes must differ.
    ("shape_transform", "from_shape"): lambda v: {"to_shape": _other_shape("shape_transform", v)},
    ("shape_transform", "to_shape"): lambda v: {"from_shape": _other_shape("shape_transform", v)},
    # Adding, subtracting and comparing need two fractions; showing takes one to three.
    ("fractions", "fractions"): lambda v: {"operation": "show"},
    # One height per label.
    ("bar_chart", "labels"): lambda v: {"values": [1.0] * len(v)},
    ("bar_chart", "values"): lambda v: {"labels": [f"Bar {i}" for i in range(len(v))]},
    # One duration per acceleration, and the velocity never drops below 0: the sharpest
    # deceleration (-50 m/s² for 1 s) needs the fastest start (100 m/s), and durations are
    # tried speeding up all the way (from rest, the default third stage would turn back).
    ("velocity_time_graph", "accelerations"): lambda v: {
        "start_velocity": 100.0,
        "durations": _per_stage(v, 1.0),
    },
    ("velocity_time_graph", "durations"): lambda v: {"accelerations": _per_stage(v, 1.0)},
    # The position is in the list: 0 is in any list, and inserting at 6 (after the last
    # node) needs the longest list, six nodes.
    ("linked_list", "values"): lambda v: {"position": 0},
    ("linked_list", "position"): lambda v: {"values": [3, 8, 5, 1, 4, 9]},
    # The rise/run triangle goes left to right, at least 0.5 wide: each end is tried with the
    # other half a unit further along.
    ("straight_line_graph", "x1"): lambda v: {"x2": v + 0.5},
    ("straight_line_graph", "x2"): lambda v: {"x1": v - 0.5},
    # Every value lies in a class: the data is tried inside the widest classes, and the
    # boundaries with data at the lowest of them.
    ("histogram_box_plot", "data"): lambda v: {"boundaries": [-10000.0, 10000.0]},
    ("histogram_box_plot", "boundaries"): lambda v: {"data": [min(v, default=0)] * 5},
    # A translation moves the point followed, so a far one needs the widest range of x.
    ("graph_transformations", "amount"): lambda v: {"x_range": [-20.0, 20.0]},
    # One name, size and direction per force.
    ("forces_free_body", "names"): lambda v: {
        "magnitudes": [5.0] * len(v),
        "directions": [0.0] * len(v),
    },
    ("forces_free_body", "magnitudes"): lambda v: {
        "names": ["F"] * len(v),
        "directions": [0.0] * len(v),
    },
    ("forces_free_body", "directions"): lambda v: {
        "names": ["F"] * len(v),
        "magnitudes": [5.0] * len(v),
    },
    # The sources stay 1.5 to 4 wavelengths apart, the screen within 15 wavelengths and at
    # least as far as the sources are apart: each limit is tried with the others in step.
    ("wave_interference", "wavelength"): lambda v: {"separation": 2.5 * v, "distance": 6 * v},
    ("wave_interference", "separation"): lambda v: {
        "wavelength": min(max(v / 2.5, 0.01), 100.0),
        "distance": 6 * min(max(v / 2.5, 0.01), 100.0),
    },
    ("wave_interference", "distance"): lambda v: {
        "wavelength": min(max(v / 3, 0.01), 100.0),
        "separation": 2 * min(max(v / 3, 0.01), 100.0),
    },
    # A radius of 1 km is inside the Earth: the small radii go round a star of unknown size.
    ("circular_orbit", "radius"): lambda v: {"central": "star"},
    # The start and end are nodes of the graph.
    ("dijkstra_shortest_path", "edges"): lambda v: dict(
        zip(("start", "end"), _edge_ends(v), strict=False)
    ),
    ("dijkstra_shortest_path", "start"): lambda v: {"edges": [f"{v}-B 2", "B-F 3"]},
    ("dijkstra_shortest_path", "end"): lambda v: {"edges": ["A-B 2", f"B-{v} 3"]},
}


def _edge_ends(edges: list) -> list[str]:
    """The two nodes of the first edge ("A-B 4" → A, B), none when it is not an edge."""
    found = re.fullmatch(r"(\w+)-(\w+) \S+", str(edges[0])) if edges else None
    return list(found.groups()) if found else []


# The other items of a list an item's limit is tried with, where the items constrain each other.
ITEM_PEERS: dict[tuple[str, str], Callable[[float], list]] = {
    # Three sides make a triangle only if the longest is shorter than the other two together:
    # an equilateral one holds any side length.
    ("similar_triangles", "sides"): lambda value: [value, value],
    # Two boundaries make one class: each limit is tried with a neighbour one unit inside it.
    ("histogram_box_plot", "boundaries"): lambda value: [value + 1 if value < 0 else value - 1],
}

# Controls narrower than validate() on purpose: the value just past the limit is accepted.
NARROWER = {
    # Legs stay within 8 times each other: with a = 3 the shortest drawable b is 0.375, and
    # the control stops at a round 0.5 (a's range, 0.5 to 32, is exact with b = 4).
    ("pythagorean_theorem", "b", "below"),
}

# A valid text (a Text, or an item of a TextList) of exactly the control's max_length, where
# any text is not valid, and what validate() reads it as.
LONGEST = {
    ("fractions", "fractions"): ("12/12", "12/12"),
    # Written without coefficients, as validate() gives it back: icosanol burning.
    ("balancing_chemical_equations", "equation"): (
        "CH3" + "CH2" * 19 + "OH + O2 -> CO2 + H2O",
        "CH3" + "CH2" * 19 + "OH + O2 -> CO2 + H2O",
    ),
    # The longest circuit drawn is far shorter (32 characters); the box takes a circuit
    # typed with brackets to spare, and validate() writes it back without them.
    ("logic_gates", "expression"): ("(" * 27 + "A OR B" + ")" * 27, "A OR B"),
    # The longest way to write one operation, named back as the default stack's.
    ("stack_queue", "operations"): ("enqueue(-99)", "push -99"),
    # A double inequality of exactly 60 characters, kept as typed.
    # The longest edge: two ten-letter nodes and a two-digit weight.
    ("dijkstra_shortest_path", "edges"): ("Aaaaaaaaaa-Bbbbbbbbbb 99", "Aaaaaaaaaa-Bbbbbbbbbb 99"),
    ("inequality_number_line", "inequality"): (
        "-100 <= 10*x - 300 + 500 - 200 + 50 - 50 + 25 - 25 - 1 < 900",
        "-100 <= 10*x - 300 + 500 - 200 + 50 - 50 + 25 - 25 - 1 < 900",
    ),
}


@dataclass(frozen=True)
class Case:
    template: str
    name: str
    what: str  # what the case tries, for the test id
    value: Any
    expect: str  # "accept", "refuse", or "shorten" (refused, or cut back to `limit`)
    limit: int = 0
    check: Callable[[Any], bool] | None = None  # on the validated value, when accepted
    measure: Callable[[Any], int] = len  # what "shorten" cuts back, in the validated value


def _cycled(items: list, count: int, fallback: Any) -> list:
    base = items or [fallback]
    return [base[i % len(base)] for i in range(count)]


def _number_cases(control: Number) -> list[tuple[str, Any, str]]:
    past = 1 if control.integer else (control.step or 1) / 10
    cases = [
        ("low", control.low, "accept"),
        ("high", control.high, "accept"),
        ("below", control.low - past, "refuse"),
        ("above", control.high + past, "refuse"),
    ]
    if control.integer:
        cases.append(("fraction", control.low + 0.5, "refuse"))
    return cases


def cases_for(template: Template, name: str, control: Control) -> list[Case]:
    default = template.defaults[name]
    made: list[Case] = []

    def add(what: str, value: Any, expect: str, limit: int = 0, check=None, measure=len) -> None:
        made.append(Case(template.id, name, what, value, expect, limit, check, measure))

    def longest_item(items: list[str]) -> int:
        return max(map(len, items))

    match control:
        case Number():
            for what, value, expect in _number_cases(control):
                add(what, value, expect, check=lambda v, value=value: v == value)
        case Choice():
            for option in control.options:
                add(f"option {option}", option, "accept", check=lambda v, o=option: v == o)
            add("unknown option", "no-such-option", "refuse")
        case Expression():
            add("default", default, "accept")
            add("not maths", "x +", "refuse")
            add("no x", "2 + 3", "refuse")
        case Formula():
            add("example", control.example, "accept")
            add("not maths", "x + = 2 =", "refuse")
        case Range():
            start, end = default
            limit = control.limit
            add("lowest start", [-limit, end], "accept")
            add("highest end", [start, limit], "accept")
            add("start below", [-limit - 0.1, end], "refuse")
            add("end above", [start, limit + 0.1], "refuse")
            add("backwards", [end, start], "refuse")
        case Text():
            longest, reading = LONGEST.get((template.id, name), ("W" * control.max_length,) * 2)
            assert len(longest) == control.max_length, (template.id, name)
            add("longest", longest, "accept", check=lambda v: v == reading)
            add("too long", longest + "W", "shorten", limit=control.max_length)
            if not control.allow_empty:
                add("empty", "", "refuse")
        case TextList():
            longest, reading = LONGEST.get((template.id, name), ("W" * control.max_length,) * 2)
            assert len(longest) == control.max_length, (template.id, name)
            add(
                f"{control.min_items} items", _cycled(default, control.min_items, longest), "accept"
            )
            add(
                f"{control.max_items} items", _cycled(default, control.max_items, longest), "accept"
            )
            if control.min_items > 0:
                fewer = _cycled(default, control.min_items - 1, longest)
                add("too few items", fewer, "refuse")
            more = _cycled(default, control.max_items + 1, longest)
            add("too many items", more, "shorten", limit=control.max_items)
            first = _cycled(default, max(control.min_items, len(default), 1), longest)
            add("longest item", [longest, *first[1:]], "accept", check=lambda v: reading in v)
            too_long = [longest + "7", *first[1:]]
            add("too long item", too_long, "shorten", control.max_length, measure=longest_item)
        case NumberList():
            middle = (control.low + control.high) / 2
            add(f"{control.min_items} items", _cycled(default, control.min_items, middle), "accept")
            add(f"{control.max_items} items", _cycled(default, control.max_items, middle), "accept")
            if control.min_items > 0:
                add("too few items", _cycled(default, control.min_items - 1, middle), "refuse")
            add("too many items", _cycled(default, control.max_items + 1, middle), "refuse")
            rest = _cycled(default, max(control.min_items, len(default), 1), middle)[1:]
            peers = ITEM_PEERS.get((template.id, name), lambda value: rest)
            for what, value, expect in _number_cases(
                Number("item", control.low, control.high, step=1, integer=control.integers)
            ):
                add(f"item {what}", [value, *peers(value)], expect)
        case Matrix():
            for what, value, expect in _number_cases(Number("cell", control.low, control.high)):
                cells = [list(row) for row in default]
                cells[0][0] = value
                add(f"cell {what}", cells, expect)
        case Vectors():
            add(
                f"{control.min_items} vectors",
                _cycled(default, control.min_items, [1, 1]),
                "accept",
            )
            add(
                f"{control.max_items} vectors",
                _cycled(default, control.max_items, [1, 1]),
                "accept",
            )
            add("too few vectors", _cycled(default, control.min_items - 1, [1, 1]), "refuse")
            add("too many vectors", _cycled(default, control.max_items + 1, [1, 1]), "refuse")
            add("zero vector", [[0, 0], *default[1:]], "refuse")
            for what, value, expect in _number_cases(Number("x", control.low, control.high)):
                add(f"x {what}", [[value, 1], *default[1:]], expect)
        case Sets():
            add(f"{control.min_sets} sets", default[: control.min_sets], "accept")
            add(f"{control.max_sets} sets", _cycled(default, control.max_sets, None), "accept")
            add("too few sets", default[: control.min_sets - 1], "refuse")
            add("too many sets", _cycled(default, control.max_sets + 1, None), "refuse")
            set_name = "W" * control.name_length
            named = [{**default[0], "name": set_name}, *default[1:]]
            add("longest name", named, "accept", check=lambda v: v[0]["name"] == set_name)
            named = [{**default[0], "name": set_name + "W"}, *default[1:]]
            add(
                "too long name",
                named,
                "shorten",
                control.name_length,
                measure=lambda v: len(v[0]["name"]),
            )
            item = "W" * control.item_length
            add("longest item", [{"name": "A", "items": [item]}, *default[1:]], "accept")
            too_long = [{"name": "A", "items": [item + "W"]}, *default[1:]]
            add(
                "too long item",
                too_long,
                "shorten",
                control.item_length,
                measure=lambda v: longest_item(v[0]["items"]),
            )
            most = [{"name": "A", "items": [f"a{i}" for i in range(control.max_items)]}]
            add("most items", [*most, {"name": "B", "items": []}], "accept")
            extra = [{"name": "B", "items": ["one more"]}]
            add("too many items", [*most, *extra], "refuse")
        case Toggle():
            add("on", True, "accept", check=lambda v: v is True)
            add("off", False, "accept", check=lambda v: v is False)
        case _:
            raise AssertionError(f"no cases for {type(control).__name__}: add them here")
    return made


CASES = [
    case
    for template in registry().values()
    for name, control in template.controls.items()
    for case in cases_for(template, name, control)
]


def one_sentence(message: str) -> bool:
    return "\n" not in message and message.endswith(".") and not re.search(r"[.!?] +[A-Z]", message)


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.template}-{c.name}-{c.what}".replace(" ", "_") for c in CASES]
)
def test_each_control_limit_agrees_with_validate(case: Case):
    extra = ALONGSIDE.get((case.template, case.name), lambda v: {})(case.value)
    narrower = (case.template, case.name, case.what) in NARROWER
    try:
        made = render_template(case.template, {**extra, case.name: case.value})
    except ChalkError as exc:
        assert exc.kind == "generation"
        assert one_sentence(exc.message), exc.message
        assert case.expect in ("refuse", "shorten") and not narrower, exc.message
        return
    got = made.params[case.name]
    if narrower:
        assert case.expect == "refuse", "a NARROWER entry must name a value past a limit"
    elif case.expect == "refuse":
        pytest.fail(f"accepted {case.value!r} as {got!r}")
    elif case.expect == "shorten":
        assert case.measure(got) == case.limit, got
    elif case.check is not None:
        assert case.check(got), got


def test_every_template_has_a_control_per_parameter_in_order():
    for template in registry().values():
        assert list(template.controls) == list(template.defaults), template.id
    assert len(registry()) == len(TEMPLATE_MODULES)


def test_a_template_without_controls_is_refused_by_the_catalogue():
    module = ModuleType("fake")
    for field in ("ID", "TITLE", "EXAMPLE_PROMPT"):
        setattr(module, field, "fake")
    module.SUBJECT = "Math"
    module.DEFAULTS = {"radius": 1.0}
    module.VARIANTS, module.TRIGGERS = [], {}
    for function in ("extract", "validate", "build", "describe", "narration"):
        setattr(module, function, lambda *args: None)
    with pytest.raises(ValueError, match="CONTROLS"):
        Template.from_module(module)
    module.CONTROLS = {"diameter": Number("Diameter", 0, 1)}
    with pytest.raises(ValueError, match="CONTROLS"):
        Template.from_module(module)
    module.CONTROLS = {"radius": Number("Radius", 0, 1)}
    assert Template.from_module(module).controls == module.CONTROLS


def test_labels_are_words_a_teacher_reads():
    for template in registry().values():
        for name, control in template.controls.items():
            assert control.label and control.label != name, (template.id, name)
            assert "_" not in control.label, (template.id, name)
            # One parenthesis at most deep: the refiner names a parameter by its label with the
            # parenthesis dropped ("Circuit (like A AND NOT B; ...)" is "Circuit").
            assert not re.search(r"\([^)]*\(", control.label), (template.id, name)
            if isinstance(control, Choice) and control.labels:
                assert len(control.labels) == len(control.options), (template.id, name)

"""Portrait and square frames re-arrange a template's parts instead of shrinking the 16:9
layout: measured by the sandbox's first pass (construct() with animations skipped and the
layout probe on, no frame drawn), in 16:9 and 9:16, for a sample of templates of each kind.

Each part is known from the emitted arrange_parts(self, box, box, ...) call; a text belongs
to the part whose 16:9 design box holds its centre, and is found again in 9:16 by what it
says.
"""

from __future__ import annotations

import ast
import itertools
import statistics

import pytest

from app.core.layout import Box, Item, parse_snapshots
from app.core.render import measure_code
from app.generators.offline import render_template
from app.settings import Settings

pytestmark = pytest.mark.render

# A graph and its panel, a figure and its working, a circuit and its working, code and a stack
SAMPLE = ["function_graph", "pythagorean_theorem", "ohms_law_circuit", "recursion_call_stack"]


def part_boxes(code: str) -> list[Box]:
    """The 16:9 design boxes the scene passes to arrange_parts()."""
    call = next(
        node
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "arrange_parts"
    )
    return [Box(*ast.literal_eval(arg)) for arg in call.args[1:]]


def at_the_end(layout: list) -> tuple[Box, dict[str, Item], dict[tuple[str, str], Item]]:
    """The frame; each text as last seen, by its words; each named object on screen at the
    end, by its kind and variable name."""
    snapshots = parse_snapshots(layout)
    texts: dict[str, Item] = {}
    for snapshot in snapshots:
        for item in snapshot.items:
            if item.text and len(item.label) >= 2:
                texts[item.label] = item
    named = {(i.kind, i.name): i for i in snapshots[-1].items if i.top is None and i.name}
    return snapshots[-1].frame, texts, named


def part_of(item: Item, boxes: list[Box]) -> int | None:
    x, y = centre(item.box)
    inside = [i for i, b in enumerate(boxes) if b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1]
    return inside[0] if inside else None


def centre(box: Box) -> tuple[float, float]:
    return ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)


def union(boxes: list[Box]) -> Box:
    return Box(
        min(b.x0 for b in boxes),
        min(b.y0 for b in boxes),
        max(b.x1 for b in boxes),
        max(b.y1 for b in boxes),
    )


@pytest.mark.parametrize("template_id", SAMPLE)
def test_portrait_stacks_the_parts_with_larger_text(template_id, warm_settings: Settings):
    code = render_template(template_id, None).code
    boxes = part_boxes(code)
    wide_frame, wide_texts, wide_named = at_the_end(
        measure_code(code, aspect="16:9", settings=warm_settings).layout
    )
    tall_frame, tall_texts, tall_named = at_the_end(
        measure_code(code, aspect="9:16", settings=warm_settings).layout
    )

    # Stacked: each part (what it holds at the end) under the one before, all on one column
    holds: list[list[Box]] = [[] for _ in boxes]
    for key, item in wide_named.items():
        index = part_of(item, boxes)
        if index is not None and key in tall_named:
            holds[index].append(tall_named[key].box)
    assert all(holds), holds
    placed = [union(part) for part in holds]
    for upper, lower in itertools.pairwise(placed):
        assert lower.y1 <= upper.y0 + 0.05, (upper, lower)
    tall_width = tall_frame.x1 - tall_frame.x0
    assert max(abs(centre(b)[0] - centre(tall_frame)[0]) for b in placed) < 0.15 * tall_width

    # Text in the parts is larger relative to the frame's width than in 16:9, never smaller
    wide_width = wide_frame.x1 - wide_frame.x0
    ratios = [
        ((tall_texts[label].box.y1 - tall_texts[label].box.y0) / tall_width)
        / ((item.box.y1 - item.box.y0) / wide_width)
        for label, item in wide_texts.items()
        if label in tall_texts and part_of(item, boxes) is not None
    ]
    assert ratios and min(ratios) >= 1.0 and statistics.median(ratios) >= 1.3, sorted(ratios)

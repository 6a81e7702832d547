"""How a template's parts share the frame (app/generators/offline/arrange.py): the emitted
arrange_parts() run here against a camera of each frame shape, no render."""

from __future__ import annotations

import ast
import itertools
from types import SimpleNamespace

import pytest

from app.frame import FRAME_HEIGHT, frame_width
from app.generators.offline import arrange, render_template
from app.generators.offline.catalogue import registry

ALL_PARAMS = [
    (template_id, index, params)
    for template_id, template in registry().items()
    for index, params in enumerate([None, *template.variants])
]
# A graph and its panel of working, as the graph templates lay them out in 16:9
DIAGRAM = [-7.1, -3.7, 2.5, 2.6]
PANEL = [2.9, -2.3, 6.9, 2.6]


def emitted() -> dict:
    namespace: dict = {}
    exec("from manim import *\n" + arrange.ARRANGE, namespace)
    return namespace


def scene(aspect: str) -> SimpleNamespace:
    return SimpleNamespace(
        camera=SimpleNamespace(frame_width=frame_width(aspect), frame_height=FRAME_HEIGHT)
    )


def placed(part: tuple, box: list[float]) -> list[float]:
    """Where a design box lands in the frame, by the emitted at()."""
    at = emitted()["at"]
    x0, y0, _ = at(part, box[0], box[1])
    x1, y1, _ = at(part, box[2], box[3])
    return [x0, y0, x1, y1]


def flat(parts: list) -> list[float]:
    return [float(v) for scale, start, end in parts for v in (scale, *start, *end)]


def test_a_16_9_frame_keeps_the_design():
    parts = emitted()["arrange_parts"](scene("16:9"), DIAGRAM, PANEL)
    boxes = [placed(p, b) for p, b in zip(parts, [DIAGRAM, PANEL], strict=True)]
    assert boxes[0] == pytest.approx(DIAGRAM) and boxes[1] == pytest.approx(PANEL)


@pytest.mark.parametrize("aspect", ["9:16", "1:1"])
def test_parts_fill_the_frame_without_overlapping_at_least_as_large_as_a_zoom_out(aspect):
    parts = emitted()["arrange_parts"](scene(aspect), DIAGRAM, PANEL)
    boxes = [placed(p, b) for p, b in zip(parts, [DIAGRAM, PANEL], strict=True)]
    width = frame_width(aspect)
    for x0, y0, x1, y1 in boxes:  # inside the frame, below the title's strip
        assert -width / 2 < x0 < x1 < width / 2
        assert -FRAME_HEIGHT / 2 < y0 < y1 <= FRAME_HEIGHT / 2 - 1.0 + 1e-9
    for first, second in itertools.combinations(boxes, 2):
        apart_x = first[2] <= second[0] or second[2] <= first[0]
        apart_y = first[3] <= second[1] or second[3] <= first[1]
        assert apart_x or apart_y
    # The old camera zoom drew every part (and the title) at width / 14.2. A square frame has
    # no more room for this wide pair than that (its title is drawn larger instead); a
    # portrait frame gives each part far more.
    zoom_out = width / 14.2
    assert min(part[0] for part in parts) > zoom_out * (1.2 if aspect == "9:16" else 0.95)


def test_portrait_stacks_the_parts_in_order_centred_on_one_column():
    parts = emitted()["arrange_parts"](scene("9:16"), DIAGRAM, PANEL)
    top, bottom = (placed(p, b) for p, b in zip(parts, [DIAGRAM, PANEL], strict=True))
    assert top[1] >= bottom[3]  # the diagram above the panel
    assert (top[0] + top[2]) / 2 == pytest.approx(0) and (bottom[0] + bottom[2]) / 2 == (
        pytest.approx(0)
    )
    # The diagram fills the width; the panel, narrower, is drawn larger than in 16:9 relative
    # to the frame's width
    assert top[2] - top[0] == pytest.approx(frame_width("9:16") - 0.4)
    assert parts[1][0] / frame_width("9:16") > 1 / 14.2


def test_a_built_part_is_measured():
    """A VGroup passed as a part is arranged by its own box."""
    from manim import Rectangle

    namespace = emitted()
    graph = Rectangle(width=9.6, height=6.3).move_to([-2.3, -0.55, 0])
    panel = Rectangle(width=4.0, height=4.9).move_to([4.9, 0.15, 0])
    by_shape = namespace["arrange_parts"](scene("9:16"), graph, panel)
    by_box = namespace["arrange_parts"](scene("9:16"), DIAGRAM, PANEL)
    assert flat(by_shape) == pytest.approx(flat(by_box), abs=1e-6)


def test_only_the_helpers_a_scene_calls_are_added():
    code = render_template("function_graph", None).code
    assert "def arrange_parts(" in code and "def put(" in code and "def at(" in code
    assert "def zoom_to_fit(" not in code and "def scaled(" not in code
    compile(code, "scene.py", "exec")


def bound_names(node: ast.AST) -> set[str]:
    """The names an assignment, loop or argument list binds."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.For, ast.comprehension, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, ast.arguments):
        return {arg.arg for arg in [*node.args, *node.kwonlyargs]}
    else:
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


@pytest.mark.parametrize(("template_id", "params"), [(t, p) for t, _, p in ALL_PARAMS])
def test_a_part_is_never_rebound_in_the_scene(template_id, params):
    """A template's own variable named like its part (a `panel` VGroup) would silently place
    everything after it wrongly in portrait frames only."""
    scene = next(
        node
        for node in ast.parse(render_template(template_id, params).code).body
        if isinstance(node, ast.ClassDef)
    )
    arranged = [
        node
        for node in ast.walk(scene)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", "") == "arrange_parts"
    ]
    parts = set().union(*(bound_names(node) for node in arranged))
    rebound = set().union(
        *(bound_names(node) & parts for node in ast.walk(scene) if node not in arranged)
    )
    assert rebound == set()

"""Each rewrite rule of the deterministic fixer, and what it must leave alone (no rendering)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.core.fixer import fix_code
from tests.conftest import SCENES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def body(*lines: str, base: str = "Scene", header: str = "from manim import *") -> str:
    head = f"{header}\n\n\nclass S({base}):\n    def construct(self):\n"
    return head + "".join(f"        {line}\n" for line in lines)


def fixed(code: str) -> tuple[str, set[str]]:
    result = fix_code(code)
    ast.parse(result.code)  # every rewrite is valid Python
    return result.code, {fix.rule for fix in result.fixes}


RULES = [
    ("ShowCreation", body("self.play(ShowCreation(c))"), "self.play(Create(c))"),
    ("TextMobject", body("t = TextMobject('Hi there')"), "t = Text('Hi there')"),
    ("TextMobject", body("t = TextMobject('Area', '$=\\\\pi r^2$')"), "t = Tex('Area',"),
    ("TexMobject", body("f = TexMobject(r'x^2')"), "f = MathTex(r'x^2')"),
    ("OldTex", body("f = OldTex('x')"), "f = MathTex('x')"),
    (
        "manimlib-import",
        "from manimlib.imports import *\n\n\nclass S(Scene):\n    def construct(self):\n"
        "        self.wait()\n",
        "from manim import *\n",
    ),
    ("manimlib-import", "import manimlib\n", "from manim import *\n"),
    ("Tex", body("f = Tex(r'\\frac{a}{b}')", header="from manimlib import *"), "MathTex(r'"),
    ("TexText", body("t = TexText('Hello')", header="from manimlib import *"), "Text('Hello')"),
    (
        "gl-tex-kwargs",
        body("f = Tex('x+y', t2c={'x': RED}, isolate=['x'])", header="from manimlib import *"),
        "MathTex('x+y', tex_to_color_map={'x': RED}, substrings_to_isolate=['x'])",
    ),
    ("FadeInFrom", body("self.play(FadeInFrom(t, LEFT))"), "FadeIn(t, shift=RIGHT)"),
    ("FadeInFrom", body("self.play(FadeInFrom(t))"), "FadeIn(t, shift=UP)"),
    ("FadeInFrom", body("self.play(FadeInFrom(t, direction=2 * UP))"), "shift=-(2 * UP)"),
    (
        "FadeInFromDown",
        body("self.play(FadeInFromDown(t, run_time=2))"),
        "FadeIn(t, shift=UP, run_time=2)",
    ),
    ("FadeOutAndShift", body("self.play(FadeOutAndShift(t, UP))"), "FadeOut(t, shift=UP)"),
    ("FadeOutAndShiftDown", body("self.play(FadeOutAndShiftDown(t))"), "FadeOut(t, shift=DOWN)"),
    ("FadeInFromLarge", body("self.play(FadeInFromLarge(t, 3))"), "FadeIn(t, scale=3)"),
    (
        "FadeInFromPoint",
        body("self.play(FadeInFromPoint(t, ORIGIN))"),
        "FadeIn(t, target_position=ORIGIN)",
    ),
    ("FadeOutToPoint", body("self.play(FadeOutToPoint(t, UL))"), "FadeOut(t, target_position=UL)"),
    ("fade-direction", body("self.play(FadeIn(t, UP))"), "FadeIn(t, shift=UP)"),
    ("fade-direction", body("self.play(FadeOut(t, 0.5 * LEFT))"), "FadeOut(t, shift=0.5 * LEFT)"),
    (
        "ShowCreationThenDestruction",
        body("self.play(ShowCreationThenDestruction(line))"),
        "ShowPassingFlash(line, time_width=2.0)",
    ),
    (
        "ShowCreationThenFadeOut",
        body("self.play(ShowCreationThenFadeOut(box))"),
        "Succession(Create(box), FadeOut(box))",
    ),
    (
        "CircleIndicate",
        body("self.play(CircleIndicate(t, color=RED))"),
        "Circumscribe(t, Circle, color=RED)",
    ),
    ("ShowPassingFlashAround", body("self.play(ShowPassingFlashAround(t))"), "Circumscribe(t)"),
    (
        "ShowCreationThenFadeAround",
        body("self.play(ShowCreationThenFadeAround(t))"),
        "Circumscribe(t, fade_out=True)",
    ),
    ("WiggleOutThenIn", body("self.play(WiggleOutThenIn(t))"), "Wiggle(t)"),
    ("VFadeIn", body("self.play(VFadeIn(t))"), "FadeIn(t)"),
    ("ParametricSurface", body("s = ParametricSurface(f)"), "s = Surface(f)"),
    (
        "play-method",
        body("self.play(sq.shift, UP, run_time=2)"),
        "self.play(sq.animate.shift(UP), run_time=2)",
    ),
    (
        "play-method",
        body("self.play(sq.shift, UP, sq.scale, 2, FadeIn(c))"),
        "self.play(sq.animate.shift(UP).scale(2), FadeIn(c))",
    ),
    ("play-method", body("self.play(sq.scale_in_place, 2)"), "self.play(sq.animate.scale(2))"),
    ("play-method", body("self.play(v.set_value, 5)"), "self.play(v.animate.set_value(5))"),
    ("get_graph", body("g = axes.get_graph(f, color=RED)"), "g = axes.plot(f, color=RED)"),
    (
        "x_min-range",
        body("g = axes.get_graph(f, x_min=0, x_max=3)"),
        "axes.plot(f, x_range=[0, 3])",
    ),
    (
        "x_min-range",
        body("a = Axes(x_min=-1, x_max=5, y_min=0, y_max=3)"),
        "Axes(x_range=[-1, 5], y_range=[0, 3])",
    ),
    (
        "x_min-range",
        body("n = NumberLine(x_min=-2, x_max=2, tick_frequency=0.5)"),
        "NumberLine(x_range=[-2, 2, 0.5])",
    ),
    ("x_min-range", body("p = ParametricFunction(f, t_min=0, t_max=TAU)"), "t_range=[0, TAU]"),
    ("x_min-range", body("g = FunctionGraph(f, x_min=-1)"), "FunctionGraph(f, x_range=[-1, 7])"),
    (
        "number_line_config",
        body("a = Axes(x_range=[0, 1], number_line_config={'color': RED})"),
        "axis_config={'color': RED}",
    ),
    (
        "get_vertical_line_to_graph",
        body("l = ax.get_vertical_line_to_graph(2, g)"),
        "ax.get_vertical_line(ax.i2gp(2, g))",
    ),
    ("get_v_line", body("l = ax.get_v_line(p)"), "ax.get_vertical_line(p)"),
    ("get_derivative_graph", body("d = ax.get_derivative_graph(g)"), "ax.plot_derivative_graph(g)"),
    (
        "get_graph_label",
        body("l = ax.get_graph_label(g, 'f', x=2)"),
        "get_graph_label(g, 'f', x_val=2)",
    ),
    (
        "get_axis_labels",
        body("l = ax.get_axis_labels(x_label_tex='t')"),
        "get_axis_labels(x_label='t')",
    ),
    ("add_coordinate_labels", body("ax.add_coordinate_labels()"), "ax.add_coordinates()"),
    ("scale_in_place", body("sq.scale_in_place(2)"), "sq.scale(2)"),
    ("rotate_in_place", body("sq.rotate_in_place(PI)"), "sq.rotate(PI)"),
    ("scale_about_point", body("sq.scale_about_point(2, UP)"), "sq.scale(2, about_point=UP)"),
    (
        "set_camera_orientation",
        body("self.set_camera_orientation(phi=1, distance=6)"),
        "self.set_camera_orientation(phi=1)",
    ),
    ("Text-size", body("t = Text('a', size=0.5)"), "Text('a', font_size=24.0)"),
    ("Text-size", body("t = Text('a', size=k)"), "Text('a', font_size=48 * (k))"),
    (
        "LaggedStart-class",
        body("self.play(LaggedStart(FadeIn, group))"),
        "LaggedStartMap(FadeIn, group)",
    ),
    ("FRAME-constants", body("w = FRAME_WIDTH"), "w = self.camera.frame_width"),
    ("FRAME-constants", body("d = Dot(TOP)"), "Dot((self.camera.frame_height / 2 * UP))"),
    ("FRAME-constants", "from manim import *\nW = FRAME_X_RADIUS\n", "W = 7.11"),
    (
        "camera_frame",
        body("self.play(self.camera_frame.animate.scale(2))", base="MovingCameraScene"),
        "self.camera.frame.animate",
    ),
    ("embed", body("self.wait()", "self.embed()"), "self.wait()\n"),
    ("latex-raw-string", body('f = MathTex("\\frac{1}{2}")'), 'MathTex(r"\\frac{1}{2}")'),
    (
        "latex-raw-string",
        body('f = Tex("$\\theta$ and $\\beta$")'),
        'Tex(r"$\\theta$ and $\\beta$")',
    ),
    ("mathtex-dollars", body("f = MathTex(r'$x^2$')"), "MathTex(r'x^2')"),
    ("Tex-math", body("f = Tex(r'\\sqrt{2}')"), "MathTex(r'\\sqrt{2}')"),
    ("latex-unicode", body("f = MathTex('2π ≤ x')"), "MathTex('2\\\\pi \\\\leq x')"),
    ("latex-unicode", body("t = Tex(r'angle θ')"), "Tex(r'angle $\\theta$')"),
]


@pytest.mark.parametrize(
    ("rule", "before", "after"), RULES, ids=[f"{r[0]}-{i}" for i, r in enumerate(RULES)]
)
def test_rule_rewrites_and_is_listed(rule, before, after):
    code, rules = fixed(before)
    assert after in code
    assert rule in rules


def test_config_dict_becomes_class_attributes_and_background():
    code, rules = fixed(
        "from manim import *\n\n\nclass S(Scene):\n"
        "    CONFIG = {\n        'radius': 2,  # big\n"
        "        'camera_config': {'background_color': WHITE},\n    }\n\n"
        "    def construct(self):\n        self.play(Create(Circle(radius=self.radius)))\n"
    )
    assert "CONFIG" not in code and "    radius = 2\n" in code
    assert "self.camera.background_color = WHITE\n        self.play" in code
    assert rules == {"CONFIG-dict"}


def test_graph_scene_gets_axes_methods_for_what_it_uses():
    code, rules = fixed(
        body("self.setup_axes()", "g = self.get_graph(lambda x: x)", base="GraphScene")
    )
    assert "class S(Scene):" in code and "def setup_axes(self" in code
    assert "def get_graph(self" in code and "def get_area(self" not in code
    assert "self.get_graph(lambda x: x)" in code  # the shim serves the call as written
    assert "x_min = -1" in code and rules == {"GraphScene"}


def test_manimgl_frame_makes_a_moving_camera_scene():
    code, rules = fixed(
        body("self.play(self.frame.animate.scale(0.5))", header="from manimlib import *")
    )
    assert "class S(MovingCameraScene):" in code and "self.camera.frame.animate" in code
    assert {"gl-frame", "MovingCameraScene", "manimlib-import"} <= rules


def test_markdown_fences_and_prose_are_removed():
    inner = body("self.play(ShowCreation(Circle()))")
    result = fix_code(f"Here you go:\n\n```python\n{inner}```\n\nEnjoy!")
    assert result.code == inner.replace("ShowCreation", "Create")
    assert [f.rule for f in result.fixes] == ["markdown-fence", "ShowCreation"]


def test_fixes_carry_line_numbers_and_read_as_sentences():
    result = fix_code(body("c = Circle()", "self.play(ShowCreation(c))"))
    assert [(f.rule, f.line) for f in result.fixes] == [("ShowCreation", 7)]
    assert str(result.fixes[0]) == "line 7: ShowCreation(…) → Create(…)"
    assert result.fixes[0].to_json() == {
        "rule": "ShowCreation",
        "line": 7,
        "description": "ShowCreation(…) → Create(…)",
    }


def test_comments_and_layout_survive():
    code, _ = fixed(
        body("# draw the circle", "c = Circle()  # radius 1", "", "self.play(ShowCreation(c))")
    )
    assert "        # draw the circle\n        c = Circle()  # radius 1\n" in code


# --- what the fixer must leave alone -----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted(SCENES.glob("*.py")) + sorted(EXAMPLES.glob("*.py")),
    ids=lambda p: p.name,
)
def test_current_manim_code_is_left_unchanged(path):
    source = path.read_text()
    result = fix_code(source)
    assert result.code == source and result.fixes == []


@pytest.mark.parametrize(
    "code",
    [
        body("def ShowCreation(m):", "    return Create(m)", "self.play(ShowCreation(Circle()))"),
        body("self.play(FadeIn(a, b))"),
        body("t = Tex(r'$x$ is \\textbf{bold}')"),
        body("t = Tex('Hello\\nWorld')"),
        body("t = MathTex(r'\\frac{1}{2}')"),
        body("x = obj.ShowCreation"),
        body("self.play(Create(sq), run_time=2)"),
        body("w = self.camera.frame_width"),
    ],
    ids=[
        "user-defined-name",
        "fadein-two-mobjects",
        "tex-with-dollars",
        "tex-newline",
        "raw-mathtex",
        "attribute-name",
        "create",
        "camera-width",
    ],
)
def test_look_alikes_are_not_rewritten(code):
    result = fix_code(code)
    assert result.code == code and result.fixes == []


def test_unparseable_code_comes_back_unchanged():
    code = "class S(Scene:\n    def construct(self):\n        self.play(ShowCreation(c))\n"
    result = fix_code(code)
    assert result.code == code and result.fixes == []


def test_the_fixer_never_runs_the_code(tmp_path):
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x')\nraise SystemExit(3)\n" + body(
        "self.play(ShowCreation(Circle()))"
    )
    result = fix_code(code)
    assert "Create(Circle())" in result.code
    assert not marker.exists()


def test_every_offline_template_is_left_unchanged():
    from app.generators.offline import generate, list_templates

    changed = {}
    for template in list_templates():
        code = generate(template.example_prompt).code
        result = fix_code(code)
        if result.code != code:
            changed[template.id] = [str(fix) for fix in result.fixes]
    assert changed == {}

"""Layout check: objects that leave the frame and overlapping text, from the sandbox's boxes."""

from __future__ import annotations

import pytest

from app.core.layout import check_layout, layout_warnings
from app.core.render import measure_code, render_code
from app.pipeline.job import run_job

FRAME = [-7.111, -4.0, 7.111, 4.0]


def snapshot(*items: dict, t: float = 1.0, line: int | None = 9, frame=FRAME) -> dict:
    return {
        "event": "layout",
        "t": t,
        "line": line,
        "final": False,
        "frame": frame,
        "items": list(items),
    }


def item(ident: int, kind: str, box: list[float], *, label="", name="", text=None, top=None):
    is_text = kind in ("Text", "MathTex", "Tex") if text is None else text
    return {
        "id": ident,
        "kind": kind,
        "name": name,
        "label": label,
        "text": is_text,
        "top": top,
        "box": box,
    }


def test_text_leaving_the_frame_is_reported_once_at_its_first_moment():
    hello = item(1, "Text", [6.5, -0.3, 8.2, 0.3], label="Hello")
    messages = [
        snapshot(item(1, "Text", [-0.9, -0.3, 0.9, 0.3], label="Hello"), t=0.5, line=6),
        snapshot(hello, t=3.0, line=7),
        snapshot(hello, t=4.0, line=8),
    ]
    assert layout_warnings(messages) == [
        "The Text 'Hello' leaves the frame on the right at 3.0 s (line 7)."
    ]


def test_shapes_use_their_variable_name_and_sides_are_combined():
    messages = [snapshot(item(2, "Square", [-8.0, 3.5, -6.0, 4.5], name="box"), line=None)]
    assert layout_warnings(messages) == [
        "The Square 'box' leaves the frame on the left and top at 1.0 s."
    ]


def test_small_text_is_judged_against_the_frame_the_camera_shows():
    """A label 0.2 high reads in a 16:9 frame, but not once the camera zooms out to show a
    16:9 layout whole in a portrait frame (14.2 wide, 25.3 high): it is as small there as
    0.063 of a frame whose shorter side is 8."""
    label = item(1, "Text", [0.0, 0.0, 1.5, 0.2], label="Time (s)")
    assert layout_warnings([snapshot(label)]) == []
    assert layout_warnings([snapshot(label, frame=[-2.25, -4.0, 2.25, 4.0])]) == []
    zoomed_portrait = [-7.111, -12.642, 7.111, 12.642]
    assert layout_warnings([snapshot(label, frame=zoomed_portrait)]) == [
        "The Text 'Time (s)' is too small to read at 1.0 s (line 9)."
    ]


def test_entirely_outside_and_moving_camera_frame():
    zoomed = [-2.0, -1.125, 2.0, 1.125]
    messages = [snapshot(item(3, "Dot", [2.5, 0.0, 2.6, 0.1]), frame=zoomed)]
    assert layout_warnings(messages) == ["The Dot is entirely outside the frame at 1.0 s (line 9)."]


def test_overlapping_labels_are_reported_and_neighbours_are_not():
    a = item(1, "MathTex", [-1.0, -0.3, 1.0, 0.3], label="x^2")
    b = item(2, "Text", [-0.5, -0.2, 1.5, 0.4], label="circle")
    c = item(3, "Text", [1.6, -0.3, 3.0, 0.3], label="beside")  # touches nothing
    assert layout_warnings([snapshot(a, b, c)]) == [
        "The MathTex 'x^2' overlaps the Text 'circle' at 1.0 s (line 9)."
    ]


def test_a_group_is_not_reported_when_its_text_explains_it():
    group = item(10, "VGroup", [-8.5, -0.5, -5.0, 0.5], text=False)
    label = item(11, "Text", [-8.5, -0.5, -7.0, 0.5], label="left label", top=10)
    assert layout_warnings([snapshot(group, label)]) == [
        "The Text 'left label' leaves the frame on the left at 1.0 s (line 9)."
    ]


def test_backgrounds_that_cover_the_frame_are_ignored():
    plane = item(1, "NumberPlane", [-7.5, -4.5, 7.5, 4.5], text=False)
    big_rect = item(2, "Rectangle", [-8.0, -5.0, 8.0, 5.0], text=False)
    side_panel = item(3, "Rectangle", [2.1, -4.5, 7.3, 4.5], text=False, name="backdrop")
    assert layout_warnings([snapshot(plane, big_rect, side_panel)]) == []
    # Text is never a background, however large.
    banner = item(4, "Text", [-7.5, -1.0, 7.5, 1.0], label="WELCOME")
    assert layout_warnings([snapshot(banner)]) == [
        "The Text 'WELCOME' leaves the frame on the left and right at 1.0 s (line 9)."
    ]


@pytest.mark.parametrize(
    "message",
    [
        {"event": "layout"},
        {"event": "layout", "t": "soon", "frame": FRAME, "items": []},
        {"event": "layout", "t": 1, "frame": [0, 0, "x", 1], "items": []},
        {"event": "layout", "t": 1, "frame": FRAME, "items": [{"id": "x", "box": [0, 0, 1, 1]}]},
        {
            "event": "layout",
            "t": 1,
            "frame": FRAME,
            "items": [{"id": 1, "box": [0, 0, float("nan"), 1]}],
        },
        {"event": "layout", "t": 1, "frame": FRAME, "items": "many"},
        {"event": "progress", "fraction": 0.5},
    ],
)
def test_malformed_snapshots_from_the_sandbox_are_dropped(message):
    assert check_layout([message]) == []


def test_labels_are_cleaned_and_bounded():
    evil = item(1, "Text", [7.0, 0, 9.0, 1], label="a\x1b[31mb'" + "x" * 500)
    (warning,) = layout_warnings([snapshot(evil)])
    assert "\x1b" not in warning and len(warning) < 200 and "’" in warning


# --- from a real render -------------------------------------------------------------------

HEADER = "from manim import *\n\n\nclass S(Scene):\n    def construct(self):\n"


def scene(*lines: str) -> str:
    return HEADER + "".join(f"        {line}\n" for line in lines)


@pytest.mark.render
def test_render_reports_text_moved_off_screen(warm_settings, tmp_path):
    code = scene(
        "hello = Text('Hello')",
        "self.play(Write(hello), run_time=0.5)",
        "self.play(hello.animate.shift(RIGHT * 7), run_time=0.5)",
        "self.wait(0.5)",
    )
    rendered = render_code(code, settings=warm_settings, out=tmp_path / "v.mp4")
    assert layout_warnings(rendered.layout) == [
        "The Text 'Hello' leaves the frame on the right at 1.0 s (line 8)."
    ]
    assert "layout" not in rendered.to_json()
    # Measuring alone (no frame drawn) sees what the render saw: its length and its layout.
    measured = measure_code(code, settings=warm_settings)
    assert measured.scene == rendered.scene
    assert measured.duration_s == pytest.approx(rendered.duration_s, abs=1 / rendered.fps)
    assert len(measured.layout) == len(rendered.layout)
    assert layout_warnings(measured.layout) == layout_warnings(rendered.layout)


@pytest.mark.render
def test_render_reports_overlapping_labels(warm_settings, tmp_path):
    code = scene(
        "eq = MathTex('x^2 + y^2 = r^2')",
        "name = Text('circle').shift(RIGHT * 0.4)",
        "self.play(FadeIn(eq), FadeIn(name), run_time=1)",
    )
    rendered = render_code(code, settings=warm_settings, out=tmp_path / "v.mp4")
    assert layout_warnings(rendered.layout) == [
        "The MathTex 'x^2 + y^2 = r^2' overlaps the Text 'circle' at 1.0 s (line 8)."
    ]


@pytest.mark.render
def test_clean_scene_has_no_warnings_in_the_job(warm_settings, tmp_path):
    code = scene(
        "title = Text('Circles').to_edge(UP)",
        "circle = Circle(radius=1.5)",
        "r = MathTex('r').next_to(circle, RIGHT)",
        "group = VGroup(Text('one'), Text('two')).arrange(RIGHT, buff=1).to_edge(DOWN)",
        "self.play(Write(title), Create(circle), Write(r), FadeIn(group), run_time=1)",
        "self.play(circle.animate.shift(LEFT * 2), run_time=0.5)",
    )
    result = run_job(code=code, settings=warm_settings, out=tmp_path / "v.mp4")
    assert result.ok, result.error
    assert result.render is not None and len(result.render.layout) >= 2
    assert result.layout_warnings == [] and result.to_json()["layout_warnings"] == []


@pytest.mark.render
def test_user_code_job_fixes_its_layout_and_says_so(warm_settings, tmp_path):
    """A job whose render leaves the frame gets the layout fix, rendered and checked again:
    the teacher sees the fixed video and one sentence saying what was done."""
    code = scene(
        "g = VGroup(Text('left label'), Text('right label')).arrange(RIGHT).shift(LEFT * 6)",
        "self.play(FadeIn(g), run_time=0.5)",
    )
    result = run_job(code=code, settings=warm_settings, out=tmp_path / "v.mp4")
    assert result.ok
    first, fixed = result.attempt_log
    assert first.layout_warnings == [
        "The Text 'left label' leaves the frame on the left at 0.5 s (line 7)."
    ]
    assert fixed.layout_warnings == [] and result.code == fixed.code
    assert "_chalk_fit(g); self.play(FadeIn(g), run_time=0.5)" in result.code
    assert [fix.rule for fix in result.fixes] == ["layout-fit", "layout-helpers"]
    assert result.layout_warnings == [
        "Some things did not fit on screen or sat on top of each other, so Chalk scaled g "
        "to fit and moved it inside the frame."
    ]
    assert sorted(p.name for p in tmp_path.glob("v*")) == ["v.mp4", "v.png"]

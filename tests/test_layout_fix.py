"""The deterministic layout fix (app/core/layout_fix.py) and `chalk fix --layout`.

The rewrite is tested on small snippets with hand-made issues (no sandbox); the measured loop
on scenes in tests/scenes/ through the sandbox's measuring pass (no frames drawn), and the CLI
as a subprocess. The job's use of it is in tests/test_layout.py.
"""

from __future__ import annotations

import ast

import pytest

from app.core.layout import Box, LayoutIssue, check_layout
from app.core.layout_fix import (
    APART,
    FIT,
    HELPERS_MARK,
    HELPERS_RULE,
    READABLE,
    fix_layout,
    fix_layout_measured,
)
from app.pipeline.layout_fixup import measurer
from tests.conftest import SCENES, scene_code
from tests.test_cli import chalk, one_json

FRAME = Box(-7.111, -4.0, 7.111, 4.0)
CODE = """from manim import *


class Lesson(Scene):
    def construct(self):
        title = Text("A very long title indeed", font_size=90)
        self.play(Write(title), run_time=0.5)
        a = Text("mass")
        b = Text("weight")
        self.play(
            FadeIn(a),
            FadeIn(b),
        )
        self.play(Write(Text("Off to the right").shift(RIGHT * 9)))
"""


def issue(kind: str, line: int, *names: str, message: str = "The Text 'x' is off.") -> LayoutIssue:
    return LayoutIssue(kind, message, 1.0, line, names=names, frame=FRAME)


def lines_of(code: str) -> list[str]:
    return code.splitlines()


def test_off_frame_object_is_fitted_on_its_play_line_and_every_line_keeps_its_number():
    fixed = fix_layout(CODE, [issue("off_frame", 7, "title")])
    assert [f.rule for f in fixed.fixes] == [FIT, HELPERS_RULE]
    assert fixed.fixes[0].line == 7
    before, after = lines_of(CODE), lines_of(fixed.code)
    assert after[6] == "        _chalk_fit(title); self.play(Write(title), run_time=0.5)"
    assert after[:6] == before[:6] and after[7 : len(before)] == before[7:]
    assert HELPERS_MARK in fixed.code and "_CHALK_FRAME = (-7.111, -4.0, 7.111, 4.0)" in fixed.code
    ast.parse(fixed.code)


def test_overlapping_labels_are_moved_apart_before_a_play_that_spans_lines():
    fixed = fix_layout(CODE, [issue("overlap", 11, "a", "b")])  # line 11: inside the play()
    assert lines_of(fixed.code)[9] == "        _chalk_apart(a, b); self.play("
    assert fixed.fixes[0].rule == APART
    assert fixed.fixes[0].description == "moved b beside a so they no longer overlap"


def test_texts_that_overlap_one_another_on_one_line_are_spaced_by_one_call():
    pairs = [("a", "b"), ("a", "title"), ("b", "title")]
    fixed = fix_layout(CODE, [issue("overlap", 10, *pair) for pair in pairs])
    assert lines_of(fixed.code)[9] == "        _chalk_apart(a, b, title); self.play("
    assert fixed.fixes[0].description == "moved b and title beside a so they no longer overlap"


def test_small_text_is_enlarged_and_an_unnamed_text_is_fitted_where_it_is_made():
    off = issue("off_frame", 14, "", message="The Text 'Off to the right' leaves the frame.")
    fixed = fix_layout(CODE, [issue("small_text", 7, "title"), off])
    assert {f.rule for f in fixed.fixes} == {READABLE, FIT, HELPERS_RULE}
    assert "_chalk_readable(title); self.play(Write(title)" in fixed.code
    assert 'Write(_chalk_fit(Text("Off to the right").shift(RIGHT * 9)))' in fixed.code
    assert fixed.code.count(HELPERS_MARK) == 1


@pytest.mark.parametrize(
    "issues",
    [
        [],
        [LayoutIssue("contrast", "The Text 'x' is hard to read.", 1.0, 7)],
        [issue("off_frame", 7, "")],  # the probe knew no name, and no text to find
        [issue("overlap", 11, "a", "")],
        [issue("off_frame", None, "title")],  # type: ignore[arg-type]
        # names come from the sandbox: never written into code unless a plain variable name
        [issue("off_frame", 7, "import")],
        [issue("off_frame", 7, "title); import os; (x")],
        [issue("off_frame", 7, "__class__")],
    ],
)
def test_nothing_it_cannot_name_is_changed(issues):
    fixed = fix_layout(CODE, issues)
    assert fixed.code == CODE and not fixed.changed


def test_code_that_does_not_parse_and_a_call_already_there_are_left_alone():
    broken = "class Lesson(Scene:\n    pass\n"
    assert fix_layout(broken, [issue("off_frame", 1, "title")]).code == broken
    once = fix_layout(CODE, [issue("off_frame", 7, "title")]).code
    assert not fix_layout(once, [issue("off_frame", 7, "title")]).changed


def test_the_measured_loop_keeps_a_fix_only_when_it_clears_the_check():
    off = [issue("off_frame", 7, "title")]
    calls: list[str] = []

    def clean(code: str) -> list[LayoutIssue]:
        calls.append(code)
        return []

    kept = fix_layout_measured(CODE, clean, before=off)
    assert kept.changed and kept.code != CODE and kept.warnings_after == []
    assert kept.warnings_before == [off[0].message] and len(calls) == 1

    stuck = fix_layout_measured(CODE, lambda code: off, before=off)
    assert stuck.code == CODE and not stuck.fixes and stuck.warnings_after == [off[0].message]

    untouched = fix_layout_measured(CODE, clean)
    assert untouched.code == CODE and not untouched.fixes and len(calls) == 2


def test_the_check_names_the_group_a_text_is_in_and_finds_tiny_text():
    frame = [-7.111, -4.0, 7.111, 4.0]
    message = {
        "event": "layout",
        "t": 1.0,
        "line": 9,
        "frame": frame,
        "items": [
            {"id": 1, "kind": "VGroup", "name": "row", "box": [-9.0, 0.0, -5.0, 1.0]},
            {"id": 2, "kind": "Text", "name": "left", "label": "left", "text": True, "top": 1,
             "box": [-9.0, 0.0, -7.0, 1.0]},
            {"id": 3, "kind": "Text", "name": "fine", "label": "Fine print", "text": True,
             "box": [0.0, 0.0, 1.0, 0.05]},
        ],
    }  # fmt: skip
    off, small = check_layout([message])
    assert off.kind == "off_frame" and off.names == ("row",) and off.line == 9
    assert small.kind == "small_text" and small.names == ("fine",)
    assert small.message == "The Text 'Fine print' is too small to read at 1.0 s (line 9)."


# --- measured in the sandbox (no frames drawn) ------------------------------------------------


@pytest.mark.render
def test_off_frame_text_and_overlapping_labels_come_out_clean(warm_settings):
    measure = measurer(warm_settings, "preview", "16:9", None)
    fixed = fix_layout_measured(scene_code("layout_broken_scene"), measure)
    assert len(fixed.warnings_before) == 3 and fixed.warnings_after == []
    assert [f.rule for f in fixed.fixes] == [FIT, APART, FIT, HELPERS_RULE]
    assert measure(fixed.code) == []


@pytest.mark.render
def test_a_clean_scene_is_never_changed(warm_settings):
    code = scene_code("text_scene")
    fixed = fix_layout_measured(code, measurer(warm_settings, "preview", "16:9", None))
    assert fixed.code == code and not fixed.fixes and fixed.warnings_before == []


@pytest.mark.render
def test_a_scene_the_fix_cannot_clear_keeps_its_code_and_warnings(warm_settings):
    code = scene_code("layout_stuck_scene")
    fixed = fix_layout_measured(code, measurer(warm_settings, "preview", "16:9", None))
    assert fixed.code == code and not fixed.fixes
    assert len(fixed.warnings_before) == 2 and fixed.warnings_after == fixed.warnings_before


# --- the CLI ----------------------------------------------------------------------------------


@pytest.mark.render
def test_cli_fix_layout_prints_one_json_object(tmp_path):
    source = SCENES / "layout_broken_scene.py"
    proc = chalk("fix", "--layout", "--code", str(source), "--json", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert data.keys() == {"status", "error", "code", "fixes", "warnings_before", "warnings_after"}
    assert data["status"] == "succeeded" and data["error"] is None
    assert len(data["warnings_before"]) == 3 and data["warnings_after"] == []
    assert data["fixes"][0] == {
        "rule": FIT,
        "line": 7,
        "description": "scaled title to fit and moved it inside the frame",
    }
    assert "_chalk_apart(label_a, label_b); self.play(" in data["code"]
    assert not list(tmp_path.glob("**/*.mp4"))  # measured, never rendered


def test_cli_fix_layout_usage_error_exits_2(tmp_path):
    proc = chalk(
        "fix", "--layout", "--code", str(tmp_path / "missing.py"), "--json", data_dir=tmp_path
    )
    assert proc.returncode == 2 and proc.stdout == ""

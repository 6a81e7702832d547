"""`chalk fix --code FILE.py`: the fixer, then the same gates and render as `chalk render`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import CONTRACT_KEYS, chalk, one_json

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.render
def test_fix_json_renders_and_lists_the_rewrites(tmp_path):
    out = tmp_path / "fixed.mp4"
    source = CORPUS / "05_manimlib_imports.py"
    proc = chalk("fix", "--code", str(source), "--out", str(out), "--json", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert data.keys() >= CONTRACT_KEYS | {"fixes", "attempt_log"}
    assert data["status"] == "succeeded" and data["generator"] == "user"
    assert [f["rule"] for f in data["fixes"]] == ["manimlib-import", "ShowCreation"]
    assert data["fixes"][1] == {
        "rule": "ShowCreation",
        "line": 8,
        "description": "ShowCreation(…) → Create(…)",
    }
    assert data["code"].startswith("# expect:") and "from manim import *" in data["code"]
    assert "Create(square)" in data["code"] and out.exists()
    assert data["attempts"] == 1 and data["layout_warnings"] == []


@pytest.mark.render
def test_fix_without_json_prints_the_video_and_the_rewrites(tmp_path):
    out = tmp_path / "v.mp4"
    proc = chalk(
        "fix", "--code", str(CORPUS / "09_fadeinfrom.py"), "--out", str(out), data_dir=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    assert "fixed line 8: FadeInFrom(…) → FadeIn(word, shift=RIGHT)" in proc.stderr


def test_fix_no_render_prints_the_fixed_code(tmp_path):
    proc = chalk(
        "fix", "--code", str(CORPUS / "13_play_method.py"), "--no-render", data_dir=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "self.play(square.animate.set_color(RED).scale(0.5), run_time=0.5)" in proc.stdout
    proc = chalk(
        "fix",
        "--code",
        str(CORPUS / "13_play_method.py"),
        "--no-render",
        "--json",
        data_dir=tmp_path,
    )
    data = json.loads(proc.stdout)
    assert [f["rule"] for f in data["fixes"]] == ["play-method", "play-method"]
    assert not (tmp_path / "work").exists()


def test_fixed_code_still_passes_the_policy(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from manimlib.imports import *\nimport os\n\n\nclass S(Scene):\n"
        "    def construct(self):\n        self.play(ShowCreation(Circle()))\n"
    )
    proc = chalk("fix", "--code", str(bad), "--json", data_dir=tmp_path)
    assert proc.returncode == 1
    data = one_json(proc.stdout)
    assert data["status"] == "rejected" and data["error"]["kind"] == "validation"
    assert data["error"]["message"].startswith("Line 2: importing 'os' is not allowed")
    assert {f["rule"] for f in data["fixes"]} == {"manimlib-import", "ShowCreation"}


@pytest.mark.parametrize("args", [["fix"], ["fix", "--code", "/nonexistent.py"]])
def test_fix_usage_errors_exit_2(args, tmp_path):
    proc = chalk(*args, data_dir=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""

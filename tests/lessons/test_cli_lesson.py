"""`chalk lesson`: prompts → jobs → one MP4 with chapters, one JSON object, exit codes."""

from __future__ import annotations

import json
import subprocess

import pytest

from app.cli import main
from tests.lessons.clips import FakeRenderer

PROMPTS = ["graph y = 2x + 1", "area of a circle of radius 2", "pythagoras theorem"]


@pytest.fixture
def cli_settings(lesson_settings, monkeypatch):
    monkeypatch.setattr("app.cli.lessons.get_settings", lambda: lesson_settings)
    monkeypatch.setattr("app.cli.get_settings", lambda: lesson_settings)
    return lesson_settings


def test_chalk_lesson_prints_the_video_its_duration_and_a_chapter_per_prompt(
    cli_settings, renderer: FakeRenderer, tmp_path, capsys
):
    out = tmp_path / "lesson.mp4"
    code = main(["lesson", *PROMPTS, "--generator", "offline", "--out", str(out), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert data["status"] == "succeeded" and data["error"] is None
    assert data["video"] == str(out) and out.is_file()
    assert data["subtitles"] is None
    assert [c["title"] for c in data["chapters"]] == PROMPTS
    # The fake renderer makes each scene as long as its code's first run_time (1, 1.2, 1 s).
    assert [c["end"] for c in data["chapters"]] == [1.0, 2.2, 3.2]
    assert data["duration"] == pytest.approx(3.2, abs=0.2)
    assert sorted(renderer.rendered) == ["CircleArea", "FunctionGraph", "PythagoreanTheorem"]
    probed = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_chapters",
                "-show_format",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert [c["tags"]["title"] for c in probed["chapters"]] == PROMPTS
    assert float(probed["format"]["duration"]) == pytest.approx(3.2, abs=0.2)


def test_a_scene_without_a_template_fails_the_lesson_with_its_name(cli_settings, capsys):
    code = main(["lesson", "graph y = 2x + 1", "qwzx blorp", "--generator", "offline", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["status"] == "failed" and data["video"] is None
    assert data["error"]["message"].startswith("Scene 2 (“qwzx blorp”) failed: ")
    assert [s["state"] for s in data["scenes"]] == ["succeeded", "failed"]


def test_usage_errors_exit_2(cli_settings, capsys):
    assert main(["lesson", "a circle", "--out", "x.gif"]) == 2
    assert main(["lesson", "a circle", "  "]) == 2


def test_chalk_render_makes_a_prompt_that_asks_for_two_things_a_lesson(
    cli_settings, renderer: FakeRenderer, tmp_path, capsys
):
    out = tmp_path / "two.mp4"
    prompt = "graph y = 2x + 1, then show its gradient"
    code = main(["render", prompt, "--generator", "offline", "--out", str(out), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert (data["status"], data["lesson"], data["generator"]) == ("succeeded", True, "lesson")
    assert data["video"] == str(out) and out.is_file()
    assert [(s["template"], s["prompt"]) for s in data["scenes"]] == [
        ("function_graph", "graph y = 2x + 1"),
        ("straight_line_graph", "show the gradient of the line y = 2x + 1"),
    ]
    assert data["scenes"][0]["params"]["expression"] == "2*x + 1"
    assert (data["scenes"][1]["params"]["m"], data["scenes"][1]["params"]["c"]) == (2.0, 1.0)
    assert [c["title"] for c in data["chapters"]] == [s["prompt"] for s in data["scenes"]]

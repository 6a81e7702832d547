"""`chalk lesson`: prompts → jobs → one MP4 with chapters, one JSON object, exit codes."""

from __future__ import annotations

import json
import subprocess

import pytest

from app.cli import main
from tests.lessons.clips import FakeRenderer, fake_narrated_renders

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
    printed = capsys.readouterr()
    data = json.loads(printed.out)
    assert code == 0, (data, printed.err[-4000:])  # the log says why a scene failed
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
    printed = capsys.readouterr()
    data = json.loads(printed.out)
    assert code == 0, (data, printed.err[-4000:])  # the log says why a scene failed
    assert (data["status"], data["lesson"], data["generator"]) == ("succeeded", True, "lesson")
    assert data["video"] == str(out) and out.is_file()
    assert [(s["template"], s["prompt"]) for s in data["scenes"]] == [
        ("function_graph", "graph y = 2x + 1"),
        ("straight_line_graph", "show the gradient of the line y = 2x + 1"),
    ]
    assert data["scenes"][0]["params"]["expression"] == "2*x + 1"
    assert (data["scenes"][1]["params"]["m"], data["scenes"][1]["params"]["c"]) == (2.0, 1.0)
    assert [c["title"] for c in data["chapters"]] == [s["prompt"] for s in data["scenes"]]


def test_a_narrated_lesson_prints_its_captions_one_chapter_after_another(
    cli_settings, monkeypatch, tmp_path, capsys
):
    """`--narrate`: each scene's first narrate() sentence is spoken (espeak-ng: cheap) over a
    real clip; the JSON names the joined captions, one cue per scene inside its chapter."""
    import ast

    from app.settings import Settings
    from app.speech.captions import parse_cues
    from app.speech.text import narrate_calls

    def first_sentence(code: str) -> str:
        return str(ast.literal_eval(narrate_calls(code)[0]))

    fake_narrated_renders(monkeypatch, tmp_path / "renders", first_sentence)
    espeak: Settings = cli_settings.model_copy(update={"speech_engine": "espeak"})
    monkeypatch.setattr("app.cli.lessons.get_settings", lambda: espeak)
    monkeypatch.setattr("app.cli.get_settings", lambda: espeak)
    out = tmp_path / "lesson.mp4"
    argv = ["lesson", *PROMPTS, "--narrate", "--generator", "offline", "--out", str(out), "--json"]
    code = main(argv)
    printed = capsys.readouterr()
    data = json.loads(printed.out)
    assert code == 0, (data, printed.err[-4000:])  # the log says why a scene failed
    assert data["subtitles"] == str(out.with_name("lesson.captions.vtt"))
    cues = parse_cues(out.with_name("lesson.captions.vtt").read_text())
    chapters = data["chapters"]
    # Each scene's sentence is captioned inside its own chapter.
    assert len(chapters) == 3 and len(cues) >= 3
    for chapter in chapters:
        assert any(chapter["start"] <= cue.start < chapter["end"] for cue in cues), chapter
    assert all(any(c["start"] <= cue.start < c["end"] for c in chapters) for cue in cues)
    streams = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "aac" in streams

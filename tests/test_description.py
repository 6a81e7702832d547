"""A video's text description (app/description.py): the timeline from the sandbox's layout
snapshots (untrusted), the summary, and the text and WebVTT forms it is served in; and that a
real render gets one in `chalk render --json` shape."""

from __future__ import annotations

import re
import textwrap

import pytest

from app.description import (
    Description,
    Moment,
    describe_video,
    latex_words,
    timeline,
    vtt_time,
)
from app.generators.offline import render_template
from app.pipeline.job import run_job
from app.settings import Settings


def snapshot(start: float, *items: dict, becomes: list | None = None) -> dict:
    return {
        "event": "layout",
        "t": start + 1.0,
        "start": start,
        "frame": [-7.1, -4.0, 7.1, 4.0],
        "items": list(items),
        "becomes": becomes or [],
    }


def text(ident: int, label: str, kind: str = "Text", top: int | None = None) -> dict:
    return {
        "id": ident,
        "kind": kind,
        "label": label,
        "text": True,
        "top": top,
        "box": [0, 0, 1, 1],
    }


def shape(ident: int, kind: str, top: int | None = None) -> dict:
    return {"id": ident, "kind": kind, "label": "", "text": False, "top": top, "box": [0, 0, 1, 1]}


@pytest.mark.parametrize(
    ("tex", "said"),
    [
        (r"\int_0^1 x^{2}\,dx = \frac{1}{3}", "∫₀¹ x² dx = 1/3"),
        (r"f(x) = \sin\left(x\right) + 1", "f(x) = sin(x) + 1"),
        (r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}", "x = (-b ± √(b² - 4ac))/(2a)"),
        (r"n = 12: \quad \text{sum} \approx 7.906", "n = 12: sum ≈ 7.906"),
        (r"\theta = 30^\circ", "θ = 30^°"),
        (r"a^{n+1} \cdot b_{k}", "aⁿ⁺¹ · b_k"),
    ],
)
def test_formulas_are_written_as_a_reader_sees_them(tex: str, said: str) -> None:
    assert latex_words(tex) == said


def test_the_timeline_says_what_each_play_added_when_it_began() -> None:
    messages = [
        snapshot(0.0, text(1, "Area of a circle")),
        snapshot(
            1.0, text(1, "Area of a circle"), shape(2, "Axes"), shape(3, "Dot"), shape(4, "Dot")
        ),
        snapshot(
            2.5,
            text(1, "Area of a circle"),
            shape(5, "VGroup"),  # a group says nothing itself: its texts speak
            text(6, r"A = \pi r^{2}", kind="MathTex", top=5),
        ),
        snapshot(4.0, text(6, r"A = \pi r^{2}", kind="MathTex"), becomes=[r"A \approx 12.566"]),
        snapshot(5.0, text(6, r"A = \pi r^{2}", kind="MathTex")),  # nothing new: no moment
        snapshot(6.0, text(7, "1.00", kind="DecimalNumber")),
        snapshot(7.0, text(7, "2.40", kind="DecimalNumber")),  # a counter counted on
    ]
    assert timeline(messages) == [
        Moment(0.0, "Appears: “Area of a circle”."),
        Moment(1.0, "Appears: axes and 2 dots."),
        Moment(2.5, "Appears: “A = π r²”."),
        Moment(4.0, "Changes to “A ≈ 12.566”."),
        Moment(6.0, "Appears: “1.00”."),
        Moment(7.0, "Changes to “2.40”."),
    ]


def test_the_timeline_takes_only_well_formed_bounded_fields_from_the_sandbox() -> None:
    messages: list = [
        "not a dict",
        {"event": "other"},
        snapshot(float("nan"), text(1, "dropped: no time")),
        {**snapshot(0.0), "items": "not a list"},
        snapshot(0.5, {"id": "not an int", "label": "x", "text": True}, text(2, "x" * 10_000)),
        snapshot(1.0, text(3, "ok\x1b[31m\u202e"), becomes="not a list"),
    ]
    moments = timeline(messages)
    assert [m.t for m in moments] == [0.5, 1.0]
    assert len(moments[0].text) < 200  # the label is cut
    assert moments[1].text == "Appears: “ok[31m”."  # control characters dropped
    many = [snapshot(float(i), text(i, f"step {i}")) for i in range(500)]
    assert len(timeline(many)) == 60


def test_other_code_gets_a_summary_from_what_was_seen_and_a_template_keeps_its_own() -> None:
    messages = [snapshot(0.0, text(1, "Hello")), snapshot(1.0, shape(2, "Circle"))]
    observed = describe_video([], messages, 3.2)
    assert observed.source == "observed"
    assert observed.summary == [
        "A 3-second animation.",
        "It shows, in order: “Hello”; then a circle.",
    ]
    own = describe_video(["The title reads: Hello."], messages, 3.2)
    assert own.source == "template" and own.summary == ["The title reads: Hello."]
    assert own.moments == observed.moments
    assert describe_video([], [], 2.0).summary[1].startswith("Chalk could not list")


def test_the_webvtt_track_has_a_cue_per_moment_until_the_next() -> None:
    described = Description(
        ["A circle."], [Moment(0.0, "Appears: “r = 2”."), Moment(1.5, "Appears: a circle.")], 4.0
    )
    vtt = described.as_webvtt()
    assert vtt.startswith("WEBVTT\n\n")
    cues = re.findall(r"^(\d+)\n(\S+) --> (\S+)\n(.+)$", vtt, re.M)
    assert cues == [
        ("1", "00:00:00.000", "00:00:01.500", "Appears: “r = 2”."),
        ("2", "00:00:01.500", "00:00:04.000", "Appears: a circle."),
    ]
    # Nothing seen (a 3D scene): the summary is one cue over the whole video.
    assert (
        "00:00:00.000 --> 00:00:04.000\nA circle."
        in Description(["A circle."], [], 4.0).as_webvtt()
    )
    # A cue's text can never end the cue early.
    assert "-->" not in Description([], [Moment(0, "a --> b")], 1.0).as_webvtt().split("\n", 4)[4]
    assert vtt_time(3723.5) == "01:02:03.500"


def test_the_text_and_the_stored_form() -> None:
    described = Description(["Two sentences.", "With 6.875."], [Moment(61.0, "Appears: “x”.")], 75)
    assert described.as_text("Riemann") == (
        "Riemann (1:15)\n\nTwo sentences.\nWith 6.875.\n\nTimeline:\n1:01  Appears: “x”.\n"
    )
    assert Description.from_json(described.to_json()) == described
    for damaged in (None, "text", {"summary": "not a list"}, {"timeline": []}):
        assert Description.from_json(damaged) is None
    partly = Description.from_json({"summary": ["ok", 3], "timeline": [{"t": "x"}, "y"]})
    assert partly is not None and partly.summary == ["ok"] and partly.moments == []


@pytest.mark.render
def test_a_teachers_scene_is_described_from_what_the_sandbox_saw(warm_settings: Settings) -> None:
    """What the sandbox saw, with the values on screen, including a Transform's new label."""
    code = textwrap.dedent(
        r"""
        from manim import *

        class Growth(Scene):
            def construct(self):
                title = Text("Doubling", font_size=40).to_edge(UP)
                self.play(Write(title), run_time=0.5)
                value = MathTex(r"2^{3} = 8")
                self.play(FadeIn(value), Create(Circle()), run_time=0.5)
                self.play(Transform(value, MathTex(r"2^{4} = 16")), run_time=0.5)
        """
    )
    result = run_job(code=code, settings=warm_settings)
    assert result.ok, result.error
    data = result.to_json()
    assert data["description_timeline"] == [
        {"t": 0.0, "text": "Appears: “Doubling”."},
        {"t": 0.5, "text": "Appears: “2³ = 8” and a circle."},
        {"t": 1.0, "text": "Changes to “2⁴ = 16”."},
    ]
    assert data["description"].startswith("A 2-second animation. It shows, in order:")


def test_template_code_pasted_back_keeps_its_template_values_and_description(warm_settings):
    made = render_template("number_line", {"operation": "2 + 3"})
    result = run_job(code=made.code, settings=warm_settings)
    assert result.ok, result.error
    data = result.to_json()
    assert (data["generator"], data["template"]) == ("user", "number_line")
    assert data["params"] == made.params
    assert result.description is not None and result.description.source == "template"
    assert result.description.summary == made.description
    # One character changed anywhere: the user's own code, described from what was seen.
    header, scene = made.code.split("from manim import *", 1)
    assert "2 + 3" in scene
    edited_code = header + "from manim import *" + scene.replace("2 + 3", "2 + 4")
    edited = run_job(code=edited_code, settings=warm_settings)
    assert edited.ok, edited.error
    assert edited.template is None and edited.description.source == "observed"

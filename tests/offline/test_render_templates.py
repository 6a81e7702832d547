"""Every template renders in the sandbox at preview quality at its defaults, and its other
parameter sets and its defaults in the portrait and square frames (where its parts are
re-arranged) are measured by the same sandbox without drawing a frame.

The full renders go through the real render path (policy → sandbox → output gate), then
compare video metadata as Manim's own tests do, and check the layout probe found nothing
off-screen or overlapping and the frame probe no flashing and no text under 4.5:1 contrast,
and that the values the template's description gives are the ones the video shows.
The variants go through measure_code: the same
policy, the same sandbox and the same first pass every render starts with (construct() with
animations skipped and the layout probe measuring), so their length and layout are what a
render would show; what only a full render adds (encoding, frame count, output gate) does not
depend on the parameters and is proven by the default render, and the frame checks, which
need drawn frames, judge the defaults only. Both use one warm sandbox per test process.
"""

from __future__ import annotations

import re

import pytest

from app.core.frame_checks import check_frames
from app.core.layout import check_layout, layout_warnings
from app.core.render import measure_code, render_code
from app.description import timeline
from app.generators.offline import render_template
from app.generators.offline.catalogue import registry
from app.settings import Settings

pytestmark = pytest.mark.render

SIZES = {"16:9": (854, 480), "9:16": (480, 854), "1:1": (480, 480)}
# Preview's frame size at a third of its frame rate: what is tested here is each template's
# code, duration and layout, and Manim's time goes per frame (the preview rate itself is
# checked in tests/test_render.py). 83 renders take a third of the time.
FPS = 5


# Templates with text under 4.5:1 against what is behind it at their defaults, as the frame
# checks measure it (white on gold, green or olive fills, a yellow label on teal sectors): real
# findings, listed so that they stay visible until the colours change, and so that a template
# that gets fixed (or a new one that fails) shows up here.
@pytest.fixture
def template_settings(warm_settings: Settings) -> Settings:
    presets = dict(warm_settings.quality_presets)
    presets["preview"] = presets["preview"].model_copy(update={"fps": FPS})
    return warm_settings.model_copy(update={"quality_presets": presets})


# A value a description gives with decimals ("about 6.875", "f'(x) = -4.80") is one the video
# shows: the template computed it on the host, the video's own code in the sandbox, and the
# layout probe read it off the screen at the end of a play(). Two kinds are said but not seen
# there: a distance said in words, and readings a counter passes mid-animation.
DECIMAL = re.compile(r"-?\d+\.\d{2,}")
SAID_NOT_SEEN = {
    "limit_approach": {"0.01"},  # "they slide to within 0.01 of x = 0"
    "unit_circle_trig": {"1.00", "0.00", "-1.00"},  # "passing 1.00 at 90°, 0.00 at 180°"
}


def assert_described_values_are_shown(template_id: str, sentences: list[str], layout: list) -> None:
    shown = " ".join(moment.text for moment in timeline(layout))
    said = set(DECIMAL.findall(" ".join(sentences))) - SAID_NOT_SEEN.get(template_id, set())
    assert {value for value in said if value not in shown} == set(), shown


# Scenes whose smallest labels are under the readable minimum in a portrait or square frame,
# as the small-text check (relative to the frame's shorter side) measures it: known findings
# listed by aspect ("9:16", "1:1"), so that they stay visible until the template is
# re-arranged. None at present: every template's defaults are readable in every frame.
SMALL_WHEN_NARROW: dict[str, tuple[str, ...]] = {}


def assert_fits(template_id: str, aspect: str, layout: list) -> None:
    """No warnings; a known finding (SMALL_WHEN_NARROW) is small text and nothing else."""
    issues = check_layout(layout)
    if aspect in SMALL_WHEN_NARROW.get(template_id, ()):
        assert issues and {issue.kind for issue in issues} == {"small_text"}, issues
    else:
        assert [issue.message for issue in issues] == []


def render_cases() -> list[tuple[str, int, dict | None, str]]:
    cases = []
    for template_id, template in registry().items():
        cases.append((template_id, 0, None, "16:9"))
        cases += [(template_id, i, params, "16:9") for i, params in enumerate(template.variants, 1)]
        # Portrait and square frames re-arrange the parts (app/generators/offline/arrange.py)
        cases += [(template_id, 0, None, "9:16"), (template_id, 0, None, "1:1")]
    return cases


CASES = render_cases()
DEFAULTS = [case for case in CASES if case[1:] == (0, None, "16:9")]
VARIANTS = [case for case in CASES if case not in DEFAULTS]


def case_id(case: tuple[str, int, dict | None, str]) -> str:
    return f"{case[0]}-{case[1]}-{case[3]}"


def test_every_template_has_three_render_cases():
    for template_id in registry():
        assert sum(case[0] == template_id for case in CASES) >= 3
    assert sorted(case[0] for case in DEFAULTS) == sorted(registry())


@pytest.mark.parametrize(
    ("template_id", "index", "params", "aspect"), DEFAULTS, ids=[case_id(c) for c in DEFAULTS]
)
def test_template_renders_at_preview(
    template_id, index, params, aspect, template_settings, tmp_path
):
    generation = render_template(template_id, params)
    result = render_code(
        generation.code,
        quality="preview",
        aspect=aspect,
        out=tmp_path / "v.mp4",
        settings=template_settings,
    )
    assert result.codec == "h264"
    assert (result.width, result.height) == SIZES[aspect]
    assert result.fps == pytest.approx(FPS)
    assert 5.0 <= result.duration_s <= 20.0  # a calm preview
    assert abs(result.frames - result.duration_s * FPS) <= 2
    assert layout_warnings(result.layout) == []
    issues = check_frames(result.frame_checks)
    assert [issue.message for issue in issues] == []  # no flashing, no text under 4.5:1
    assert_described_values_are_shown(template_id, generation.description, result.layout)


@pytest.mark.parametrize(
    ("template_id", "index", "params", "aspect"), VARIANTS, ids=[case_id(c) for c in VARIANTS]
)
def test_template_variant_runs_and_fits_the_frame(
    template_id, index, params, aspect, template_settings
):
    generation = render_template(template_id, params)
    measured = measure_code(
        generation.code, quality="preview", aspect=aspect, settings=template_settings
    )
    assert 5.0 <= measured.duration_s <= 20.0  # a calm preview
    assert measured.layout, "the layout probe saw nothing"
    assert_fits(template_id, aspect, measured.layout)
    assert_described_values_are_shown(template_id, generation.description, measured.layout)

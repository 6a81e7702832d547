"""Frame checks: flashes (WCAG 2.3.1) and text contrast (WCAG 1.4.3) measured on the frames.

The flash arithmetic (app/core/flash_meter.py) is driven here with synthetic frames, the
supervisor's parser (app/core/frame_checks.py) with hand-written messages, and both together
by real renders of the scenes in tests/scenes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core.flash_meter import FlashMeter, contrast_ratio, linear
from app.core.frame_checks import check_frames, frame_warnings
from app.core.layout import LayoutIssue, layout_warnings
from app.core.render import render_code
from app.pipeline.feedback import feedback_for_layout
from app.pipeline.job import run_job
from app.settings import Settings
from tests.conftest import scene_code

WIDTH, HEIGHT = 854, 480  # preview
FIELD_AREA = (341 * 854 / 1024) * (256 * 854 / 1024)  # a 10-degree field at preview size


def grey_for(luminance: float) -> int:
    """The 8-bit grey whose relative luminance is nearest to `luminance`."""
    levels = linear(np.arange(256) / 255.0)
    return int(np.argmin(np.abs(levels - luminance)))


def solid(rgb: tuple[int, int, int], width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    frame = np.empty((height, width, 4), np.uint8)
    frame[..., :3] = rgb
    frame[..., 3] = 255
    return frame


def measure(frames: list[np.ndarray], fps: int, width: int = WIDTH, height: int = HEIGHT):
    meter = FlashMeter(width, height, fps)
    for frame in frames:
        meter.add(frame)
    return meter.episodes("general"), meter.episodes("red")


def alternating(first: np.ndarray, second: np.ndarray, every: int, count: int) -> list:
    """`count` frames swapping between two frames every `every` frames."""
    return [second if (index // every) % 2 else first for index in range(count)]


# --- the flash arithmetic -------------------------------------------------------------------


def test_full_frame_black_and_white_five_times_a_second_is_five_flashes():
    black, white = solid((0, 0, 0)), solid((255, 255, 255))
    frames = [black] * 10 + alternating(black, white, 1, 20) + [black] * 10
    general, red = measure(frames, fps=10)
    assert red == []
    ((stretch),) = general
    assert stretch["flashes"] == 5
    assert 0.9 <= stretch["start"] <= 1.1 and 2.8 <= stretch["end"] <= 3.1
    assert 0.9 <= stretch["at"] <= 1.1


def test_three_flashes_a_second_are_allowed_and_four_are_not():
    black, white = solid((0, 0, 0)), solid((255, 255, 255))
    three = alternating(black, white, 2, 36)  # 12 fps: a change every 2 frames, 6 a second
    assert measure(three, fps=12) == ([], [])
    four = alternating(black, white, 3, 72)  # 24 fps: a change every 3 frames, 8 a second
    general, _ = measure(four, fps=24)
    assert [s["flashes"] for s in general] == [4]


def test_a_change_under_a_tenth_of_the_luminance_range_is_no_flash():
    dark = solid((0, 0, 0))
    small = solid((grey_for(0.08),) * 3)
    large = solid((grey_for(0.12),) * 3)
    assert measure(alternating(dark, small, 1, 30), fps=10) == ([], [])
    general, _ = measure(alternating(dark, large, 1, 30), fps=10)
    assert general and general[0]["flashes"] == 5


def test_changes_between_two_bright_images_are_no_flash():
    # The darker image must be below 0.80 relative luminance for a general flash.
    bright, brighter = solid((grey_for(0.85),) * 3), solid((255, 255, 255))
    assert measure(alternating(bright, brighter, 1, 30), fps=10) == ([], [])
    dimmer = solid((grey_for(0.7),) * 3)
    general, _ = measure(alternating(dimmer, brighter, 1, 30), fps=10)
    assert general


def test_a_slow_fade_counts_its_whole_change_once():
    # Black to white and back in steps of a sixth: one up and one down transition per cycle
    # of 12 frames, however many frames each swing takes.
    ramp = [solid((grey_for(step / 6),) * 3) for step in range(7)]
    cycle = ramp + ramp[-2:0:-1]
    frames = cycle * 8
    assert measure(frames, fps=24) == ([], [])  # 4 transitions a second: 2 flashes
    general, _ = measure(frames, fps=48)  # the same frames twice as fast: 4 flashes
    assert [s["flashes"] for s in general] == [4]


@pytest.mark.parametrize(("share", "flagged"), [(0.1, False), (0.15, False), (0.35, True)])
def test_only_a_flashing_area_of_about_a_quarter_of_a_field_counts(share, flagged):
    side = int((share * FIELD_AREA) ** 0.5)
    black = solid((0, 0, 0))
    lit = black.copy()
    lit[101 : 101 + side, 203 : 203 + side, :3] = 255
    general, _ = measure(alternating(black, lit, 1, 30), fps=10)
    assert bool(general) is flagged


def test_saturated_red_against_a_grey_as_bright_is_a_red_flash_only():
    red = solid((255, 0, 0))
    grey = solid((grey_for(0.2126),) * 3)  # the luminance of pure red
    general, red_flashes = measure(alternating(grey, red, 1, 30), fps=10)
    assert general == []
    assert [s["flashes"] for s in red_flashes] == [5]


def test_manims_red_is_not_saturated_enough_for_a_red_flash():
    red = solid((0xFC, 0x62, 0x55))  # Manim's RED: R/(R+G+B) is 0.58
    grey = solid(
        (grey_for(float(linear(np.array([0xFC, 0x62, 0x55]) / 255) @ [0.2126, 0.7152, 0.0722])),)
        * 3
    )
    assert measure(alternating(grey, red, 1, 30), fps=10) == ([], [])


def test_a_long_hold_only_moves_time_on():
    black, white = solid((0, 0, 0)), solid((255, 255, 255))
    meter = FlashMeter(WIDTH, HEIGHT, 10)
    meter.add(black, repeat=100)
    for frame in alternating(black, white, 1, 20):
        meter.add(frame)
    meter.add(black, repeat=50)
    assert meter.frames == 170
    ((stretch),) = meter.episodes("general")
    assert 9.9 <= stretch["start"] <= 10.2 and stretch["end"] <= 12.1


@pytest.mark.parametrize("size", [(480, 854), (480, 480), (1920, 1080), (64, 36)])
def test_every_frame_shape_gets_a_grid_and_finds_a_full_frame_flash(size):
    width, height = size
    black, white = solid((0, 0, 0), width, height), solid((255, 255, 255), width, height)
    general, _ = measure(alternating(black, white, 1, 20), fps=10, width=width, height=height)
    assert [s["flashes"] for s in general] == [5]


def test_contrast_ratios_match_wcag():
    assert contrast_ratio((1, 1, 1), (0, 0, 0)) == pytest.approx(21)
    assert contrast_ratio((0, 0, 0), (0, 0, 0)) == pytest.approx(1)
    # #767676 on white is the well-known lightest grey that passes 4.5:1.
    assert contrast_ratio((0x76 / 255,) * 3, (1, 1, 1)) == pytest.approx(4.54, abs=0.01)


# --- the supervisor's side: untrusted messages into sentences --------------------------------


def report(flashes=(), texts=()) -> dict:
    return {
        "event": "frame_checks",
        "frames": 30,
        "fps": 15,
        "flashes_measured": True,
        "texts_measured": True,
        "flashes": list(flashes),
        "texts": list(texts),
    }


def text(label="x = 3", colour="#444444", background="#000000", opacity=1.0, **extra) -> dict:
    return {
        "kind": "MathTex",
        "name": "eq",
        "label": label,
        "colour": colour,
        "opacity": opacity,
        "background": background,
        "ratio": 21.0,  # the sandbox's claim: never believed
        "t": 1.0,
        "line": 7,
        **extra,
    }


def test_flashing_stretches_become_one_sentence_each():
    flashes = [
        {"kind": "general", "start": 3.1, "end": 4.0, "flashes": 5, "at": 3.2},
        {"kind": "red", "start": 62.0, "end": 70.0, "flashes": 4, "at": 63.0},
    ]
    assert frame_warnings([report(flashes)]) == [
        "The scene flashes 5 times in one second around 0:03; more than 3 a second can "
        "trigger seizures in photosensitive students, so slow it down or soften the change.",
        "The scene flashes red 4 times in one second around 1:03 (until 1:10); more than 3 a "
        "second can trigger seizures in photosensitive students, so slow it down or avoid "
        "saturated red.",
    ]


def test_contrast_is_computed_from_the_colours_not_taken_from_the_sandbox():
    (warning,) = frame_warnings([report(texts=[text()])])
    assert warning == (
        "The MathTex 'x = 3' is hard to read at 1.0 s (line 7): contrast 2.1:1 against its "
        "background, at least 4.5:1 needed; use a lighter colour."
    )
    # Readable colours pass whatever ratio the sandbox claims.
    assert frame_warnings([report(texts=[text(colour="#ffffff", ratio=1.0)])]) == []


def test_dark_text_on_a_light_background_is_told_to_be_darker():
    (warning,) = frame_warnings([report(texts=[text(colour="#bbbbbb", background="#ffffff")])])
    assert warning.endswith("use a darker colour.")


def test_translucent_text_is_judged_as_drawn():
    assert frame_warnings([report(texts=[text(colour="#ffffff", opacity=1.0)])]) == []
    (warning,) = frame_warnings([report(texts=[text(colour="#ffffff", opacity=0.3)])])
    assert "contrast 2.4:1" in warning


def test_the_ratio_is_rounded_down_so_it_never_reads_as_enough():
    # #777777 on black is 4.69:1 (passes); a grey just under 4.5:1 must not print "4.5:1".
    grey = next(
        value
        for value in range(0x60, 0x80)
        if 4.45 < contrast_ratio((value / 255,) * 3, (0, 0, 0)) < 4.5
    )
    (warning,) = frame_warnings([report(texts=[text(colour=f"#{grey:02x}{grey:02x}{grey:02x}")])])
    assert "contrast 4.4:1" in warning


def test_warnings_are_ordered_deduplicated_and_bounded():
    texts = [text(label=f"label {i}", colour="#333333") for i in range(20)]
    texts += [text(label="label 0", colour="#111111")]  # the same words again
    flashes = [
        {"kind": "general", "start": t, "end": t + 1, "flashes": 4 + t, "at": t} for t in range(10)
    ]
    warnings = frame_warnings([report(flashes, texts)])
    flash_lines = [w for w in warnings if "flashes" in w]
    contrast_lines = [w for w in warnings if "hard to read" in w]
    assert len(flash_lines) == 3 and len(contrast_lines) == 5
    assert "13 times" in flash_lines[-1]  # the worst three, in time order
    assert sum("'label 0'" in w for w in contrast_lines) == 1
    assert warnings == flash_lines + contrast_lines


@pytest.mark.parametrize(
    "message",
    [
        {"event": "frame_checks"},
        {"event": "frame_checks", "flashes": "many", "texts": {"a": 1}},
        report(flashes=[{"kind": "general", "start": 0, "end": 1, "flashes": 3, "at": 0}]),
        report(flashes=[{"kind": "blue", "start": 0, "end": 1, "flashes": 9, "at": 0}]),
        report(flashes=[{"kind": "general", "start": 2, "end": 1, "flashes": 9, "at": 0}]),
        report(flashes=[{"kind": "general", "start": 0, "end": 1, "flashes": True, "at": 0}]),
        report(flashes=[{"kind": "red", "start": -1, "end": 1, "flashes": 9, "at": 0}]),
        report(flashes=[{"kind": "red", "start": 0, "end": float("inf"), "flashes": 9, "at": 0}]),
        report(flashes=["flash"]),
        report(texts=[text(colour="red")]),
        report(texts=[text(colour="#44444")]),
        report(texts=[text(background=None)]),
        report(texts=[text(opacity=1.5)]),
        report(texts=[text(opacity=float("nan"))]),
        report(texts=[text(t="soon")]),
        report(texts=[42]),
        {"event": "layout", "flashes": [{"kind": "general", "flashes": 9}]},
    ],
)
def test_malformed_reports_from_the_sandbox_are_dropped(message):
    assert check_frames([message]) == []


def test_labels_and_lines_from_the_sandbox_are_cleaned_and_bounded():
    evil = text(label="a\x1b[31mb'" + "x" * 500, line=10**9, kind="K" * 300)
    (warning,) = frame_warnings([report(texts=[evil])])
    assert "\x1b" not in warning and "’" in warning and len(warning) < 260
    assert "line" not in warning  # an absurd line number is dropped, not printed


def test_only_the_first_report_counts_and_sizes_are_bounded():
    many = report(texts=[text(label=f"t{i}", colour="#222222") for i in range(10_000)])
    second = report(flashes=[{"kind": "general", "start": 0, "end": 1, "flashes": 9, "at": 0}])
    warnings = frame_warnings([many, second])
    assert len(warnings) == 5 and not any("flashes" in w for w in warnings)


def test_the_repair_loop_tells_the_model_how_to_fix_frame_issues():
    flashes = [{"kind": "general", "start": 1, "end": 2, "flashes": 5, "at": 1}]
    issues = check_frames([report(flashes, [text()])])
    only_frames = feedback_for_layout(issues, 14.2)
    assert "fail accessibility checks" in only_frames and "layout" not in only_frames
    assert "4.5:1" in only_frames and "three times in one second" in only_frames
    off = LayoutIssue("off_frame", "The Text 'a' leaves the frame on the right at 1.0 s.", 1.0, 9)
    both = feedback_for_layout([off, *issues], 14.2)
    assert both.index("layout has problems") < both.index("fail accessibility checks")


# --- from real renders ------------------------------------------------------------------------


@pytest.fixture
def small_settings(warm_settings: Settings) -> Settings:
    """A small frame at 10 fps: the scenes change every 0.1 s, one frame each."""
    presets = dict(warm_settings.quality_presets)
    presets["preview"] = presets["preview"].model_copy(
        update={"width": 320, "height": 180, "fps": 10}
    )
    return warm_settings.model_copy(update={"quality_presets": presets})


def rendered_warnings(name: str, settings: Settings, out: Path) -> list[str]:
    result = render_code(scene_code(name), out=out, settings=settings)
    assert len(result.frame_checks) == 1 and "frame_checks" not in result.to_json()
    assert layout_warnings(result.layout) == []
    return frame_warnings(result.frame_checks)


@pytest.mark.render
def test_a_flashing_scene_is_reported(small_settings, tmp_path):
    (warning,) = rendered_warnings("flashing_scene", small_settings, tmp_path / "v.mp4")
    assert warning.startswith("The scene flashes 5 times in one second around 0:00;")


@pytest.mark.render
def test_a_red_flashing_scene_is_reported_as_red(small_settings, tmp_path):
    (warning,) = rendered_warnings("red_flash_scene", small_settings, tmp_path / "v.mp4")
    assert warning.startswith("The scene flashes red 5 times in one second")


@pytest.mark.render
def test_a_clean_scene_has_no_frame_warnings(small_settings, tmp_path):
    assert rendered_warnings("text_scene", small_settings, tmp_path / "v.mp4") == []


@pytest.mark.render
def test_low_contrast_text_is_reported_and_white_text_is_not(small_settings, tmp_path):
    warnings = rendered_warnings("low_contrast_scene", small_settings, tmp_path / "v.mp4")
    assert warnings == [
        "The Text 'faint label' is hard to read at 1.0 s (line 11): contrast 2.1:1 against its "
        "background, at least 4.5:1 needed; use a lighter colour.",
        "The MathTex 'x = 3' is hard to read at 1.0 s (line 11): contrast 3.5:1 against its "
        "background, at least 4.5:1 needed; use a lighter colour.",
    ]


@pytest.mark.render
def test_text_on_a_light_box_is_judged_against_the_box(small_settings, tmp_path):
    code = (
        "from manim import *\n\n\nclass S(Scene):\n    def construct(self):\n"
        "        box = Rectangle(width=6, height=2, fill_color=WHITE, fill_opacity=1)\n"
        "        dark = Text('dark on white', color=BLACK)\n"
        "        pale = Text('pale on white', color=YELLOW).next_to(box, DOWN, buff=-0.7)\n"
        "        self.play(FadeIn(box), FadeIn(dark), FadeIn(pale), run_time=1)\n"
    )
    result = render_code(code, out=tmp_path / "v.mp4", settings=small_settings)
    (warning,) = frame_warnings(result.frame_checks)
    assert warning.startswith("The Text 'pale on white' is hard to read")
    assert warning.endswith("use a darker colour.")


@pytest.mark.render
def test_a_job_reports_frame_warnings_with_the_layout_warnings(small_settings, tmp_path):
    result = run_job(
        code=scene_code("flashing_scene"), settings=small_settings, out=tmp_path / "v.mp4"
    )
    assert result.ok, result.error
    assert len(result.layout_warnings) == 1 and "flashes 5 times" in result.layout_warnings[0]
    data = result.to_json()
    assert data["layout_warnings"] == result.layout_warnings
    assert data["attempt_log"][0]["layout_warnings"] == result.layout_warnings


@pytest.mark.render
def test_a_job_with_unreadable_text_comes_out_in_palette_colours(small_settings, tmp_path):
    out = tmp_path / "v.mp4"
    result = run_job(code=scene_code("low_contrast_scene"), settings=small_settings, out=out)
    assert result.ok, result.error
    first, swapped = result.attempt_log
    assert len(first.layout_warnings) == 2  # the two faint labels, measured
    assert swapped.layout_warnings == [] and result.code == swapped.code
    assert 'faint = Text("faint label", color=MUTED)' in result.code
    assert result.layout_warnings == [
        "Some text was hard to read, so its colours were swapped for Chalk's colour-blind-safe "
        "palette (DARK_GREY → MUTED, BLUE_E → ACCENT, WHITE → TEXT)."
    ]
    assert {fix.rule for fix in result.fixes} == {"palette-colour", "palette-constants"}
    assert "line 8: DARK_GREY → MUTED (colour-blind-safe palette)" in map(str, result.fixes)
    assert out.exists() and result.video == str(out)
    assert not list(tmp_path.glob("*.palette.*"))  # the swapped render took the original's place


@pytest.mark.render
def test_a_swap_that_does_not_help_leaves_the_teachers_colours(small_settings, tmp_path):
    # Black text on the black background: BLACK is the palette's BACKGROUND, so the swap
    # renders the same unreadable text, and the original is kept with its warning.
    code = (
        "from manim import *\n\n\nclass S(Scene):\n    def construct(self):\n"
        "        hidden = Text('hidden', color=BLACK)\n"
        "        self.play(FadeIn(hidden), run_time=1)\n"
    )
    out = tmp_path / "v.mp4"
    result = run_job(code=code, settings=small_settings, out=out)
    assert result.ok, result.error
    assert result.code == code and result.fixes == []
    (warning, note) = result.layout_warnings
    assert warning.startswith("The Text 'hidden' is hard to read")
    assert note.startswith("Some text is hard to read and swapping its colours")
    assert len(result.attempt_log) == 2 and "BACKGROUND" in result.attempt_log[1].code
    assert out.exists() and not list(tmp_path.glob("*.palette.*"))

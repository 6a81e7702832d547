"""When the swap to palette roles is tried and which render is kept (app/pipeline/palette_swap.py).

The renders here are stand-ins with made-up check results, so each rule of the decision is
seen on its own; tests/test_frame_checks.py runs the whole thing on real renders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.layout import LayoutIssue
from app.core.render import RenderResult
from app.errors import ChalkError
from app.pipeline import palette_swap
from app.pipeline.palette_swap import NOT_SWAPPED, Checked, improve_contrast, reads_better
from app.pipeline.result import Attempt, JobResult

CODE = (
    "from manim import *\n\n\nclass S(Scene):\n    def construct(self):\n"
    "        t = Text('faint', color=DARK_GREY)\n        self.add(t)\n"
)
FAINT = LayoutIssue("contrast", "The Text 'faint' is hard to read at 0.0 s (line 6): …", 0.0, 6)
OFF = LayoutIssue("off_frame", "The Text 'faint' leaves the frame on the right at 0.0 s.", 0.0, 6)
FLASH = LayoutIssue("flash", "The scene flashes 5 times in one second around 0:00; …", 0.0, None)


def fake_render(tmp_path: Path, name: str) -> RenderResult:
    video, thumbnail = tmp_path / f"{name}.mp4", tmp_path / f"{name}.png"
    video.write_bytes(b"video")
    thumbnail.write_bytes(b"png")
    return RenderResult(video, thumbnail, "S", "h264", 320, 180, 10.0, 20, 2.0, 5, 0.1)


@pytest.fixture
def after(monkeypatch: pytest.MonkeyPatch) -> list[LayoutIssue]:
    """What the post-render check finds on the swapped render (the test fills it in)."""
    found: list[LayoutIssue] = []
    monkeypatch.setattr(palette_swap, "post_render_issues", lambda rendered: list(found))
    return found


def run(tmp_path: Path, before: list[LayoutIssue], code: str = CODE, render=None):
    result = JobResult()
    attempt = Attempt(1, code=code)
    result.attempt_log.append(attempt)
    original = fake_render(tmp_path, "original")
    rendered: list[Attempt] = []

    def render_swapped(swapped: Attempt) -> RenderResult:
        rendered.append(swapped)
        swapped.render_s = 1.5
        return fake_render(tmp_path, "swapped")

    kept = improve_contrast(result, Checked(attempt, original, before), render or render_swapped)
    return result, attempt, kept, rendered


def test_readable_text_is_never_swapped(tmp_path, after):
    result, attempt, kept, rendered = run(tmp_path, [OFF, FLASH])
    assert rendered == [] and kept.attempt is attempt and kept.notes == []
    assert kept.warnings == [OFF.message, FLASH.message]
    assert len(result.attempt_log) == 1


def test_a_swap_that_fixes_the_contrast_is_kept_and_said(tmp_path, after):
    after.append(FLASH)  # there before, still there: not a new issue
    result, attempt, kept, rendered = run(tmp_path, [FAINT, FLASH])
    (swapped,) = rendered
    assert kept.attempt is swapped and swapped.number == 2 and "color=MUTED" in swapped.code
    assert [fix.rule for fix in swapped.fixes] == ["palette-colour", "palette-constants"]
    assert kept.warnings == [
        FLASH.message,
        "Some text was hard to read, so its colours were swapped for Chalk's colour-blind-safe "
        "palette (DARK_GREY → MUTED).",
    ]
    assert not (tmp_path / "original.mp4").exists() and (tmp_path / "swapped.mp4").exists()
    assert result.attempt_log == [attempt, swapped] and result.timings["render_s"] == 1.5


@pytest.mark.parametrize(
    ("now", "why"),
    [
        ([FAINT], "as many contrast issues"),
        ([OFF], "a new layout issue"),
        ([FLASH], "a new flash"),
    ],
)
def test_a_swap_that_does_not_read_better_is_dropped(tmp_path, after, now, why):
    after.extend(now)
    result, attempt, kept, rendered = run(tmp_path, [FAINT])
    assert rendered and kept.attempt is attempt, why
    assert kept.warnings == [FAINT.message, NOT_SWAPPED]
    assert (tmp_path / "original.mp4").exists() and not (tmp_path / "swapped.mp4").exists()
    assert len(result.attempt_log) == 2  # the try is in the log


def test_fewer_contrast_issues_is_enough_and_old_issues_may_stay():
    assert reads_better([FAINT, FAINT, OFF], [FAINT, OFF])
    assert not reads_better([FAINT, OFF], [FAINT, OFF])
    assert not reads_better([FAINT], [OFF])


def test_code_without_raw_colours_is_not_rendered_again(tmp_path, after):
    palette_code = CODE.replace("DARK_GREY", "'#333333'")  # a hex, but not a colour argument…
    palette_code = palette_code.replace("color='#333333'", "font='#333333'")
    _, attempt, kept, rendered = run(tmp_path, [FAINT], code=palette_code)
    assert rendered == [] and kept.attempt is attempt and kept.notes == []


def test_a_swap_that_fails_to_render_keeps_the_original(tmp_path, after):
    def broken(swapped: Attempt) -> RenderResult:
        raise ChalkError("render", "The animation code raised an error.")

    _, attempt, kept, _ = run(tmp_path, [FAINT], render=broken)
    assert kept.attempt is attempt and kept.warnings == [FAINT.message, NOT_SWAPPED]

    def cancelled(swapped: Attempt) -> RenderResult:
        raise ChalkError("cancelled", "The job was cancelled.")

    with pytest.raises(ChalkError) as err:
        run(tmp_path, [FAINT], render=cancelled)
    assert err.value.kind == "cancelled"

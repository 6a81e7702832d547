"""Frame checks: flashes (WCAG 2.3.1) and text contrast (WCAG 1.4.3), measured on the frames.

The sandbox's frame probe (app/core/frame_probe.py, with the arithmetic in flash_meter.py)
sends one `frame_checks` message at the end of a render: the stretches of video that flash
more than three times in a second over a quarter of a 10-degree field, and the texts with the
lowest contrast, each with its colour, opacity and the colour around it. It comes from inside
the sandbox, so it is untrusted input: every field is type-checked and bounded, and the
contrast is computed here again from the colours rather than taken from the sandbox. The
sentences join the layout warnings (app/core/layout.py) for the teacher and the repair loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.core.flash_meter import contrast_ratio, relative_luminance
from app.core.layout import LayoutIssue, clean_text, finite_number

MIN_TEXT_CONTRAST = 4.5  # WCAG 1.4.3 (AA) for text; Chalk holds large text to it too
MAX_FLASH_WARNINGS = 3
MAX_CONTRAST_WARNINGS = 5
MAX_FLASHES = 40
MAX_TEXTS = 80
MAX_SECONDS = 100_000.0
FLASH_KINDS = ("general", "red")
HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


@dataclass(frozen=True)
class FlashStretch:
    kind: str  # "general" | "red"
    start: float
    end: float
    flashes: int  # the most in one second
    at: float  # when that second's flashing began


@dataclass(frozen=True)
class TextContrast:
    kind: str
    name: str
    label: str
    colour: tuple[float, float, float]
    opacity: float
    background: tuple[float, float, float]
    t: float
    line: int | None

    @property
    def seen(self) -> tuple[float, float, float]:
        """The text's colour as drawn: translucent text is blended into its background."""
        a = self.opacity
        r, g, b = (a * c + (1 - a) * k for c, k in zip(self.colour, self.background, strict=True))
        return (r, g, b)

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.seen, self.background)

    def describe(self) -> str:
        if self.label:
            return f"{self.kind} '{self.label}'"
        if self.name:
            return f"{self.kind} '{self.name}'"
        return self.kind


@dataclass(frozen=True)
class FrameReport:
    flashes: list[FlashStretch]
    texts: list[TextContrast]


def _colour(value: Any) -> tuple[float, float, float] | None:
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value):
        return None
    return (int(value[1:3], 16) / 255, int(value[3:5], 16) / 255, int(value[5:7], 16) / 255)


def _seconds(value: Any) -> float | None:
    number = finite_number(value)
    return number if number is not None and 0 <= number <= MAX_SECONDS else None


def _line(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000
    return value if ok else None


def _flash(raw: Any) -> FlashStretch | None:
    if not isinstance(raw, dict) or raw.get("kind") not in FLASH_KINDS:
        return None
    start, end, at = (_seconds(raw.get(key)) for key in ("start", "end", "at"))
    flashes = raw.get("flashes")
    if start is None or end is None or at is None or start > end:
        return None
    if not isinstance(flashes, int) or isinstance(flashes, bool) or not 3 < flashes <= 1000:
        return None
    return FlashStretch(str(raw["kind"]), start, end, flashes, at)


def _text_contrast(raw: Any) -> TextContrast | None:
    if not isinstance(raw, dict):
        return None
    colour, background = _colour(raw.get("colour")), _colour(raw.get("background"))
    opacity, t = finite_number(raw.get("opacity")), _seconds(raw.get("t"))
    if colour is None or background is None or opacity is None or t is None:
        return None
    if not 0 <= opacity <= 1:
        return None
    return TextContrast(
        kind=clean_text(raw.get("kind"), 40) or "text",
        name=clean_text(raw.get("name"), 40),
        label=clean_text(raw.get("label"), 40),
        colour=colour,
        opacity=opacity,
        background=background,
        t=t,
        line=_line(raw.get("line")),
    )


def parse_report(messages: list[dict[str, object]]) -> FrameReport:
    """The well-formed parts of the sandbox's `frame_checks` message (the first one; anything
    else is dropped)."""
    for message in messages:
        if isinstance(message, dict) and message.get("event") == "frame_checks":
            break
    else:
        return FrameReport([], [])
    raw_flashes, raw_texts = message.get("flashes"), message.get("texts")
    flashes = (
        [_flash(raw) for raw in raw_flashes[:MAX_FLASHES]] if isinstance(raw_flashes, list) else []
    )
    texts = (
        [_text_contrast(raw) for raw in raw_texts[:MAX_TEXTS]]
        if isinstance(raw_texts, list)
        else []
    )
    return FrameReport(
        flashes=[f for f in flashes if f is not None], texts=[t for t in texts if t is not None]
    )


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _flash_issue(stretch: FlashStretch) -> LayoutIssue:
    what = "flashes red" if stretch.kind == "red" else "flashes"
    fix = (
        "slow it down or avoid saturated red"
        if stretch.kind == "red"
        else "slow it down or soften the change"
    )
    longer = f" (until {_clock(stretch.end)})" if stretch.end - stretch.start > 2 else ""
    return LayoutIssue(
        "red_flash" if stretch.kind == "red" else "flash",
        f"The scene {what} {stretch.flashes} times in one second around {_clock(stretch.at)}"
        f"{longer}; more than 3 a second can trigger seizures in photosensitive students, so "
        f"{fix}.",
        stretch.at,
        None,
    )


def _contrast_issue(text: TextContrast) -> LayoutIssue:
    ratio = int(text.ratio * 10) / 10  # rounded down: 4.47 must not read as 4.5
    lighter = relative_luminance(text.seen) >= relative_luminance(text.background)
    where = f" (line {text.line})" if text.line else ""
    return LayoutIssue(
        "contrast",
        f"The {text.describe()} is hard to read at {text.t:.1f} s{where}: contrast {ratio:.1f}:1 "
        f"against its background, at least {MIN_TEXT_CONTRAST:.1f}:1 needed; use a "
        f"{'lighter' if lighter else 'darker'} colour.",
        text.t,
        text.line,
    )


def check_frames(messages: list[dict[str, object]]) -> list[LayoutIssue]:
    """Flashing stretches (worst first), then texts below 4.5:1 (lowest first), bounded."""
    report = parse_report(messages)
    flashes = sorted(report.flashes, key=lambda f: (-f.flashes, f.at))[:MAX_FLASH_WARNINGS]
    low = sorted((t for t in report.texts if t.ratio < MIN_TEXT_CONTRAST), key=lambda t: t.ratio)
    seen: set[tuple[str, str, str]] = set()
    contrast: list[LayoutIssue] = []
    for text in low:
        key = (text.kind, text.label, text.name)
        if key in seen:
            continue  # the same words shown twice: one sentence
        seen.add(key)
        contrast.append(_contrast_issue(text))
    return [_flash_issue(f) for f in sorted(flashes, key=lambda f: f.at)] + contrast[
        :MAX_CONTRAST_WARNINGS
    ]


def frame_warnings(messages: list[dict[str, object]]) -> list[str]:
    return [issue.message for issue in check_frames(messages)]

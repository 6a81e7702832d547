"""Frame geometry: a quality preset and an aspect ratio give the pixel size, the frame rate and
the frame in scene units. The one definition read by rendering, cache keys and the LLM prompt.

The presets themselves are settings (`Settings.quality_presets`); this module turns them into
frames.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import ChalkError
from app.settings import ASPECTS, QUALITIES, Settings, get_settings

# Scene units: the frame is as high as Manim's default; its width follows the aspect ratio.
FRAME_HEIGHT = 8.0
ASPECT_RATIOS: dict[str, float] = {"16:9": 16 / 9, "9:16": 9 / 16, "1:1": 1.0}


def frame_width(aspect: str) -> float:
    """The frame's width in scene units for an aspect ratio (16:9 when unknown)."""
    return FRAME_HEIGHT * ASPECT_RATIOS.get(aspect, 16 / 9)


@dataclass(frozen=True)
class FrameSpec:
    width: int
    height: int
    fps: int
    timeout_s: float
    encoder_preset: str = "medium"

    @property
    def units_high(self) -> float:
        return FRAME_HEIGHT

    @property
    def units_wide(self) -> float:
        """The width in scene units that keeps pixels square at this pixel size."""
        return FRAME_HEIGHT * self.width / self.height


def frame_spec(quality: str, aspect: str, settings: Settings | None = None) -> FrameSpec:
    """Pixel size and frame rate for a quality preset and aspect ratio."""
    settings = settings or get_settings()
    if quality not in QUALITIES:
        raise ChalkError("validation", f"Unknown quality '{quality}'; use {', '.join(QUALITIES)}.")
    if aspect not in ASPECTS:
        raise ChalkError("validation", f"Unknown aspect '{aspect}'; use {', '.join(ASPECTS)}.")
    preset = settings.quality_presets[quality]
    long_side, short_side = preset.width, preset.height
    width, height = {
        "16:9": (long_side, short_side),
        "9:16": (short_side, long_side),
        "1:1": (short_side, short_side),
    }[aspect]
    return FrameSpec(
        width=width,
        height=height,
        fps=preset.fps,
        timeout_s=preset.timeout_s,
        encoder_preset=preset.encoder_preset,
    )

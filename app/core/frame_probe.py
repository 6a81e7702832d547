"""The frame probe: runs inside the sandbox during the real render and measures what the frames
show, for the frame checks outside it (app/core/frame_checks.py).

- Flashes (WCAG 2.3.1): every frame the render writes goes through flash_meter.FlashMeter,
  which keeps a small grid of statistics per frame, not the frames.
- Text contrast (WCAG 1.4.3): after every play() (its animations done, so what it showed is
  fully shown) each text or formula on screen is measured: its colour (and opacity) as Manim
  draws it against the pixels of a thin ring just outside its box in the frame just drawn.

At the end it sends one compact `frame_checks` message: the stretches that flash too much and
the texts with the lowest contrast. Like layout_probe.py it imports nothing from `app` (its
helpers sit beside it), never fails a render, and is loaded after Manim.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
from flash_meter import FlashMeter, contrast_ratio  # beside this file in the sandbox
from layout_probe import TEXT_TYPES, names_in, on_screen_with_texts, text_label, user_frame
from layout_probe import visible_box as box_of
from manim import BackgroundRectangle, VMobject
from manim.camera.three_d_camera import ThreeDCamera

FRAME_MAX_SAMPLES = 200  # plays after which texts are measured
FRAME_MAX_TRACKED = 500  # distinct texts remembered
FRAME_MAX_TEXTS = 40  # texts reported: the lowest contrasts
RING_MAX_PIXELS = 4000  # pixels read around one text
# The ring around a text's box, in scene units (a unit is 60 pixels at preview quality).
RING_GAP = 0.04  # clear of the glyphs' anti-aliasing
RING_WIDTH = 0.06


class FrameProbe:
    """Wraps `renderer_class.add_frame` and `scene_class.play` until remove(); finish() sends
    what was measured."""

    def __init__(
        self,
        scene_class: type,
        renderer_class: type,
        scene_file: str,
        size: tuple[int, int, int],
        send: Callable[[dict[str, object]], None],
    ) -> None:
        width, height, fps = size
        self.scene_class, self.renderer_class = scene_class, renderer_class
        self.scene_file = scene_file
        self.send = send
        self.fps = fps
        self.meter: FlashMeter | None = FlashMeter(width, height, fps)
        self.frames = 0
        self.samples = 0
        self.texts_measured = True
        self.worst: dict[int, dict[str, object]] = {}
        self.original_add_frame = renderer_class.add_frame  # type: ignore[attr-defined]
        self.original_play = scene_class.play  # type: ignore[attr-defined]
        probe = self

        def add_frame(renderer: object, frame: np.ndarray, num_frames: int = 1) -> None:
            probe.original_add_frame(renderer, frame, num_frames)
            if not renderer.skip_animations:  # type: ignore[attr-defined]
                probe.on_frame(frame, num_frames)

        def play(scene: object, *args: object, **kwargs: object) -> object:
            result = probe.original_play(scene, *args, **kwargs)
            probe.on_play(scene, sys._getframe(1))
            return result

        renderer_class.add_frame = add_frame  # type: ignore[attr-defined]
        scene_class.play = play  # type: ignore[attr-defined]

    def remove(self) -> None:
        self.renderer_class.add_frame = self.original_add_frame  # type: ignore[attr-defined]
        self.scene_class.play = self.original_play  # type: ignore[attr-defined]

    def on_frame(self, frame: np.ndarray, repeat: int) -> None:
        self.frames += repeat
        if self.meter is None:
            return
        try:
            self.meter.add(frame, repeat)
        except Exception:
            self.meter = None  # the check is lost, never the render

    def on_play(self, scene: object, caller: object) -> None:
        if not self.texts_measured or self.samples >= FRAME_MAX_SAMPLES:
            return
        if scene.renderer.skip_animations:  # type: ignore[attr-defined]
            return
        self.samples += 1
        try:
            self._measure_texts(scene, caller)
        except Exception:
            self.texts_measured = False

    def finish(self) -> None:
        """Send what was measured: one `frame_checks` message."""
        flashes: list[dict[str, object]] = []
        try:
            if self.meter is not None:
                for kind in ("general", "red"):
                    flashes += [{"kind": kind, **stretch} for stretch in self.meter.episodes(kind)]
        except Exception:
            self.meter = None
        texts = sorted(self.worst.values(), key=lambda entry: entry["ratio"])  # type: ignore[arg-type, return-value]
        self.send(
            {
                "event": "frame_checks",
                "frames": self.frames,
                "fps": self.fps,
                "flashes_measured": self.meter is not None,
                "texts_measured": self.texts_measured,
                "flashes": flashes if self.meter is not None else [],
                "texts": texts[:FRAME_MAX_TEXTS],
            }
        )

    def _measure_texts(self, scene: object, caller: object) -> None:
        camera = scene.renderer.camera  # type: ignore[attr-defined]
        if isinstance(camera, ThreeDCamera):
            self.texts_measured = False  # a projection: boxes in the plane would mislead
            return
        pixels = camera.pixel_array
        texts = [mob for mob, _ in on_screen_with_texts(scene) if isinstance(mob, TEXT_TYPES)]
        frame = None
        for text in texts:
            measured = self._measure(text, camera, pixels)
            if measured is None:
                continue
            ratio, colour, opacity, background = measured
            known = self.worst.get(id(text))
            if known is not None and float(known["ratio"]) <= ratio:  # type: ignore[arg-type]
                continue
            if known is None and len(self.worst) >= FRAME_MAX_TRACKED:
                continue
            if frame is None:
                frame = user_frame(caller, self.scene_file)
            self.worst[id(text)] = {
                "kind": type(text).__name__[:40],
                "name": names_in(frame).get(id(text), "")[:40],
                "label": text_label(text),
                "colour": _hex(colour),
                "opacity": round(opacity, 3),
                "background": _hex(background),
                "ratio": round(ratio, 3),
                "t": round(float(scene.renderer.time), 3),  # type: ignore[attr-defined]
                "line": frame.f_lineno if frame is not None else None,
            }

    def _measure(
        self, text: object, camera: object, pixels: np.ndarray
    ) -> tuple[float, np.ndarray, float, np.ndarray] | None:
        """The text's lowest contrast: (ratio, colour, opacity, background colour), or None
        when it draws nothing or its surroundings are off screen."""
        inks: dict[tuple[float, ...], tuple[np.ndarray, float]] = {}
        backdrop: tuple[np.ndarray, float] | None = None
        for part in text.get_family():  # type: ignore[attr-defined]
            if not isinstance(part, VMobject) or len(part.points) == 0:
                continue
            rgbas = part.get_fill_rgbas()
            if len(rgbas) == 0 or float(rgbas[0][3]) <= 0.01:
                continue
            rgb, alpha = np.asarray(rgbas[0][:3], float), float(rgbas[0][3])
            if isinstance(part, BackgroundRectangle):
                backdrop = (rgb, alpha)  # drawn behind the text as part of it
                continue
            inks.setdefault(tuple(np.round(rgbas[0], 3)), (rgb, alpha))
        bounds = box_of(text)
        if not inks or bounds is None:
            return None
        background = _ring_colour(bounds, camera, pixels)
        if background is None:
            return None
        if backdrop is not None:
            background = backdrop[1] * backdrop[0] + (1 - backdrop[1]) * background
        worst: tuple[float, np.ndarray, float, np.ndarray] | None = None
        for rgb, alpha in inks.values():
            # Cairo blends in sRGB values: what the viewer sees of a translucent text.
            seen = alpha * rgb + (1 - alpha) * background
            ratio = contrast_ratio(tuple(seen), tuple(background))
            if worst is None or ratio < worst[0]:
                worst = (ratio, rgb, alpha, background)
        return worst


def _ring_colour(bounds: list[float], camera: object, pixels: np.ndarray) -> np.ndarray | None:
    """The median colour (sRGB, 0..1) of a thin ring just outside `bounds` in the frame."""
    height, width = pixels.shape[:2]
    center = camera.frame_center  # type: ignore[attr-defined]
    units_w, units_h = camera.frame_width, camera.frame_height  # type: ignore[attr-defined]
    per_unit_x, per_unit_y = width / units_w, height / units_h
    left = (bounds[0] - center[0] + units_w / 2) * per_unit_x
    right = (bounds[2] - center[0] + units_w / 2) * per_unit_x
    top = (center[1] + units_h / 2 - bounds[3]) * per_unit_y
    bottom = (center[1] + units_h / 2 - bounds[1]) * per_unit_y
    gap = max(1, round(RING_GAP * per_unit_y))
    ring = max(2, round(RING_WIDTH * per_unit_y))
    inner = [round(left) - gap, round(top) - gap, round(right) + gap, round(bottom) + gap]
    outer = [inner[0] - ring, inner[1] - ring, inner[2] + ring, inner[3] + ring]
    if outer[2] <= 0 or outer[3] <= 0 or outer[0] >= width or outer[1] >= height:
        return None
    strips = []
    for x0, y0, x1, y1 in (
        (outer[0], outer[1], outer[2], inner[1]),  # above
        (outer[0], inner[3], outer[2], outer[3]),  # below
        (outer[0], inner[1], inner[0], inner[3]),  # left
        (inner[2], inner[1], outer[2], inner[3]),  # right
    ):
        x0, x1 = max(0, x0), min(width, x1)
        y0, y1 = max(0, y0), min(height, y1)
        if x1 > x0 and y1 > y0:
            strips.append(pixels[y0:y1, x0:x1, :3].reshape(-1, 3))
    if not strips:
        return None
    found = np.concatenate(strips)
    if len(found) > RING_MAX_PIXELS:
        found = found[:: len(found) // RING_MAX_PIXELS + 1]
    return np.median(found, axis=0) / 255.0


def _hex(rgb: np.ndarray) -> str:
    red, green, blue = (round(float(c) * 255) for c in np.clip(rgb, 0, 1))
    return f"#{red:02x}{green:02x}{blue:02x}"

"""Flash and contrast arithmetic on rendered frames (WCAG 2.1: 2.3.1 flashes, 1.4.3 contrast).

It runs inside the sandbox (app/core/frame_probe.py feeds it every frame the real render
writes) and needs only NumPy, so it is also what the tests drive with synthetic frames. The
supervisor reuses `contrast_ratio` to judge the colours the sandbox reports.

Flashes, as WCAG 2.3.1 defines them:
- A general flash is a pair of opposing changes in relative luminance of 10 % or more of the
  maximum, where the darker image is below 0.80.
- A red flash is a pair of opposing transitions involving a saturated red: one state has
  R/(R+G+B) >= 0.8 and the two states are more than 0.2 apart in CIE 1976 u'v' chromaticity
  (WCAG 2.2's working definition). R, G, B are the 0..1 sRGB values, as in WCAG's relative
  luminance; near-black is not "red" unless (R-G-B)x320 > 20 (WCAG 2.0's red measure).
- Content fails when more than three flashes of either kind fall in one second over at least
  25 % of a 10-degree field: a 341 x 256 pixel rectangle on a 1024 x 768 screen, here the
  video shown as large as fits on that screen.

How it is measured: each frame is reduced to a grid of square cells, 32 across a 10-degree
field, holding the mean relative luminance and a red measure (a cell's distance in
u'v' from the white point while it is saturated red, else 0). A transition is counted per cell
where the cell's value has moved by the threshold since its last extreme (peaks and valleys of
the curve over time, as WCAG's transition is defined). A second of the video fails when the
cells with more than six transitions in it (more than three flashes) cover a quarter of some
field-sized window of cells.

Cells are 8 pixels wide at preview quality, averaged from every fourth pixel in sRGB values,
which costs about half a millisecond a frame at preview quality. A cell the flashing area
only partly covers counts once its own change passes the threshold (from about a third
covered, for black and white), so the area found is right to within a cell at its edges. A
flashing pattern finer than the sampling (a checkerboard of 2-pixel squares, which WCAG
exempts below 0.1 degree) can alias into a flash: that errs towards a warning.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

SCREEN_PX = (1024, 768)
FIELD_PX = (341, 256)  # a 10-degree visual field on that screen
FIELD_SHARE = 0.25  # of a 10-degree field: the smallest flashing area that counts
CELLS_PER_FIELD = 32  # square grid cells across one 10-degree field
SAMPLES_PER_CELL = 2  # pixels read across a cell (the frame is sampled with a stride)
GENERAL_CHANGE = 0.1  # of the maximum relative luminance (1.0)
GENERAL_DARKER_BELOW = 0.8
RED_RATIO = 0.8  # R/(R+G+B) of a saturated red
RED_MIN_EXCESS = 20 / 320  # (R-G-B)x320 > 20: not near black
RED_CHANGE = 0.2  # u'v' distance between the two states of a red transition
MAX_TRANSITIONS = 6  # three flashes; a seventh transition makes a fourth flash
MAX_EPISODES = 10
# CIE 1976 u'v' of D65, sRGB's white point; and linear sRGB -> XYZ.
WHITE_UV = (0.1978, 0.4683)
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
LUMINANCE = SRGB_TO_XYZ[1]


def linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB values in 0..1 to linear light (the transfer function of WCAG's luminance)."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def encoded(light: np.ndarray) -> np.ndarray:
    """Linear light back to sRGB values in 0..1."""
    light = np.clip(light, 0.0, 1.0)
    return np.where(light <= 0.0031308, light * 12.92, 1.055 * light ** (1 / 2.4) - 0.055)


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0..1 values."""
    return float(linear(np.asarray(rgb, dtype=float)) @ LUMINANCE)


def contrast_ratio(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two sRGB colours: 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# uint8 channel value -> linear light, looked up rather than computed for every pixel.
LINEAR_LUT = linear(np.arange(256) / 255.0).astype(np.float32)


class _Transitions:
    """Counts transitions of one measure per cell: moves of `change` or more away from the
    last peak or valley (a zig-zag over time), alternating in direction by construction."""

    def __init__(self, cells: int, change: float, darker_below: float | None, strict: bool):
        self.change = change
        self.darker_below = darker_below
        self.strict = strict
        self.direction = np.zeros(cells, np.int8)  # of the last transition: +1 up, -1 down
        self.extreme = np.zeros(cells)  # the peak (after an up) or valley (after a down)
        self.low = np.full(cells, np.inf)  # before the first transition: the range seen
        self.high = np.full(cells, -np.inf)

    def _moved(self, amount: np.ndarray) -> np.ndarray:
        return amount > self.change if self.strict else amount >= self.change

    def _dark_enough(self, darker: np.ndarray) -> np.ndarray:
        if self.darker_below is None:
            return np.ones(darker.shape, bool)
        return darker < self.darker_below

    def update(self, value: np.ndarray) -> np.ndarray:
        """Feed one frame's values; the cells where a transition completes."""
        direction, extreme = self.direction, self.extreme
        # Extend the current run: a rise keeps rising, a fall keeps falling.
        rising, falling = direction > 0, direction < 0
        extreme[rising] = np.maximum(extreme[rising], value[rising])
        extreme[falling] = np.minimum(extreme[falling], value[falling])
        down = rising & self._moved(extreme - value) & self._dark_enough(value)
        up = falling & self._moved(value - extreme) & self._dark_enough(extreme)
        unset = direction == 0
        self.low[unset] = np.minimum(self.low[unset], value[unset])
        self.high[unset] = np.maximum(self.high[unset], value[unset])
        first_up = unset & self._moved(value - self.low) & self._dark_enough(self.low)
        first_down = unset & ~first_up & self._moved(self.high - value)
        first_down &= self._dark_enough(value)
        ups, downs = up | first_up, down | first_down
        direction[ups], direction[downs] = 1, -1
        turned = ups | downs
        extreme[turned] = value[turned]
        return turned


class FlashMeter:
    """Fed every frame of a render (RGB or RGBA uint8, height x width x channels), in order;
    `episodes(kind)` then gives the stretches of video that flash too much.

    The count is kept online over a sliding second (a ring of the last second's transitions),
    so memory does not grow with the video's length.
    """

    def __init__(self, width: int, height: int, fps: int) -> None:
        self.fps = max(1, int(fps))
        # The video shown as large as fits on the reference screen; a field in video pixels.
        scale = min(SCREEN_PX[0] / width, SCREEN_PX[1] / height)
        field_w, field_h = FIELD_PX[0] / scale, FIELD_PX[1] / scale
        cell = field_w / CELLS_PER_FIELD  # square cells, in video pixels
        self.stride = max(1, round(cell / SAMPLES_PER_CELL))
        self.block = max(1, round(cell / self.stride))  # sampled pixels per cell side
        cell = self.stride * self.block
        self.rows = max(1, len(range(0, height, self.stride)) // self.block)
        self.cols = max(1, len(range(0, width, self.stride)) // self.block)
        self.field = (
            max(1, min(self.rows, round(field_h / cell))),
            max(1, min(self.cols, round(field_w / cell))),
        )
        self.field_cells = math.ceil(FIELD_SHARE * self.field[0] * self.field[1])
        cells = self.rows * self.cols
        self.meters = {
            "general": _Transitions(cells, GENERAL_CHANGE, GENERAL_DARKER_BELOW, strict=False),
            "red": _Transitions(cells, RED_CHANGE, None, strict=True),
        }
        # The last second: which cells turned in each frame, and how often per cell.
        self.ring = {kind: np.zeros((self.fps, cells), bool) for kind in self.meters}
        self.in_second = {kind: np.zeros(cells, np.int16) for kind in self.meters}
        self.frames = 0
        # Per kind, each frame whose last second fails: (frame, worst count, and the first and
        # last frame of that second where a flashing cell turned).
        self.failing: dict[str, list[tuple[int, int, int, int]]] = {
            kind: [] for kind in self.meters
        }

    def cell_means(self, frame: np.ndarray) -> np.ndarray:
        """Mean linear RGB per cell, (rows * cols) x 3.

        The sampled pixels are averaged by Pillow's box reduction, in sRGB values (as a video
        scaler does), then made linear: a third of the cost of averaging linear light.
        """
        rows, cols, block, stride = self.rows, self.cols, self.block, self.stride
        sampled = np.ascontiguousarray(
            frame[: rows * block * stride : stride, : cols * block * stride : stride, :3]
        )
        reduced = np.asarray(Image.fromarray(sampled).reduce(block)) if block > 1 else sampled
        return LINEAR_LUT[reduced].reshape(-1, 3).astype(np.float64)

    def measures(self, frame: np.ndarray) -> dict[str, np.ndarray]:
        """Relative luminance and the red measure of every cell."""
        light = self.cell_means(frame)
        red = np.zeros(len(light))
        # Only a cell whose red outweighs green and blue in linear light can be a saturated
        # red; the colour arithmetic is done for those alone (usually none).
        maybe = np.flatnonzero(light[:, 0] > light[:, 1] + light[:, 2])
        if maybe.size:
            candidates = light[maybe]
            srgb = encoded(candidates)
            total = np.maximum(srgb.sum(axis=1), 1e-9)
            excess = srgb[:, 0] - srgb[:, 1] - srgb[:, 2]
            saturated = (srgb[:, 0] >= RED_RATIO * total) & (excess > RED_MIN_EXCESS)
            xyz = candidates @ SRGB_TO_XYZ.T
            denominator = np.maximum(xyz[:, 0] + 15 * xyz[:, 1] + 3 * xyz[:, 2], 1e-9)
            u = 4 * xyz[:, 0] / denominator
            v = 9 * xyz[:, 1] / denominator
            red[maybe] = np.where(saturated, np.hypot(u - WHITE_UV[0], v - WHITE_UV[1]), 0.0)
        return {"general": light @ LUMINANCE, "red": red}

    def add(self, frame: np.ndarray, repeat: int = 1) -> None:
        """One frame, shown `repeat` times (a repeat changes nothing: time only moves on)."""
        values = self.measures(frame)
        for kind, meter in self.meters.items():
            self._advance(kind, meter.update(values[kind]))
        self.frames += 1
        for _ in range(min(max(0, int(repeat) - 1), self.fps)):
            for kind in self.meters:
                self._advance(kind, None)
            self.frames += 1
        self.frames += max(0, int(repeat) - 1 - self.fps)  # the rest of a long hold

    def _advance(self, kind: str, turned: np.ndarray | None) -> None:
        """Slide `kind`'s second on by the frame `self.frames`, where `turned` cells turned."""
        ring, in_second = self.ring[kind], self.in_second[kind]
        slot = self.frames % self.fps
        in_second -= ring[slot]
        if turned is None:
            ring[slot] = False
        else:
            ring[slot] = turned
            in_second += turned
        if in_second.max() > MAX_TRANSITIONS:
            self._judge(kind)

    def _judge(self, kind: str) -> None:
        """The last second has more than three flashes somewhere: do they cover a field?"""
        in_second = self.in_second[kind]
        worst = 0
        for count in range(MAX_TRANSITIONS + 1, int(in_second.max()) + 1):
            if not self._covers_a_field(in_second >= count):
                break
            worst = count
        if worst:
            # Where the flashing of that second began: its first transition in a busy cell.
            busy = in_second > MAX_TRANSITIONS
            slots = np.flatnonzero(self.ring[kind][:, busy].any(axis=1))
            ages = (self.frames - slots) % self.fps  # 0: this frame
            first, last = self.frames - int(ages.max()), self.frames - int(ages.min())
            self.failing[kind].append((self.frames, worst, first, last))

    def _covers_a_field(self, flashing: np.ndarray) -> bool:
        """Whether the flashing cells fill a quarter of some 10-degree field."""
        grid = flashing.reshape(self.rows, self.cols)
        table = np.zeros((self.rows + 1, self.cols + 1), np.int32)
        table[1:, 1:] = grid.cumsum(axis=0).cumsum(axis=1)
        high, wide = self.field
        inside = (
            table[high:, wide:]
            - table[:-high, wide:]
            - table[high:, :-wide]
            + table[:-high, :-wide]
        )
        return bool(inside.max() >= self.field_cells)

    def episodes(self, kind: str) -> list[dict[str, float | int]]:
        """Stretches of the video where some second holds more than three flashes of `kind`
        over a quarter of a 10-degree field: first and last flash (s), the worst count in one
        second and when that second's flashing began."""
        found: list[dict[str, float | int]] = []
        run: list[tuple[int, int, int, int]] = []
        for entry in [*self.failing[kind], (-1, 0, 0, 0)]:
            if run and entry[0] != run[-1][0] + 1:
                peak = max(run, key=lambda e: e[1])
                found.append(
                    {
                        "start": round(run[0][2] / self.fps, 2),
                        "end": round((max(e[3] for e in run) + 1) / self.fps, 2),
                        "flashes": math.ceil(peak[1] / 2),
                        "at": round(peak[2] / self.fps, 2),
                    }
                )
                run = []
                if len(found) == MAX_EPISODES:
                    break
            run.append(entry)
        return found

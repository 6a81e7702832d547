"""Helpers templates use to emit clean, safe Manim code.

Templates write their scene as a code skeleton with `<<name>>` holes and call `fill()`; every
value that goes into a hole is a Python literal made by `literal()` from validated data, so
prompt text can never become code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from app.core import palette
from app.generators.offline import arrange, mathexpr
from app.generators.offline.params import fail

_HOLE = re.compile(r"<<(\w+)>>")


def fill(skeleton: str, **values: object) -> str:
    """Replace each <<name>> with values[name] (already code text); every hole must be filled."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for <<{name}>>")
        return str(values[name])

    code = _HOLE.sub(replace, skeleton)
    code = re.sub(r"\n{4,}", "\n\n\n", code)  # at most two blank lines, as in PEP 8
    if code.startswith("from manim import *"):
        code = _drop_unused_imports(arrange.with_arrangement(code))
    return code if code.endswith("\n") else code + "\n"


_OPTIONAL_IMPORTS = {
    "import numpy as np\n": "np.",
    "import math\n": "math.",
    "import random\n": "random.",
}


def _drop_unused_imports(code: str) -> str:
    """Remove `import numpy as np` (or math, random) when the scene never uses it."""
    for line, usage in _OPTIONAL_IMPORTS.items():
        if line in code and usage not in code.replace(line, "", 1):
            code = code.replace(line, "", 1)
    return code


def with_palette(code: str) -> str:
    """The scene with the palette roles it uses defined as constants under its imports.

    Templates colour by role names (ACCENT, NEGATIVE ...); this puts their values at the top
    of the file, from app/core/palette.py, where a teacher reading the code can see and change
    them (the fixer's colour swap adds its constants the same way).
    """
    return palette.with_constants(code)


def literal(value: object) -> str:
    """A Python literal for a validated value (numbers rounded for readability)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite number in generated code")
        rounded = float(f"{value:.10g}")
        return (
            str(int(rounded)) + ".0"
            if rounded.is_integer() and abs(rounded) < 1e15
            else repr(rounded)
        )
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot embed {type(value).__name__} in code")


def block_literal(value: object, indent: int, prefix: int = 0, width: int = 96) -> str:
    """literal(), but lists, tuples, dicts and strings too wide for one line are spread out.

    `indent` is the indentation of the statement, `prefix` how many characters come before
    the literal on its first line ("values = " is 9); inner lines are indented by 4 more.
    """
    flat = literal(value)
    if indent + prefix + len(flat) <= width:
        return flat
    if isinstance(value, str) and " " in value:
        return _split_string(value, indent, width)
    if not isinstance(value, (list, tuple, dict)) or not value:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = [
            f"{literal(k)}: {block_literal(v, indent + 4, len(literal(k)) + 3, width)}"
            for k, v in value.items()
        ]
        opening, closing = "{", "}"
    else:
        items = [block_literal(v, indent + 4, 1, width) for v in value]
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
    body = "".join(f"{pad}{item},\n" for item in items)
    return f"{opening}\n{body}{' ' * indent}{closing}"


def _split_string(text: str, indent: int, width: int) -> str:
    """A long string as implicitly joined pieces in brackets, broken after spaces."""
    room = max(24, width - indent - 8)
    pieces, current = [], ""
    for word in re.split(r"(?<= )", text):
        if current and len(literal(current + word)) > room:
            pieces.append(current)
            current = ""
        current += word
    pieces.append(current)
    pad = " " * (indent + 4)
    body = "".join(f"{pad}{literal(piece)}\n" for piece in pieces)
    return f"(\n{body}{' ' * indent})"


def string_literal(text: str) -> str:
    """A readable string literal: "plain", r"\frac{1}{2}" for LaTeX, repr() otherwise."""
    printable = text.isprintable() and '"' not in text
    if printable and "\\" not in text:
        return f'"{text}"'
    if printable and not text.endswith("\\"):
        return f'r"{text}"'
    return repr(text)


def number_literal(value: float) -> str:
    """A short literal for display-friendly numbers: 3 → "3", 2.5 → "2.5"."""
    if float(value).is_integer():
        return str(int(value))
    return literal(float(value))


def scene_class(template_id: str) -> str:
    """derivative_tangent → DerivativeTangent."""
    return "".join(part.capitalize() for part in template_id.split("_"))


def fit_frame(box: tuple[float, float, float, float] | float) -> str:
    """The first lines of construct() for a single drawing: in a frame narrower than 16:9 the
    camera frames `box`, the design extent [left, bottom, right, top] of all it shows (a
    number is a design width, centred: the old whole-frame zoom-out)."""
    if isinstance(box, int | float):
        box = (-box / 2, -4.0, box / 2, 4.0)
    return (
        "        # In a portrait or square frame, frame the drawing as large as it fits\n"
        f"        zoom_to_fit(self, {literal(list(map(float, box)))})\n"
    )


def arrange_parts(
    parts: dict[str, tuple[float, float, float, float]], title_space: float = 1.2
) -> str:
    """The first lines of construct() for a scene of parts side by side in 16:9: each name is
    bound to its part's place in this frame (see arrange.py), for put() and at().
    `title_space` is what the title keeps at the top (less when the title is in a part)."""
    names = ", ".join(parts) + ("," if len(parts) == 1 else "")
    boxes = [literal([float(v) for v in box]) for box in parts.values()]
    if title_space != 1.2:
        boxes.append(f"title_space={literal(float(title_space))}")
    call = f"{names} = arrange_parts(self, {', '.join(boxes)})"
    if len(call) > 90:
        inner = "".join(f"            {box},\n" for box in boxes)
        call = f"{names} = arrange_parts(\n            self,\n{inner}        )"
    comment = "# Side by side in landscape, stacked in portrait: where each part goes"
    return f"        {comment}\n        {call}\n"


def show(value: float, digits: int = 2) -> str:
    """A number for on-screen text: 3 → "3", 2.5 → "2.5", 1/3 → "0.33"."""
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_step(span: float, target_ticks: int = 8) -> float:
    """A tick step of 1, 2 or 5 × 10^k giving about `target_ticks` ticks over `span`."""
    raw = max(span, 1e-9) / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return float(multiple * power)
    return float(10 * power)


@dataclass(frozen=True)
class GraphWindow:
    """Where to draw f: axes ranges with steps, and the x-intervals where f is on screen."""

    x_range: list[float]  # [min, max, step]
    y_range: list[float]
    pieces: list[list[float]]  # [[x_start, x_end], ...] where f is defined and in the window

    @property
    def longest_piece(self) -> list[float]:
        return max(self.pieces, key=lambda p: p[1] - p[0])


def graph_window(
    expr: mathexpr.Expr,
    x_low: float,
    x_high: float,
    *,
    include_zero: bool = True,
    force_zero: bool = False,
    samples: int = 1201,
) -> GraphWindow:
    """Choose a y-range that shows f well (clipping asymptotes) and the pieces to plot."""
    xs = np.linspace(x_low, x_high, samples)
    ys = expr.values(xs)
    finite = np.isfinite(ys)
    if finite.sum() < samples * 0.05:
        raise fail(
            f"{expr.text} is not defined on most of [{show(x_low)}, {show(x_high)}]; "
            "choose another x range."
        )
    defined = ys[finite]
    low, high = float(defined.min()), float(defined.max())
    p5, p95 = (float(v) for v in np.percentile(defined, [5, 95]))
    central = max(p95 - p5, 1e-9)
    if high - low > 6 * central:
        # An asymptote or a very steep end: keep the central band and clip the rest.
        low, high = max(low, p5 - 1.5 * central), min(high, p95 + 1.5 * central)
    if high - low < 1e-6:
        low, high = low - 1, high + 1
    if force_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    elif include_zero:
        if 0 < low <= (high - low):
            low = 0.0
        elif -(high - low) <= high < 0:
            high = 0.0
    # Pad the top and bottom, except where the window stops at the x-axis
    pad = 0.08 * (high - low)
    low, high = (low if low == 0 else low - pad), (high if high == 0 else high + pad)
    y_step = nice_step(high - low, 6)
    x_step = nice_step(x_high - x_low, 8)
    y_low = math.floor(low / y_step) * y_step
    y_high = math.ceil(high / y_step) * y_step
    on_screen = finite & (ys >= y_low) & (ys <= y_high)
    pieces = _runs(xs, on_screen)
    if not pieces:
        raise fail(f"{expr.text} has no visible part on this x range; choose another range.")
    return GraphWindow(
        x_range=[tidy(x_low), tidy(x_high), tidy(x_step)],
        y_range=[tidy(y_low), tidy(y_high), tidy(y_step)],
        pieces=[[tidy(a), tidy(b)] for a, b in pieces],
    )


def tidy(value: float) -> float:
    return float(f"{value:.6g}")


def _runs(xs: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    """Contiguous runs of True as (x_start, x_end), ignoring runs of a single sample."""
    runs: list[tuple[float, float]] = []
    start = None
    for i, keep in enumerate(mask):
        if keep and start is None:
            start = i
        if (not keep or i == len(mask) - 1) and start is not None:
            end = i if keep else i - 1
            if end - start >= 2:
                runs.append((float(xs[start]), float(xs[end])))
            start = None
    return runs


def roots(expr: mathexpr.Expr, window: GraphWindow, limit: int = 4) -> list[float]:
    """Where f crosses or touches zero inside the plotted pieces (bisection on sign changes)."""
    found: list[float] = []
    for start, end in window.pieces:
        xs = np.linspace(start, end, 801)
        ys = expr.values(xs)
        for i in range(len(xs) - 1):
            a, b = xs[i], xs[i + 1]
            fa, fb = ys[i], ys[i + 1]
            if not (np.isfinite(fa) and np.isfinite(fb)):
                continue
            if fa == 0:
                candidate = float(a)
            elif fa * fb < 0:
                for _ in range(60):
                    mid = (a + b) / 2
                    fm = expr.value(mid)
                    if fa * fm <= 0:
                        b, fb = mid, fm
                    else:
                        a, fa = mid, fm
                candidate = float((a + b) / 2)
            else:
                continue
            # A sign change across a jump (like 1/x or tan x) is not a root.
            if abs(expr.value(candidate)) > 1e-6 * max(1.0, float(np.nanmax(np.abs(ys)))):
                continue
            if not found or abs(candidate - found[-1]) > 1e-6:
                found.append(round(candidate, 6) + 0.0)
    return found[:limit]


def sample_graph(expr: mathexpr.Expr, x_low: float, x_high: float) -> bool:
    """True when f is finite over the whole closed range (no gaps, no asymptotes)."""
    ys = expr.values(np.linspace(x_low, x_high, 801))
    return bool(np.all(np.isfinite(ys)))

"""A 2×2 matrix as a linear transformation: the grid, the basis vectors and the unit square move."""

from __future__ import annotations

import math
import re

import numpy as np

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Matrix
from app.generators.offline.extract import NUM, Prompt

ID = "matrix_transformation"
TITLE = "Matrix as a linear transformation"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Show the linear transformation of the matrix [[1, 1], [0, 1]]"
DEFAULTS = {"matrix": [[1.0, 1.0], [0.0, 1.0]]}
VARIANTS = [
    {"matrix": [[0.0, -1.0], [1.0, 0.0]]},
    {"matrix": [[2.0, 1.0], [1.0, -1.5]]},
]
TRIGGERS = {
    r"\bmatri(?:x|ces)\b": 5,
    r"\blinear (?:transformation|map)s?\b": 7,
    r"\bshears?\b|\bshearing\b": 4,
    r"\bbasis vectors?\b|\bi[- ]hat\b|\bj[- ]hat\b": 4,
    r"\bdeterminant\b": 4,
    r"\beigen\w*": 3,
    r"\brotation matrix\b|\breflection matrix\b": 4,
}
LIMIT = 4
_MATRIX = re.compile(
    rf"\[\s*\[\s*({NUM})\s*,?\s*({NUM})\s*\]\s*,?\s*\[\s*({NUM})\s*,?\s*({NUM})\s*\]\s*\]"
)
_ROWS = re.compile(rf"\(\s*({NUM})\s*,?\s*({NUM})\s*;\s*({NUM})\s*,?\s*({NUM})\s*\)")


def extract(prompt: Prompt) -> dict:
    match = _MATRIX.search(prompt.text) or _ROWS.search(prompt.text)
    if match:
        a, b, c, d = (float(v) for v in match.groups())
        return {"matrix": [[a, b], [c, d]]}
    text = prompt.text
    if re.search(r"\brotat", text):
        angle = prompt.angle_deg
        if angle is None:
            number = re.search(rf"\brotat\w*\s*(?:by\s*)?({NUM})", text)
            angle = float(number.group(1)) if number else 90.0
        theta = math.radians(angle)
        cos, sin = round(math.cos(theta), 4) + 0.0, round(math.sin(theta), 4) + 0.0
        return {"matrix": [[cos, -sin], [sin, cos]]}
    if re.search(r"\breflect", text):
        if re.search(r"y\s*=\s*x", text):
            return {"matrix": [[0.0, 1.0], [1.0, 0.0]]}
        if re.search(r"\by[- ]?axis", text):
            return {"matrix": [[-1.0, 0.0], [0.0, 1.0]]}
        return {"matrix": [[1.0, 0.0], [0.0, -1.0]]}
    scale = re.search(
        rf"\b(?:scal\w*|stretch\w*|enlarg\w*|dilat\w*)\s*(?:by\s*)?(?:a factor of\s*)?({NUM})", text
    )
    if scale:
        k = float(scale.group(1))
        return {"matrix": [[k, 0.0], [0.0, k]]}
    if re.search(r"\bshear", text):
        amount = re.search(rf"\bshear\w*\s*(?:by\s*)?({NUM})", text)
        k = float(amount.group(1)) if amount else 1.0
        return {"matrix": [[1.0, k], [0.0, 1.0]]}
    return {}


CONTROLS = {
    "matrix": Matrix("Matrix", rows=2, columns=2, low=-LIMIT, high=LIMIT),
}


def validate(params: dict, notes: list[str]) -> dict:
    matrix = params["matrix"]
    if (
        not isinstance(matrix, (list, tuple))
        or len(matrix) != 2
        or any(not isinstance(row, (list, tuple)) or len(row) != 2 for row in matrix)
    ):
        raise checks.fail("'matrix' must be 2×2, like [[1, 1], [0, 1]].")
    params["matrix"] = [
        [checks.number(v, "matrix", low=-LIMIT, high=LIMIT) for v in row] for row in matrix
    ]
    return params


SKELETON = """\
from manim import *
import numpy as np


def fmt(value):
    # 1.0 -> "1", -0.7071 -> "-0.71"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class MatrixTransformation(Scene):
    def construct(self):
<<fit_frame>>
        matrix = np.array(<<matrix>>)  # columns: where i-hat and j-hat land
        unit = <<unit>> * diagram[0]  # screen size of one grid square, so the result fits
        origin = np.array(at(diagram, -2.6, -0.4))

        def to_screen(x, y):
            return origin + unit * np.array([x, y, 0])

        # The grid, and a faint copy that stays put for comparison
        plane = NumberPlane(
            x_range=[-12, 12, 1],
            y_range=[-12, 12, 1],
            x_length=24 * unit,
            y_length=24 * unit,
            background_line_style={"stroke_color": MUTED, "stroke_opacity": 0.6},
        ).move_to(origin)
        still = plane.copy().set_opacity(0.15)
        self.add(still)
        self.play(Create(plane), run_time=1.5)

        def tip_label(arrow, tex, color):
            # The vector's name just past its tip, following the arrow as it moves
            label = MathTex(tex, font_size=36, color=color)
            label.add_updater(
                lambda name: name.move_to(
                    arrow.get_end() + 0.3 * normalize(arrow.get_end() - arrow.get_start())
                )
            )
            return label

        # The basis vectors i-hat and j-hat, named at their tips, and the unit square they span
        i_hat = Arrow(to_screen(0, 0), to_screen(1, 0), buff=0, color=ACCENT)
        j_hat = Arrow(to_screen(0, 0), to_screen(0, 1), buff=0, color=SECONDARY)
        i_name = tip_label(i_hat, r"\\hat{\\imath}", ACCENT)
        j_name = tip_label(j_hat, r"\\hat{\\jmath}", SECONDARY)
        square = Polygon(to_screen(0, 0), to_screen(1, 0), to_screen(1, 1), to_screen(0, 1))
        square.set_stroke(HIGHLIGHT, 2).set_fill(HIGHLIGHT, opacity=0.35)
        self.play(
            GrowArrow(i_hat), GrowArrow(j_hat), FadeIn(i_name), FadeIn(j_name), FadeIn(square),
            run_time=1.2,
        )

        # The panel on the right sits on a dark backdrop so the grid never runs through it
        backdrop = Rectangle(width=4.9, height=7.9, stroke_width=0).set_fill(
            BACKGROUND, opacity=0.92
        )
        put(backdrop, panel, 4.6, 0)
        title = Text("Matrix transformation", font_size=34)
        put(title.scale_to_fit_width(min(title.width, 4.6)), panel, 4.7, 3.2)
        matrix_tex = MathTex(
            rf"\\begin{{bmatrix}} {fmt(matrix[0, 0])} & {fmt(matrix[0, 1])} \\\\ "
            rf"{fmt(matrix[1, 0])} & {fmt(matrix[1, 1])} \\end{{bmatrix}}",
            font_size=48,
        )
        put(matrix_tex, panel, 4.7, 1.9)
        VGroup(backdrop, title, matrix_tex).set_z_index(2)  # in front of the grid
        self.play(FadeIn(backdrop), Write(title), Write(matrix_tex), run_time=1.5)

        # Apply the matrix: every point (x, y) goes to matrix @ (x, y)
        new_i = Arrow(to_screen(0, 0), to_screen(*matrix[:, 0]), buff=0, color=ACCENT)
        new_j = Arrow(to_screen(0, 0), to_screen(*matrix[:, 1]), buff=0, color=SECONDARY)
        self.play(
            ApplyMatrix(matrix, plane, about_point=origin),
            ApplyMatrix(matrix, square, about_point=origin),
            Transform(i_hat, new_i),
            Transform(j_hat, new_j),
            run_time=3,
        )
        self.wait(0.5)

        # The columns of the matrix are where the basis vectors land
        columns = (
            VGroup(
                MathTex(
                    rf"\\hat{{\\imath}} \\to ({fmt(matrix[0, 0])}, {fmt(matrix[1, 0])})",
                    color=ACCENT,
                ),
                MathTex(
                    rf"\\hat{{\\jmath}} \\to ({fmt(matrix[0, 1])}, {fmt(matrix[1, 1])})",
                    color=SECONDARY,
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT)
            .set_z_index(3)
        )
        put(columns, panel, 4.7, 0.2)
        self.play(Write(columns), run_time=1.5)

        # The determinant is how much areas are scaled (negative: the grid is flipped)
        determinant = np.linalg.det(matrix)
        area = MathTex(rf"\\det = {fmt(determinant)}", font_size=44, color=HIGHLIGHT)
        note = Text("area of the shaded square", font_size=24, color=HIGHLIGHT)
        put(VGroup(area, note).arrange(DOWN, buff=0.2), panel, 4.7, -1.6).set_z_index(3)
        self.play(Write(area), FadeIn(note), run_time=1.5)
        self.wait(2)
"""


def fmt(value: float) -> str:
    """What the video's fmt(value) shows: 1.0 → "1", -0.7071 → "-0.71"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def describe(params: dict) -> list[str]:
    matrix = np.array([[float(literal(float(v))) for v in row] for row in params["matrix"]])
    (a, b), (c, d) = matrix
    determinant = float(np.linalg.det(matrix))  # the value the video shows
    exact = a * d - b * c  # its sign, without rounding noise, says what the grid does
    i_to, j_to = f"({fmt(a)}, {fmt(c)})", f"({fmt(b)}, {fmt(d)})"
    if not matrix.any():
        effect = ", squashing the grid onto a single point"
    elif abs(exact) < 1e-9:
        effect = ", squashing the grid onto a line"
    elif exact < 0:
        effect = ", flipping the grid over"
    else:
        effect = ""
    return [
        "A square grid appears, with a faint copy that stays in place.",
        "The basis vectors i-hat and j-hat are drawn from the origin to (1, 0) and (0, 1), "
        "with the unit square they span shaded.",
        "A panel on the right shows the title Matrix transformation and the matrix with rows "
        f"({fmt(a)}, {fmt(b)}) and ({fmt(c)}, {fmt(d)}).",
        f"The matrix is applied to the grid and the shaded square{effect}: i-hat moves to "
        f"{i_to} and j-hat to {j_to}.",
        f"The panel reads: i-hat goes to {i_to} and j-hat goes to {j_to}.",
        f"It then reads: det = {fmt(determinant)}, the area of the shaded square.",
    ]


def build(params: dict) -> str:
    (a, b), (c, d) = params["matrix"]
    corners = [(0, 0), (1, 0), (0, 1), (1, 1), (a, c), (b, d), (a + b, c + d)]
    reach_x = max(abs(x) for x, _ in corners)
    reach_y = max(abs(y) for _, y in corners)
    # Room around the origin at (-2.6, -0.4): about 3.7 units across each way, 3 up and down.
    unit = min(1.0, 3.6 / max(reach_x, 1e-9), 2.9 / max(reach_y, 1e-9))
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"diagram": (-7.1, -4.0, 2.15, 4.0), "panel": (2.15, -3.95, 7.05, 3.95)},
            title_space=0.3,
        ),
        matrix=literal([[float(a), float(b)], [float(c), float(d)]]),
        unit=literal(round(unit, 3)),
    )


def narration(params: dict) -> list[str]:
    matrix = np.array([[float(literal(float(v))) for v in row] for row in params["matrix"]])
    (a, b), (c, d) = matrix
    determinant = float(np.linalg.det(matrix))
    exact = a * d - b * c
    if not matrix.any():
        effect = " It squashes the whole grid onto a single point."
    elif abs(exact) < 1e-9:
        effect = " It squashes the grid onto a line."
    elif exact < 0:
        effect = " It flips the grid over."
    else:
        effect = ""
    return [
        "Here is a square grid. A faint copy stays in place so we can compare.",
        "The basis vectors i hat and j hat go to 1, 0 and 0, 1. The square they span is shaded.",
        f"Our matrix has rows {fmt(a)}, {fmt(b)} and {fmt(c)}, {fmt(d)}.",
        f"Now apply the matrix to every point of the grid.{effect}",
        f"The columns of the matrix are where the basis vectors land: i hat goes to "
        f"{fmt(a)}, {fmt(c)}, and j hat goes to {fmt(b)}, {fmt(d)}.",
        f"The determinant is {fmt(determinant)}: that is how much every area is scaled.",
    ]

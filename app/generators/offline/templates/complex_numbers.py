"""Complex numbers on an Argand diagram: a point a + bi with its modulus and argument, then
w added (tip to tail) or multiplied (a rotation by arg w and a scaling by |w|)."""

from __future__ import annotations

import math
import re

from app.generators.offline import controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates import common
from app.generators.offline.templates.common import Spoken

ID = "complex_numbers"
TITLE = "Complex numbers on an Argand diagram"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Multiply 2 + i by 1 + i on an Argand diagram: a rotation and a scaling"
DEFAULTS = {"a": 2.0, "b": 1.0, "c": 1.0, "d": 1.0, "operation": "multiply"}
VARIANTS = [
    {"a": 3.0, "b": 4.0, "c": 1.0, "d": 1.0, "operation": "point"},
    {"a": 2.0, "b": 1.0, "c": -1.0, "d": 3.0, "operation": "add"},
    {"a": -2.0, "b": 2.0, "c": 0.0, "d": 1.0, "operation": "multiply"},
    {"a": 1.5, "b": -2.5, "c": 2.0, "d": -1.0, "operation": "multiply"},
]
TRIGGERS = {
    r"\bargand\b|\bcomplex (?:numbers?|plane)\b": 9,
    r"\bimaginary\b|\breal (?:and|&) imaginary\b": 4,
    r"(?<![\w.])\d*(?:\.\d+)?\s*[+-]\s*\d*(?:\.\d+)?\s*i\b": 4,
    r"\bmodulus\b|\bargument\b|\barg\b": 3,
    r"\bmultipl\w*\b|\bproduct\b|\brotat\w*\b": 1,
}
OPERATIONS = ("point", "add", "multiply")
PART = (-10.0, 10.0)
CONTROLS = {
    "a": controls.Number("Real part of z", *PART, step=0.5),
    "b": controls.Number("Imaginary part of z", *PART, step=0.5),
    "c": controls.Number("Real part of w", *PART, step=0.5),
    "d": controls.Number("Imaginary part of w", *PART, step=0.5),
    "operation": controls.Choice(
        "What to show", OPERATIONS, ("z alone", "z + w (addition)", "z × w (multiplication)")
    ),
}

# 3 + 4i, -2 - i, 2i, -i, 5 (a complex number as teachers type it)
_COMPLEX = re.compile(
    rf"(?<![\w.])(?:({NUM})\s*([+-])\s*({NUM})?\s*\*?\s*i|({NUM})?\s*\*?\s*i)(?![a-z])"
)


def complex_numbers(text: str) -> list[tuple[float, float]]:
    """Every a + bi in the text, in order: "3 + 4i" → (3, 4), "-i" → (0, -1)."""
    found = []
    for match in _COMPLEX.finditer(text):
        real, sign, imag, lone = match.groups()
        if real is not None:
            size = float(imag) if imag else 1.0
            found.append((float(real), -size if sign == "-" else size))
        else:
            if lone is None and re.search(r"[a-z]$", text[: match.start()]):
                continue  # the letter i inside a word
            size = float(lone) if lone not in (None, "-") else 1.0
            found.append((0.0, size))
    return found


def extract(prompt: Prompt) -> dict:
    """z and w from the first two complex numbers written; add or multiply from the words
    ("add", "sum", "+" between brackets; "multiply", "times", "product", "(z)(w)")."""
    text = prompt.text
    params: dict = {}
    numbers = complex_numbers(text)
    if numbers:
        params["a"], params["b"] = numbers[0]
    if len(numbers) >= 2:
        params["c"], params["d"] = numbers[1]
    if prompt.has(r"\bmultipl\w*|\btimes\b|\bproduct\b|\)\s*\(|\)\s*[×*x]\s*\(|\brotat\w*"):
        params["operation"] = "multiply"
    elif prompt.has(r"\badd\w*|\bsum\b|\bplus\b|\)\s*\+\s*\("):
        params["operation"] = "add"
    elif numbers:
        params["operation"] = "point" if len(numbers) == 1 else DEFAULTS["operation"]
    return params


def validate(params: dict, notes: list[str]) -> dict:
    for name in ("a", "b", "c", "d"):
        params[name] = checks.number(params[name], name, low=PART[0], high=PART[1])
    params["operation"] = checks.choice(
        params["operation"],
        "operation",
        OPERATIONS,
        {"addition": "add", "multiplication": "multiply", "times": "multiply", "plot": "point"},
    )
    if params["a"] == 0 and params["b"] == 0:
        raise checks.fail(
            "z must not be 0: it has no argument, so give it a real or imaginary part."
        )
    if params["operation"] == "multiply" and params["c"] == 0 and params["d"] == 0:
        raise checks.fail("w must not be 0 to multiply by it: give it a real or imaginary part.")
    return params


SKELETON = r"""from manim import *
import math

a, b = <<a>>, <<b>>  # z = a + bi
c, d = <<c>>, <<d>>  # w = c + di
operation = <<operation>>  # "point" (z alone), "add" (z + w) or "multiply" (z × w)

z, w = complex(a, b), complex(c, d)
result = z + w if operation == "add" else z * w


def modulus(number):
    # |a + bi| = √(a² + b²)
    return math.hypot(number.real, number.imag)


def argument(number):
    # The angle from the positive real axis, in degrees, between -180 and 180
    return math.degrees(math.atan2(number.imag, number.real))


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", 1/3 -> "0.33"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def tex(number):
    # a + bi as written: 2 + i, 1 - 3i, 2i, -i, 5
    re_part, im_part = fmt(number.real), fmt(abs(number.imag))
    im_text = "i" if im_part == "1" else f"{im_part}i"
    if im_part == "0":
        return re_part
    if re_part == "0":
        return ("-" if number.imag < 0 else "") + im_text
    return f"{re_part} {'-' if number.imag < 0 else '+'} {im_text}"


def tick_step(span, ticks):
    # 1, 2 or 5 times a power of ten, giving about `ticks` ticks over the span
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


shown = [z] + ([w, result] if operation != "point" else [])
reach = max(max(abs(n.real), abs(n.imag)) for n in shown)
step = tick_step(reach, 4)
extent = (math.floor(reach / step) + 1) * step  # the plane reaches one tick past every point


<<arrange>>


class ComplexNumbers(Scene):
    def construct(self):
        # The parts, built first and placed by one arrangement at the end of this block
        names = {"point": "a point", "add": "adding", "multiply": "multiplying"}
        title = Text(f"Complex numbers: {names[operation]}", font_size=38)
        # A portrait or square frame draws the plane smaller: its labels are larger
        wide = self.camera.frame_width >= 14.2 - 0.01
        name_size, number_size = (22, 18) if wide else (28, 24)
        plane = NumberPlane(
            x_range=[-extent, extent, step],
            y_range=[-extent, extent, step],
            x_length=5.6,
            y_length=5.6,
            background_line_style={"stroke_color": MUTED, "stroke_opacity": 0.35},
            axis_config={"stroke_color": TEXT},
        )
        axis_names = VGroup(
            Text("Re", font_size=name_size).next_to(plane.x_axis, RIGHT, buff=0.3),
            Text("Im", font_size=name_size).next_to(plane.y_axis, UP, buff=0.15),
        )
        numbers = VGroup(
            *[
                Text(fmt(v), font_size=number_size).next_to(plane.c2p(v, 0), DOWN, buff=0.1)
                for v in (-extent, extent)
            ],
            Text(fmt(extent), font_size=number_size).next_to(
                plane.c2p(0, extent), LEFT, buff=0.1
            ),
        )
        diagram = VGroup(plane, axis_names, numbers)
        lines = [
            rf"z = {tex(z)}",
            rf"|z| = \sqrt{{{fmt(a)}^2 + {fmt(b)}^2}} = {fmt(modulus(z))}",
            rf"\arg z = {fmt(argument(z))}^\circ",
        ]
        if operation == "point":
            angle = fmt(argument(z))
            lines.append(rf"z = {fmt(modulus(z))}(\cos {angle}^\circ + i \sin {angle}^\circ)")
        if operation == "add":
            lines += [rf"w = {tex(w)}", rf"z + w = {tex(result)}"]
        if operation == "multiply":
            lines += [
                rf"w = {tex(w)}:\ |w| = {fmt(modulus(w))},\ \arg w = {fmt(argument(w))}^\circ",
                rf"|zw| = {fmt(modulus(z))} \times {fmt(modulus(w))} = {fmt(modulus(result))}",
                rf"\arg zw = {fmt(argument(z))}^\circ + {fmt(argument(w))}^\circ",
                rf"zw = {tex(result)}",
            ]
        working = VGroup(*[MathTex(line, font_size=32) for line in lines])
        working.arrange(DOWN, aligned_edge=LEFT, buff=0.28)
        working[-1].set_color(HIGHLIGHT)
        if working.width > 6.4:
            working.scale_to_fit_width(6.4)
        if wide:
            body = VGroup(diagram, working).arrange(RIGHT, buff=0.7)
            VGroup(title, body).arrange(DOWN, buff=0.4).move_to(ORIGIN)
        else:
            # A portrait or square frame: stacked or side by side, whichever is larger
            arrange_scene(self, title, [diagram, working])
        origin = plane.c2p(0, 0)

        def arrow_to(number, color):
            return Arrow(origin, plane.c2p(number.real, number.imag), buff=0, color=color)

        def name_at(number, text, color):
            # The name sits just beyond the point, away from the origin
            away = normalize(plane.c2p(number.real, number.imag) - origin)
            spot = plane.c2p(number.real, number.imag) + 0.35 * away
            return MathTex(text, font_size=30, color=color).move_to(spot)

        # Title
        self.play(Write(title), run_time=1)

        # The Argand diagram: real numbers across, imaginary numbers up
        self.play(Create(plane), FadeIn(axis_names), FadeIn(numbers), run_time=1.5)

        # z = a + bi is the point (a, b)
        z_arrow = arrow_to(z, ACCENT)
        z_dot = Dot(z_arrow.get_end(), color=ACCENT)
        z_name = name_at(z, "z", ACCENT)
        self.play(GrowArrow(z_arrow), FadeIn(z_dot), FadeIn(z_name), Write(working[0]))

        # Its modulus is the arrow's length, its argument the angle from the real axis
        arc = Arc(
            radius=0.6, start_angle=0, angle=math.radians(argument(z)), arc_center=origin,
            color=HIGHLIGHT,
        )
        self.play(Create(arc), Write(working[1]), Write(working[2]), run_time=1.5)

        # Then z in polar form, or w added tip to tail, or multiplied: a turn and a stretch
        if operation == "point":
            self.play(Write(working[3]), run_time=1.5)
        elif operation == "add":
            # w, then w again from the tip of z: the sum is the diagonal, tip to tail
            w_arrow = arrow_to(w, SECONDARY)
            w_name = name_at(w, "w", SECONDARY)
            self.play(GrowArrow(w_arrow), FadeIn(w_name), Write(working[3]))
            moved = w_arrow.copy().shift(z_arrow.get_end() - origin)
            self.play(TransformFromCopy(w_arrow, moved), run_time=1.2)
            sum_arrow = arrow_to(result, HIGHLIGHT)
            sum_name = name_at(result, "z + w", HIGHLIGHT)
            self.play(GrowArrow(sum_arrow), FadeIn(sum_name), Write(working[4]))
        elif operation == "multiply":
            # w, with its own modulus and argument
            w_arrow = arrow_to(w, SECONDARY)
            w_name = name_at(w, "w", SECONDARY)
            self.play(GrowArrow(w_arrow), FadeIn(w_name), Write(working[3]))
            # Multiplying by w turns z by arg w and stretches it by |w|
            turned = z_arrow.copy()
            self.play(
                Rotate(turned, angle=math.radians(argument(w)), about_point=origin),
                Write(working[5]),
                run_time=1.5,
            )
            self.play(
                turned.animate.put_start_and_end_on(
                    origin, plane.c2p(result.real, result.imag)
                ).set_color(HIGHLIGHT),
                Write(working[4]),
                run_time=1.5,
            )
            product_name = name_at(result, "zw", HIGHLIGHT)
            self.play(FadeIn(product_name), Write(working[6]))
        self.wait(2)
"""


def _tex(re_part: float, im_part: float) -> str:
    """a + bi as the description says it (plain text): 2 + i, 1 − 3i, 2i, −i, 5."""
    re_text, im_text = show(re_part), show(abs(im_part))
    imaginary = "i" if im_text == "1" else f"{im_text}i"
    if im_text == "0":
        return re_text
    if re_text == "0":
        return ("−" if im_part < 0 else "") + imaginary
    return f"{re_text} {'−' if im_part < 0 else '+'} {imaginary}"


def describe(params: dict) -> list[str]:
    a, b, c, d = params["a"], params["b"], params["c"], params["d"]
    operation = params["operation"]
    z, w = complex(a, b), complex(c, d)
    arg_z = math.degrees(math.atan2(b, a))
    names = {"point": "a point", "add": "adding", "multiply": "multiplying"}
    sentences = [
        f"The title reads: Complex numbers: {names[operation]}.",
        "An Argand diagram appears: real numbers across, imaginary numbers up.",
        f"An arrow from the origin marks z = {_tex(a, b)}, the point ({show(a)}, {show(b)}).",
        f"Its modulus is |z| = √({show(a)}² + {show(b)}²) = {show(abs(z))}, and an arc marks its "
        f"argument, arg z = {show(arg_z)}°.",
    ]
    if operation == "point":
        sentences.append(
            f"In polar form, z = {show(abs(z))}(cos {show(arg_z)}° + i sin {show(arg_z)}°)."
        )
    if operation == "add":
        total = z + w
        sentences += [
            f"A second arrow marks w = {_tex(c, d)}, and a copy of it starts from the tip of z.",
            f"The arrow to its end is the sum: z + w = {_tex(total.real, total.imag)}.",
        ]
    elif operation == "multiply":
        product = z * w
        arg_w = math.degrees(math.atan2(d, c))
        sentences += [
            f"A second arrow marks w = {_tex(c, d)}: |w| = {show(abs(w))}, arg w = {show(arg_w)}°.",
            f"A copy of z turns by arg w: arg zw = {show(arg_z)}° + {show(arg_w)}°.",
            f"Then it stretches by |w|: |zw| = {show(abs(z))} × {show(abs(w))} = "
            f"{show(abs(product))}.",
            f"It lands on the product zw = {_tex(product.real, product.imag)}.",
        ]
    return sentences


def build(params: dict) -> str:
    return fill(
        SKELETON,
        arrange=common.ARRANGE,
        a=literal(float(params["a"])),
        b=literal(float(params["b"])),
        c=literal(float(params["c"])),
        d=literal(float(params["d"])),
        operation=literal(params["operation"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from its input lines, the operation included
    steps: list[str | Spoken] = [
        "Complex numbers on an Argand diagram.",
        "Real numbers go across, and imaginary numbers go up.",
        Spoken(('f"z is {tex(z)}: the point {fmt(a)}, {fmt(b)}."',)),
        Spoken(
            (
                'f"Its modulus, the length of the arrow, is {fmt(modulus(z))}, and its "',
                'f"argument, the angle from the real axis, is {fmt(argument(z))} degrees."',
            )
        ),
    ]
    steps.append(
        Spoken(
            (
                'f"In polar form, z is {fmt(modulus(z))} long at {fmt(argument(z))} degrees."',
                'if operation == "point"',
                'else f"Add w, {tex(w)}, tip to tail: z plus w is {tex(result)}."',
                'if operation == "add"',
                'else f"Multiplying by w, {tex(w)}, turns z by {fmt(argument(w))} degrees and "',
                'f"stretches it by {fmt(modulus(w))}, landing on {tex(result)}."',
            )
        )
    )
    return steps

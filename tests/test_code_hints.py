"""The likely fix for common mistakes, in a teacher's words (app/core/code_hints.py).

Syntax errors go through the real policy check (Python's own messages); runtime errors and
LaTeX logs are the texts the sandbox reports (tests/test_render_errors.py renders them).
"""

from __future__ import annotations

import pytest

from app.core import code_hints
from app.core.policy import check_code
from app.core.sandbox import SANDBOX_JOB_DIR
from app.errors import ChalkError

HEADER = "from manim import *\n\nclass S(Scene):\n    def construct(self):\n"


def syntax_message(*lines: str) -> str:
    code = HEADER + "".join(f"        {line}\n" for line in lines) + "        self.wait()\n"
    with pytest.raises(ChalkError) as err:
        check_code(code)
    assert err.value.kind == "validation" and err.value.line == 5
    return err.value.message


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("y = 2x + 1", "Line 5: write 2*x, not 2x: Python needs the * to multiply."),
        ("y = 0.5t ** 2", "Line 5: write 0.5*t, not 0.5t: Python needs the * to multiply."),
        ("y = (x + 1", "Line 5: a bracket is never closed: add the ) that ends it."),
        ("y = [1, 2", "Line 5: a bracket is never closed: add the ] that ends it."),
        ("y = x + 1)", "Line 5: there is a ) with no opening bracket before it."),
        (
            "y = [1, 2)",
            "Line 5: the [ is closed by a ): close brackets in the order they were opened ([ … ]).",
        ),
        ("y = 3 × 4", "Line 5: use * to multiply and / to divide (× and ÷ are not Python)."),
        (
            't = Text("hello)',
            "Line 5: a quotation mark is missing: end the text with the same quote it starts with.",
        ),
    ],
)
def test_syntax_mistakes_get_their_fix(line, said):
    assert syntax_message(line) == said


@pytest.mark.parametrize(
    "line",
    [
        't = MathTex("2x") y = 1',  # the 2x is inside a string; the error is elsewhere
        "y = 1e5 if z else",  # 1e5 and `2 if` are Python
        "y = 0x1F +",
    ],
)
def test_a_line_that_only_looks_like_a_mistake_keeps_the_general_sentence(line):
    assert syntax_message(line).startswith("Line 5 has a syntax error (")


def test_hints_read_code_not_strings_or_comments():
    assert code_hints.implicit_product('label = Text("2x + 1")  # 3y') is None
    assert code_hints.implicit_product("f = lambda t: 4t") is not None
    assert code_hints.implicit_product("y = 10 if up else 2") is None
    assert code_hints.implicit_product("z = 3j + 1_000") is None


TRACEBACK = """Traceback (most recent call last):
  File "/chalk/sandbox_entry.py", line 414, in render
    scene.render()
  File "/job/scene.py", line {line}, in construct
    {source}
TypeError: {message}
"""


@pytest.mark.parametrize(
    ("exc_type", "message", "source", "said"),
    [
        (
            "TypeError",
            "unsupported operand type(s) for ^: 'float' and 'int'",
            "y = x^2",
            code_hints.POWER,
        ),
        (
            "TypeError",
            "'int' object is not callable",
            "y = 3(x - 1)",
            "write 3*( … ) to multiply: Python needs the * before a bracket",
        ),
        (
            "ZeroDivisionError",
            "float division by zero",
            "y = 1 / x",
            "something is divided by zero here; check the values that reach this line",
        ),
        ("ValueError", "math domain error", "y = math.sqrt(-1)", None),
    ],
)
def test_runtime_mistakes_get_their_fix(exc_type, message, source, said):
    text = TRACEBACK.format(line=7, source=source, message=message)
    assert code_hints.for_runtime_error(exc_type, message, text) == said


def test_the_scene_line_is_the_teachers_not_manims_scene_py():
    deeper = SANDBOX_TRACEBACK.replace(
        "NameError",
        '  File "/venv/site-packages/manim/scene/scene.py", line 9, in play\n'
        "    self.renderer.play(self, *args)\nNameError",
    )
    assert code_hints.scene_source_line(deeper) == "c = Circel()"


def test_a_misspelt_name_gets_the_close_name_the_sandbox_found():
    message = "name 'Sqaure' is not defined"
    text = TRACEBACK.format(line=5, source="s = Sqaure()", message=message)
    assert code_hints.for_runtime_error("NameError", message, text, "Square") == (
        "'Sqaure' is not a name Manim or your code knows; perhaps you meant 'Square'"
    )
    # Python's own suggestion when the sandbox had none; nothing when neither has one.
    python = text + "Did you mean: 'Square'?\n"
    assert "perhaps you meant 'Square'" in code_hints.for_runtime_error(
        "NameError", message, python
    )
    assert code_hints.for_runtime_error("NameError", message, text) is None


def test_the_sandboxs_suggestion_is_checked_not_trusted():
    message = "name 'Sqaure' is not defined"
    for sent in ("<script>alert(1)</script>", "Square; rm -rf /", "x" * 200):
        assert code_hints.for_runtime_error("NameError", message, "", sent) is None


def test_the_scene_line_is_read_from_the_deepest_scene_frame():
    text = (
        'File "/job/scene.py", line 4, in construct\n    self.helper()\n'
        'File "/job/scene.py", line 9, in helper\n    y = 2(x)\n'
        'File "/venv/manim/mobject.py", line 1, in f\n    pass\n'
    )
    assert code_hints.scene_source_line(text) == "y = 2(x)"


# What the render log shows (Manim's Rich output, folded at about 30 columns).
LATEX_LOG = """ERROR    LaTeX compilation error:    tex_file_writing.py:320
         {error}
ERROR    Context of error:           tex_file_writing.py:354
         -> \\special{{dvisvgm:raw <g
         id='unique000'>}}\\frac{{1}}{{2}}
         +
         {symbol}\\special{{dvisvgm:raw
         </g>}}
         \\end{{align*}}
"""


@pytest.mark.parametrize(
    ("error", "symbol", "said"),
    [
        (
            "Undefined control sequence.",
            "\\alphaa",
            "LaTeX does not know \\alphaa; perhaps you meant \\alpha",
        ),
        (
            "Undefined control sequence.",
            "\\sqr",
            "LaTeX does not know \\sqr; perhaps you meant \\sqrt",
        ),
        (
            "Undefined control sequence.",
            "\\zzqqx",
            "LaTeX does not know \\zzqqx; check its spelling",
        ),
        (
            "Missing $ inserted.",
            "x^2",
            "a maths symbol (such as ^ or _) is in plain text: put it in MathTex, not Tex",
        ),
        ("Extra }, or forgotten $.", "}", "the braces { } in the formula do not pair up"),
        ("Emergency stop.", "", None),
    ],
)
def test_latex_errors_name_the_offending_symbol(error, symbol, said):
    assert code_hints.for_latex_error(LATEX_LOG.format(error=error, symbol=symbol)) == said


SANDBOX_TRACEBACK = """Traceback (most recent call last):
  File "/chalk/sandbox_entry.py", line 449, in render
    scene.render()
  File "/work/main/.venv/lib/python3.11/site-packages/manim/scene/scene.py", line 320, in render
    return self._get_manager().render(preview)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/job/scene.py", line 5, in construct
    c = Circel()
        ^^^^^^
NameError: name 'Circel' is not defined

--- log ---
INFO manim internals, host paths /work/main/...
"""


def test_the_technical_detail_keeps_the_scenes_frames_and_the_error_only():
    shown = code_hints.technical_detail(SANDBOX_TRACEBACK)
    assert shown == (
        "Traceback (most recent call last):\n"
        '  File "scene.py", line 5, in construct\n'
        "    c = Circel()\n"
        "        ^^^^^^\n"
        "NameError: name 'Circel' is not defined"
    )
    assert "/work" not in shown and "sandbox_entry" not in shown and "log" not in shown
    assert f"{SANDBOX_JOB_DIR}/scene.py" == code_hints.SCENE_PATH  # where the sandbox puts it
    one_line = "SyntaxError: invalid decimal literal at line 4, column 13: '    x = 2x + 1'"
    assert code_hints.technical_detail(one_line) == one_line


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        (
            "self.play(Rotate(s, 90))",
            "90 is read as radians (about 5,157°); for 90° write 90*DEGREES.",
        ),
        ("s.rotate(-45)", "-45 is read as radians (about -2,578°); for -45° write -45*DEGREES."),
        ("a = Arc(radius=2, angle=120)", "for 120° write 120*DEGREES."),
        ("y = np.sin(30)", "for 30° write np.sin(30*DEGREES)."),
        ("y = math.cos(60.0)", "for 60° write np.cos(60*DEGREES)."),
    ],
)
def test_an_angle_in_bare_degrees_gets_the_degrees_fix(line, hint):
    [found] = code_hints.angle_hints(HEADER + "        s = Square()\n        " + line + "\n")
    assert found.startswith("Line 6: ") and found.endswith(hint)


@pytest.mark.parametrize(
    "line",
    [
        "self.play(Rotate(s, 90 * DEGREES))",
        "self.play(Rotate(s, PI / 2))",
        "s.rotate(1.2)",  # small enough to be meant in radians
        "a = Arc(radius=90, angle=PI)",  # 90 is the radius
        "self.play(Rotating(s, OUT, run_time=90))",  # not an angle
        "y = np.sin(x)",
        "this is not python (",
    ],
)
def test_angles_in_radians_and_other_numbers_get_no_hint(line):
    assert code_hints.angle_hints(HEADER + "        s = Square()\n        " + line + "\n") == []

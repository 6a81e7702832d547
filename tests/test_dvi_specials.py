"""Reading a DVI file's specials (app/core/dvi_specials.py): only a file whose every special
dvisvgm draws the same without Ghostscript is converted without it. (That the drawings agree
in the sandbox, and that PostScript still draws, is tests/test_tex_format.py's.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from manim import config

from app.core.dvi_specials import needs_postscript, specials

PRE = bytes([247, 2]) + (25400000).to_bytes(4, "big") + (473628672).to_bytes(4, "big")
PRE += (1000).to_bytes(4, "big") + bytes([0])  # magnification, an empty comment
BOP = bytes([139]) + bytes(40) + (-1).to_bytes(4, "big", signed=True)
POST = bytes([248]) + bytes(28)


def dvi_with(*texts: bytes) -> bytes:
    """A one-page DVI file holding `texts` as specials between two characters."""
    page = bytes([ord("A")])
    for text in texts:  # xxx1 (a 1-byte length) or xxx4
        size = 1 if len(text) < 256 else 4
        page += bytes([238 + size]) + len(text).to_bytes(size, "big") + text
    return PRE + BOP + page + bytes([ord("B"), 140]) + POST


def typeset(tmp_path: Path, body: str, preamble: str = "") -> Path:
    """`body` typeset by `latex` with Manim's default template (plus `preamble`)."""
    template = config.tex_template.copy()
    template.add_to_preamble(preamble)
    (tmp_path / "f.tex").write_text(template.get_texcode_for_expression(body))
    subprocess.run(
        ["latex", "-interaction=batchmode", "-halt-on-error", "f.tex"],
        cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    return tmp_path / "f.dvi"


def test_specials_are_read_in_order_whatever_their_length() -> None:
    long = b"dvisvgm:raw " + b"x" * 300
    assert specials(dvi_with(b"color push rgb 1 0 0", long, b"color pop")) == [
        b"color push rgb 1 0 0",
        long,
        b"color pop",
    ]


def test_a_file_cut_short_or_not_a_dvi_is_unreadable_and_so_needs_postscript(
    tmp_path: Path,
) -> None:
    whole = dvi_with(b"color pop")
    with pytest.raises(ValueError):
        specials(whole[: len(whole) - len(POST) - 3])
    with pytest.raises(ValueError):
        specials(b"\xfa" + whole)  # opcode 250 is undefined
    (tmp_path / "cut.dvi").write_bytes(whole[:20])
    assert needs_postscript(tmp_path / "cut.dvi")
    assert needs_postscript(tmp_path / "missing.dvi")


def test_manims_formulas_need_no_postscript(tmp_path: Path) -> None:
    formula = typeset(tmp_path, r"$x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}$")
    found = specials(formula.read_bytes())
    assert any(text.startswith(b"!userdict") for text in found)  # preview.sty's definitions
    assert not needs_postscript(formula)
    coloured = typeset(tmp_path, r"\textcolor{red}{a} + b", r"\usepackage{xcolor}")
    assert b"color pop" in specials(coloured.read_bytes())
    assert not needs_postscript(coloured)


@pytest.mark.parametrize(
    ("body", "preamble"),
    [
        (r"\rotatebox{45}{A}", r"\usepackage{graphicx}"),
        (r"\scalebox{2}[1]{A}", r"\usepackage{graphicx}"),
        (r"\tikz \draw (0,0) -- (1,1);", r"\usepackage{tikz}"),
    ],
)
def test_drawing_with_postscript_needs_it(tmp_path: Path, body: str, preamble: str) -> None:
    assert needs_postscript(typeset(tmp_path, body, preamble))


def test_postscript_written_by_hand_needs_it_even_dressed_as_a_known_definition(
    tmp_path: Path,
) -> None:
    definitions = [t for t in specials(typeset(tmp_path, "x").read_bytes()) if t[:1] == b"!"]
    file = tmp_path / "hand.dvi"
    file.write_bytes(dvi_with(*definitions))
    assert not needs_postscript(file)
    for other in (b"ps: 1 0 0 setrgbcolor", b'" newpath', definitions[0] + b" 0 0 moveto"):
        file.write_bytes(dvi_with(*definitions, other))
        assert needs_postscript(file), other

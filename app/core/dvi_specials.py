"""Whether a DVI file draws with PostScript, read from the file without running anything.

dvisvgm starts Ghostscript for every file it converts, in case the file holds PostScript
(TikZ drawings, \\rotatebox, \\scalebox): that start is about 55 of its 85 ms here, and most
formulas hold none. Sandbox side, beside sandbox_entry.py: standard library only. The entry
converts a file that needs no PostScript with Ghostscript out of reach, and any other file, or
one this module cannot read, as before.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

# Bytes of parameters after each DVI opcode (Knuth's dvitype, "The DVI file format"),
# for all but specials, font definitions and the pre- and postamble.
PARAMETER_BYTES = {132: 8, 137: 8, 139: 44}  # set_rule, put_rule, bop
SIZED = (128, 133, 143, 148, 153, 157, 162, 167, 235)  # set1 put1 right1 w1 x1 down1 y1 z1 fnt1
for _first in SIZED:  # each comes in four opcodes, for 1 to 4 bytes
    PARAMETER_BYTES.update({_first + size: size + 1 for size in range(4)})
PARAMETER_BYTES.update(dict.fromkeys([*range(128), *range(171, 235)], 0))  # set_char, fnt_num
PARAMETER_BYTES.update(dict.fromkeys((138, 140, 141, 142, 147, 152, 161, 166), 0))  # nop eop …
XXX1, XXX4 = 239, 242  # specials: a length of 1–4 bytes, then the text
FNT_DEF1, FNT_DEF4 = 243, 246
PRE, POST = 247, 248

# What a formula from Manim's default template carries that dvisvgm draws the same without
# Ghostscript: colours and raw SVG (its own handlers), the paper size, and what LaTeX and
# preview.sty (the standalone class's `preview` option) write for dvips: PostScript
# definitions that nothing in the file draws with, and preview's page-box figures. The
# definitions are matched exactly, by digest (preview 12.2); another version of them, like any
# other PostScript, takes Ghostscript. tests/test_dvi_specials.py checks the drawings agree.
_HANDLED = (b"color ", b"dvisvgm:", b"papersize=")
_PREVIEW_BOX = re.compile(rb"ps::-?\d+( -?\d+){6}")
_PROLOGUE_DIGESTS = {
    "46aef84cee70a584cf605044fe2d86c3",  # header=l3backend-dvips.pro
    "4df36cf0a5e58d76bcce6e9b808e8d89",  # !/preview@version(12.2)def
    "d15d621a0e34eaed8bcd31af34818982",  # !userdict begin/preview-bop-level 0 def …
    "652a336508e58b4b608944e68823ba2f",  # !/preview@tightpage true def …
    "87ab82d50cca641b117f283437a54941",  # !userdict begin/bop-hook{7{currentfile token …
    "2935e9f41ad28a5980978ec0a8a2ab9a",  # !userdict (some extra code to avoid dvipng …
    "2fb31a78b21de3912433bf6bba4a3a0b",  # !userdict begin/bop-hook{preview-bop-level …
}


def _drawn_the_same_without_ghostscript(special: bytes) -> bool:
    return (
        special.startswith(_HANDLED)
        or _PREVIEW_BOX.fullmatch(special) is not None
        or hashlib.sha256(special).hexdigest()[:32] in _PROLOGUE_DIGESTS
    )


def specials(dvi: bytes) -> list[bytes]:
    """The text of every special in `dvi`, in order. ValueError for a file it cannot read."""
    specials_seen: list[bytes] = []
    at = 0
    try:
        while True:
            op = dvi[at]
            at += 1
            if op in PARAMETER_BYTES:
                at += PARAMETER_BYTES[op]
            elif XXX1 <= op <= XXX4:
                size = op - XXX1 + 1
                length = int.from_bytes(dvi[at : at + size], "big")
                at += size
                specials_seen.append(dvi[at : at + length])
                at += length
            elif FNT_DEF1 <= op <= FNT_DEF4:
                at += op - FNT_DEF1 + 1 + 12  # k, checksum, scale, design size
                at += 2 + dvi[at] + dvi[at + 1]  # the lengths of the area and the name, then both
            elif op == PRE:
                at += 13
                at += 1 + dvi[at]  # the comment's length, then the comment
            elif op == POST:
                return specials_seen
            else:
                raise ValueError(f"opcode {op} at byte {at - 1}")
            if at > len(dvi):
                raise ValueError("the file ends inside an instruction")
    except IndexError:
        raise ValueError("the file ends before its postamble") from None


def needs_postscript(dvi_file: Path) -> bool:
    """Whether converting `dvi_file` may need Ghostscript: True unless every special in it is
    one dvisvgm handles itself, and True for a file this module cannot read."""
    try:
        found = specials(dvi_file.read_bytes())
    except (OSError, ValueError):
        return True
    return not all(_drawn_the_same_without_ghostscript(special) for special in found)

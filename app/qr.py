"""QR codes of share links, for the classroom board: the class scans the board instead of
typing a link. Made here, on the server, by segno (pure Python): nothing leaves the host.

Dark modules on white with the standard four-module quiet zone, so phones read it off a
projector in either app theme; error correction "M" survives a glare spot or a smudge.
"""

from __future__ import annotations

import io

import segno

ERROR_CORRECTION = "m"
"""QR error correction level: M restores about 15 % of the code."""
BOARD_SCALE = 12
"""Pixels per module in the PNG: a link's code is about 400 px, sharp on a projector."""
QUIET_ZONE = 4
"""Light modules around the code, as the standard asks; scanners need them."""


def code(text: str) -> segno.QRCode:
    """The QR code of `text` (the smallest version that holds it)."""
    return segno.make(text, error=ERROR_CORRECTION, micro=False)


def png(text: str, *, scale: int = BOARD_SCALE) -> bytes:
    """The QR code of `text` as a PNG image."""
    out = io.BytesIO()
    code(text).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def svg(text: str, *, title: str) -> bytes:
    """The QR code of `text` as an SVG file (sharp at any size), named by `title`."""
    out = io.BytesIO()
    code(text).save(out, kind="svg", scale=10, border=QUIET_ZONE, title=title, light="#fff")
    return out.getvalue()


def modules(text: str) -> list[list[bool]]:
    """The code's modules, row by row (True: dark), without the quiet zone."""
    return [[bool(cell) for cell in row] for row in code(text).matrix]

"""Share links, embed links and the embed snippet of a shared video (no Streamlit here).

A shared video ("link" or "public") is watched at `/watch?v=<token>` and embedded through
`/embed?v=<token>`: a page with only the player, no navigation, meant for an iframe on a
school's site or learning platform. Only /embed is meant to be framed: the proxy gives that
path `Content-Security-Policy: frame-ancestors *` (or the school's own sites) and every other
path `frame-ancestors 'self'`, so the app itself cannot be framed by another site.
"""

from __future__ import annotations

import html
from urllib.parse import quote

WATCH = "watch"
"""url_path of the page a share link opens."""
EMBED = "embed"
"""url_path of the player-only page an embed snippet frames."""
EMBED_MAX_SIDE = 640
"""The longer side of an embedded player, in CSS pixels (a site can change the numbers)."""


def share_url(base_url: str, token: str) -> str:
    """The watch page of a shared video."""
    return f"{base_url}/{WATCH}?v={quote(token, safe='')}"


def embed_url(base_url: str, token: str) -> str:
    """The player-only page of a shared video."""
    return f"{base_url}/{EMBED}?v={quote(token, safe='')}"


def embed_size(width: int, height: int) -> tuple[int, int]:
    """The iframe's size for a video of `width`×`height`: its aspect, the longer side at
    EMBED_MAX_SIDE (16:9 when the size is unknown)."""
    if width <= 0 or height <= 0:
        width, height = 16, 9
    if width >= height:
        return EMBED_MAX_SIDE, round(EMBED_MAX_SIDE * height / width)
    return round(EMBED_MAX_SIDE * width / height), EMBED_MAX_SIDE


def embed_snippet(url: str, *, title: str, width: int, height: int) -> str:
    """The HTML a teacher pastes into a web page: an iframe of the embed page.

    The title names the frame for screen readers; it is the teacher's text, so it is escaped
    (as is the URL) and cannot break out of the attribute.
    """
    frame_width, frame_height = embed_size(width, height)
    return (
        f'<iframe src="{html.escape(url, quote=True)}" '
        f'title="{html.escape(title, quote=True)}" '
        f'width="{frame_width}" height="{frame_height}" '
        'style="border:0" allowfullscreen></iframe>'
    )

"""Sharing a video from any page: its link (as text and a Copy button that is always on
screen), a QR code of the link for the classroom board, and the embed snippet."""

from __future__ import annotations

import streamlit as st

from app import qr
from app.gallery import VideoItem
from app.sharing import embed_snippet, embed_url
from app.ui import clipboard
from app.ui.media import download_name
from app.ui.navigation import app_base_url, share_link


def link_actions(item: VideoItem, *, key: str) -> None:
    """ "Copy link" and "QR code" side by side (stacked on a phone); nothing when private."""
    if not item.share_token:
        return
    link = share_link(item.share_token)
    copy, board = st.columns(2)
    with copy:
        clipboard.copy_button(link, key=f"{key}_copy")
    with board:
        if st.button(
            "QR code",
            key=f"{key}_qr",
            icon=":material/qr_code_2:",
            width="stretch",
            help="A code the class can scan from the board to open the video.",
        ):
            qr_dialog(link, item.title)


def link_text(item: VideoItem) -> None:
    """The share link as text to select (and read out), for wherever a button cannot go."""
    if item.share_token:
        st.code(share_link(item.share_token), language=None, wrap_lines=True)


def embed_code(item: VideoItem, *, key: str) -> None:
    """The iframe snippet for a web page or learning platform, with its Copy button."""
    if not item.share_token:
        return
    snippet = embed_snippet(
        embed_url(app_base_url(), item.share_token),
        title=item.title,
        width=item.width,
        height=item.height,
    )
    st.caption("To show the video on a web page or class site, paste this into its HTML:")
    # Plain text: Streamlit's HTML highlighting has tag colours below 4.5:1 on its panel.
    st.code(snippet, language=None, wrap_lines=True)
    clipboard.copy_button(
        snippet,
        key=f"{key}_copy_embed",
        label="Copy embed code",
        done="Embed code copied",
        failed="Select the code and copy it",
    )


@st.dialog("QR code for the board", width="medium")
def qr_dialog(link: str, title: str) -> None:
    st.image(
        qr.png(link),
        width="stretch",
        alt=f"QR code of the link to the video “{title}”",
    )
    st.caption("Point a phone's camera at it to open the video.")
    name = download_name(title).removesuffix(".mp4") + "-qr"
    png, svg = st.columns(2)
    png.download_button(
        "Download PNG",
        data=qr.png(link),
        file_name=f"{name}.png",
        mime="image/png",
        key="sharing_qr_png",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    svg.download_button(
        "Download SVG",
        data=qr.svg(link, title=title),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key="sharing_qr_svg",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )

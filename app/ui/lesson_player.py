"""A lesson's player: the joined video with its chapters as buttons that seek to them."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import streamlit as st

from app.description import Description, clock
from app.lessons.join import Chapter
from app.settings import Settings
from app.storage import StorageError, get_storage
from app.ui import formatting, media

log = logging.getLogger(__name__)

CAPTIONS_TRACK = "Captions"
"""The name of the narration's caption track on the player."""


def chapter_list(chapters: Sequence[Chapter]) -> str:
    """The chapters as a numbered list with times (a card's or a screen reader's view)."""
    return "\n".join(
        f"{n}. {clock(c.start)} {formatting.literal(c.title)}" for n, c in enumerate(chapters, 1)
    )


def _captions(settings: Settings, key: str | None) -> str | None:
    if not key:
        return None
    storage = get_storage(settings)
    try:
        if not storage.exists(key):  # a lesson that was not narrated
            return None
        return storage.read_bytes(key).decode("utf-8")
    except (StorageError, UnicodeDecodeError) as exc:
        log.warning("lesson captions %s unavailable: %s", key, exc)
        return None


def chapter_player(
    settings: Settings,
    *,
    video_key: str,
    chapters: Sequence[Chapter],
    widget_key: str,
    description: Description | None = None,
    captions_key: str | None = None,
) -> bool:
    """The joined video and one button per chapter; a button starts the player there.
    False (and a short note) when the video's file is gone."""
    src = media.source(settings, video_key)
    if src is None:
        st.info("This lesson's video is no longer available; render the lesson again.")
        return False
    start_key = f"{widget_key}_start"
    start = float(st.session_state.get(start_key, 0.0))
    tracks: dict[str, str] = {}
    captions = _captions(settings, captions_key)
    if captions:
        tracks[CAPTIONS_TRACK] = captions
    if description is not None:
        tracks[media.DESCRIPTION_TRACK] = description.as_webvtt()
    options: dict[str, object] = {"start_time": int(start), "autoplay": start > 0}
    if tracks:
        options["subtitles"] = {"Off": "", **tracks}
    st.video(src, **options)  # type: ignore[arg-type]
    st.markdown("**Chapters**")
    for number, chapter in enumerate(chapters, 1):
        st.button(
            f"{number}. {formatting.literal(chapter.title)} · {clock(chapter.start)}",
            key=f"{widget_key}_chapter_{number}",
            on_click=st.session_state.__setitem__,
            args=(start_key, chapter.start),
            type="tertiary",
            icon=":material/play_arrow:",
            help=f"Play from {clock(chapter.start)}",
        )
    return True

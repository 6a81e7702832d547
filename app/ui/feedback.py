"""Thumbs up/down with an optional comment under a finished video (stored by app.events).

One vote per user and video; choosing the other thumb replaces it. The widget starts from the
stored vote, so it shows what the teacher chose last time, on any page.
"""

from __future__ import annotations

from typing import Protocol

import streamlit as st

from app import events
from app.errors import ChalkError
from app.settings import Settings
from app.ui import frame
from app.ui.formatting import literal
from app.ui.session import may_change

NOT_ALLOWED = "You can rate your own videos and videos shared with you, not this one."
"""Shown when the video is gone or is someone else's private video."""
VOTE_FIRST = "Choose thumbs up or thumbs down first, then add your comment."
THANKS = "Thanks for your feedback."


class Voter(Protocol):
    """What the widget needs of the signed-in user (SessionUser has it)."""

    @property
    def id(self) -> int: ...


def _stored(settings: Settings, user_id: int, video_id: str) -> events.FeedbackView | None:
    try:
        return events.get_feedback(settings=settings, video_id=video_id, user_id=user_id)
    except (ChalkError, events.FeedbackNotAllowed):
        return None


def _save(
    settings: Settings, user_id: int, video_id: str, rating: int, comment: str | None
) -> bool:
    if not may_change(settings, user_id):
        return False
    try:
        events.record_feedback(
            settings=settings, video_id=video_id, user_id=user_id, rating=rating, comment=comment
        )
    except events.FeedbackNotAllowed:
        frame.flash(NOT_ALLOWED, ":material/error:")
        return False
    except ChalkError as exc:
        frame.flash(exc.message, ":material/error:")
        return False
    return True


def _voted(settings: Settings, user_id: int, video_id: str, key: str) -> None:
    rating = st.session_state.get(key)
    stored = _stored(settings, user_id, video_id)
    if rating is None:
        # A vote cannot be taken back, only changed: show the stored one again.
        st.session_state[key] = stored.rating if stored else None
        if stored is not None:
            frame.flash(
                "Your vote is kept; choose the other thumb to change it.", ":material/info:"
            )
        return
    comment = stored.comment if stored else None
    if _save(settings, user_id, video_id, int(rating), comment):
        frame.flash(THANKS, ":material/thumb_up:" if rating == 1 else ":material/thumb_down:")
    else:
        st.session_state[key] = stored.rating if stored else None


def _commented(settings: Settings, user_id: int, video_id: str, key: str) -> None:
    stored = _stored(settings, user_id, video_id)
    if stored is None:
        frame.flash(VOTE_FIRST, ":material/info:")
        return
    text = st.session_state.get(f"{key}_comment", "")
    if _save(settings, user_id, video_id, stored.rating, text):
        frame.flash(THANKS if text.strip() else "Comment removed.", ":material/rate_review:")


def feedback_widget(
    settings: Settings, user: Voter | None, video_id: str, *, key_prefix: str = "feedback"
) -> None:
    """Thumbs up/down and a comment box for `video_id`; nothing for a visitor not signed in.

    `key_prefix` keeps widget keys unique when one page shows the same video twice.
    """
    if user is None:
        return
    key = f"{key_prefix}_{video_id}"
    stored = _stored(settings, user.id, video_id)
    if key not in st.session_state:
        st.session_state[key] = stored.rating if stored else None
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption("Was this video useful?")
        st.feedback(
            "thumbs",
            key=key,
            on_change=_voted,
            args=(settings, user.id, video_id, key),
        )
        with st.popover(
            "Comment" if stored is None or not stored.comment else "Edit comment",
            icon=":material/rate_review:",
            type="tertiary",
        ):
            if stored is None:
                st.caption(VOTE_FIRST)
            else:
                with st.form(f"{key}_form", border=False):
                    st.text_area(
                        "What worked, and what should be better?",
                        value=stored.comment or "",
                        max_chars=events.COMMENT_MAX_CHARS,
                        key=f"{key}_comment",
                        placeholder="e.g. The labels overlap at the end",
                    )
                    st.form_submit_button(
                        "Send",
                        icon=":material/send:",
                        on_click=_commented,
                        args=(settings, user.id, video_id, key),
                    )
    if stored is not None and stored.comment:
        st.caption(f"Your comment: “{literal(stored.comment)}”")

"""Library: colleagues' school and public videos, with the gallery's search, a Watch link
and Remix (the video's prompt and code as the teacher's own draft on Create).

Private and link-only videos never appear here (app/gallery.list_library).
"""

from __future__ import annotations

import streamlit as st

from app import gallery
from app.generators.offline import list_templates
from app.ui import formatting, frame, media, paging
from app.ui.session import require_user, settings

frame.require_frame()

COLUMNS = 3

cfg = settings()
user = require_user()
template_titles = {t.id: t.title for t in list_templates()}


def reset_page() -> None:
    st.session_state["library_page"] = 1


def remix(video_id: str) -> None:
    """Copy the video's prompt and code into Create as the teacher's own draft."""
    try:
        item = gallery.remix_source(settings=cfg, video_id=video_id, viewer_id=user.id)
    except gallery.VideoNotFound:
        frame.flash("This video is no longer shared; it may have been made private.")
        return
    st.session_state["create_prompt"] = item.prompt or item.title
    st.session_state["create_remix"] = {
        "video_id": item.id,
        "title": item.title,
        "owner": item.owner_name,
        "code": item.code or "",
    }
    st.session_state.pop("create_job", None)
    st.session_state.pop("create_error", None)
    st.switch_page("pages/create.py")


def card(item: gallery.VideoItem) -> None:
    with st.container(border=True):
        media.thumbnail(cfg, item.thumbnail_key, item.title)
        st.markdown(f"**{formatting.literal(item.title)}**")
        media.prompt_caption(item.prompt, item.title)
        who = "You" if item.owner_id == user.id else formatting.literal(item.owner_name)
        topic = template_titles.get(item.template or "")
        st.caption(
            f":material/person: {who} · "
            f":material/calendar_today: {formatting.day(item.created_at)} · "
            f":material/timer: {formatting.duration(item.duration_s)}"
            + (f" · {item.subject}" if item.subject else "")
            + (f" · {topic}" if topic else "")
            + f" · {gallery.VISIBILITY_LABELS[item.visibility]}"
        )
        credit = gallery.remix_credit(settings=cfg, item=item, viewer_id=user.id)
        if credit:
            st.caption(f":material/call_split: {formatting.literal(credit)}")
        watch, copy = st.columns(2)
        if item.share_token:
            watch.page_link(
                "pages/watch.py",
                label="Watch",
                icon=":material/play_arrow:",
                query_params={"v": item.share_token},
                width="stretch",
            )
        if copy.button(
            "Remix",
            key=f"library_remix_{item.id}",
            icon=":material/call_split:",
            width="stretch",
            help="Opens its prompt and code on Create as your own draft, crediting this video.",
        ):
            remix(item.id)


st.title("Library", anchor=False)
st.caption(
    "Videos your colleagues shared with the school or made public. Watch them, or remix one "
    "into your own draft. Private and link-only videos are never listed."
)
text = st.text_input(
    "Search",
    key="library_search",
    on_change=reset_page,
    placeholder="Title, prompt, topic or template",
)
result = gallery.list_library(
    settings=cfg, text=text or "", page=st.session_state.get("library_page", 1)
)
st.session_state["library_page"] = result.page

if not result.items:
    if (text or "").strip():
        st.info(
            "No shared videos match this search; check the spelling, try fewer words, or clear it.",
            icon=":material/search_off:",
        )
    else:
        st.info(
            "No shared videos yet. In your gallery, choose “My school” under a video's sharing "
            "to list it here for your colleagues.",
            icon=":material/local_library:",
        )
else:
    near = " · including near spellings of your words" if result.near_spellings else ""
    st.caption(f"{result.total} video{'s' if result.total != 1 else ''}{near}")
    for start in range(0, len(result.items), COLUMNS):
        row = result.items[start : start + COLUMNS]
        for column, item in zip(st.columns(COLUMNS), row, strict=False):
            with column:
                card(item)
    paging.pager(result.page, result.pages, "library")

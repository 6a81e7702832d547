"""Watch: a shared video (`?v=<share token>`) with its prompt and code.

Videos shared by link or public need no sign-in; a school video's link opens only for
signed-in users, and asks a visitor to sign in. Signed-in viewers can rate it; visitors only
watch.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import gallery, versions, views
from app.lessons import service as lessons
from app.ui import formatting, frame, media, sharing
from app.ui.feedback import feedback_widget
from app.ui.lesson_player import chapter_player
from app.ui.session import current_user, settings

frame.require_frame()

NOT_SHARED = (
    "This video isn't shared, or the link is mistyped; ask the teacher who sent it for a new link."
)
SCHOOL_ONLY = (
    "This video is shared with the teachers of this school: sign in with your school account "
    "to watch it, then open the link again."
)

cfg = settings()
viewer = current_user()
viewer_id = viewer.id if viewer is not None else None


def token_from(text: str) -> str:
    """A pasted share link or a bare token → the token."""
    text = text.strip()
    if "v=" in text:
        text = text.split("v=", 1)[1].split("&", 1)[0]
    return text


def open_pasted() -> None:
    token = token_from(st.session_state.get("watch_link", ""))
    if token:
        st.query_params["v"] = token


def show(item: gallery.VideoItem) -> None:
    st.title(formatting.literal(item.title), anchor=False)
    st.caption(
        f"{formatting.day(item.created_at)} · {formatting.duration(item.duration_s)} · "
        f"{formatting.QUALITY_LABELS.get(item.quality, item.quality).split(' (')[0]}"
        # Colleagues see who made it; a visitor on a public link learns no teacher's name.
        + (f" · by {formatting.literal(item.owner_name)}" if viewer and item.owner_name else "")
    )
    credit = gallery.remix_credit(settings=cfg, item=item, viewer_id=viewer_id)
    if credit:
        st.caption(f":material/call_split: {formatting.literal(credit)}")
    if viewer_id is not None and viewer_id == item.owner_id:
        # Only the owner learns that other versions exist, and which one the link shows.
        count = len(versions.history(settings=cfg, video_id=item.id, owner_id=viewer_id))
        if count > 1:
            st.caption(
                f":material/history: Your link shows version {item.version} of {count}; "
                "choose the version it shows under Versions in your gallery."
            )
    # A lesson plays with its chapters: each one's button starts the player there.
    chapters = lessons.chapters_by_video(settings=cfg, video_ids=[item.id]).get(item.id)
    if chapters:
        shown = chapter_player(
            cfg,
            video_key=item.storage_key,
            chapters=chapters,
            widget_key="watch_lesson",
            description=item.description,
            captions_key=lessons.captions_key(item.storage_key),
        )
    else:
        shown = media.video(cfg, item.storage_key, item.description, poster_key=item.thumbnail_key)
    if shown:
        # One "watched" event and one view per session and video, however often the page
        # reruns (the count is the owner's to see; this page never shows it).
        seen = st.session_state.setdefault("watch_watched", set())
        if item.id not in seen:
            seen.add(item.id)
            gallery.record_watched(settings=cfg, video_id=item.id, user_id=viewer_id)
            views.count_view(settings=cfg, video_id=item.id, viewer_id=viewer_id)
    left, _ = st.columns([1, 3])
    with left:
        media.download_button(
            cfg,
            item.storage_key,
            item.title,
            widget_key="watch_download",
            on_click=partial(
                gallery.record_downloaded, settings=cfg, video_id=item.id, user_id=viewer_id
            ),
        )
    media.description_panel(
        item.description, item.title, widget_key="watch_description", folded=False
    )
    feedback_widget(cfg, viewer, item.id, key_prefix="watch_feedback")
    if item.prompt:
        st.markdown("**Prompt**")
        st.markdown(f"> {formatting.literal(item.prompt)}")
    if item.code:
        with st.expander("Manim code", icon=":material/code:"):
            st.code(item.code, language="python", line_numbers=True)
    if item.share_token:
        st.caption("Link to this video:")
        sharing.link_text(item)
        sharing.link_actions(item, key="watch_share")
        if item.visibility in gallery.VISITOR_VISIBILITIES:
            with st.expander("Embed on a web page", icon=":material/code_blocks:"):
                sharing.embed_code(item, key="watch_share")


def public_videos() -> None:
    videos = gallery.list_public(settings=cfg, limit=12)
    st.header("Public videos", anchor=False)
    if not videos:
        st.caption("No public videos yet. Teachers can make a video public in their gallery.")
        return
    for start in range(0, len(videos), 3):
        for column, item in zip(st.columns(3), videos[start : start + 3], strict=False):
            with column, st.container(border=True):
                media.thumbnail(cfg, item.thumbnail_key, item.title)
                st.markdown(f"**{formatting.literal(item.title)}**")
                if st.button("Watch", key=f"watch_open_{item.id}", icon=":material/play_arrow:"):
                    st.query_params["v"] = item.share_token or ""
                    st.rerun()


token = st.query_params.get("v", "")
if token:
    found = gallery.find_shared(settings=cfg, token=token, viewer_id=viewer_id)
    if found is None:
        st.title("Watch", anchor=False)
        if viewer is None and gallery.needs_sign_in(settings=cfg, token=token):
            st.info(SCHOOL_ONLY, icon=":material/school:")
            st.page_link("pages/login.py", label="Sign in", icon=":material/login:")
        else:
            st.warning(NOT_SHARED, icon=":material/lock:")
    else:
        show(found)
else:
    st.title("Watch", anchor=False)
    st.text_input(
        "Paste a share link",
        key="watch_link",
        on_change=open_pasted,
        placeholder="http://…/watch?v=…",
    )
    public_videos()

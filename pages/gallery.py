"""Gallery: the teacher's videos as cards, with search, filters, sharing and delete.

Teachers only ever see and change their own videos; admins can switch to everyone's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import streamlit as st

from app import gallery, versions, views
from app.accounts.users import list_accounts
from app.errors import ChalkError
from app.generators.offline import list_templates
from app.generators.offline.catalogue import SUBJECTS
from app.jobs import service
from app.lessons import service as lessons
from app.ui import formatting, frame, media, paging, sharing, template_form
from app.ui import versions as version_ui
from app.ui.feedback import feedback_widget
from app.ui.lesson_player import chapter_list, chapter_player
from app.ui.session import may_change, require_user, settings, still_admin

frame.require_frame()

COLUMNS = 3
FILTER_KEYS = ("gallery_subject", "gallery_template", "gallery_visibility", "gallery_dates")
"""The filters folded behind the Filters button (its label counts those in use)."""
GONE = "This video no longer exists; it may have been deleted in another tab."

cfg = settings()
user = require_user()
template_titles = {t.id: t.title for t in list_templates()}


def scope() -> int | None:
    """Whose videos this page works on: the user's own, or everyone's for an admin who asks."""
    if user.is_admin and st.session_state.get("gallery_everyone") and still_admin(cfg):
        return None
    return user.id


def forget_delete() -> None:
    st.session_state.pop("gallery_deleting", None)
    st.session_state.pop("gallery_deleting_version", None)


def delete_now(delete: Callable[..., object], video_id: str, done: str) -> None:
    """A confirmed delete: `delete` the video (or one version) and say `done`."""
    forget_delete()
    if not may_change(cfg, user.id):
        return
    try:
        delete(settings=cfg, video_id=video_id, owner_id=scope())
    except (service.JobNotFound, versions.VersionNotFound):
        pass  # already gone (another tab), or never this user's: the result is the same
    frame.flash(done, ":material/delete:")


# The video being deleted lives in session state, and the buttons act in callbacks, so the
# confirmation works the same whether Streamlit reruns the dialog alone or the whole page.
@st.dialog("Delete this video?", on_dismiss=forget_delete)
def confirm_delete(video_id: str, title: str) -> None:
    if st.session_state.get("gallery_deleting") is None:
        st.rerun()  # answered: close the dialog and redraw the gallery
    st.write(
        f"**{formatting.literal(title)}** will be removed from your gallery, and its share "
        "link will stop working. This cannot be undone."
    )
    confirm_buttons(service.delete_video, video_id, f"Deleted “{formatting.literal(title)}”.")


def confirm_buttons(delete: Callable[..., object], video_id: str, done: str) -> None:
    """A delete confirmation's answers: delete (see `delete_now`), or keep it."""
    yes, keep = st.columns(2)
    yes.button(
        "Delete",
        type="primary",
        key="gallery_confirm_delete",
        icon=":material/delete:",
        width="stretch",
        on_click=delete_now,
        args=(delete, video_id, done),
    )
    keep.button("Keep it", key="gallery_cancel_delete", width="stretch", on_click=forget_delete)


def ask_delete(video_id: str, title: str) -> None:
    st.session_state["gallery_deleting"] = (video_id, title)


@st.dialog("Delete this version?", on_dismiss=forget_delete)
def confirm_delete_version(video_id: str, number: int, on_link: bool) -> None:
    if st.session_state.get("gallery_deleting_version") is None:
        st.rerun()  # answered: close the dialog and redraw the gallery
    moves = " Your share link will show the current version instead." if on_link else ""
    st.write(
        f"**Version {number}** will be removed from this video's history; its other versions "
        f"stay.{moves} This cannot be undone."
    )
    confirm_buttons(versions.delete_version, video_id, f"Deleted version {number}.")


def ask_delete_version(version: versions.Version) -> None:
    st.session_state["gallery_deleting_version"] = (
        version.video_id,
        version.version,
        version.shared,
    )


def reset_page() -> None:
    st.session_state["gallery_page"] = 1


def save_title(video_id: str) -> None:
    if not may_change(cfg, user.id):
        return
    try:
        gallery.rename(
            settings=cfg,
            video_id=video_id,
            owner_id=scope(),
            title=st.session_state.get(f"gallery_title_{video_id}", ""),
        )
    except gallery.VideoNotFound:
        frame.flash(GONE, ":material/error:")
        return
    except ChalkError as exc:
        frame.flash(exc.message, ":material/error:")
        return
    frame.flash("Title saved.")


def save_visibility(video_id: str) -> None:
    visibility = st.session_state[f"gallery_visibility_{video_id}"]
    if not may_change(cfg, user.id):
        return
    try:
        gallery.set_visibility(
            settings=cfg, video_id=video_id, owner_id=scope(), visibility=visibility
        )
    except gallery.VideoNotFound:
        frame.flash(GONE, ":material/error:")
        return
    frame.flash(f"Sharing: {gallery.VISIBILITY_LABELS[visibility]}.", ":material/share:")


def player(item: gallery.VideoItem) -> None:
    """The video plays only once its expander is opened; that opening is one "watched" event
    per session and video (not one per rerun)."""
    watch = st.expander("Watch", key=f"gallery_watch_{item.id}", on_change="rerun")
    with watch:
        if not watch.open:
            return
        chapters = lesson_chapters.get(item.id)
        if chapters:
            chapter_player(
                cfg,
                video_key=item.storage_key,
                chapters=chapters,
                widget_key=f"gallery_lesson_{item.id}",
                description=item.description,
                captions_key=lessons.captions_key(item.storage_key),
            )
        else:
            media.video(cfg, item.storage_key, item.description, poster_key=item.thumbnail_key)
        media.description_panel(
            item.description,
            item.title,
            widget_key=f"gallery_description_{item.id}",
            folded=False,
        )
    seen = st.session_state.setdefault("gallery_watched", set())
    if item.id not in seen:
        seen.add(item.id)
        gallery.record_watched(settings=cfg, video_id=item.id, user_id=user.id)


def card(item: gallery.VideoItem, owners: dict[int, str], view_counts: dict[str, int]) -> None:
    with st.container(border=True):
        media.thumbnail(cfg, item.thumbnail_key, item.title)
        st.markdown(f"**{formatting.literal(item.title)}**")
        media.prompt_caption(item.prompt, item.title)
        st.caption(
            (f":material/person: {owners.get(item.owner_id, '?')} · " if owners else "")
            + f":material/calendar_today: {formatting.day(item.created_at)} · "
            f":material/timer: {formatting.duration(item.duration_s)} · "
            f"{formatting.QUALITY_LABELS.get(item.quality, item.quality).split(' (')[0]}"
            + (f" · {template_titles[item.template]}" if item.template in template_titles else "")
            + (f" · version {item.version} of {item.versions}" if item.versions > 1 else "")
            + views_note(item, view_counts)
        )
        if item.id in lesson_chapters:
            st.caption(
                f":material/video_library: Lesson · {len(lesson_chapters[item.id])} chapters\n\n"
                + chapter_list(lesson_chapters[item.id])
            )
        credit = gallery.remix_credit(settings=cfg, item=item, viewer_id=user.id)
        if credit:
            st.caption(f":material/call_split: {formatting.literal(credit)}")
        player(item)
        if item.versions > 1:
            with st.expander(f"Versions ({item.versions})", key=f"gallery_versions_{item.id}"):
                if st.button(
                    "Compare versions",
                    key=f"gallery_compare_{item.id}",
                    icon=":material/compare:",
                    width="stretch",
                ):
                    version_ui.compare(
                        cfg, video_id=item.id, owner_id=scope(), key=f"gallery_compare_{item.id}"
                    )
                version_ui.history(
                    cfg,
                    video_id=item.id,
                    owner_id=scope(),
                    shared=item.share_token is not None,
                    may_change=may_change(cfg, user.id),
                    key=f"gallery_history_{item.id}",
                    on_delete=ask_delete_version,
                )
        with st.expander("Title and sharing"):
            st.text_input(
                "Title",
                value=item.title,
                key=f"gallery_title_{item.id}",
                max_chars=gallery.TITLE_MAX,
                on_change=save_title,
                args=(item.id,),
            )
            st.radio(
                "Who can watch",
                list(gallery.VISIBILITY_LABELS),
                index=list(gallery.VISIBILITY_LABELS).index(item.visibility),
                format_func=gallery.VISIBILITY_LABELS.__getitem__,
                captions=[gallery.VISIBILITY_HELP[v] for v in gallery.VISIBILITY_LABELS],
                key=f"gallery_visibility_{item.id}",
                on_change=save_visibility,
                args=(item.id,),
            )
            if item.visibility != "private" and item.share_token:
                shows = (
                    f" (it shows version {item.shared_version})"
                    if item.versions > 1 and item.shared_version
                    else ""
                )
                st.caption(f"Share link{shows}:")
                sharing.link_text(item)
                if item.visibility in gallery.VISITOR_VISIBILITIES:
                    sharing.embed_code(item, key=f"gallery_share_{item.id}")
                else:
                    st.caption("Colleagues open it after signing in; it cannot be embedded.")
            else:
                st.caption("Only you can watch it. Choose a sharing option to get a link.")
        # After the expander: what appears when the video is shared must not move the
        # expander (a moved expander is drawn anew, closed, under the teacher's cursor).
        if item.visibility != "private":
            sharing.link_actions(item, key=f"gallery_share_{item.id}")
        download, delete = st.columns(2)
        with download:
            media.download_button(
                cfg,
                item.storage_key,
                item.title,
                widget_key=f"gallery_download_{item.id}",
                on_click=partial(
                    gallery.record_downloaded, settings=cfg, video_id=item.id, user_id=user.id
                ),
            )
        delete.button(
            "Delete",
            key=f"gallery_delete_{item.id}",
            icon=":material/delete:",
            width="stretch",
            on_click=ask_delete,
            args=(item.id, item.title),
        )
        if (
            item.owner_id == user.id
            and template_form.has_values(item.template)
            and st.button(
                "Change the values",
                key=f"gallery_change_{item.id}",
                icon=":material/tune:",
                width="stretch",
                help="Opens the video on the Create page, with its values as a form.",
            )
        ):
            st.session_state["create_job"] = item.job_id
            st.switch_page("pages/create.py")
        # Feedback is for videos the user may rate: their own, or shared ones.
        if item.owner_id == user.id or item.visibility != "private":
            feedback_widget(cfg, user, item.id, key_prefix="gallery_feedback")


def views_note(item: gallery.VideoItem, view_counts: dict[str, int]) -> str:
    """The "12 views" note on the owner's own card (`view_counts` holds only their videos)
    once it is shared or has been watched; nothing on anyone else's."""
    if item.id not in view_counts:
        return ""
    count = view_counts[item.id]
    if not count and item.visibility == "private":
        return ""
    return f" · :material/visibility: {count} view{'s' if count != 1 else ''}"


def empty_state(filtered: bool, searched: bool) -> None:
    if searched:
        st.info(
            "No videos match this search; check the spelling, try fewer words, or clear it.",
            icon=":material/search_off:",
        )
        return
    if filtered:
        st.info(
            "No videos match these filters; clear the search or widen the dates.",
            icon=":material/search_off:",
        )
        return
    st.info("No videos yet — try one of these:", icon=":material/movie:")
    examples = list_templates()[:3]
    for column, template in zip(st.columns(len(examples)), examples, strict=True):
        with column, st.container(border=True):
            st.image(str(template.thumbnail), width="stretch", alt=media.template_alt(template))
            st.markdown(f"**{template.title}**  \n:gray[{template.example_prompt}]")
            if st.button(
                "Try it", key=f"gallery_try_{template.id}", icon=":material/auto_awesome:"
            ):
                st.session_state["create_prompt"] = template.example_prompt
                st.switch_page("pages/create.py")


st.title("Gallery", anchor=False)
if user.is_admin:
    st.toggle(
        "Everyone's videos",
        key="gallery_everyone",
        on_change=reset_page,
        help="As an admin you can see, rename, share and delete every teacher's videos.",
    )
owner_id = scope()
owners = (
    {account.id: account.username for account in list_accounts(settings=cfg)}
    if owner_id is None
    else {}
)

# The search box stays in sight; the other filters fold behind one button, so on a phone the
# first video is on the first screen.
search_col, filters_col = st.columns([3, 1], vertical_alignment="bottom")
active = sum(bool(st.session_state.get(name)) for name in FILTER_KEYS)
filters_menu = filters_col.popover(
    f"Filters ({active})" if active else "Filters",
    icon=":material/filter_list:",
    width="stretch",
    key="gallery_filters",
)
text = search_col.text_input(
    "Search",
    key="gallery_search",
    on_change=reset_page,
    placeholder="Title, prompt, topic or template",
)
subject = filters_menu.selectbox(
    "Subject",
    ["", *SUBJECTS],
    key="gallery_subject",
    format_func=lambda s: s or "All subjects",
    on_change=reset_page,
)
templates = gallery.used_templates(settings=cfg, owner_id=owner_id)
template = filters_menu.selectbox(
    "Template",
    ["", *templates],
    key="gallery_template",
    on_change=reset_page,
    format_func=lambda t: template_titles.get(t, t) if t else "All templates",
)
visibility = filters_menu.selectbox(
    "Sharing",
    ["", *gallery.VISIBILITY_LABELS],
    key="gallery_visibility",
    format_func=lambda v: gallery.VISIBILITY_LABELS[v] if v else "Any sharing",
    on_change=reset_page,
)
dates = filters_menu.date_input(
    "Made between", value=(), key="gallery_dates", on_change=reset_page, format="YYYY-MM-DD"
)
picked = [d for d in (dates if isinstance(dates, tuple) else (dates,)) if isinstance(d, date)]
filters = gallery.VideoFilters(
    text=text or "",
    subject=subject or None,
    template=template or None,
    visibility=visibility or None,
    created_from=picked[0] if picked else None,
    created_to=picked[-1] if picked else None,
)
result = gallery.list_videos(
    settings=cfg, owner_id=owner_id, filters=filters, page=st.session_state.get("gallery_page", 1)
)
st.session_state["gallery_page"] = result.page

if st.session_state.get("gallery_deleting"):
    confirm_delete(*st.session_state["gallery_deleting"])
elif st.session_state.get("gallery_deleting_version"):
    confirm_delete_version(*st.session_state["gallery_deleting_version"])
if not result.items:
    empty_state(filtered=filters != gallery.VideoFilters(), searched=bool(filters.text.strip()))
else:
    near = " · including near spellings of your words" if result.near_spellings else ""
    st.caption(f"{result.total} video{'s' if result.total != 1 else ''}{near}")
    view_counts = views.view_counts(
        settings=cfg, owner_id=user.id, video_ids=[item.id for item in result.items]
    )
    lesson_chapters = lessons.chapters_by_video(
        settings=cfg, video_ids=[item.id for item in result.items]
    )
    for start in range(0, len(result.items), COLUMNS):
        row = result.items[start : start + COLUMNS]
        for column, item in zip(st.columns(COLUMNS), row, strict=False):
            with column:
                card(item, owners, view_counts)
    paging.pager(result.page, result.pages, "gallery")

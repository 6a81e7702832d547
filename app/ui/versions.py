"""A gallery item's versions: the history (what changed and when), revert, which version the
share link shows, and two versions compared side by side (videos and a code diff)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from app import versions
from app.errors import ChalkError
from app.generators.offline.refine import code_diff
from app.settings import Settings
from app.ui import formatting, frame, media
from app.versions import Version

GONE = "This version no longer exists; it may have been deleted in another tab."


def when(moment: datetime) -> str:
    """ "3 Mar 2026, 14:05" (UTC, as every time on the page)."""
    return f"{formatting.day(moment)}, {moment:%H:%M}"


def label(version: Version) -> str:
    """ "Version 2 · current · on the link": how a version is named in lists."""
    marks = [f"Version {version.version}"]
    if version.current:
        marks.append("current")
    if version.shared:
        marks.append("on the link")
    return " · ".join(marks)


def _act(action: str, settings: Settings, video_id: str, owner_id: int | None) -> None:
    """A history button's callback: revert to this version, or show it on the link."""
    try:
        if action == "current":
            number = versions.make_current(settings=settings, video_id=video_id, owner_id=owner_id)
            frame.flash(f"Version {number} is the current version again.", ":material/history:")
        else:
            number = versions.share_version(settings=settings, video_id=video_id, owner_id=owner_id)
            frame.flash(f"The share link now shows version {number}.", ":material/share:")
    except versions.VersionNotFound:
        frame.flash(GONE, ":material/error:")
    except ChalkError as exc:
        frame.flash(exc.message, ":material/error:")


def history(
    settings: Settings,
    *,
    video_id: str,
    owner_id: int | None,
    shared: bool,
    may_change: bool,
    key: str,
    on_delete: Callable[[Version], None] | None = None,
) -> None:
    """The versions of the item of `video_id`, newest first, each with what changed and when;
    an earlier one can be made current, (once the item is shared) shown on its link, and
    deleted (`on_delete` asks the teacher first)."""
    try:
        found = versions.history(settings=settings, video_id=video_id, owner_id=owner_id)
    except versions.VersionNotFound:
        st.caption(GONE)
        return
    for version in found:
        with st.container(border=True):
            st.markdown(f"**{label(version)}**")
            st.caption(
                f"{when(version.created_at)} · "
                f"{formatting.QUALITY_LABELS.get(version.quality, version.quality).split(' (')[0]}"
                f" · {version.aspect}\n\n{formatting.literal(version.change)}"
            )
            if not may_change:
                continue
            left, right = st.columns(2)
            if not version.current:
                left.button(
                    "Make current",
                    key=f"{key}_current_{version.video_id}",
                    icon=":material/history:",
                    help="Show this version on your gallery card and when you change it again.",
                    on_click=_act,
                    args=("current", settings, version.video_id, owner_id),
                )
            if shared and not version.shared:
                right.button(
                    "Show on the link",
                    key=f"{key}_share_{version.video_id}",
                    icon=":material/share:",
                    help="Your share link stays the same and shows this version from now on.",
                    on_click=_act,
                    args=("share", settings, version.video_id, owner_id),
                )
            if on_delete is not None:
                st.button(
                    "Delete version",
                    key=f"{key}_delete_{version.video_id}",
                    icon=":material/delete:",
                    help="Removes this version only; the video keeps its other versions.",
                    on_click=on_delete,
                    args=(version,),
                )


@st.dialog("Compare versions", width="large")
def compare(settings: Settings, *, video_id: str, owner_id: int | None, key: str) -> None:
    """Two versions of an item side by side: their videos, and how the code changed."""
    try:
        found = versions.history(settings=settings, video_id=video_id, owner_id=owner_id)
    except versions.VersionNotFound:
        st.caption(GONE)
        return
    if len(found) < 2:
        st.caption("This video has one version; change it to make another.")
        return
    names = {version.version: version for version in found}
    numbers = list(names)
    left_pick, right_pick = st.columns(2)
    older = left_pick.selectbox(
        "Version",
        numbers,
        index=1,
        format_func=lambda n: label(names[n]),
        key=f"{key}_older",
    )
    newer = right_pick.selectbox(
        "Compared with",
        numbers,
        index=0,
        format_func=lambda n: label(names[n]),
        key=f"{key}_newer",
    )
    for column, version in zip(st.columns(2), (names[older], names[newer]), strict=True):
        with column:
            st.markdown(f"**{label(version)}**")
            media.video(
                settings, version.storage_key, version.description, poster_key=version.thumbnail_key
            )
            st.caption(f"{when(version.created_at)} · {formatting.literal(version.change)}")
    diff = code_diff(
        names[older].code or "", names[newer].code or "", (f"version {older}", f"version {newer}")
    )
    st.markdown("**How the code changed**")
    if diff:
        st.code(diff, language="diff")
    else:
        st.caption("The code is the same; only the quality or aspect differs.")

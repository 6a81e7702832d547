"""Video, thumbnail and download widgets over the media store (local folder or S3)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import streamlit as st

from app.generators.offline.catalogue import TemplateInfo
from app.settings import Settings
from app.storage import StorageError, get_storage

log = logging.getLogger(__name__)


def source(settings: Settings, key: str) -> str | None:
    """What st.video / st.image can show: a local file path or a presigned URL."""
    storage = get_storage(settings)
    try:
        path = storage.local_path(key)
        if path is not None:
            return str(path) if path.is_file() else None
        return storage.url(key)
    except StorageError as exc:
        log.warning("no media for %s: %s", key, exc)
        return None


def download_name(title: str) -> str:
    """A file name from a title: "Area of a circle" → "area-of-a-circle.mp4"."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chalk-video"
    return f"{slug}.mp4"


def video(settings: Settings, key: str) -> bool:
    """The player for a stored video; a short note if the file is gone."""
    src = source(settings, key)
    if src is None:
        st.info("This video's file is no longer available; render it again from its prompt.")
        return False
    st.video(src)
    return True


def thumbnail(settings: Settings, key: str, title: str) -> None:
    """A video's still, described for screen readers by the video it stands for."""
    src = source(settings, key)
    if src is not None:
        st.image(src, width="stretch", alt=f"Still from the video “{title}”")


def template_alt(template: TemplateInfo) -> str:
    """What a template card's picture shows: the last frame of its example animation."""
    return f"Last frame of the {template.title} example animation"


def download_button(
    settings: Settings,
    key: str,
    title: str,
    *,
    widget_key: str,
    on_click: Callable[[], None] | None = None,
) -> None:
    """Download the MP4: read lazily from a local store, or a presigned link from S3.

    `on_click` (e.g. recording the download) runs when it is pressed; without it the click
    does not rerun the page.
    """
    storage = get_storage(settings)
    name = download_name(title)
    try:
        path = storage.local_path(key)
        if path is None:
            url = storage.url(key, download_name=name)
            if on_click is None:
                st.link_button("Download", url, icon=":material/download:", width="stretch")
            else:  # keyed: the presigned URL changes on every run, the widget must not
                st.link_button(
                    "Download",
                    url,
                    key=widget_key,
                    on_click=on_click,
                    icon=":material/download:",
                    width="stretch",
                )
            return
    except StorageError as exc:
        log.warning("no download for %s: %s", key, exc)
        return
    if not path.is_file():
        return
    st.download_button(
        "Download",
        data=path.read_bytes,
        file_name=name,
        mime="video/mp4",
        key=widget_key,
        on_click=on_click or "ignore",
        icon=":material/download:",
        width="stretch",
    )

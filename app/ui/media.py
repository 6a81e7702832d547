"""Video, thumbnail and download widgets over the media store (local folder or S3)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from app.description import Description, clock
from app.generators.offline.catalogue import TemplateInfo
from app.settings import Settings
from app.speech.captions import captions_key, vtt_to_srt
from app.storage import MediaNotFound, StorageError, get_storage
from app.ui import formatting

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


CAPTIONS_TRACK = "Captions"
MAX_CAPTIONS_BYTES = 1 << 20


def captions_text(settings: Settings, video_key: str) -> str | None:
    """A narrated video's WebVTT captions (stored beside it), or None for a silent video."""
    try:
        data = get_storage(settings).read_bytes(captions_key(video_key))
    except MediaNotFound:
        return None
    except StorageError as exc:
        log.warning("no captions for %s: %s", video_key, exc)
        return None
    if len(data) > MAX_CAPTIONS_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


def subtitle_tracks(description_vtt: str | None, captions_vtt: str | None) -> dict[str, Any]:
    """The player's tracks: a narrated video's captions first (shown from the start: the
    player turns on its first track), then "Off" and the description (off at first)."""
    tracks: dict[str, Any] = {}  # st.video's own value type
    if captions_vtt:
        tracks[CAPTIONS_TRACK] = captions_vtt
    tracks["Off"] = ""
    if description_vtt:
        tracks[DESCRIPTION_TRACK] = description_vtt
    return tracks


def download_name(title: str) -> str:
    """A file name from a title: "Area of a circle" → "area-of-a-circle.mp4"."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chalk-video"
    return f"{slug}.mp4"


def video(
    settings: Settings,
    key: str,
    description: Description | None = None,
    *,
    poster_key: str | None = None,
) -> bool:
    """The player for a stored video; a short note if the file is gone.

    It never plays by itself. With a description, the player has it as a track a viewer can
    turn on (off at first: the same text is under the player) and as its accessible name.
    With `poster_key` (the video's thumbnail), the player shows that still until it plays,
    instead of a black first frame (see POSTER)."""
    src = source(settings, key)
    if src is None:
        st.info("This video's file is no longer available; render it again from its prompt.")
        return False
    poster = source(settings, poster_key) if poster_key else None
    captions = captions_text(settings, key)
    with st.container():
        if description is None and captions is None:
            st.video(src, autoplay=False)
        else:
            st.video(
                src,
                autoplay=False,
                subtitles=subtitle_tracks(
                    description.as_webvtt() if description else None, captions
                ),
                alt=" ".join(description.summary)[:500] if description else None,
            )
        if poster is not None:
            st.image(poster, alt="")
            st.html(POSTER, unsafe_allow_javascript=True)
    return True


POSTER = """<span hidden data-chalk-poster></span>
<style>
.stVerticalBlock:has(> .stElementContainer [data-chalk-poster])
  > .stElementContainer:has([data-testid="stImageContainer"]),
.stElementContainer:has([data-chalk-poster]) { display: none; }
</style>
<script>
(() => {
  if (window.chalkPosters) return window.chalkPosters();
  // Streamlit seeks each player to its start time once its metadata is in, and a seek hides
  // the poster (HTML's seek algorithm). Chalk's players start at 0: keep that seek from a
  // player with a poster (the listener runs first, in the capture phase on the document).
  document.addEventListener("loadedmetadata", (event) => {
    const video = event.target;
    if (video instanceof HTMLVideoElement && video.poster && video.currentTime === 0) {
      event.stopPropagation();
    }
  }, true);
  const apply = () => {
    for (const marker of document.querySelectorAll("[data-chalk-poster]")) {
      const block = marker.closest(".stElementContainer")?.parentElement;
      if (!block) continue;
      const video = block.querySelector(':scope > .stElementContainer video');
      const still = block.querySelector(
        ':scope > .stElementContainer [data-testid="stImageContainer"] img');
      if (!video || !still || !still.src || video.poster === still.src) continue;
      // A player that loaded before its poster was set has been seeked already: one nobody
      // has started yet loads its source again, from the poster.
      const src = video.getAttribute("src");
      const fresh = video.readyState >= 1 && video.paused && !video.played.length && src;
      if (fresh) {
        video.removeAttribute("src");
        video.load();
      }
      video.poster = still.src;
      if (fresh) video.setAttribute("src", src);
    }
  };
  window.chalkPosters = apply;
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; apply(); });
  }).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["src"],
  });
  apply();
})();
</script>"""
"""The poster of a player: Streamlit 1.67's st.video has no poster argument. The thumbnail is
drawn by st.image next to the video, so Streamlit serves it the way it serves the video (its
own media endpoint for a local store, a presigned URL for S3) and nothing else is loaded; the
image is hidden and this script makes its URL the video's `poster` (again whenever Streamlit
redraws the player)."""


DESCRIPTION_TRACK = "Description (what appears)"


def description_panel(
    description: Description | None, title: str, *, widget_key: str, folded: bool = True
) -> None:
    """What the video shows, in words: the summary, the timeline, and the text to download.

    Folded into an expander under a player; unfolded where the player is itself in one
    (Streamlit does not nest expanders) or is the page's subject (the watch page)."""
    if folded:
        with st.expander("What this video shows (text description)"):
            _description(description, title, widget_key)
    else:
        st.markdown("**What this video shows**")
        _description(description, title, widget_key)


def _description(description: Description | None, title: str, widget_key: str) -> None:
    if description is None:
        st.write(
            "This video was made before Chalk wrote descriptions; render it again from "
            "its prompt to get one."
        )
        return
    for sentence in description.summary:
        st.markdown(formatting.literal(sentence))
    if description.moments:
        st.markdown("**Timeline**")
        st.markdown(
            "\n".join(
                f"- {clock(moment.t)} {formatting.literal(moment.text)}"
                for moment in description.moments
            )
        )
    st.download_button(
        "Download the description",
        data=description.as_text(title),
        file_name=download_name(title).removesuffix(".mp4") + "-description.txt",
        mime="text/plain",
        key=widget_key,
        on_click="ignore",
        icon=":material/description:",
    )


PROMPT_ON_CARD = 120
"""A card shows this much of its video's prompt; the whole prompt is in the caption's tooltip."""


def prompt_caption(prompt: str | None, title: str) -> None:
    """The prompt under a card's title, cut to one short line (a pasted page of text would
    fill a phone's screen), unless it is the title itself."""
    if not prompt or prompt == title:
        return
    line = formatting.shorten(prompt, PROMPT_ON_CARD)
    whole = formatting.literal(prompt) if line != " ".join(prompt.split()) else None
    st.caption(formatting.literal(line), help=whole)


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
            captions_download(settings, key, title, widget_key=f"{widget_key}_srt")
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
    captions_download(settings, key, title, widget_key=f"{widget_key}_srt")


def captions_download(settings: Settings, key: str, title: str, *, widget_key: str) -> None:
    """A narrated video's captions as SRT (what video editors and most players open)."""
    captions = captions_text(settings, key)
    if captions is None:
        return
    st.download_button(
        "Download captions (SRT)",
        data=vtt_to_srt(captions),
        file_name=download_name(title).removesuffix(".mp4") + ".srt",
        mime="application/x-subrip",
        key=widget_key,
        on_click="ignore",
        icon=":material/subtitles:",
        width="stretch",
    )

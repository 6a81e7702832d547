"""Embed: the player of a shared video (`/embed?v=<share token>`) and nothing else, for an
iframe on a school's site or learning platform (app/sharing.py makes the snippet).

No menu, no sign-in, no header: streamlit_app.py runs this page alone when the browser is at
/embed. Only shared videos play; a private one and a wrong token look the same.
"""

from __future__ import annotations

import streamlit as st

from app import gallery, views
from app.ui import frame, media
from app.ui.session import settings

frame.require_frame()

NOT_SHARED = "This video isn't shared any more; ask the teacher for a new link."

# Streamlit's header and page margins would take room from the video in a small frame.
st.html(
    """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 0; max-width: none; }
[data-testid="stMain"] .stVerticalBlock { gap: 0; }
</style>"""
)

cfg = settings()
found = gallery.find_shared(settings=cfg, token=st.query_params.get("v", ""))
if found is None:
    st.warning(NOT_SHARED, icon=":material/lock:")
elif media.video(cfg, found.storage_key, found.description, poster_key=found.thumbnail_key):
    # One view per session and video, however often the frame reruns.
    counted = st.session_state.setdefault("embed_counted", set())
    if found.id not in counted:
        counted.add(found.id)
        views.count_view(settings=cfg, video_id=found.id, viewer_id=None)
        gallery.record_watched(settings=cfg, video_id=found.id, user_id=None)

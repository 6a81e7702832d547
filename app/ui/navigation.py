"""The app's page list, in one place: what a user sees depends on who they are."""

from __future__ import annotations

import streamlit as st

from app.ui.session import SessionUser

# url_path of each page (share links point at the watch page).
CREATE, GALLERY, WATCH, HELP = "create", "gallery", "watch", "help"
PAGE_PATHS = (CREATE, GALLERY, WATCH, HELP)


def build_pages(user: SessionUser | None) -> list[st.Page]:
    """Pages for `user`; None (not signed in) still gets Watch and Help, so shared links work.

    Issue 7 adds Account for every signed-in user and Admin when `user.role == "admin"` here.
    """
    pages: list[st.Page] = []
    if user is not None:
        pages += [
            st.Page(
                "pages/create.py",
                title="Create",
                icon=":material/movie_edit:",
                url_path=CREATE,
                default=True,
            ),
            st.Page(
                "pages/gallery.py",
                title="Gallery",
                icon=":material/video_library:",
                url_path=GALLERY,
            ),
        ]
    pages += [
        st.Page(
            "pages/watch.py",
            title="Watch",
            icon=":material/play_circle:",
            url_path=WATCH,
            default=user is None,
        ),
        st.Page("pages/help.py", title="Help", icon=":material/help:", url_path=HELP),
    ]
    return pages


def app_base_url() -> str:
    """The app's address as the browser sees it, without the current page's path."""
    url = (st.context.url or "").rstrip("/")
    if not url:
        host = st.context.headers.get("Host") or "localhost:8501"
        url = f"http://{host}"
    for path in PAGE_PATHS:
        url = url.removesuffix(f"/{path}")
    return url


def share_link(token: str) -> str:
    return f"{app_base_url()}/{WATCH}?v={token}"

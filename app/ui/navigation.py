"""The app's page list, in one place: what a user sees depends on who they are."""

from __future__ import annotations

import streamlit as st

from app.ui.session import SessionUser

# url_path of each page (share links point at the watch page, reset mails at reset_password).
CREATE, GALLERY, ACCOUNT, ADMIN = "create", "gallery", "account", "admin"
WATCH, HELP, RESET_PASSWORD = "watch", "help", "reset_password"
PAGE_PATHS = (CREATE, GALLERY, ACCOUNT, ADMIN, WATCH, HELP, RESET_PASSWORD)
SIGNED_IN_ONLY = (GALLERY, ACCOUNT, ADMIN)
"""Addresses that show the sign-in form to a visitor (and the page itself after sign-in)."""

LOGIN_FILE = "pages/login.py"


def build_pages(user: SessionUser | None) -> list[st.Page]:
    """Pages for `user`; None (not signed in) gets Sign in, Watch and Help.

    A page that is not in the list does not exist for this user: a teacher who types
    /admin gets Streamlit's "page not found" and the home page, never the admin page.

    Sign in is the visitor's home page and Create the signed-in user's, both under the
    url_path "create", so the address of the page the sign-in form was on opens Create
    after sign-in and the sign-in form after sign-out. For the same reason a visitor who
    opens a signed-in address (a bookmark of /gallery, or a tab open when they signed out)
    gets the sign-in form there, hidden from the menu, and the page itself after sign-in.
    """
    reset = st.Page(
        "pages/reset_password.py",
        title="Reset password",
        icon=":material/key:",
        url_path=RESET_PASSWORD,
        visibility="hidden",
    )
    watch = st.Page("pages/watch.py", title="Watch", icon=":material/play_circle:", url_path=WATCH)
    help_page = st.Page("pages/help.py", title="Help", icon=":material/help:", url_path=HELP)
    if user is None:
        sign_in = st.Page(
            LOGIN_FILE, title="Sign in", icon=":material/login:", url_path=CREATE, default=True
        )
        hidden_sign_ins = [
            st.Page(
                LOGIN_FILE,
                title="Sign in",
                icon=":material/login:",
                url_path=path,
                visibility="hidden",
            )
            for path in SIGNED_IN_ONLY
        ]
        return [sign_in, watch, help_page, reset, *hidden_sign_ins]

    pages = [
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
        st.Page("pages/account.py", title="Account", icon=":material/person:", url_path=ACCOUNT),
        help_page,
        watch,
    ]
    if user.is_admin:
        pages.append(
            st.Page(
                "pages/admin.py",
                title="Admin",
                icon=":material/admin_panel_settings:",
                url_path=ADMIN,
            )
        )
    return [*pages, reset]


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


def reset_link_base() -> str:
    """Where the emailed password-reset link points (the token is appended as ?token=)."""
    return f"{app_base_url()}/{RESET_PASSWORD}"

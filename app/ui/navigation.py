"""The app's page list, in one place: what a user sees depends on who they are."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import links, sharing
from app.links import RESET_PASSWORD, LocalServer
from app.ui.session import SessionUser, settings

# url_path of each page (share links point at the watch page, reset mails at reset_password).
CREATE, GALLERY, LIBRARY, ACCOUNT, ADMIN = "create", "gallery", "library", "account", "admin"
WATCH, HELP = sharing.WATCH, "help"
EMBED = sharing.EMBED
SIGNED_IN_ONLY = (GALLERY, LIBRARY, ACCOUNT, ADMIN)
"""Addresses that show the sign-in form to a visitor (and the page itself after sign-in)."""

LOGIN_FILE = "pages/login.py"
NOT_FOUND_FILE = "pages/not_found.py"
_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def requested_page() -> str:
    """The page name in the browser's address ("" for the app's own address).

    Streamlit keeps it in its pages manager, not in a public API: if that moves, this gives ""
    and an unknown address falls back to Streamlit's own "page not found" box.
    """
    context = get_script_run_ctx()
    name = getattr(getattr(context, "pages_manager", None), "intended_page_name", None)
    return name if isinstance(name, str) else ""


def with_not_found(pages: list[st.Page], requested: str) -> list[st.Page]:
    """`pages`, plus the friendly not-found page under the requested address when no page has
    it (so Streamlit resolves to it instead of showing its box and the home page)."""
    known = {page.url_path for page in pages}
    if not _PAGE_NAME.fullmatch(requested) or requested in known:
        return pages
    not_found = st.Page(
        NOT_FOUND_FILE,
        title="Page not found",
        icon=":material/explore_off:",
        url_path=requested,
        visibility="hidden",
    )
    return [*pages, not_found]


def build_pages(user: SessionUser | None, requested: str = "") -> list[st.Page]:
    """Pages for `user`; None (not signed in) gets Sign in, Watch and Help.

    A page that is not in the list does not exist for this user: a teacher who types
    /admin gets the not-found page (`requested` is the address's page name), never the
    admin page.

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
        return with_not_found([sign_in, watch, help_page, reset, *hidden_sign_ins], requested)

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
        st.Page(
            "pages/library.py",
            title="Library",
            icon=":material/local_library:",
            url_path=LIBRARY,
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
    return with_not_found([*pages, reset], requested)


def local_server() -> LocalServer:
    """Where Streamlit serves this app, from its configuration (never from a request)."""
    return LocalServer(
        address=st.get_option("server.address"),
        port=int(st.get_option("server.port")),
        base_path=st.get_option("server.baseUrlPath") or "",
    )


def app_base_url() -> str:
    """The app's address for links: CHALK_APP_URL, else where Streamlit serves it here.

    Not the request's Host header or URL: whoever sends the request chooses those.
    """
    return links.app_base_url(settings(), local_server())


def share_link(token: str) -> str:
    return sharing.share_url(app_base_url(), token)


def embedded() -> bool:
    """Whether the browser opened the player-only page (/embed), typically in an iframe.

    Read from the address the browser reports: it only decides how little the page shows
    (the embed page has no menu and no sign-in), never what a viewer may see.
    """
    url = st.context.url or ""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] == EMBED


def embed_pages() -> list[st.Page]:
    """The whole app inside an iframe: the player-only page at /embed.

    The first page of a navigation is its default and lives at the root address, so the
    player comes twice: a default that is never asked for (the app is in this mode only at
    /embed), and the /embed page itself, whose address the browser keeps.
    """
    return [
        st.Page(
            "pages/embed.py", title="Chalk video", icon=":material/play_circle:", url_path="player"
        ),
        st.Page(
            "pages/embed.py",
            title="Chalk video",
            icon=":material/play_circle:",
            url_path=EMBED,
        ),
    ]

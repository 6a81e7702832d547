"""The app's address in links that leave the page (reset mails, share links).

Only configured addresses: CHALK_APP_URL (which production requires), else in development
the address Streamlit serves on here. Never the request's Host header or URL: whoever sends
the request chooses those, and a reset mail pointing at their host would hand them the token.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.settings import Settings

RESET_PASSWORD = "reset_password"
"""url_path of the page a reset mail's link opens."""
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::"})
"""Listen-on-everything addresses: a browser cannot open them, so links say localhost."""


@dataclass(frozen=True)
class LocalServer:
    """Where Streamlit serves the app on this machine (server.address, port, baseUrlPath)."""

    address: str | None = None
    port: int = 8501
    base_path: str = ""


STREAMLIT_DEFAULT_SERVER = LocalServer()
"""Streamlit's defaults: every address, port 8501, no base path."""


def app_base_url(settings: Settings, server: LocalServer = STREAMLIT_DEFAULT_SERVER) -> str:
    """The app's address without a trailing slash: CHALK_APP_URL, else the local server."""
    if settings.app_url:
        return settings.app_url
    host = server.address or ""
    if host in WILDCARD_ADDRESSES:
        host = "localhost"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    path = server.base_path.strip("/")
    return f"http://{host}:{server.port}" + (f"/{path}" if path else "")

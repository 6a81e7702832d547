"""Streamlit works under the Caddyfile's Content-Security-Policy: through the HTTPS proxy the
sign-in page draws (scripts, styles, the WebSocket and the cookie component all allowed) and
the browser reports no CSP violation, also on the /embed page. (Signing in itself is the
subject of test_auth_flow.py; it costs a rerun this check does not need.)"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

from tests.e2e.conftest import loaded, photographed_on_failure, shows_sign_in_form
from tests.ops.test_caddy import run_caddy

pytestmark = [pytest.mark.xdist_group("e2e")]


def test_the_app_works_under_the_csp_through_caddy(
    app_url: str, browser: Browser, tmp_path
) -> None:
    app_port = urlsplit(app_url).port
    assert app_port is not None
    caddy = run_caddy(tmp_path, {"app": app_port, "api": app_port})
    proxy = next(caddy)
    # Caddy's internal CA is not in chromium's trust store; the policy is the subject here.
    context = browser.new_context(ignore_https_errors=True)
    violations: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    context.on("console", heard)
    try:
        with photographed_on_failure(context, name="https-csp"):
            page = context.new_page()
            page.goto(proxy.url("/"))
            # The form is drawn by the script run over the WebSocket, with the app's scripts.
            shows_sign_in_form(page)
            loaded(page)
            embed = context.new_page()
            embed.goto(proxy.url("/embed?v=no-such-token"))
            expect(embed.get_by_text("isn't shared any more")).to_be_visible(timeout=30_000)
    finally:
        context.close()
        caddy.close()
    assert violations == []

"""School sign-in in a real browser, against a local OpenID Connect provider
(oidc-provider-mock on loopback, whose authorisation form takes the subject to sign in as):
the first sign-in makes the account and opens the app, sign-out from the user menu, an
account of another domain is refused with the sentence, and a disabled account's fresh
sign-in is refused. (A session open while its account is disabled goes through the same
check on its next click: app/ui/auth.py's gate runs on every run.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.accounts import sso, users
from app.accounts.users import get_or_create_user
from app.db.engine import session_scope
from app.db.migrate import ensure_schema
from app.settings import Settings
from app.ui.auth import ACCOUNT_DISABLED
from tests.e2e.conftest import (
    DESKTOP,
    idle,
    loaded,
    photographed_on_failure,
    shows_sign_in_form,
    streamlit_server,
)
from tests.helpers import free_port, wait_for

pytestmark = [pytest.mark.xdist_group("e2e")]

DOMAIN = "school.example"
SCHOOL_BUTTON = "Sign in with your school account"
SIGNED_IN = "Create an animation"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock on a free loopback port (any client id and secret are accepted)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                return True
        except OSError:
            return False

    try:
        if not wait_for(serving, timeout=20, every=0.2):
            pytest.fail("oidc-provider-mock did not start")
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def school_user(provider: str, sub: str, claims: dict[str, object]) -> None:
    """The claims the provider gives `sub` (its identity token and userinfo)."""
    request = urllib.request.Request(
        f"{provider}/users/{sub}", data=json.dumps(claims).encode(), method="PUT"
    )
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=5) as reply:
        assert reply.status == 204


@pytest.fixture(scope="module")
def sso_app(
    tmp_path_factory: pytest.TempPathFactory, provider: str
) -> Iterator[tuple[str, Settings]]:
    """The app with school sign-in configured in a secrets file of its own (Streamlit's
    [auth] table, the provider as the default one) and the school's domain allowed."""
    data = tmp_path_factory.mktemp("e2e-sso")
    settings = Settings(data_dir=data, database_url=None, redis_url=None)
    ensure_schema(settings)
    with session_scope(settings) as session:  # not a new install: school accounts are teachers
        get_or_create_user(session, "principal", role="admin")
    port = free_port()
    secrets = data / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "e2e-cookie-secret-that-is-long-enough-1234567890"\n'
        'client_id = "chalk"\n'
        'client_secret = "chalk-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    with streamlit_server(
        data,
        port,
        args=["--secrets.files", str(secrets)],
        # Nothing renders here: no warm render pool competing for the CPU with the sign-ins.
        env={"CHALK_SSO_ALLOWED_DOMAINS": DOMAIN, "CHALK_WARM_POOL": "false"},
    ) as url:
        yield url, settings


def sign_in_at_school(page: Page, sub: str) -> None:
    """Press the school button on the sign-in page and authorise `sub` at the provider."""
    shows_sign_in_form(page)
    loaded(page)
    page.get_by_role("button", name=SCHOOL_BUTTON).click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_school_sign_in_creates_refuses_and_signs_out(
    browser: Browser, sso_app: tuple[str, Settings], provider: str
):
    url, settings = sso_app
    school_user(
        provider, "ana-1", {"email": f"ana@{DOMAIN}", "email_verified": True, "name": "Ana Lima"}
    )
    school_user(provider, "eve-1", {"email": "eve@elsewhere.example", "email_verified": True})
    context = browser.new_context(viewport=DESKTOP)
    with photographed_on_failure(context, name="sso-failure"):
        page = context.new_page()
        page.goto(url)
        # First sign-in: the account is made, and the app opens signed in.
        sign_in_at_school(page, "ana-1")
        expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="Ana Lima")).to_be_visible()
        account = users.find_account(settings=settings, username="ana")
        assert account is not None
        assert (account.email, account.role, account.has_password) == (
            f"ana@{DOMAIN}",
            "teacher",
            False,
        )

        # Sign-out from the user menu: Streamlit's identity cookie goes, through the
        # provider's end-session page, back to the sign-in page.
        idle(page)
        page.get_by_role("button", name="Ana Lima").click()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()

        # Another domain: refused with the sentence, and no account made.
        sign_in_at_school(page, "eve-1")
        refused = sso.WRONG_DOMAIN.format(domains=f"@{DOMAIN}")
        expect(page.get_by_text(refused)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name=SIGNED_IN)).to_have_count(0)
        names = [account.username for account in users.list_accounts(settings=settings)]
        assert "eve" not in names and names.count("ana") == 1

        # Disabled (which also ends its sessions): a fresh school sign-in does not get in.
        users.set_disabled(settings=settings, username="ana", disabled=True)
        sign_in_at_school(page, "ana-1")
        expect(page.get_by_text(ACCOUNT_DISABLED)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name=SIGNED_IN)).to_have_count(0)

"""The sign-in cookie's settings: a kept random key in development, the given key otherwise."""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.accounts import cookie, users
from app.accounts.cookie import SESSION_CLAIM, cookie_settings, token_claims, token_is_current
from app.accounts.resets import request_password_reset, reset_password_with_token
from app.settings import COOKIE_KEY_MIN_CHARS, Settings

EXAMPLE_SECRETS = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"


def test_development_makes_a_private_cookie_key_and_keeps_it(tmp_path):
    settings = Settings(data_dir=tmp_path)
    first = cookie_settings(settings)
    path = tmp_path / "secrets" / "cookie_key"
    assert path.read_text().strip() == first.key
    assert len(first.key) >= COOKIE_KEY_MIN_CHARS
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert cookie_settings(settings).key == first.key


def test_the_environment_wins_over_secrets_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("CHALK_AUTH_COOKIE_KEY", "CHALK_AUTH_COOKIE_NAME"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'[auth]\ncookie_key = "{"k" * 40}"\ncookie_name = "from_toml"\n'
    )
    from_toml = cookie_settings(Settings(data_dir=tmp_path))
    assert (from_toml.key, from_toml.name) == ("k" * 40, "from_toml")
    monkeypatch.setenv("CHALK_AUTH_COOKIE_KEY", "e" * 40)
    monkeypatch.setenv("CHALK_AUTH_COOKIE_NAME", "from_env")
    from_env = cookie_settings(Settings(data_dir=tmp_path))
    assert (from_env.key, from_env.name) == ("e" * 40, "from_env")
    # Set in code, as the tests do, it wins too.
    in_code = Settings(data_dir=tmp_path, auth_cookie_key=SecretStr("c" * 40))
    assert cookie_settings(in_code).key == "c" * 40
    assert not (tmp_path / "secrets").exists()  # no key made when one is given


@pytest.mark.parametrize(
    "key",
    [
        tomllib.loads(EXAMPLE_SECRETS.read_text())["auth"]["cookie_key"],
        "k" * (COOKIE_KEY_MIN_CHARS - 1),
    ],
    ids=["example-file-placeholder", "short"],
)
def test_a_known_or_short_key_never_signs_a_cookie_in_development(tmp_path, caplog, key):
    cookie._say_key_is_unused.cache_clear()
    settings = Settings(data_dir=tmp_path, auth_cookie_key=SecretStr(key))
    with caplog.at_level(logging.WARNING, logger=cookie.__name__):
        used = {cookie_settings(settings).key for _ in range(3)}  # three page runs
    assert used == {(tmp_path / "secrets" / "cookie_key").read_text().strip()}
    assert key not in used
    [warning] = [r for r in caplog.records if r.name == cookie.__name__]  # once
    assert "not used" in warning.getMessage() and key not in warning.getMessage()


def test_disabling_or_a_new_password_ends_the_cookies_issued_before(sqlite_settings):
    settings = sqlite_settings
    users.create_account(
        settings=settings, username="ada", password="old password", email="a@b.c", role="teacher"
    )

    def token() -> dict:
        return token_claims(settings=settings, username="ada", expires=2e9)

    def ends(*changes) -> None:
        before = token()
        assert token_is_current(settings=settings, claims=before)
        for change in changes:
            change()
        assert not token_is_current(settings=settings, claims=before)
        assert token_is_current(settings=settings, claims=token())  # a new sign-in works

    ends(
        lambda: users.set_disabled(settings=settings, username="ada", disabled=True),
        lambda: users.set_disabled(settings=settings, username="ada", disabled=False),
    )
    user_id = users.find_account(settings=settings, username="ada").id
    ends(lambda: users.change_password(settings=settings, user_id=user_id, new_password="x" * 9))
    sent: list[str] = []

    class Outbox:
        def send(self, *, to: str, subject: str, body: str) -> None:
            sent.append(body.split("token=")[1].split()[0])

    request_password_reset(settings=settings, username_or_email="ada", mailer=Outbox())
    ends(lambda: reset_password_with_token(settings=settings, token=sent[0], new_password="y" * 9))
    ends(lambda: users.end_sessions(settings=settings, username="ada"))
    legacy = {k: v for k, v in token().items() if k != SESSION_CLAIM}  # issued before versions
    assert not token_is_current(settings=settings, claims=legacy)

"""Forgot password / username: a mailed token link that expires and works once; the SMTP
mailer against a loopback SMTP server; the console mailer by default."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.accounts import users
from app.accounts.passwords import verify_password
from app.accounts.resets import (
    request_password_reset,
    reset_password_with_token,
    send_username_reminder,
)
from app.db.engine import session_scope
from app.db.models import PasswordReset, User, utcnow
from app.errors import ChalkError
from app.links import LocalServer
from app.mail import ConsoleMailer, SmtpMailer, get_mailer
from app.settings import Settings
from tests.helpers import free_port

LINK = "http://localhost:8501/reset_password"
"""Where reset links point in development without CHALK_APP_URL (Streamlit's defaults)."""


class Outbox:
    """A mailer that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, *, to: str, subject: str, body: str) -> None:
        self.sent.append({"to": to, "subject": subject, "body": body})

    def token(self) -> str:
        match = re.search(r"\?token=([\w-]+)", self.sent[-1]["body"])
        assert match, self.sent[-1]["body"]
        return match.group(1)


@pytest.fixture
def ada(db_settings: Settings) -> users.Account:
    return users.create_account(
        settings=db_settings, username="ada", password="old password", email="ada@example.org"
    )


def password_of(settings: Settings, name: str) -> str:
    with session_scope(settings) as session:
        return session.query(User).filter_by(username=name).one().password_hash


def test_a_reset_link_sets_a_new_password_once(db_settings, ada):
    outbox = Outbox()
    request_password_reset(settings=db_settings, username_or_email="ada", mailer=outbox)
    assert [mail["to"] for mail in outbox.sent] == ["ada@example.org"]
    assert outbox.sent[0]["body"].count(f"{LINK}?token=") == 1
    token = outbox.token()
    with session_scope(db_settings) as session:
        stored = session.query(PasswordReset).one().token_hash
    assert token not in stored  # only the digest is kept
    with pytest.raises(ChalkError, match="at least 8"):
        reset_password_with_token(settings=db_settings, token=token, new_password="short")
    account = reset_password_with_token(
        settings=db_settings, token=token, new_password="brand new pass"
    )
    assert account.username == "ada"
    assert verify_password("brand new pass", password_of(db_settings, "ada"))
    with pytest.raises(ChalkError, match="expired or was already used"):
        reset_password_with_token(settings=db_settings, token=token, new_password="another one!")


def test_an_expired_or_made_up_token_is_refused(db_settings, ada):
    outbox = Outbox()
    request_password_reset(settings=db_settings, username_or_email="ADA@example.org", mailer=outbox)
    token = outbox.token()
    with session_scope(db_settings) as session:
        session.query(PasswordReset).one().expires_at = utcnow() - timedelta(seconds=1)
    for candidate in (token, "made-up-token"):
        with pytest.raises(ChalkError, match="expired or was already used") as refused:
            reset_password_with_token(
                settings=db_settings, token=candidate, new_password="brand new pass"
            )
        assert refused.value.kind == "validation"
    assert verify_password("old password", password_of(db_settings, "ada"))


def test_unknown_accounts_get_no_mail_and_no_error(db_settings, ada):
    outbox = Outbox()
    for who in ("nobody", "nobody@example.org", ""):
        request_password_reset(settings=db_settings, username_or_email=who, mailer=outbox)
    send_username_reminder(settings=db_settings, email="nobody@example.org", mailer=outbox)
    assert outbox.sent == []


def test_the_username_reminder_goes_to_the_accounts_email(db_settings, ada):
    outbox = Outbox()
    send_username_reminder(settings=db_settings, email="Ada@Example.org", mailer=outbox)
    assert outbox.sent[0]["to"] == "ada@example.org"
    assert "Your Chalk username is: ada" in outbox.sent[0]["body"]


def test_reset_links_point_only_at_the_configured_address(db_settings, ada):
    outbox = Outbox()
    here = LocalServer(address="127.0.0.1", port=8765, base_path="/chalk/")
    request_password_reset(
        settings=db_settings, username_or_email="ada", server=here, mailer=outbox
    )
    assert "\nhttp://127.0.0.1:8765/chalk/reset_password?token=" in outbox.sent[-1]["body"]
    production = db_settings.model_copy(
        update={"environment": "production", "app_url": "https://chalk.school.org"}
    )
    request_password_reset(settings=production, username_or_email="ada", server=here, mailer=outbox)
    assert "\nhttps://chalk.school.org/reset_password?token=" in outbox.sent[-1]["body"]
    assert "8765" not in outbox.sent[-1]["body"]


class Recorder:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Recorder]]:
    recorder = Recorder()
    port = free_port()  # aiosmtpd's start() cannot use port 0
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    # aiosmtpd narrates connections at INFO from its own thread, which may outlive the
    # test's captured stderr; only its warnings matter here.
    smtp_log = logging.getLogger("mail.log")
    level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()
        smtp_log.setLevel(level)


def test_the_smtp_mailer_delivers_the_reset_link(sqlite_settings, smtp_server):
    controller, recorder = smtp_server
    settings = sqlite_settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": controller.port,
            "smtp_starttls": False,
            "smtp_from": "Chalk <chalk@school.test>",
        }
    )
    assert isinstance(get_mailer(settings), SmtpMailer)
    users.create_account(
        settings=settings, username="ada", password="old password", email="ada@example.org"
    )
    request_password_reset(settings=settings, username_or_email="ada")
    assert len(recorder.messages) == 1
    envelope = recorder.messages[0]
    assert envelope.rcpt_tos == ["ada@example.org"]
    assert envelope.mail_from == "chalk@school.test"
    body = envelope.content.decode()
    assert "Subject: Reset your Chalk password" in body and f"{LINK}?token=" in body


def test_without_smtp_the_mail_goes_to_the_log(sqlite_settings, caplog):
    assert isinstance(get_mailer(sqlite_settings), ConsoleMailer)
    users.create_account(
        settings=sqlite_settings, username="ada", password="old password", email="a@b.org"
    )
    with caplog.at_level(logging.WARNING, logger="app.mail"):
        request_password_reset(settings=sqlite_settings, username_or_email="ada")
    assert f"{LINK}?token=" in caplog.text and "a@b.org" in caplog.text


def test_an_unreachable_smtp_server_does_not_break_the_form(sqlite_settings, caplog):
    settings = sqlite_settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 9})
    users.create_account(
        settings=settings, username="ada", password="old password", email="a@b.org"
    )
    with caplog.at_level(logging.ERROR):
        request_password_reset(settings=settings, username_or_email="ada")
    assert "could not send" in caplog.text


def test_a_new_reset_link_kills_the_earlier_ones(sqlite_settings):
    users.create_account(
        settings=sqlite_settings, username="ada", password="old password", email="a@b.org"
    )
    outbox = Outbox()
    for _ in range(2):
        request_password_reset(settings=sqlite_settings, username_or_email="ada", mailer=outbox)
    older, newer = (re.search(r"\?token=([\w-]+)", m["body"]).group(1) for m in outbox.sent)
    with pytest.raises(ChalkError, match="expired or was already used"):
        reset_password_with_token(
            settings=sqlite_settings, token=older, new_password="via old link"
        )
    reset_password_with_token(settings=sqlite_settings, token=newer, new_password="via new link")
    assert verify_password("via new link", password_of(sqlite_settings, "ada"))

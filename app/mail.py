"""Sending mail (password-reset links, username reminders).

`get_mailer` gives an SMTP mailer when `CHALK_SMTP_HOST` is set, otherwise the console
mailer, which writes the mail to the log: a new install needs no mail service, and its
operator finds reset links in the app's log.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol

from app.settings import Settings

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The mail could not be handed to the mail server."""


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


class ConsoleMailer:
    """Writes each mail to the log instead of sending it (the no-setup default)."""

    def send(self, *, to: str, subject: str, body: str) -> None:
        log.warning("mail (console mailer, not sent) to %s: %s\n%s", to, subject, body)


class SmtpMailer:
    """Sends through an SMTP server (STARTTLS and login when configured)."""

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("SmtpMailer needs CHALK_SMTP_HOST")
        self.settings = settings

    def send(self, *, to: str, subject: str, body: str) -> None:
        cfg = self.settings
        message = EmailMessage()
        message["From"] = cfg.smtp_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(str(cfg.smtp_host), cfg.smtp_port, timeout=20) as smtp:
                if cfg.smtp_starttls:
                    smtp.starttls()
                if cfg.smtp_username and cfg.smtp_password is not None:
                    smtp.login(cfg.smtp_username, cfg.smtp_password.get_secret_value())
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"could not send mail via {cfg.smtp_host}: {exc}") from exc
        log.info("mail sent to %s: %s", to, subject)


def get_mailer(settings: Settings) -> Mailer:
    return SmtpMailer(settings) if settings.smtp_host else ConsoleMailer()

"""Signed webhooks: `job.succeeded`, `job.failed`, `job.cancelled` and `batch.completed`.

Workers deliver them, never the request that submitted the job: a `WebhookDispatcher` thread
in each worker process (and in `chalk api` when it runs jobs in its own inline pool) turns
final API jobs and finished batches into delivery rows, then POSTs the deliveries that are
due. Each POST is recorded as an attempt; a failure is retried with exponential backoff
(`webhook_retry_base_s`, doubling) until `webhook_retry_hours` after the event.

Signature (Stripe's scheme): header `Chalk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>">` with the key's webhook secret; `verify_signature` is the receiver's check.

Only http(s) addresses, and none that resolves to a loopback, private, link-local or other
non-public address unless `webhook_allow_private` is set; the address is checked when a job
is submitted and again before every POST (its DNS may have changed), and redirects are not
followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import and_, exists, or_, select, update

from app import forks
from app.api_jobs import batch_status
from app.db.engine import session_scope
from app.db.models import (
    ACTIVE_STATES,
    FINAL_STATES,
    ApiJob,
    ApiKey,
    Batch,
    Job,
    WebhookAttempt,
    WebhookDelivery,
    utcnow,
)
from app.errors import ChalkError
from app.jobs import service
from app.logs import log_context
from app.settings import Settings

log = logging.getLogger(__name__)

EVENTS = ("job.succeeded", "job.failed", "job.cancelled", "batch.completed")
SIGNATURE_HEADER = "Chalk-Signature"
URL_MAX = 2000
"""Characters of a webhook address."""
SCAN_LIMIT = 100
"""Final jobs (and finished batches) turned into deliveries per pass."""
DELIVER_LIMIT = 20
"""Deliveries POSTed per pass."""
MAX_DELAY_S = 6 * 3600
"""The longest wait between two attempts."""


class WebhookUrlRefused(ChalkError):
    """A webhook address Chalk will not POST to (the message says why)."""

    def __init__(self, message: str) -> None:
        super().__init__("validation", message)


# --- signatures --------------------------------------------------------------------------


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The `Chalk-Signature` header value for `body` sent at `timestamp`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance_s: int = 300, now: float | None = None
) -> bool:
    """A receiver's check: the header signs exactly `body` with `secret`, recently enough
    (a replayed old request fails)."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance_s:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


# --- addresses ---------------------------------------------------------------------------


def check_url(url: str, *, allow_private: bool) -> str:
    """The address, if Chalk may POST to it; WebhookUrlRefused with the reason otherwise."""
    url = url.strip()
    if len(url) > URL_MAX:
        raise WebhookUrlRefused(f"The webhook address is longer than {URL_MAX} characters.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlRefused("The webhook address must start with http:// or https://.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError):
        raise WebhookUrlRefused(
            f"The webhook address's host {parts.hostname} could not be found."
        ) from None
    if not allow_private:
        for *_, sockaddr in found:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
                address = address.ipv4_mapped
            if not address.is_global:
                raise WebhookUrlRefused(
                    f"The webhook address {parts.hostname} is on a loopback, private or "
                    "link-local network; use a public address."
                )
    return url


# --- events -> deliveries ----------------------------------------------------------------


def _body(event: str, **data: Any) -> str:
    return json.dumps({"event": event, "created_at": utcnow().isoformat(), **data})


def record_events(settings: Settings) -> int:
    """Turn final API jobs and finished batches into deliveries; returns how many were made.

    Each job (and batch) is claimed by a conditional update, so two workers scanning at once
    record it once.
    """
    made = 0
    with session_scope(settings) as session:
        job_ids = list(
            session.scalars(
                select(ApiJob.job_id)
                .join(Job, Job.id == ApiJob.job_id)
                .where(ApiJob.notified_at.is_(None), Job.state.in_(FINAL_STATES))
                .limit(SCAN_LIMIT)
            )
        )
    for job_id in job_ids:
        made += _record_job_event(settings, job_id)
    with session_scope(settings) as session:
        active = (
            select(ApiJob.job_id)
            .join(Job, Job.id == ApiJob.job_id)
            .where(ApiJob.batch_id == Batch.id, Job.state.in_(ACTIVE_STATES))
        )
        batch_ids = list(
            session.scalars(
                select(Batch.id)
                .where(Batch.completed_at.is_(None), ~exists(active))
                .limit(SCAN_LIMIT)
            )
        )
    for batch_id in batch_ids:
        made += _record_batch_event(settings, batch_id)
    return made


def _record_job_event(settings: Settings, job_id: str) -> int:
    try:
        job = service.status(settings=settings, job_id=job_id).to_json()
    except service.JobNotFound:  # deleted meanwhile; its link went with it
        return 0
    now = utcnow()
    with session_scope(settings) as session:
        claimed = session.execute(
            update(ApiJob)
            .where(ApiJob.job_id == job_id, ApiJob.notified_at.is_(None))
            .values(notified_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return 0
        link = session.get(ApiJob, job_id)
        assert link is not None
        url = link.webhook_url
        if url is None and link.batch_id is not None:
            url = session.scalar(select(Batch.webhook_url).where(Batch.id == link.batch_id))
        owner_id = session.scalar(select(Job.owner_id).where(Job.id == job_id))
        if not url or link.api_key_id is None or owner_id is None:
            return 0
        event = f"job.{job['state']}"
        session.add(
            WebhookDelivery(
                owner_id=owner_id,
                api_key_id=link.api_key_id,
                event=event,
                job_id=job_id,
                batch_id=link.batch_id,
                url=url,
                body=_body(event, job=job),
                created_at=now,
                next_attempt_at=now,
            )
        )
    with log_context(job_id=job_id):
        log.info("webhook %s for job %s queued for delivery", event, job_id)
    return 1


def _record_batch_event(settings: Settings, batch_id: str) -> int:
    view = batch_status(settings=settings, batch_id=batch_id, owner_id=None)
    if not view.finished:
        return 0
    jobs = []
    for job_id in view.job_ids:
        try:
            jobs.append(service.status(settings=settings, job_id=job_id).to_json())
        except service.JobNotFound:
            continue
    now = utcnow()
    with session_scope(settings) as session:
        claimed = session.execute(
            update(Batch)
            .where(Batch.id == batch_id, Batch.completed_at.is_(None))
            .values(completed_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return 0
        batch = session.get(Batch, batch_id)
        assert batch is not None
        if not batch.webhook_url or batch.api_key_id is None:
            return 0
        done = view.to_json() | {"completed_at": now.isoformat()}
        session.add(
            WebhookDelivery(
                owner_id=batch.owner_id,
                api_key_id=batch.api_key_id,
                event="batch.completed",
                batch_id=batch_id,
                url=batch.webhook_url,
                body=_body("batch.completed", batch=done, jobs=jobs),
                created_at=now,
                next_attempt_at=now,
            )
        )
    log.info("webhook batch.completed for batch %s queued for delivery", batch_id)
    return 1


# --- delivering --------------------------------------------------------------------------


def retry_delay_s(settings: Settings, attempts: int) -> float:
    """The wait after the `attempts`-th failed attempt: the base, doubling each time."""
    return float(min(settings.webhook_retry_base_s * 2 ** max(0, attempts - 1), MAX_DELAY_S))


@dataclass(frozen=True)
class _Due:
    id: str
    url: str
    body: str
    event: str
    job_id: str | None
    secret: str
    attempts: int
    created_at: datetime


def _claim_due(settings: Settings, limit: int) -> list[_Due]:
    now = utcnow()
    free = or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now)
    due = and_(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now, free)
    lease = now + timedelta(seconds=settings.webhook_timeout_s * 2 + 30)
    claimed: list[_Due] = []
    with session_scope(settings) as session:
        ids = list(
            session.scalars(
                select(WebhookDelivery.id)
                .where(due)
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(limit)
            )
        )
    for delivery_id in ids:
        with session_scope(settings) as session:
            taken = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, due)
                .values(leased_until=lease),
                execution_options={"synchronize_session": False},
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                continue
            row = session.execute(
                select(WebhookDelivery, ApiKey.webhook_secret)
                .join(ApiKey, ApiKey.id == WebhookDelivery.api_key_id)
                .where(WebhookDelivery.id == delivery_id)
            ).first()
            if row is None:
                continue
            delivery, secret = row
            claimed.append(
                _Due(
                    id=delivery.id,
                    url=delivery.url,
                    body=delivery.body,
                    event=delivery.event,
                    job_id=delivery.job_id,
                    secret=secret,
                    attempts=delivery.attempts,
                    created_at=delivery.created_at,
                )
            )
    return claimed


def _post(settings: Settings, client: httpx.Client, due: _Due) -> tuple[int | None, str | None]:
    """POST once: (status code, None) if the receiver answered, (None, reason) if not."""
    try:
        url = check_url(due.url, allow_private=settings.webhook_allow_private)
    except WebhookUrlRefused as exc:
        return None, exc.message
    body = due.body.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Chalk-Webhooks/1",
        "Chalk-Event": due.event,
        "Chalk-Delivery": due.id,
        SIGNATURE_HEADER: signature(due.secret, body, int(time.time())),
    }
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]
    return response.status_code, None


def deliver_due(settings: Settings, client: httpx.Client, *, limit: int = DELIVER_LIMIT) -> int:
    """POST the deliveries that are due; returns how many were delivered."""
    delivered = 0
    with forks.quiet():
        claimed = _claim_due(settings, limit)
    for due in claimed:
        with log_context(job_id=due.job_id, webhook_delivery=due.id), forks.quiet():
            started = time.monotonic()
            status, error = _post(settings, client, due)
            elapsed_ms = int((time.monotonic() - started) * 1000)
            ok = status is not None and 200 <= status < 300
            if not ok and error is None:
                error = f"the receiver answered HTTP {status}"
            attempts = due.attempts + 1
            now = utcnow()
            values: dict[str, Any] = {"attempts": attempts, "leased_until": None}
            if ok:
                values |= {"state": "delivered", "finished_at": now}
                log.info(
                    "webhook %s delivered to %s (HTTP %s, attempt %d, %d ms)",
                    due.event,
                    due.url,
                    status,
                    attempts,
                    elapsed_ms,
                )
                delivered += 1
            else:
                retry_at = now + timedelta(seconds=retry_delay_s(settings, attempts))
                give_up = retry_at > due.created_at + timedelta(hours=settings.webhook_retry_hours)
                if give_up:
                    values |= {"state": "failed", "finished_at": now}
                else:
                    values |= {"next_attempt_at": retry_at}
                log.warning(
                    "webhook %s to %s failed (attempt %d): %s; %s",
                    due.event,
                    due.url,
                    attempts,
                    error,
                    "giving up" if give_up else f"retrying at {retry_at:%H:%M:%S}",
                )
            with session_scope(settings) as session:
                session.add(
                    WebhookAttempt(
                        delivery_id=due.id,
                        at=now,
                        status_code=status,
                        error=None if ok else error,
                        duration_ms=elapsed_ms,
                    )
                )
                session.execute(
                    update(WebhookDelivery).where(WebhookDelivery.id == due.id).values(**values),
                    execution_options={"synchronize_session": False},
                )
    return delivered


def run_once(settings: Settings, client: httpx.Client) -> tuple[int, int]:
    """One pass: (deliveries recorded, deliveries delivered).

    `chalk worker` forks its workers while this runs in a thread: each step is a unit of work
    no fork may cut through (app.forks), and a fork waits for one delivery at most."""
    with forks.quiet():
        recorded = record_events(settings)
    return recorded, deliver_due(settings, client)


class WebhookDispatcher(threading.Thread):
    """Records and delivers webhooks every `webhook_poll_s` until stopped."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(name="chalk-webhooks", daemon=True)
        self.settings = settings
        self._stopped = threading.Event()

    def run(self) -> None:
        with httpx.Client(
            timeout=self.settings.webhook_timeout_s, follow_redirects=False
        ) as client:
            while not self._stopped.is_set():
                try:
                    run_once(self.settings, client)
                except Exception:
                    log.exception("a webhook pass failed; the next pass retries")
                self._stopped.wait(self.settings.webhook_poll_s)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=self.settings.webhook_timeout_s + 5)


# --- what the owner sees ------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptView:
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class DeliveryView:
    id: str
    event: str
    job_id: str | None
    batch_id: str | None
    url: str
    state: str
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: list[AttemptView]


def recent_deliveries(*, settings: Settings, user_id: int, limit: int = 20) -> list[DeliveryView]:
    """The user's latest webhook deliveries, newest first, with every attempt."""
    with session_scope(settings) as session:
        rows = session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.owner_id == user_id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
            .limit(limit)
        )
        return [
            DeliveryView(
                id=row.id,
                event=row.event,
                job_id=row.job_id,
                batch_id=row.batch_id,
                url=row.url,
                state=row.state,
                created_at=row.created_at,
                next_attempt_at=row.next_attempt_at if row.state == "pending" else None,
                attempts=[
                    AttemptView(a.at, a.status_code, a.error, a.duration_ms)
                    for a in row.attempt_log
                ],
            )
            for row in rows
        ]

"""Webhooks: signed so a receiver on loopback verifies them, retried after a receiver
failure with every attempt recorded, batch.completed once all jobs are final, and addresses
on private networks refused unless allowed."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import webhooks
from app.logs import JsonFormatter
from app.settings import Settings
from tests.api.conftest import Receiver, Teacher
from tests.api.test_jobs_api import CIRCLE
from tests.helpers import wait_for


def test_signature_round_trip_and_tampering():
    body = b'{"event": "job.succeeded"}'
    header = webhooks.signature("whsec_x", body, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert webhooks.verify_signature("whsec_x", header, body, now=1_700_000_010)
    assert not webhooks.verify_signature("whsec_x", header, body + b" ", now=1_700_000_010)
    assert not webhooks.verify_signature("whsec_y", header, body, now=1_700_000_010)
    assert not webhooks.verify_signature("whsec_x", header, body, now=1_700_001_000)  # replay
    assert not webhooks.verify_signature("whsec_x", "v1=abc", body)


class JsonLines(logging.Handler):
    """Formats each record as Chalk's JSON log line when it is written (in the thread, and so
    the log context, that wrote it)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.formatter_ = JsonFormatter()
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.formatter_.format(record)))


@pytest.fixture
def webhook_log() -> Iterator[JsonLines]:
    handler = JsonLines()
    logger = logging.getLogger("app.webhooks")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_job_webhook_is_signed_with_the_keys_secret(
    client: TestClient, ada: Teacher, receiver: Receiver, webhook_log: JsonLines
):
    job = client.post(
        "/v1/jobs",
        json={"prompt": CIRCLE, "generator": "offline", "webhook_url": receiver.url},
        headers=ada.auth,
    ).json()
    assert wait_for(lambda: receiver.requests, 30, every=0.05)
    request = receiver.requests[0]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert webhooks.verify_signature(
        ada.webhook_secret, headers["chalk-signature"], request["body"]
    )
    assert headers["chalk-event"] == "job.succeeded"
    body = json.loads(request["body"])
    assert body["event"] == "job.succeeded" and body["job"]["job_id"] == job["job_id"]
    assert body["job"]["state"] == "succeeded" and body["job"]["video_id"]

    def delivered() -> list[dict]:
        return [line for line in webhook_log.lines if " delivered to " in line["message"]]

    assert wait_for(delivered, 10, every=0.05)
    line = delivered()[0]
    assert line["message"].startswith("webhook job.succeeded delivered to http://127.0.0.1:")
    assert line["job_id"] == job["job_id"]  # the JSON log line carries the job id
    time.sleep(0.3)
    assert len(receiver.requests) == 1  # once, not at every pass


def test_a_failed_delivery_is_retried_and_every_attempt_recorded(
    client: TestClient, ada: Teacher, receiver: Receiver, api_settings: Settings
):
    receiver.statuses = [500, 503]
    client.post(
        "/v1/jobs",
        json={"prompt": "zzz qqq", "generator": "offline", "webhook_url": receiver.url},
        headers=ada.auth,
    )

    def delivered() -> list:
        found = webhooks.recent_deliveries(settings=api_settings, user_id=ada.user_id)
        return [d for d in found if d.state == "delivered"]

    done = wait_for(delivered, 30, every=0.05)
    assert done, webhooks.recent_deliveries(settings=api_settings, user_id=ada.user_id)
    delivery = done[0]
    assert delivery.event == "job.failed"
    assert [a.status_code for a in delivery.attempts] == [500, 503, 200]
    assert delivery.attempts[0].error == "the receiver answered HTTP 500"
    # Backoff: 0.2 s then 0.4 s between attempts.
    gaps = [
        (b.at - a.at).total_seconds()
        for a, b in zip(delivery.attempts, delivery.attempts[1:], strict=False)
    ]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4
    bodies = receiver.bodies()
    assert len(bodies) == 3 and all(b == bodies[0] for b in bodies)  # the same event each time


def test_a_batch_sends_each_job_then_batch_completed(
    client: TestClient, ada: Teacher, receiver: Receiver
):
    made = client.post(
        "/v1/batches",
        json={
            "jobs": [
                {"prompt": CIRCLE, "generator": "offline"},
                {"prompt": "zzz", "generator": "offline"},
            ],
            "webhook_url": receiver.url,
        },
        headers=ada.auth,
    ).json()
    assert wait_for(lambda: len(receiver.requests) >= 3, 30, every=0.05)
    time.sleep(0.2)
    events = sorted(body["event"] for body in receiver.bodies())
    assert events == ["batch.completed", "job.failed", "job.succeeded"]
    completed = next(b for b in receiver.bodies() if b["event"] == "batch.completed")
    assert completed["batch"]["batch_id"] == made["batch_id"]
    assert completed["batch"]["counts"]["succeeded"] == 1 and completed["batch"]["finished"]
    assert sorted(job["job_id"] for job in completed["jobs"]) == sorted(made["job_ids"])


def test_a_cancelled_job_sends_job_cancelled(
    client: TestClient, ada: Teacher, receiver: Receiver, monkeypatch
):
    monkeypatch.setattr("app.jobs.backends.InlineBackend.enqueue", lambda *args: None)
    job = client.post(
        "/v1/jobs", json={"prompt": CIRCLE, "webhook_url": receiver.url}, headers=ada.auth
    ).json()
    client.post(f"/v1/jobs/{job['job_id']}/cancel", headers=ada.auth)
    assert wait_for(lambda: receiver.requests, 30, every=0.05)
    assert receiver.bodies()[0]["event"] == "job.cancelled"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_addresses_are_refused_unless_allowed(url: str):
    with pytest.raises(webhooks.WebhookUrlRefused, match="loopback, private or link-local"):
        webhooks.check_url(url, allow_private=False)
    assert webhooks.check_url(url, allow_private=True) == url


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "example.org/x", ""])
def test_only_http_and_https_addresses(url: str):
    with pytest.raises(webhooks.WebhookUrlRefused, match="http:// or https://"):
        webhooks.check_url(url, allow_private=True)


def test_the_api_refuses_a_private_webhook_address(client: TestClient, ada: Teacher, api_settings):
    from app.api.main import create_app

    strict = api_settings.model_copy(update={"webhook_allow_private": False})
    with TestClient(create_app(strict)) as strict_client:
        refused = strict_client.post(
            "/v1/jobs",
            json={"prompt": CIRCLE, "webhook_url": "http://127.0.0.1:8080/x"},
            headers=ada.auth,
        )
    assert refused.status_code == 422 and refused.json()["field"] == "webhook_url"


def test_retry_delays_double_and_stop_after_the_window(api_settings: Settings):
    base = api_settings.model_copy(update={"webhook_retry_base_s": 30})
    assert [webhooks.retry_delay_s(base, n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert webhooks.retry_delay_s(base, 30) == webhooks.MAX_DELAY_S


def test_chalk_worker_runs_the_webhook_dispatcher_while_it_works(
    api_settings: Settings, monkeypatch, redis_url: str
):
    import threading

    from jobs import worker

    seen: list[bool] = []

    def work(*_args, **_kwargs) -> int:
        seen.append(any(t.name == "chalk-webhooks" and t.is_alive() for t in threading.enumerate()))
        return 0

    monkeypatch.setattr(worker, "_work", work)
    rq_settings = api_settings.model_copy(update={"redis_url": redis_url, "worker_selftest": False})
    assert worker.run(rq_settings, processes=1, burst=True) == 0
    assert seen == [True]
    assert not any(t.name == "chalk-webhooks" for t in threading.enumerate())

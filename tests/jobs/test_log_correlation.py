"""One id end to end in the JSON logs: the request that submitted a job and the job's id are on
every line of that job, from the submit in the app through the queue to the worker (RQ, and
the inline pool's threads)."""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from app.jobs import service
from app.jobs.backends import InlineBackend, RQBackend
from app.logs import JsonFormatter, current_log_context, log_context, start_request
from jobs import tasks
from tests.helpers import make_user, wait_for

REQUEST = "req-0123456789ab"


class JsonLines(logging.Handler):
    """Every record as the JSON line production writes, with the thread it came from."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append({**json.loads(self.format(record)), "thread": record.threadName})


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    handler = JsonLines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def submit_in_a_request(settings, backend) -> str:
    """Submit as a page would, in a script run of its own (a context of its own), so the
    test's thread (which then plays the worker) keeps no request id."""

    def page_run() -> str:
        start_request(REQUEST)
        owner = make_user(settings)
        return service.submit(
            settings=settings, owner_id=owner, code="import os\n", backend=backend
        ).job_id

    return contextvars.copy_context().run(page_run)


def test_a_script_run_starts_a_fresh_request():
    def run() -> None:
        with log_context(job_id="j1"):
            first = start_request()
            assert current_log_context() == {"request_id": first}
        second = start_request()
        assert second != first and len(second) == 16
        assert start_request("given") == "given"

    contextvars.copy_context().run(run)
    assert "request_id" not in current_log_context()


@pytest.mark.xdist_group("redis")
def test_one_jobs_lines_share_its_ids_from_submit_through_rq_to_the_worker(
    sqlite_job_settings, redis_url, json_lines
):
    settings = sqlite_job_settings.model_copy(update={"redis_url": redis_url})
    job_id = submit_in_a_request(settings, RQBackend(settings))
    assert "request_id" not in current_log_context()
    tasks.configure(settings, "rq:test-worker")
    redis = Redis.from_url(redis_url)
    SimpleWorker([Queue(settings.queue_name, connection=redis)], connection=redis).work(burst=True)
    assert service.status(settings=settings, job_id=job_id).state == "failed"  # import os
    mine = [line for line in json_lines.lines if line.get("job_id") == job_id]
    messages = [line["message"] for line in mine]
    assert messages[0].startswith(f"job {job_id} queued")
    # The worker's own lines (the runner's verdict) came after the queue, in the worker.
    assert f"job {job_id} failed" in messages
    assert {line["request_id"] for line in mine} == {REQUEST}
    assert {line["logger"] for line in mine} >= {"app.jobs.service", "app.jobs.runner"}


def test_the_inline_pool_runs_a_job_under_the_request_that_queued_it(
    sqlite_job_settings, json_lines
):
    # The policy refuses `import os` before any render: no warm pool to start.
    settings = sqlite_job_settings.model_copy(update={"warm_pool": False})
    backend = InlineBackend(settings, reconcile=False)
    job_id = submit_in_a_request(settings, backend)
    assert wait_for(
        lambda: service.status(settings=settings, job_id=job_id).state == "failed", timeout=60
    )
    mine = [line for line in json_lines.lines if line.get("job_id") == job_id]
    worker_lines = [line for line in mine if line["thread"].startswith("chalk-job")]
    assert worker_lines and f"job {job_id} failed" in [line["message"] for line in worker_lines]
    assert {line["request_id"] for line in mine} == {REQUEST}

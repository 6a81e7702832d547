"""A fork waits until no background thread is inside a unit of work (app.forks).

Without that, a child forked while another thread was inside SQLite hangs at its first query:
that is how `chalk worker -n 2`'s workers, forked while its metrics thread answered a scrape,
never registered (tests/ops/test_metrics.py, flaky before this).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import select

from app import forks, webhooks
from app.accounts.api_keys import create_key
from app.db import engine
from app.db.engine import session_scope
from app.db.models import Job, WebhookDelivery
from app.ops import metrics
from app.ops.metrics import StateCollector
from app.webhooks import run_once
from tests.helpers import free_port, make_user

CHILD_LIMIT_S = 10


def exit_code(pid: int, limit_s: float) -> int | None:
    """The child's exit code, or None (and it is killed) if it has not ended in `limit_s`."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def test_a_fork_waits_for_a_thread_inside_quiet():
    inside, released = threading.Event(), []

    def work() -> None:
        with forks.quiet():
            inside.set()
            time.sleep(0.3)
            released.append(time.time())

    thread = threading.Thread(target=work)
    thread.start()
    assert inside.wait(5)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: when did it start?
        os.write(write_end, repr(time.time()).encode())
        os._exit(0)
    os.close(write_end)
    started = float(os.read(read_end, 64))
    os.close(read_end)
    thread.join()
    assert exit_code(pid, CHILD_LIMIT_S) == 0
    assert started >= released[0]
    # The child's guard is free: it may enter quiet() (and fork) in turn.
    assert forks._guard.acquire(timeout=1)
    forks._guard.release()


def test_the_scrape_and_the_webhook_pass_use_the_database_only_inside_quiet(
    sqlite_settings, monkeypatch
):
    settings = sqlite_settings.model_copy(update={"webhook_allow_private": True})
    owner = make_user(settings)
    key = create_key(settings=settings, user_id=owner)
    with session_scope(settings) as session:  # due now, to a port nothing listens on
        session.add(
            WebhookDelivery(
                owner_id=owner,
                api_key_id=key.view.id,
                event="job.failed",
                url=f"http://127.0.0.1:{free_port()}/hook",
                body="{}",
            )
        )
    outside, inside, posts = [], [], []

    @contextmanager
    def watched(settings=None) -> Iterator:
        (inside if forks._guard._is_owned() else outside).append(1)
        with engine.session_scope(settings) as session:
            yield session

    real_post = webhooks._post

    def watched_post(*args, **kwargs):
        posts.append(forks._guard._is_owned())
        return real_post(*args, **kwargs)

    monkeypatch.setattr(metrics, "session_scope", watched)
    monkeypatch.setattr(webhooks, "session_scope", watched)
    monkeypatch.setattr(webhooks, "_post", watched_post)
    list(StateCollector(settings).collect())
    with httpx.Client(timeout=2) as client:
        assert run_once(settings, client) == (0, 0)
    assert posts == [True]  # the delivery was attempted, inside quiet()
    assert len(inside) >= 4 and outside == []


def test_children_forked_while_a_thread_scrapes_sqlite_do_not_hang(sqlite_settings):
    settings = sqlite_settings
    owner = make_user(settings)
    with session_scope(settings) as session:  # enough rows that each query takes a while
        session.add_all(
            Job(id=f"job-{n}", owner_id=owner, state="queued", code="x = 1\n") for n in range(2000)
        )
    collector = StateCollector(settings)
    stop = threading.Event()

    def keep_working() -> None:
        while not stop.is_set():
            list(collector.collect())
            time.sleep(0.002)  # the real threads pause between units (and a fork gets its turn)

    thread = threading.Thread(target=keep_working, daemon=True)
    thread.start()
    try:
        codes = []
        for _ in range(30):
            pid = os.fork()
            if pid == 0:  # a forked worker's first query
                try:
                    with session_scope(settings) as session:
                        session.execute(select(Job.id).limit(5)).all()
                finally:
                    os._exit(0)
            codes.append(exit_code(pid, CHILD_LIMIT_S))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert codes == [0] * len(codes), f"{codes.count(None)} of {len(codes)} children hung"

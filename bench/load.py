"""Load test of the HTTP API (issue 19's launch criterion): Locust, headless, in this process.

`chalk api` (uvicorn) and `chalk worker -n WORKERS` run against Redis and a fresh PostgreSQL
database (SQLite with `--sqlite`). USERS simulated teachers, each with their own API key,
submit preview jobs from the offline templates' example prompts (a share of them, REPEAT_SHARE,
repeats a prompt some teacher already sent, which the render cache serves once it is made),
follow each job until it ends, list their videos and jobs; BATCH_USERS of them first send a
batch of BATCH_SIZE jobs. Meanwhile BROWSERS real browser sessions (Playwright, Debian's
chromium, in a child process) sign in to the Streamlit app and make a video each. RQ's worker
registry is sampled twice a second, so the status and list calls' p95 is also measured over
the moments when every worker was running a job.

After the load stops, every accepted job is followed until it ends (up to `--drain-s`); a job
that was accepted and never ends, or is not in the database, is lost. Prints one JSON object:
requests and p50/p95/p99 per endpoint, the 5xx error rate, jobs submitted / succeeded /
refused (with the reason) / failed / lost / served by the cache, every job the database holds
(the browsers' too) by state, fairness (each user's first video, seconds from their first
submit), the browsers' time to show a finished video, and the goals: no lost job, no 5xx,
p95 of the status and list calls under 250 ms while the workers are busy.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import free_port  # noqa: E402 - after the path, as the other benches do

PASSWORD = "load-test-password-1"
FINAL = {"succeeded", "failed", "cancelled"}
STATUS_AND_LIST = ("GET /v1/jobs/{id}", "GET /v1/jobs", "GET /v1/videos", "GET /v1/batches/{id}")
P95_GOAL_MS = 250


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


# --- the system under load ---------------------------------------------------------------------


def fresh_postgres_url() -> tuple[str, Any]:
    """A new database on the local PostgreSQL, and a function that drops it."""
    from sqlalchemy import create_engine, text

    name = f"chalk_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql://127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        from app.db.engine import dispose_engines

        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"postgresql://127.0.0.1:5432/{name}", drop


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


class System:
    """The API, the workers and (for browsers) the Streamlit app, on one settings."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        from app.db.migrate import ensure_schema
        from app.settings import Settings

        self.drop_database = None
        if args.sqlite:
            database_url = f"sqlite:///{work / 'chalk.db'}"
        else:
            database_url, self.drop_database = fresh_postgres_url()
        self.env = {
            **os.environ,
            "CHALK_DATA_DIR": str(work / "data"),
            "CHALK_DATABASE_URL": database_url,
            "CHALK_REDIS_URL": args.redis_url,
            "CHALK_QUEUE_NAME": f"load-{uuid.uuid4().hex[:8]}",
            "CHALK_WORKER_SELFTEST": "false",
            "CHALK_LOG_LEVEL": "WARNING",
        }
        self.settings = Settings(
            data_dir=work / "data",
            database_url=database_url,
            redis_url=args.redis_url,
            queue_name=self.env["CHALK_QUEUE_NAME"],
        )
        ensure_schema(self.settings)
        self.work = work
        self.processes: list[subprocess.Popen[bytes]] = []
        self.api_url = f"http://127.0.0.1:{free_port()}"
        self.app_url = f"http://127.0.0.1:{free_port()}"

    def spawn(self, name: str, argv: list[str]) -> None:
        # Each server is a session of its own, as under systemd or in a container of its own:
        # where the kernel schedules sessions as groups (autogroups), sharing this process's
        # session would give the servers and Locust one share of the CPU between them.
        with open(self.work / f"{name}.log", "ab") as log:
            self.processes.append(
                subprocess.Popen(
                    argv,
                    env=self.env,
                    cwd=self.work,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def start(self, args: argparse.Namespace) -> None:
        bin_dir = Path(sys.executable).parent
        port = self.api_url.rsplit(":", 1)[1]
        self.spawn(
            "api",
            [str(bin_dir / "chalk"), "api", "--port", port, "--workers", str(args.api_workers)],
        )
        self.spawn("worker", [str(bin_dir / "chalk"), "worker", "-n", str(args.workers)])
        if args.browsers:
            app_port = self.app_url.rsplit(":", 1)[1]
            self.spawn(
                "app",
                [
                    str(bin_dir / "streamlit"), "run", str(ROOT / "streamlit_app.py"),
                    "--server.address", "127.0.0.1", "--server.port", app_port,
                    "--server.headless", "true",
                ],
            )  # fmt: skip
            wait_http(f"{self.app_url}/_stcore/health", 300)
        wait_http(f"{self.api_url}/v1/health", 300)
        self.wait_for_workers(args.workers, 300)

    def wait_for_workers(self, count: int, timeout: float) -> None:
        from rq import Worker

        from app.jobs.backends import RQBackend

        backend = RQBackend(self.settings)
        deadline = time.monotonic() + timeout
        while len(Worker.all(connection=backend.redis, queue=backend.queue)) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{count} workers did not start; see {self.work}/worker.log")
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.drop_database is not None:
            self.drop_database()


def make_teachers(settings: Any, api_users: int, browser_users: int) -> list[tuple[str, str]]:
    """Teacher accounts, each with an API key: (username, key). Only the browser users get a
    password (bcrypt is slow on purpose; the API users never sign in to the app)."""
    from app.accounts.api_keys import create_key
    from app.accounts.users import create_account
    from app.db.engine import session_scope
    from app.db.models import User

    create_account(settings=settings, username="principal", password=PASSWORD, role="admin")
    with session_scope(settings) as session:
        rows = [User(username=f"teacher{n:03d}", role="teacher") for n in range(api_users)]
        session.add_all(rows)
        session.flush()
        accounts = [(row.username, row.id) for row in rows]
    for n in range(browser_users):
        account = create_account(
            settings=settings, username=f"browser{n:02d}", password=PASSWORD, role="teacher"
        )
        accounts.append((account.username, account.id))
    return [
        (name, create_key(settings=settings, user_id=user_id, label="load test").key)
        for name, user_id in accounts
    ]


# --- the simulated teachers (Locust) -----------------------------------------------------------


class Record:
    """What the simulated teachers saw, shared by all of them (one gevent thread at a time)."""

    def __init__(self) -> None:
        self.accepted: dict[str, str] = {}  # job id -> username
        self.refused: Counter[str] = Counter()
        self.refusal_sentences: dict[str, str] = {}  # "429 quota" -> one detail it gave
        self.first_submit: dict[str, float] = {}  # username -> Unix time of their first submit
        self.batch_users: set[str] = set()
        # Every request as it ended: (Unix time, endpoint name, milliseconds, HTTP status).
        self.requests: list[tuple[float, str, float, int]] = []


class Prompts:
    """What the teachers ask for: a new prompt from the pool, or (REPEAT_SHARE of the time,
    and always once the pool is used up) one that somebody already sent, as colleagues do."""

    def __init__(self, pool: list[str], repeat_share: float, seed: int = 19) -> None:
        self.random = random.Random(seed)
        self.fresh = list(pool)
        self.random.shuffle(self.fresh)
        self.sent: list[str] = []
        self.repeat_share = repeat_share

    def next(self) -> str:
        if self.fresh and (not self.sent or self.random.random() >= self.repeat_share):
            prompt = self.fresh.pop()
            self.sent.append(prompt)
            return prompt
        return self.random.choice(self.sent)


class BusyWorkers:
    """When every worker was running a job: RQ's registry, sampled while the load runs."""

    def __init__(self, settings: Any, workers: int) -> None:
        self.settings = settings
        self.workers = workers
        self.times: list[float] = []
        self.all_busy: list[bool] = []
        self.running = True

    def sample_forever(self, every_s: float = 0.5) -> None:
        from rq import Worker

        from app.jobs.backends import RQBackend

        backend = RQBackend(self.settings)  # redis-py's sockets are gevent's: this yields
        while self.running:
            try:
                states = [
                    worker.get_state()
                    for worker in Worker.all(connection=backend.redis, queue=backend.queue)
                ]
                busy = sum(1 for state in states if getattr(state, "value", state) == "busy")
            except Exception:  # a missed sample is no sample
                busy = -1
            if busy >= 0:
                self.times.append(time.time())
                self.all_busy.append(busy >= self.workers)
            time.sleep(every_s)

    def busy_at(self, moment: float) -> bool:
        """Whether the latest sample before `moment` (at most 1 s before) saw all busy."""
        index = bisect.bisect_right(self.times, moment) - 1
        return index >= 0 and moment - self.times[index] <= 1.0 and self.all_busy[index]

    def share(self) -> float | None:
        return round(sum(self.all_busy) / len(self.all_busy), 3) if self.all_busy else None


def locust_users(
    record: Record, keys: Iterator[tuple[str, str]], prompts: Prompts, args: argparse.Namespace
) -> list[type]:
    # FastHttpUser (geventhttpclient): Locust shares the two cores with what it measures, and
    # python-requests' client costs several times the CPU per request.
    from locust import FastHttpUser, between, task

    def refused(response: Any) -> None:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        reason = f"{response.status_code} {problem.get('kind', 'unknown')}"
        record.refused[reason] += 1
        record.refusal_sentences.setdefault(reason, str(problem.get("detail", "")))

    class Teacher(FastHttpUser):
        wait_time = between(1, 3)
        weight = max(args.users - args.batch_users, 0)

        def on_start(self) -> None:
            self.username, key = next(keys)
            self.client.auth_header = f"Bearer {key}"

        def follow(self, job_id: str, limit_s: float = 120) -> str | None:
            deadline = time.monotonic() + limit_s
            while time.monotonic() < deadline:
                with self.client.get(
                    f"/v1/jobs/{job_id}", name="GET /v1/jobs/{id}", catch_response=True
                ) as response:
                    if response.status_code != 200:
                        response.failure(f"status {response.status_code}")
                        return None
                    state = response.json()["state"]
                if state in FINAL:
                    return str(state)
                time.sleep(1.0)
            return None

        @task(3)
        def make_a_video(self) -> None:
            body = {"prompt": prompts.next(), "quality": "preview"}
            with self.client.post(
                "/v1/jobs", json=body, name="POST /v1/jobs", catch_response=True
            ) as response:
                if response.status_code == 202:
                    job_id = response.json()["job_id"]
                    record.accepted[job_id] = self.username
                    record.first_submit.setdefault(self.username, time.time())
                elif response.status_code in (413, 422, 429):
                    refused(response)
                    response.success()  # an honest refusal is an answer, not an error
                    return
                else:
                    return  # counted by Locust as a failure
            self.follow(job_id)

        @task(2)
        def list_videos(self) -> None:
            self.client.get("/v1/videos", name="GET /v1/videos")

        @task(1)
        def list_jobs(self) -> None:
            self.client.get("/v1/jobs?state=running", name="GET /v1/jobs")

    class BatchTeacher(Teacher):
        weight = 0
        fixed_count = args.batch_users

        def on_start(self) -> None:
            super().on_start()
            record.batch_users.add(self.username)
            jobs = [
                {"prompt": prompts.next(), "quality": "preview"} for _ in range(args.batch_size)
            ]
            with self.client.post(
                "/v1/batches", json={"jobs": jobs}, name="POST /v1/batches", catch_response=True
            ) as response:
                if response.status_code in (200, 201, 202):
                    batch = response.json()
                    record.first_submit.setdefault(self.username, time.time())
                    for job_id in batch["job_ids"]:
                        record.accepted[job_id] = self.username
                    self.batch_id = batch["batch_id"]
                else:
                    refused(response)
                    response.success()
                    self.batch_id = None

        @task(2)
        def follow_batch(self) -> None:
            if self.batch_id is not None:
                response = self.client.get(
                    f"/v1/batches/{self.batch_id}", name="GET /v1/batches/{id}"
                )
                if response.status_code == 200 and response.json().get("finished"):
                    self.batch_id = None

    return [Teacher, BatchTeacher]


def run_locust(
    system: System, args: argparse.Namespace, teachers: list[tuple[str, str]], pool: list[str]
) -> tuple[Any, Record, BusyWorkers]:
    import gevent
    from locust.env import Environment

    record = Record()
    keys = iter(teachers)
    environment = Environment(
        user_classes=locust_users(record, keys, Prompts(pool, args.repeat_share), args),
        host=system.api_url,
    )

    def on_request(name: str, response_time: float, response: Any, **_: Any) -> None:
        status = int(getattr(response, "status_code", 0) or 0)  # 0: no answer at all
        record.requests.append((time.time(), name, float(response_time), status))

    environment.events.request.add_listener(on_request)
    busy = BusyWorkers(system.settings, args.workers)
    sampler = gevent.spawn(busy.sample_forever)
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    time.sleep(args.duration)
    runner.quit()
    busy.running = False
    sampler.join(timeout=5)
    return environment, record, busy


def template_prompts(count: int) -> list[str]:
    """The first `count` offline templates' own example prompts (each draws something else)."""
    from app.generators.offline.catalogue import registry

    return [template.example_prompt for template in list(registry().values())[:count]]


PR_CAPBSET_DROP, CAP_SYS_NICE = 24, 23  # <linux/prctl.h>, <linux/capability.h>


# The browsers stand for teachers' own computers: here they share the server's cores, so they
# take only what the servers and the renders leave. The lowest priority there is: at the
# renders' own (10), ten chromiums held the two renders to a third of a core, and a full
# run's jobs were not all made within its drain.
BROWSER_NICE = 19


def background_priority() -> None:
    """Run this process, and the chromiums it starts, at BROWSER_NICE; the servers the
    browsers talk to (Streamlit, the API, PostgreSQL, Redis) keep theirs. As root,
    chromium raises its own processes' priority (nice -8 was seen) unless the programs this
    process starts lose the right to: drop CAP_SYS_NICE from their capability bounding set."""
    os.nice(BROWSER_NICE - os.nice(0))
    set_session_nice(os.getpid(), BROWSER_NICE)  # a session of its own (start_browsers)
    if os.geteuid() == 0:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_CAPBSET_DROP, CAP_SYS_NICE, 0, 0, 0) != 0:  # no CAP_SETPCAP here
            error = os.strerror(ctypes.get_errno())
            print(f"browsers may raise their own priority: {error}", file=sys.stderr)


def set_session_nice(leader: int, nice: int) -> None:
    """Where the kernel schedules sessions as groups (sched_autogroup_enabled), a process's
    nice ranks it only inside its session's group: give the group of the session `leader`
    leads that nice too. Nothing to do on a kernel without autogroups."""
    try:
        Path(f"/proc/{leader}/autogroup").write_text(str(nice))
    except FileNotFoundError:
        pass
    except OSError as exc:
        print(f"browsers may keep their CPU priority: {exc}", file=sys.stderr)


def lower_sessions_below(root: int, nice: int) -> None:
    """Playwright starts each chromium as a session of its own: give each session led by a
    descendant of `root` the browsers' niceness (their renderers, forked later, join it)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # state ppid pgrp session …
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(stat.parent.name), int(fields[3])))
    below = [root]
    while below:
        for pid, session in children.get(below.pop(), []):
            below.append(pid)
            if pid == session:
                set_session_nice(pid, nice)


# --- real browsers (a child process: Playwright's own event loop, apart from gevent) -----------


def browser_sessions(
    app_url: str, usernames: list[str], prompts: list[str], video_timeout_s: float
) -> list[tuple[float | None, str | None]]:
    """One real browser per teacher, side by side (a thread each, with its own Playwright):
    sign in through the form, type the prompt, Ctrl+Enter, and time until the video shows.
    Each session gives (seconds to the video, None) or (None, why it failed)."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, sign_in

    def one(number: int, username: str, prompt: str) -> tuple[float | None, str | None]:
        # Teachers do not all open the app in the same second; ten chromiums starting at once
        # on two busy cores missed the page's 30 s load event in the first full run.
        time.sleep(number * 3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            lower_sessions_below(os.getpid(), BROWSER_NICE)
            try:
                for attempt in range(3):  # a busy server may miss a sign-in: try again
                    context = browser.new_context(viewport={"width": 1400, "height": 1400})
                    context.set_default_navigation_timeout(180_000)
                    context.set_default_timeout(120_000)
                    try:
                        page = sign_in(context, app_url, username, PASSWORD)
                        break
                    except Exception:
                        context.close()
                        if attempt == 2:
                            raise
                box = page.get_by_label("Prompt")
                box.fill(prompt)
                began = time.monotonic()
                box.press("Control+Enter")
                page.locator("video").first.wait_for(timeout=video_timeout_s * 1000)
                return round(time.monotonic() - began, 2), None
            except Exception as exc:  # a session that fails is counted, not fatal
                print(f"browser session {username}: {exc}", file=sys.stderr)
                return None, str(exc).splitlines()[0][:200]
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        chosen = [prompts[n % len(prompts)] for n in range(len(usernames))]
        return list(pool.map(one, range(len(usernames)), usernames, chosen))


def start_browsers(
    system: System, usernames: list[str], prompts: list[str], video_timeout_s: float
) -> subprocess.Popen[str]:
    spec = json.dumps(
        {
            "app_url": system.app_url,
            "usernames": usernames,
            "prompts": prompts,
            "video_timeout_s": video_timeout_s,
        }
    )
    return subprocess.Popen(
        [sys.executable, __file__, "--browser-child", spec],
        stdout=subprocess.PIPE,
        text=True,
        env=system.env,
        start_new_session=True,  # a scheduling group of its own, at background priority
    )


# --- after the load ----------------------------------------------------------------------------


def settle(system: System, record: Record, drain_s: float) -> dict[str, Any]:
    """Follow every accepted job to its end; what never ends (or vanished) is lost."""
    from app.jobs import service

    deadline = time.monotonic() + drain_s
    states: dict[str, str | None] = {}
    first_video: dict[str, float] = {}  # username -> Unix time their first video was ready
    kinds: Counter[str] = Counter()
    cache_hits = 0
    pending = set(record.accepted)
    while pending and time.monotonic() < deadline:
        for job_id in list(pending):
            try:
                view = service.status(settings=system.settings, job_id=job_id)
            except Exception:  # a job the database does not know is lost
                states[job_id] = None
                pending.discard(job_id)
                continue
            if view.state in FINAL:
                states[job_id] = view.state
                if view.state == "succeeded" and view.finished_at is not None:
                    who, ready = record.accepted[job_id], view.finished_at.timestamp()
                    first_video[who] = min(first_video.get(who, ready), ready)
                    cache_hits += view.cache_hit
                if view.state == "failed" and view.error is not None:
                    kinds[str(view.error["kind"])] += 1
                pending.discard(job_id)
        if pending:
            time.sleep(1.0)
    # Lost: accepted, and then not in the database. Unended: still waiting or running when
    # the drain time ran out (not lost, but not served either: both fail the goal).
    lost = sum(1 for state in states.values() if state is None)
    counted = Counter(state for state in states.values() if state)
    return {
        "submitted": len(record.accepted),
        "succeeded": counted["succeeded"],
        "served_by_cache": cache_hits,
        "failed": dict(kinds),
        "cancelled": counted["cancelled"],
        "refused": dict(record.refused),
        "refusal_sentences": record.refusal_sentences,
        "lost": lost,
        "unended_after_drain": len(pending),
        # Fairness: each user's wait from their first submit to their first video.
        "first_video_s": {
            who: round(ready - record.first_submit[who], 2)
            for who, ready in sorted(first_video.items())
        },
    }


def jobs_in_database(settings: Any) -> dict[str, int]:
    """Every job the database holds (the browsers' too), by state: none may be left unended."""
    from sqlalchemy import func, select

    from app.db.engine import session_scope
    from app.db.models import Job

    with session_scope(settings) as session:
        rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    return {str(state): int(count) for state, count in rows}


def spread(values: list[float]) -> dict[str, float | None]:
    return {
        "count": len(values),
        "min": percentile(values, 0),
        "median": round(statistics.median(values), 2) if values else None,
        "p95": percentile(values, 0.95),
        "max": percentile(values, 1),
    }


def endpoint_stats(
    environment: Any, record: Record, busy: BusyWorkers
) -> tuple[dict[str, Any], int, int, int]:
    """Per endpoint: requests, Locust's failures (an answer no teacher expects: a 5xx, a 404
    for their own job...), 5xx, p50/p95/p99, and the p95 while every worker was busy. Also
    the 5xx count and the count of requests that got no answer at all."""
    failures: Counter[str] = Counter()
    for (name, _method), entry in environment.stats.entries.items():
        failures[name] += entry.num_failures
    by_name: dict[str, list[tuple[float, float, int]]] = {}
    for ended, name, ms, status in record.requests:
        by_name.setdefault(name, []).append((ended, ms, status))
    endpoints: dict[str, Any] = {}
    for name, rows in sorted(by_name.items()):
        times = [ms for _, ms, _ in rows]
        while_busy = [ms for ended, ms, _ in rows if busy.busy_at(ended - ms / 1000)]
        endpoints[name] = {
            "requests": len(rows),
            "failures": failures[name],
            "server_errors": sum(1 for _, _, status in rows if status >= 500),
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
            "requests_while_workers_busy": len(while_busy),
            "p95_ms_while_workers_busy": percentile(while_busy, 0.95),
        }
    server_errors = sum(1 for *_, status in record.requests if status >= 500)
    unanswered = sum(1 for *_, status in record.requests if status == 0)
    return endpoints, len(record.requests), server_errors, unanswered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--batch-users", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--spawn-rate", type=float, default=25)
    parser.add_argument("--duration", type=float, default=180, help="seconds of load")
    parser.add_argument("--drain-s", type=float, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument(
        "--prompts", type=int, default=42, help="distinct prompts: the first N templates' examples"
    )
    parser.add_argument(
        "--repeat-share",
        type=float,
        default=0.5,
        help="share of submits that repeat a prompt already sent (the cache serves them)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--browser-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.browser_child:
        background_priority()
        spec = json.loads(args.browser_child)
        times = browser_sessions(
            spec["app_url"], spec["usernames"], spec["prompts"], spec["video_timeout_s"]
        )
        print(json.dumps(times))
        return

    import locust  # noqa: F401 - it patches the standard library for gevent: import it first

    pool = template_prompts(args.prompts)
    with tempfile.TemporaryDirectory(prefix="chalk-load-") as tmp:
        system = System(args, Path(tmp))
        try:
            teachers = make_teachers(system.settings, args.users, args.browsers)
            system.start(args)
            browser_names = [name for name, _ in teachers[args.users :]]
            browsers = (
                # Each browser asks for one of the pool's prompts: some of them the cache has.
                start_browsers(system, browser_names, pool, args.duration + args.drain_s)
                if args.browsers
                else None
            )
            began = time.monotonic()
            environment, record, busy = run_locust(system, args, teachers[: args.users], pool)
            load_s = time.monotonic() - began
            jobs = settle(system, record, args.drain_s)
            sessions: list[tuple[float | None, str | None]] = []
            if browsers is not None:
                try:
                    out, _ = browsers.communicate(timeout=args.drain_s + 300)
                except subprocess.TimeoutExpired:  # sessions still waiting count as failed
                    browsers.kill()
                    out, _ = browsers.communicate()
                sessions = json.loads(out.strip().splitlines()[-1]) if out.strip() else []
            in_database = jobs_in_database(system.settings)
        finally:
            system.stop()

    endpoints, requests, server_errors, unanswered = endpoint_stats(environment, record, busy)
    first = jobs.pop("first_video_s")
    unended = sum(count for state, count in in_database.items() if state not in FINAL)
    shown = [t for t, _ in sessions if t is not None]
    slowest = {
        when: max(
            (endpoints[name][key] or 0 for name in STATUS_AND_LIST if name in endpoints),
            default=None,
        )
        for when, key in (("all", "p95_ms"), ("busy", "p95_ms_while_workers_busy"))
    }
    failures = sum(entry["failures"] for entry in endpoints.values())
    result = {
        "users": args.users,
        "batch_users": args.batch_users,
        "batch_size": args.batch_size,
        "browsers": args.browsers,
        "workers": args.workers,
        "api_workers": args.api_workers,
        "database": "sqlite" if args.sqlite else "postgresql",
        "distinct_prompts": len(pool),
        "repeat_share": args.repeat_share,
        "load_s": round(load_s, 1),
        "all_workers_busy_share": busy.share(),
        "requests": requests,
        "failures": failures,
        "error_rate": round(failures / requests, 5) if requests else None,
        "server_errors": server_errors,
        "error_rate_5xx": round(server_errors / requests, 5) if requests else None,
        "unanswered": unanswered,
        "endpoints": endpoints,
        "jobs": {**jobs, "in_database_by_state": in_database, "unended_in_database": unended},
        "fairness": {
            "users_who_submitted": len(record.first_submit),
            "users_with_a_video": len(first),
            "first_video_s": spread(list(first.values())),
            "first_video_s_batch_users": spread(
                [s for who, s in first.items() if who in record.batch_users]
            ),
            "first_video_s_other_users": spread(
                [s for who, s in first.items() if who not in record.batch_users]
            ),
            "first_video_s_by_user": first,
        },
        "browser_sessions": {
            "sessions": args.browsers,
            "showed_a_video": len(shown),
            "time_to_video_s": {**spread(shown), "each": [t for t, _ in sessions]},
            "failed": Counter(why for t, why in sessions if why is not None),
        },
        "goals": {
            "no_lost_job": jobs["lost"] == 0 and jobs["unended_after_drain"] == 0 and not unended,
            "no_5xx": server_errors == 0 and unanswered == 0,
            "status_and_list_p95_ms": slowest["all"],
            "status_and_list_p95_ms_while_workers_busy": slowest["busy"],
            "status_and_list_p95_under_250_ms_while_workers_busy": (
                slowest["busy"] is not None and slowest["busy"] < P95_GOAL_MS
            ),
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    threading.current_thread().name = "load"
    main()

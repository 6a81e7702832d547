"""Load test of the HTTP API (issue 19's launch criterion): Locust, headless, in this process.

`chalk api` (uvicorn) and `chalk worker -n WORKERS` run against Redis and a fresh PostgreSQL
database (SQLite with `--sqlite`). USERS simulated teachers, each with their own API key,
submit preview jobs from the offline templates' example prompts (a few prompts, so repeats
are a realistic share the render cache serves), follow each job until it ends, list their
videos and jobs; BATCH_USERS of them first send a batch of BATCH_SIZE jobs. Meanwhile
BROWSERS real browser sessions (Playwright, Debian's chromium, in a child process) sign in
to the Streamlit app and make a video each.

After the load stops, every accepted job is followed until it ends (up to `--drain-s`); a job
that was accepted and never ends, or is not in the database, is lost. Prints one JSON object:
requests and p50/p95/p99 per endpoint, the 5xx error rate, jobs submitted / succeeded /
refused (with the reason) / failed / lost, fairness (each user's first video, seconds from
their start), the browsers' time to show a finished video, and the goals: no lost job, no
5xx, p95 of the status and list calls under 250 ms while the workers are busy.
"""

from __future__ import annotations

import argparse
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
        with open(self.work / f"{name}.log", "ab") as log:
            self.processes.append(
                subprocess.Popen(
                    argv, env=self.env, cwd=self.work, stdout=log, stderr=subprocess.STDOUT
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
            wait_http(f"{self.app_url}/_stcore/health", 120)
        wait_http(f"{self.api_url}/v1/health", 120)
        self.wait_for_workers(args.workers, 120)

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
        self.first_submit: dict[str, float] = {}  # username -> Unix time of their first submit


def locust_users(
    record: Record, keys: Iterator[tuple[str, str]], prompts: list[str], args: argparse.Namespace
) -> list[type]:
    from locust import HttpUser, between, task

    def refused(response: Any) -> None:
        try:
            reason = response.json().get("kind", "unknown")
        except ValueError:
            reason = "unknown"
        record.refused[f"{response.status_code} {reason}"] += 1

    class Teacher(HttpUser):
        wait_time = between(1, 3)
        weight = max(args.users - args.batch_users, 0)

        def on_start(self) -> None:
            self.username, key = next(keys)
            self.client.headers["Authorization"] = f"Bearer {key}"

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
            body = {"prompt": random.choice(prompts), "quality": "preview"}
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
            jobs = [
                {"prompt": random.choice(prompts), "quality": "preview"}
                for _ in range(args.batch_size)
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


def run_locust(system: System, args: argparse.Namespace, teachers: list[tuple[str, str]]) -> Any:
    from locust.env import Environment

    from app.generators.offline.catalogue import registry

    # A handful of the templates' own example prompts: later ones repeat, as a class does.
    prompts = [template.example_prompt for template in list(registry().values())[: args.prompts]]
    record = Record()
    keys = iter(teachers)
    environment = Environment(
        user_classes=locust_users(record, keys, prompts, args), host=system.api_url
    )
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    time.sleep(args.duration)
    runner.quit()
    return environment, record


# --- real browsers (a child process: Playwright's own event loop, apart from gevent) -----------


def browser_sessions(app_url: str, usernames: list[str], prompt: str) -> list[float | None]:
    """One real browser per teacher, side by side (a thread each, with its own Playwright):
    sign in through the form, type the prompt, Ctrl+Enter, and time until the video shows."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, sign_in

    def one(username: str) -> float | None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1400})
                page = sign_in(context, app_url, username, PASSWORD)
                box = page.get_by_label("Prompt")
                box.fill(prompt)
                began = time.monotonic()
                box.press("Control+Enter")
                page.locator("video").first.wait_for(timeout=600_000)
                return round(time.monotonic() - began, 2)
            except Exception as exc:  # a session that fails is counted, not fatal
                print(f"browser session {username}: {exc}", file=sys.stderr)
                return None
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        return list(pool.map(one, usernames))


def start_browsers(system: System, usernames: list[str], prompt: str) -> subprocess.Popen[str]:
    spec = json.dumps({"app_url": system.app_url, "usernames": usernames, "prompt": prompt})
    return subprocess.Popen(
        [sys.executable, __file__, "--browser-child", spec],
        stdout=subprocess.PIPE,
        text=True,
        env=system.env,
    )


# --- after the load ----------------------------------------------------------------------------


def settle(system: System, record: Record, drain_s: float) -> dict[str, Any]:
    """Follow every accepted job to its end; what never ends (or vanished) is lost."""
    from app.jobs import service

    deadline = time.monotonic() + drain_s
    states: dict[str, str | None] = {}
    first_video: dict[str, float] = {}  # username -> Unix time their first video was ready
    kinds: Counter[str] = Counter()
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
                if view.state == "failed" and view.error is not None:
                    kinds[str(view.error["kind"])] += 1
                pending.discard(job_id)
        if pending:
            time.sleep(1.0)
    lost = len(pending) + sum(1 for state in states.values() if state is None)
    counted = Counter(state for state in states.values() if state)
    return {
        "submitted": len(record.accepted),
        "succeeded": counted["succeeded"],
        "failed": dict(kinds),
        "cancelled": counted["cancelled"],
        "refused": dict(record.refused),
        "lost": lost,
        # Fairness: each user's wait from their first submit to their first video.
        "first_video_s": [
            round(ready - record.first_submit[who], 2) for who, ready in first_video.items()
        ],
    }


def endpoint_stats(environment: Any) -> tuple[dict[str, Any], int, int]:
    endpoints: dict[str, Any] = {}
    server_errors = 0
    for (name, _method), entry in sorted(environment.stats.entries.items()):
        endpoints[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    for error in environment.stats.errors.values():
        if any(f"{code}" in str(error.error) for code in range(500, 600)):
            server_errors += error.occurrences
    return endpoints, environment.stats.total.num_requests, server_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--batch-users", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--spawn-rate", type=float, default=25)
    parser.add_argument("--duration", type=float, default=90, help="seconds of load")
    parser.add_argument("--drain-s", type=float, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument(
        "--prompts", type=int, default=6, help="distinct prompts (repeats hit the cache)"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--browser-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.browser_child:
        spec = json.loads(args.browser_child)
        times = browser_sessions(spec["app_url"], spec["usernames"], spec["prompt"])
        print(json.dumps(times))
        return

    import locust  # noqa: F401 - it patches the standard library for gevent: import it first

    with tempfile.TemporaryDirectory(prefix="chalk-load-") as tmp:
        system = System(args, Path(tmp))
        try:
            teachers = make_teachers(system.settings, args.users, args.browsers)
            system.start(args)
            browser_names = [name for name, _ in teachers[args.users :]]
            browsers = (
                start_browsers(system, browser_names, "Plot y = x^2 - 4x + 3 from -1 to 5")
                if args.browsers
                else None
            )
            began = time.monotonic()
            environment, record = run_locust(system, args, teachers[: args.users])
            load_s = time.monotonic() - began
            jobs = settle(system, record, args.drain_s)
            browser_times: list[float | None] = []
            if browsers is not None:
                out, _ = browsers.communicate(timeout=args.drain_s + 600)
                browser_times = json.loads(out.strip().splitlines()[-1]) if out.strip() else []
        finally:
            system.stop()

    endpoints, requests, server_errors = endpoint_stats(environment)
    first = jobs.pop("first_video_s")
    shown = [t for t in browser_times if t is not None]
    slowest_status_list = max(
        (endpoints[name]["p95_ms"] or 0 for name in STATUS_AND_LIST if name in endpoints),
        default=None,
    )
    result = {
        "users": args.users,
        "batch_users": args.batch_users,
        "workers": args.workers,
        "database": "sqlite" if args.sqlite else "postgresql",
        "load_s": round(load_s, 1),
        "requests": requests,
        "server_errors": server_errors,
        "error_rate_5xx": round(server_errors / requests, 5) if requests else None,
        "endpoints": endpoints,
        "jobs": jobs,
        "fairness": {
            "users_with_a_video": len(first),
            "users_who_submitted": len(record.first_submit),
            "first_video_s": {
                "min": percentile(first, 0),
                "median": round(statistics.median(first), 2) if first else None,
                "p95": percentile(first, 0.95),
                "max": percentile(first, 1),
            },
        },
        "browsers": {
            "sessions": args.browsers,
            "showed_a_video": len(shown),
            "time_to_video_s": {
                "median": round(statistics.median(shown), 2) if shown else None,
                "max": max(shown) if shown else None,
            },
        },
        "goals": {
            "no_lost_job": jobs["lost"] == 0,
            "no_5xx": server_errors == 0,
            "status_and_list_p95_ms": slowest_status_list,
            "status_and_list_p95_under_250_ms": (
                slowest_status_list is not None and slowest_status_list < P95_GOAL_MS
            ),
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    threading.current_thread().name = "load"
    main()

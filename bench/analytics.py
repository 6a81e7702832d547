"""Admin analytics: every dashboard query over 1,000,000 synthetic job events.

Writes N usage events (default 1,000,000: job_finished events with realistic mixes of state,
generator, template, quality, render and queue seconds, attempts, cache hits and tokens, plus
sign-ins and views), 200 users, failed jobs with messages, feedback and videos into a fresh
SQLite file (or a throwaway PostgreSQL schema with --postgres URL), then:

- `load_s`: one DuckDB snapshot of the whole history (the scanner extension, by path);
- `queries_total_s`: all of the dashboard's queries together on it (median of --repeat runs),
  with each query's own median in `per_query_s`. The goal is under 1 s.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analytics import DASHBOARD, load_snapshot  # noqa: E402
from app.db.engine import dispose_engines, get_engine  # noqa: E402
from app.db.migrate import upgrade  # noqa: E402
from app.settings import Settings  # noqa: E402

GOAL_S = 1.0
TEMPLATES = ["circle_area", "riemann_sum", "function_graph", "unit_circle_trig", "bar_chart"]
MODELS = ["gpt-4o-mini", "gemini-2.0-flash", "llama3.1"]
QUALITIES = ["preview"] * 8 + ["standard"] * 3 + ["high"]
ERROR_KINDS = ["render", "validation", "timeout", "sandbox", "generation", "llm_unavailable"]
EVENT_COLUMNS = (
    "at", "kind", "user_id", "job_id", "video_id", "generator", "template", "quality", "state",
    "error_kind", "render_s", "queue_wait_s", "attempts", "cache_hit", "prompt_tokens",
    "completion_tokens",
)  # fmt: skip
OTHER_KINDS = (
    "sign_in", "generate_clicked", "video_watched", "video_downloaded", "video_shared",
    "template_picked", "help_opened",
)  # fmt: skip
JOB_COLUMNS = (
    "id", "owner_id", "state", "error_kind", "error_message", "finished_at", "created_at",
    "generator", "params", "quality", "aspect", "progress", "attempts", "layout_warnings",
    "prompt_tokens", "completion_tokens", "cache_hit", "cancel_requested", "requeues",
)  # fmt: skip
VIDEO_COLUMNS = (
    "id", "job_id", "owner_id", "storage_key", "size_bytes", "title", "duration_s", "width",
    "height", "thumbnail_key", "visibility", "created_at",
)  # fmt: skip
FEEDBACK_COLUMNS = (
    "id", "video_id", "user_id", "template", "rating", "comment", "created_at", "updated_at",
)  # fmt: skip
USERS = 200
FAILED_JOBS = 20_000
VIDEOS = 5_000
FEEDBACK = 10_000


def synthetic_events(count: int, start: datetime, days: int, rng: random.Random) -> Iterator[tuple]:
    span_s = days * 86400
    for i in range(count):
        at = start + timedelta(seconds=rng.random() * span_s)
        user = rng.randint(1, USERS)
        if rng.random() >= 0.8:
            kind = rng.choice(OTHER_KINDS)
            yield (at, kind, user, *([None] * (len(EVENT_COLUMNS) - 3)))
            continue
        llm = rng.random() < 0.4
        template = None if llm else rng.choice(TEMPLATES)
        generator = f"llm:{rng.choice(MODELS)}" if llm else f"offline:{template}"
        roll = rng.random()
        state = "succeeded" if roll < 0.85 else "failed" if roll < 0.97 else "cancelled"
        error = {"succeeded": None, "cancelled": "cancelled"}.get(state) or rng.choice(ERROR_KINDS)
        cache_hit = state == "succeeded" and rng.random() < 0.25
        render_s = 0.05 if cache_hit else rng.lognormvariate(1.5, 0.6)
        attempts = rng.choice([1, 1, 1, 2, 2, 3, 4]) if llm else 1
        tokens = (rng.randint(500, 3000), rng.randint(200, 2000)) if llm else (0, 0)
        yield (
            at, "job_finished", user, f"j{i}", None, generator, template, rng.choice(QUALITIES),
            state, error, None if state == "cancelled" else render_s, rng.expovariate(0.5),
            attempts, cache_hit, *tokens,
        )  # fmt: skip


def tables(events: int, rng: random.Random) -> list[tuple[str, tuple[str, ...], Iterable[tuple]]]:
    """(table, columns, rows) in insert order."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    days = 90

    def moment() -> datetime:
        return start + timedelta(seconds=rng.random() * days * 86400)

    users = [(i, f"teacher{i}", f"Teacher {i}", "", "teacher", start) for i in range(1, USERS + 1)]
    jobs = []
    for i in range(FAILED_JOBS):
        finished = moment()
        jobs.append(
            (f"f{i:06d}", rng.randint(1, USERS), "failed", rng.choice(ERROR_KINDS),
             f"Example failure message number {i % 40}.", finished, finished,
             "auto", "{}", "preview", "16:9", 0.0, "[]", "[]", 0, 0, False, False, 0)
        )  # fmt: skip
    videos = [
        (f"v{i:06d}", f"f{i:06d}", rng.randint(1, USERS), f"renders/{i % 4000}.mp4",
         rng.randint(200_000, 5_000_000), "", 1.0, 854, 480, "renders/t.png", "private", start)
        for i in range(VIDEOS)
    ]  # fmt: skip
    feedback = []
    for i in range(FEEDBACK):
        at = moment()
        feedback.append(
            (i + 1, f"v{i % VIDEOS:06d}", i // VIDEOS + 1, rng.choice([*TEMPLATES, None]),
             int(rng.random() < 0.8), rng.choice([None, None, "Great!", "Too fast."]), at, at)
        )  # fmt: skip
    return [
        ("users", ("id", "username", "display_name", "password_hash", "role", "created_at"), users),
        ("jobs", JOB_COLUMNS, jobs),
        ("videos", VIDEO_COLUMNS, videos),
        ("feedback", FEEDBACK_COLUMNS, feedback),
        ("usage_events", EVENT_COLUMNS, synthetic_events(events, start, days, rng)),
    ]


def populate(settings: Settings, events: int, rng: random.Random) -> None:
    engine = get_engine(settings)
    raw = engine.raw_connection()
    try:
        cursor: Any = raw.cursor()
        for table, columns, rows in tables(events, rng):
            names = ", ".join(columns)
            if engine.dialect.name == "sqlite":
                # Stored as SQLAlchemy stores UTC timestamps in SQLite.
                plain = (
                    tuple(
                        v.replace(tzinfo=None).isoformat(" ", "microseconds")
                        if isinstance(v, datetime)
                        else v
                        for v in row
                    )
                    for row in rows
                )
                marks = ", ".join("?" * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", plain)
            else:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        if engine.dialect.name == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), 1000)")
        raw.commit()
    finally:
        raw.close()


@contextmanager
def database(args: argparse.Namespace, directory: Path) -> Iterator[Settings]:
    base = Settings(data_dir=directory / "data")
    if not args.postgres:
        settings = base.model_copy(update={"database_url": f"sqlite:///{directory / 'bench.db'}"})
        try:
            yield settings
        finally:
            dispose_engines()
        return
    from sqlalchemy import create_engine, pool

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        args.postgres.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=pool.NullPool
    )
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in args.postgres else "?"
    try:
        yield base.model_copy(
            update={"database_url": f"{args.postgres}{separator}options=-csearch_path%3D{schema}"}
        )
    finally:
        dispose_engines()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of all queries (median)")
    parser.add_argument("--loader", choices=["auto", "scanner", "sqlalchemy"], default="auto")
    parser.add_argument(
        "--postgres", metavar="URL", help="use a throwaway schema in this PostgreSQL"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="chalk-bench-analytics-") as tmp,
        database(args, Path(tmp)) as settings,
    ):
        upgrade(settings)
        started = time.perf_counter()
        populate(settings, args.events, random.Random(args.seed))
        generate_s = time.perf_counter() - started
        with load_snapshot(settings, loader=args.loader) as snap:
            per_query: dict[str, list[float]] = {name: [] for name in DASHBOARD}
            totals = []
            for _ in range(args.repeat):
                total = 0.0
                for name, query in DASHBOARD.items():
                    t0 = time.perf_counter()
                    query(snap)
                    elapsed = time.perf_counter() - t0
                    per_query[name].append(elapsed)
                    total += elapsed
                totals.append(total)
            result = {
                "benchmark": "analytics",
                "backend": settings.database.split(":", 1)[0].split("+")[0],
                "loader": snap.loader,
                "events": snap.row_counts["events"],
                "queries": len(DASHBOARD),
                "generate_s": round(generate_s, 3),
                "load_s": round(snap.load_s, 3),
                "queries_total_s": round(statistics.median(totals), 4),
                "queries_total_runs_s": [round(t, 4) for t in totals],
                "goal_s": GOAL_S,
                "under_goal": statistics.median(totals) < GOAL_S,
                "per_query_s": {k: round(statistics.median(v), 4) for k, v in per_query.items()},
            }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

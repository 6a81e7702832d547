"""A hand-made set of events with known answers, on SQLite and PostgreSQL, read by both loaders.

The data (three teachers, eight finished jobs over two days in March 2026, one job outside the
range, feedback, videos sharing a stored file) is written once per backend and module; each
test gets a DuckDB snapshot of 2026-03-01..2026-03-03 made by one loader. The expected values
in the tests are worked out by hand from the rows below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.analytics import DateRange, Snapshot, load_snapshot
from app.db.engine import session_scope
from app.db.models import Feedback, Job, UsageEvent, User, Video
from app.settings import Settings
from tests.db_fixtures import throwaway_database

RANGE = DateRange.from_dates(date(2026, 3, 1), date(2026, 3, 3))
PRICE_PER_1K = 0.002


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


# (key, user, day, generator, template, quality, state, error_kind, render_s, wait_s,
#  attempts, cache_hit, prompt_tokens, completion_tokens)
FINISHED = [
    ("E1", "ada", 1, "offline:circle_area", "circle_area", "preview", "succeeded", None,
     2.0, 1.0, 1, False, 0, 0),
    ("E2", "ada", 1, "llm:gpt-x", None, "preview", "succeeded", None,
     4.0, 3.0, 2, False, 100, 50),
    ("E3", "bob", 1, "llm:gpt-x", None, "preview", "failed", "render",
     1.0, 5.0, 3, False, 200, 100),
    ("E4", "bob", 1, "offline:circle_area", "circle_area", "preview", "succeeded", None,
     0.1, 1.0, 1, True, 0, 0),
    ("E5", "cy", 2, "llm:model-b", None, "standard", "succeeded", None,
     10.0, 2.0, 1, False, 300, 0),
    ("E6", "cy", 2, "offline:riemann_sum", "riemann_sum", "standard", "failed", "validation",
     None, 0.5, 1, False, 0, 0),
    ("E7", "ada", 2, "user", None, "high", "cancelled", "cancelled",
     None, None, 0, False, 0, 0),
    ("E8", "ada", 2, "offline:riemann_sum", "riemann_sum", "preview", "succeeded", None,
     6.0, 4.0, 1, False, 0, 0),
]  # fmt: skip


def _populate(settings: Settings) -> None:
    with session_scope(settings) as session:
        users = {
            name: User(username=name, display_name=name.title()) for name in ("ada", "bob", "cy")
        }
        session.add_all(users.values())
        session.flush()
        uid = {name: user.id for name, user in users.items()}

        def job(key: str, owner: str, state: str, **fields: Any) -> Job:
            row = Job(
                id=f"job{key}".ljust(8, "0"), owner_id=uid[owner], prompt="x", state=state, **fields
            )
            session.add(row)
            return row

        job("J1", "ada", "succeeded", template="circle_area")
        job("J4", "bob", "succeeded", template="circle_area")
        job("J8", "ada", "succeeded", template="riemann_sum")
        job("JU", "ada", "succeeded")
        job(
            "J3",
            "bob",
            "failed",
            error_kind="render",
            error_message="The animation crashed at line 3.",
            finished_at=at(1, 10),
        )
        job(
            "J3b",
            "bob",
            "failed",
            error_kind="render",
            error_message="The scene has no animation.",
            finished_at=at(2, 9),
        )
        job(
            "J3c",
            "bob",
            "failed",
            error_kind="render",
            error_message="The animation crashed at line 3.",
            finished_at=at(1, 8),
        )
        job(
            "J6",
            "cy",
            "failed",
            error_kind="validation",
            error_message="Use only the allowed imports.",
            finished_at=at(2, 11),
        )
        job(
            "J0",
            "bob",
            "failed",
            error_kind="timeout",
            error_message="Out of range.",
            finished_at=at(20, month=2),
        )
        session.flush()
        videos = {
            "V1": Video(
                id="V1",
                job_id="jobJ1000",
                owner_id=uid["ada"],
                storage_key="renders/a.mp4",
                thumbnail_key="renders/a.png",
                size_bytes=1000,
                title="circle",
            ),
            "V4": Video(
                id="V4",
                job_id="jobJ4000",
                owner_id=uid["bob"],
                storage_key="renders/a.mp4",
                thumbnail_key="renders/a.png",
                size_bytes=1000,
                title="circle again",
            ),
            "V8": Video(
                id="V8",
                job_id="jobJ8000",
                owner_id=uid["ada"],
                storage_key="renders/b.mp4",
                thumbnail_key="renders/b.png",
                size_bytes=3000,
                title="riemann",
                item_id="V1",  # a second version of V1: one video to its teacher
                version=2,
            ),
            "VU": Video(
                id="VU",
                job_id="jobJU000",
                owner_id=uid["ada"],
                storage_key="renders/c.mp4",
                thumbnail_key="renders/c.png",
                size_bytes=500,
                title="mine",
            ),
        }
        session.add_all(videos.values())
        session.flush()
        for (key, user, day, generator, template, quality, state, error_kind, render_s, wait_s,
             attempts, cache_hit, prompt_tokens, completion_tokens) in FINISHED:  # fmt: skip
            session.add(UsageEvent(
                kind="job_finished", at=at(day), user_id=uid[user], job_id=key, generator=generator,
                template=template, quality=quality, state=state, error_kind=error_kind,
                render_s=render_s, queue_wait_s=wait_s, attempts=attempts, cache_hit=cache_hit,
                prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
            ))  # fmt: skip
        # Outside the range: must not count anywhere.
        session.add(UsageEvent(kind="job_finished", at=at(20, month=2), user_id=uid["bob"],
                               generator="offline:circle_area", template="circle_area",
                               quality="preview", state="failed", error_kind="timeout",
                               render_s=90.0, queue_wait_s=100.0, attempts=1, cache_hit=False,
                               prompt_tokens=0, completion_tokens=0))  # fmt: skip
        session.add(UsageEvent(kind="sign_in", at=at(1, 8), user_id=uid["ada"]))
        session.add(UsageEvent(kind="sign_in", at=at(1, 9), user_id=uid["bob"]))
        session.add(UsageEvent(kind="video_watched", at=at(3, 9), user_id=uid["cy"], video_id="V1"))
        session.add(UsageEvent(kind="help_opened", at=at(3, 10), user_id=None))
        # The end of the range is exclusive: 2026-03-04 00:00 is outside.
        session.add(
            UsageEvent(kind="video_shared", at=datetime(2026, 3, 4, tzinfo=UTC), user_id=uid["ada"])
        )
        votes = [
            ("V1", "ada", "circle_area", 1, None, at(1, 13)),
            ("V1", "bob", "circle_area", 1, "Lovely, thanks!", at(1, 14)),
            ("V8", "cy", "riemann_sum", 0, "Too fast to follow.", at(2, 15)),
            ("V8", "ada", "riemann_sum", 1, None, at(2, 16)),
            ("VU", "bob", None, 0, "Text overlaps the graph.", at(3, 8)),
            ("V4", "cy", "circle_area", 0, "Out of range.", at(20, month=2)),
        ]
        for video, user, template, rating, comment, moment in votes:
            vote = Feedback(video_id=video, user_id=uid[user], template=template, rating=rating)
            vote.comment, vote.created_at, vote.updated_at = comment, moment, moment
            session.add(vote)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def events_db(request: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A throwaway database with the hand-made events (once per backend and module)."""
    directory: Path = tmp_path_factory.mktemp(f"analytics-{request.param}")
    base = Settings(data_dir=directory / "data", llm_price_per_1k_tokens=PRICE_PER_1K)
    with throwaway_database(request.param, base, directory, migrate=True) as settings:
        _populate(settings)
        yield settings


@pytest.fixture(params=["scanner", "sqlalchemy"])
def snap(request: Any, events_db: Settings) -> Iterator[Snapshot]:
    """A snapshot of 2026-03-01..03 from one loader."""
    with load_snapshot(events_db, date_range=RANGE, loader=request.param) as snapshot:
        assert snapshot.loader == request.param
        yield snapshot


def rows(table: Any) -> list[dict[str, Any]]:
    """A result table as a list of dicts, floats rounded to 6 places."""
    return [
        {k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()}
        for row in table.to_pylist()
    ]

"""The database layer on SQLite and PostgreSQL: migrations, ensure_schema, models, pooling."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import types
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, delete, event, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.cli import main
from app.db.engine import dispose_engines, get_engine, normalize_url, session_scope
from app.db.migrate import current_revision, downgrade, ensure_schema, head_revision, upgrade
from app.db.models import SEARCH_PREFIX, Base, Job, JobEvent, User, Video, in_models
from app.settings import Settings, get_settings
from tests.db_fixtures import ensure_schema_in_child, postgres_schema

TABLES = {
    "users",
    "jobs",
    "videos",
    "job_events",
    "usage_events",
    "feedback",
    "password_resets",
    "invites",
    "throttles",
    "video_views",
    "sso_identities",
    "lessons",
    "lesson_scenes",
    "api_keys",
    "batches",
    "api_jobs",
    "webhook_deliveries",
    "webhook_attempts",
    "video_items",
}


def table_names(settings: Settings) -> set[str]:
    """The model tables (the search index's own tables are tests/test_search.py's)."""
    names = set(inspect(get_engine(settings)).get_table_names())
    return {name for name in names if not name.startswith(SEARCH_PREFIX)}


def version_rows(settings: Settings) -> list[str]:
    with get_engine(settings).connect() as connection:
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


def schema_differences(settings: Settings) -> list[Any]:
    with get_engine(settings).connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": in_models})
        return list(compare_metadata(context, Base.metadata))


def add_user(settings: Settings, username: str = "ada", **fields: Any) -> int:
    with session_scope(settings) as session:
        user = User(username=username, **fields)
        session.add(user)
        session.flush()
        return user.id


def add_job(settings: Settings, owner_id: int, **fields: Any) -> str:
    with session_scope(settings) as session:
        job = Job(owner_id=owner_id, prompt="area of a circle", **fields)
        session.add(job)
        session.flush()
        return job.id


def add_video(settings: Settings, job_id: str, owner_id: int, **fields: Any) -> str:
    with session_scope(settings) as session:
        video = Video(
            job_id=job_id, owner_id=owner_id, storage_key="ab/cd.mp4", thumbnail_key="ab/cd.png"
        )
        for name, value in fields.items():
            setattr(video, name, value)
        session.add(video)
        session.flush()
        return video.id


# --- migrations ---------------------------------------------------------------------------


@pytest.fixture
def migrated_settings(empty_db_settings: Settings) -> Settings:
    """A database the migrations bring to head here, from empty: what the structure tests
    judge (`db_settings` is a copy of one migrated once per test process)."""
    upgrade(empty_db_settings)
    return empty_db_settings


def test_upgrade_from_empty_creates_every_table(empty_db_settings: Settings) -> None:
    assert current_revision(empty_db_settings) is None
    assert not TABLES & table_names(empty_db_settings)

    upgrade(empty_db_settings)

    assert table_names(empty_db_settings) == TABLES | {"alembic_version"}
    assert current_revision(empty_db_settings) == head_revision()


def test_upgrade_twice_is_a_noop_and_keeps_data(db_settings: Settings) -> None:
    user_id = add_user(db_settings)

    upgrade(db_settings)
    upgrade(db_settings)

    assert version_rows(db_settings) == [head_revision()]
    assert table_names(db_settings) == TABLES | {"alembic_version"}
    with session_scope(db_settings) as session:
        assert session.get(User, user_id) is not None


def test_current_revision_is_head_after_upgrade(db_settings: Settings) -> None:
    assert current_revision(db_settings) == head_revision()


def test_migration_matches_the_models_exactly(migrated_settings: Settings) -> None:
    # Tables, columns, types, nullability, indexes, unique and foreign keys.
    assert schema_differences(migrated_settings) == []


def test_migration_has_the_models_check_constraints(migrated_settings: Settings) -> None:
    # Autogenerate does not compare CHECK constraints, so compare their names here.
    inspector = inspect(get_engine(migrated_settings))
    for table in Base.metadata.sorted_tables:
        checks = [c for c in table.constraints if isinstance(c, CheckConstraint)]
        expected = {str(c.name) for c in checks}
        found = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert found == expected, table.name


def test_foreign_keys_cascade_on_delete(migrated_settings: Settings) -> None:
    inspector = inspect(get_engine(migrated_settings))
    for table in ("jobs", "videos", "job_events"):
        for foreign_key in inspector.get_foreign_keys(table):
            assert foreign_key["options"].get("ondelete") == "CASCADE", (table, foreign_key)


def test_downgrade_to_base_then_upgrade_round_trips(db_settings: Settings) -> None:
    downgrade(db_settings, "base")

    assert current_revision(db_settings) is None
    assert not TABLES & table_names(db_settings)

    upgrade(db_settings)

    assert current_revision(db_settings) == head_revision()
    assert table_names(db_settings) == TABLES | {"alembic_version"}
    assert schema_differences(db_settings) == []


def test_gallery_and_analytics_indexes_exist(migrated_settings: Settings) -> None:
    inspector = inspect(get_engine(migrated_settings))
    indexes = {
        # PostgreSQL also lists the indexes behind unique constraints; those are checked below.
        table: {
            ix["name"]: tuple(ix["column_names"])
            for ix in inspector.get_indexes(table)
            if not ix.get("duplicates_constraint")
        }
        for table in ("jobs", "videos", "job_events")
    }
    assert indexes["jobs"] == {
        "ix_jobs_owner_created": ("owner_id", "created_at"),
        "ix_jobs_owner_state": ("owner_id", "state"),
        "ix_jobs_state_heartbeat": ("state", "heartbeat_at"),
        "ix_jobs_created": ("created_at",),
        "ix_jobs_awaiting_slot": ("awaiting_slot", "state", "created_at"),
    }
    assert indexes["videos"] == {
        "ix_videos_owner_created": ("owner_id", "created_at"),
        "ix_videos_visibility_created": ("visibility", "created_at"),
        "ix_videos_storage_key": ("storage_key",),
        "ix_videos_item_id": ("item_id",),
    }
    assert indexes["job_events"] == {
        "ix_job_events_at": ("at",),
        "ix_job_events_job_id": ("job_id",),
    }
    uniques = {
        table: {tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table)}
        for table in ("users", "videos")
    }
    assert uniques == {
        "users": {("username",), ("email",)},
        "videos": {("job_id",), ("share_token",)},
    }


# --- ensure_schema ------------------------------------------------------------------------


def test_ensure_schema_from_four_threads_migrates_once(empty_db_settings: Settings) -> None:
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            ensure_schema(empty_db_settings)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert version_rows(empty_db_settings) == [head_revision()]
    assert table_names(empty_db_settings) == TABLES | {"alembic_version"}


def test_ensure_schema_from_two_processes_migrates_once(
    empty_db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Processes do not share the in-process lock or cache: only the advisory lock
    # (PostgreSQL) or the file lock (SQLite) keeps them from migrating twice.
    # A spawned child re-runs the parent's __main__ script, and a page test (AppTest) run
    # earlier in this process leaves streamlit_app.py there: give the children none.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    processes = [
        context.Process(target=ensure_schema_in_child, args=(empty_db_settings, barrier))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=360)

    assert [process.exitcode for process in processes] == [0, 0]
    assert version_rows(empty_db_settings) == [head_revision()]
    assert table_names(empty_db_settings) == TABLES | {"alembic_version"}


def test_ensure_schema_is_cheap_once_at_head(db_settings: Settings) -> None:
    ensure_schema(db_settings)
    statements: list[str] = []
    engine = get_engine(db_settings)
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        ensure_schema(db_settings)
        ensure_schema(db_settings)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements == []


def test_ensure_schema_upgrades_after_a_downgrade(db_settings: Settings) -> None:
    ensure_schema(db_settings)
    downgrade(db_settings, "base")

    ensure_schema(db_settings)

    assert current_revision(db_settings) == head_revision()


@pytest.fixture
def cli_on(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the in-process `chalk` (its environment settings) at a test database."""

    def point(settings: Settings) -> None:
        monkeypatch.setenv("CHALK_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("CHALK_DATABASE_URL", settings.database)
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


def test_the_cli_brings_the_schema_to_head_before_a_database_command(
    empty_db_settings: Settings, cli_on: Any
) -> None:
    cli_on(empty_db_settings)

    assert main(["status", "no-such-job", "--json"]) == 2  # a usage error, not a missing table

    assert current_revision(empty_db_settings) == head_revision()


def test_the_cli_leaves_the_database_alone_for_commands_that_do_not_use_it(
    empty_db_settings: Settings, cli_on: Any
) -> None:
    cli_on(empty_db_settings)

    assert main(["templates", "--json"]) == 0

    assert current_revision(empty_db_settings) is None


# --- models -------------------------------------------------------------------------------


def test_crud_round_trip_keeps_aware_utc_datetimes(db_settings: Settings) -> None:
    berlin = timezone(timedelta(hours=2))
    started = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=berlin)
    with session_scope(db_settings) as session:
        user = User(username="ada", email="ada@example.org", role="admin")
        job = Job(owner=user, prompt="area of a circle", params={"radius": 2}, started_at=started)
        job.events.append(JobEvent(state="queued"))
        job.events.append(JobEvent(state="running", stage="rendering", detail="attempt 1"))
        session.add(job)
        session.flush()
        job.video = Video(
            owner_id=user.id,
            storage_key="ab/cd.mp4",
            thumbnail_key="ab/cd.png",
            size_bytes=5 * 2**30,
            visibility="public",
        )
        job_id = job.id

    with session_scope(db_settings) as session:
        job = session.get_one(Job, job_id)
        assert job.owner.username == "ada"
        assert job.owner.role == "admin"
        assert job.params == {"radius": 2}
        assert job.attempts == [] and job.layout_warnings == []
        assert job.state == "queued" and job.cache_hit is False
        assert [(e.state, e.stage) for e in job.events] == [
            ("queued", None),
            ("running", "rendering"),
        ]
        assert job.video is not None
        assert job.video.size_bytes == 5 * 2**30
        for moment in (job.created_at, job.started_at, job.video.created_at, job.events[0].at):
            assert moment is not None and moment.utcoffset() == timedelta(0), moment
        assert job.started_at == started
        assert job.started_at.tzinfo is not None
        assert job.started_at.astimezone(UTC).hour == 10

        job.state = "succeeded"
        job.finished_at = datetime.now(UTC)

    with session_scope(db_settings) as session:
        job = session.get_one(Job, job_id)
        assert job.state == "succeeded"
        assert job.finished_at is not None and job.finished_at >= job.created_at


def test_naive_datetimes_are_refused(db_settings: Settings) -> None:
    user_id = add_user(db_settings)
    with pytest.raises(Exception, match="naive datetime"):
        add_job(db_settings, user_id, started_at=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("users", "role", "superuser"), ("jobs", "state", "exploded"), ("videos", "visibility", "x")],
)
def test_check_constraints_reject_bad_values(
    db_settings: Settings, table: str, column: str, value: str
) -> None:
    user_id = add_user(db_settings)
    job_id = add_job(db_settings, user_id)
    with pytest.raises(IntegrityError):
        if table == "users":
            add_user(db_settings, "grace", role=value)
        elif table == "jobs":
            add_job(db_settings, user_id, state=value)
        else:
            add_video(db_settings, job_id, user_id, visibility=value)


@pytest.mark.parametrize("how", ["orm", "sql"])
def test_deleting_a_user_deletes_their_jobs_videos_and_events(
    db_settings: Settings, how: str
) -> None:
    user_id = add_user(db_settings)
    other_id = add_user(db_settings, "grace")
    job_id = add_job(db_settings, user_id)
    add_video(db_settings, job_id, user_id)
    other_job = add_job(db_settings, other_id)
    with session_scope(db_settings) as session:
        session.add_all(
            [JobEvent(job_id=job_id, state="queued"), JobEvent(job_id=other_job, state="queued")]
        )

    with session_scope(db_settings) as session:
        if how == "orm":
            user = session.get_one(User, user_id)
            user.jobs  # noqa: B018 - loaded collections must not be nulled out either
            session.delete(user)
        else:
            session.execute(delete(User).where(User.id == user_id))

    with session_scope(db_settings) as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert (count(User), count(Job), count(Video), count(JobEvent)) == (1, 1, 0, 1)
        assert session.scalars(select(Job.id)).all() == [other_job]


def test_unique_username_and_one_video_per_job(db_settings: Settings) -> None:
    user_id = add_user(db_settings)
    job_id = add_job(db_settings, user_id)
    add_video(db_settings, job_id, user_id)
    with pytest.raises(IntegrityError):
        add_user(db_settings)
    with pytest.raises(IntegrityError):
        add_video(db_settings, job_id, user_id)


# --- engines and pooling ------------------------------------------------------------------


def test_postgresql_urls_use_psycopg3(pg_settings: Settings) -> None:
    assert pg_settings.database.startswith("postgresql://")
    engine = get_engine(pg_settings)
    assert engine.dialect.driver == "psycopg"
    assert normalize_url("postgres://u:p%40ss@h/db") == "postgresql+psycopg://u:p%40ss@h/db"
    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
    assert schema is not None and schema.startswith("t_")


def test_postgresql_pool_follows_settings(pg_settings: Settings) -> None:
    sized = pg_settings.model_copy(update={"database_pool_size": 3, "database_max_overflow": 2})
    dispose_engines()
    engine = get_engine(sized)
    assert engine.pool.size() == 3  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 2  # type: ignore[attr-defined]
    assert engine.pool._pre_ping is True
    connections = [engine.connect() for _ in range(5)]
    try:
        assert all(c.scalar(text("SELECT 1")) == 1 for c in connections)
    finally:
        for connection in connections:
            connection.close()


def test_sqlite_uses_wal_foreign_keys_and_busy_timeout(sqlite_settings: Settings) -> None:
    engine = get_engine(sqlite_settings)
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA busy_timeout")) == 30000

    # Connections cross threads (the inline worker pool shares the engine).
    results: list[int] = []
    with engine.connect() as connection:
        thread = threading.Thread(
            target=lambda: results.append(connection.scalar(text("SELECT 1")) or 0)
        )
        thread.start()
        thread.join()
    assert results == [1]


def test_unreachable_postgresql_fails_with_a_reason(settings: Settings) -> None:
    with (
        pytest.raises(pytest.fail.Exception, match="not reachable"),
        postgres_schema(settings, "postgresql://postgres@127.0.0.1:1/test"),
    ):
        pass

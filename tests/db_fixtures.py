"""Throwaway databases for tests, on SQLite and on the real PostgreSQL on loopback.

A pytest plugin that tests/conftest.py loads for every test (`pytest_plugins`); test modules
import only its helper functions. Each fixture stands alone.

- `db_settings`: parametrized over sqlite and postgresql, migrated to head.
- `sqlite_settings` / `pg_settings`: one backend, migrated to head.
- `empty_db_settings`: parametrized like `db_settings` but never migrated.

Services assume the schema exists (the app, the workers and the CLI ensure it once at start),
so a test that calls services directly takes its database from one of these fixtures.

PostgreSQL databases are fresh schemas `t_<random>` in database `test`, reached through
`?options=-csearch_path=...` so every pooled connection lands in the schema; they are dropped
at teardown. A database "at head" is a copy of one the migrations made in this process
(a file copy on SQLite, pg_dump's SQL replayed on PostgreSQL): the migrations run once per
process here, and from scratch in the tests that are about them (`empty_db_settings`).
A PostgreSQL that is not reachable fails the test with the reason (never skips).

PYTEST_DONT_REWRITE: modules import helpers from here as well as naming it in pytest_plugins;
the marker keeps pytest from warning that it was imported before it could rewrite asserts.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, make_url, pool
from sqlalchemy.exc import OperationalError

from app.db.engine import dispose_engines
from app.db.migrate import ensure_schema, head_revision, upgrade
from app.settings import Settings

BACKENDS = ("sqlite", "postgresql")
# The machine's PostgreSQL (trust auth); plain postgresql:// on purpose, so every test also
# checks that Chalk picks psycopg 3 by itself.
PG_TEST_URL = os.environ.get("CHALK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def sqlite_database(settings: Settings, directory: Path) -> Settings:
    """`settings` pointing at a new SQLite file in `directory`."""
    url = f"sqlite:///{directory / 'db' / 'chalk.db'}"
    return settings.model_copy(update={"database_url": url})


@contextmanager
def postgres_schema(
    settings: Settings, server_url: str = PG_TEST_URL, *, at_head: bool = False
) -> Iterator[Settings]:
    """`settings` pointing at a new PostgreSQL schema, dropped (CASCADE) on exit; `at_head`:
    made as a copy of one this process migrated with `upgrade` (see _pg_head_sql)."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    head_sql = _pg_head_sql(settings, server_url) if at_head else None
    admin = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        poolclass=pool.NullPool,
        connect_args={"connect_timeout": 5},
    )
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        if head_sql is not None:
            _run_script(server_url, head_sql.replace(_PG_PLACEHOLDER, schema))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL at {server_url} is not reachable, and the database tests need it: "
            f"start PostgreSQL on 127.0.0.1:5432 (or set CHALK_TEST_PG_URL). Cause: {exc}",
            pytrace=False,
        )
    separator = "&" if "?" in server_url else "?"
    url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
    try:
        yield settings.model_copy(update={"database_url": url})
    finally:
        # Close pooled connections first: they would block DROP SCHEMA.
        dispose_engines()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


# Per process, by head revision: pg_dump's SQL for a schema that `upgrade` brought to head,
# its name replaced by a placeholder. Replaying it makes the same tables, indexes, triggers
# and alembic_version in ~0.05 s, where the migrations cost ~0.3 s of CPU per schema.
_pg_at_head: dict[str, str] = {}
_PG_PLACEHOLDER = "chalk_schema_at_head_placeholder"


def _pg_head_sql(settings: Settings, server_url: str) -> str:
    head = head_revision()
    if head not in _pg_at_head:
        with postgres_schema(settings, server_url) as made:
            upgrade(made)
            schema = made.database.rsplit("%3D", 1)[-1]  # options=-csearch_path%3D<schema>
            dumped = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "--schema", schema,
                 server_url],
                capture_output=True, text=True, check=True, timeout=120,
            ).stdout  # fmt: skip
        # Not psql: its meta-commands (\restrict) go, and the schema exists already.
        kept = [
            line
            for line in dumped.splitlines()
            if not line.startswith("\\") and line != f"CREATE SCHEMA {schema};"
        ]
        _pg_at_head[head] = "\n".join(kept).replace(schema, _PG_PLACEHOLDER)
    return _pg_at_head[head]


def _run_script(server_url: str, script: str) -> None:
    """Run a multi-statement SQL script in one transaction (psycopg's simple protocol)."""
    with psycopg.connect(server_url, connect_timeout=5) as connection:
        connection.execute(script.encode())


# Per process: a SQLite database that `upgrade` brought to head once, by head revision.
_sqlite_at_head: dict[str, Path] = {}


def copy_sqlite_at_head(settings: Settings) -> None:
    """Put a SQLite database at head where `settings.database` names it: a copy of one this
    process migrated with `upgrade` (the migrations cost ~0.3 s of CPU per database, a copy
    ~1 ms). Tests of the migrations themselves start from `empty_db_settings` and run them."""
    head = head_revision()
    template = _sqlite_at_head.get(head)
    if template is None:
        scratch = Path(tempfile.mkdtemp(prefix="chalk-sqlite-head-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        made = sqlite_database(settings, scratch)
        upgrade(made)
        dispose_engines()  # the last connection closing folds the WAL into the file
        template = _sqlite_at_head[head] = _sqlite_file(made)
    target = _sqlite_file(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


def _sqlite_file(settings: Settings) -> Path:
    path = make_url(settings.database).database
    if not path:
        raise ValueError(f"not a SQLite file: {settings.database}")
    return Path(path)


@contextmanager
def throwaway_database(
    backend: str, settings: Settings, directory: Path, *, migrate: bool
) -> Iterator[Settings]:
    if backend == "sqlite":
        db_settings = sqlite_database(settings, directory)
        if migrate:
            copy_sqlite_at_head(db_settings)
        try:
            yield db_settings
        finally:
            dispose_engines()
    elif backend == "postgresql":
        with postgres_schema(settings, at_head=migrate) as db_settings:
            yield db_settings
    else:  # pragma: no cover - a typo in a test
        raise ValueError(f"unknown database backend {backend!r}")


@pytest.fixture(params=BACKENDS)
def db_settings(request: Any, settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a throwaway database at head, once per backend."""
    with throwaway_database(request.param, settings, tmp_path, migrate=True) as db:
        yield db


@pytest.fixture(params=BACKENDS)
def empty_db_settings(request: Any, settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a throwaway database with no tables yet, once per backend."""
    with throwaway_database(request.param, settings, tmp_path, migrate=False) as db:
        yield db


@pytest.fixture
def sqlite_settings(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a throwaway SQLite file at head."""
    with throwaway_database("sqlite", settings, tmp_path, migrate=True) as db:
        yield db


@pytest.fixture
def pg_settings(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a throwaway PostgreSQL schema at head."""
    with throwaway_database("postgresql", settings, tmp_path, migrate=True) as db:
        yield db


def ensure_schema_in_child(settings: Settings, barrier: Any) -> None:
    """Run ensure_schema in a fresh process once every process is ready (multiprocessing)."""
    barrier.wait(timeout=300)  # spawned children import slowly on a busy machine
    ensure_schema(settings)
    dispose_engines()

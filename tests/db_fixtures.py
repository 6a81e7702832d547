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
at teardown. A PostgreSQL that is not reachable fails the test with the reason (never skips).

PYTEST_DONT_REWRITE: modules import helpers from here as well as naming it in pytest_plugins;
the marker keeps pytest from warning that it was imported before it could rewrite asserts.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, pool
from sqlalchemy.exc import OperationalError

from app.db.engine import dispose_engines
from app.db.migrate import ensure_schema, upgrade
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
def postgres_schema(settings: Settings, server_url: str = PG_TEST_URL) -> Iterator[Settings]:
    """`settings` pointing at a new PostgreSQL schema, dropped (CASCADE) on exit."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        poolclass=pool.NullPool,
        connect_args={"connect_timeout": 5},
    )
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
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


@contextmanager
def throwaway_database(
    backend: str, settings: Settings, directory: Path, *, migrate: bool
) -> Iterator[Settings]:
    if backend == "sqlite":
        db_settings = sqlite_database(settings, directory)
        try:
            if migrate:
                upgrade(db_settings)
            yield db_settings
        finally:
            dispose_engines()
    elif backend == "postgresql":
        with postgres_schema(settings) as db_settings:
            if migrate:
                upgrade(db_settings)
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

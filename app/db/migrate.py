"""Bring a database to the newest schema with Alembic, run from code rather than a CLI.

`upgrade(settings)` is what `chalk db upgrade` runs. `ensure_schema(settings)` is what the app,
workers and the CLI call at start: cheap once the database is at head (remembered per URL per
process), and safe when several threads or processes call it at once — PostgreSQL serialises
upgrades with a transaction-scoped advisory lock, SQLite with a file lock next to the database.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, text

from app.db.engine import get_engine, sqlite_path
from app.settings import Settings

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# The advisory-lock key is per schema, so tests in throwaway schemas do not queue up behind
# each other; hashtext() turns the text into the int4 key pg_advisory_xact_lock takes.
_PG_LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtext('chalk-migrate:' || current_schema()))")

_lock = threading.Lock()
_url_locks: dict[str, threading.Lock] = {}
_at_head: set[str] = set()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for Chalk's migrations; `connection` is shared with env.py."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision id the migrations define."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the initial migration always exists
        raise RuntimeError("no Alembic migrations found in " + str(MIGRATIONS_DIR))
    return head


def current_revision(settings: Settings) -> str | None:
    """The revision the database is at, or None when it has never been migrated."""
    with get_engine(settings).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_newer_than_code(revision: str | None) -> bool:
    """Whether `revision` is one this code does not know: the database was migrated by a newer
    release. Migrations only expand (new tables, nullable or defaulted columns) until the
    release after, so the previous release keeps working on it during a blue-green deploy."""
    if revision is None:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is None
    except CommandError:  # "Can't locate revision": Alembic's word for an unknown id
        return True


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Migrate `settings.database` up to `revision` (default: the newest)."""
    with _migration_lock(settings):
        _run(settings, "upgrade", revision)


def downgrade(settings: Settings, revision: str) -> None:
    """Migrate `settings.database` down to `revision` ("base" drops every table)."""
    with _migration_lock(settings):
        _run(settings, "downgrade", revision)


def ensure_schema(settings: Settings) -> None:
    """Make sure the database is at head; a no-op after the first success in this process."""
    url = settings.database
    if url in _at_head:
        return
    with _migration_lock(settings):
        if url in _at_head:
            return
        revision = current_revision(settings)
        if is_newer_than_code(revision):
            log.info("the database is at revision %s, newer than this release's", revision)
        elif revision != head_revision():
            _run(settings, "upgrade", "head")
        _at_head.add(url)


def _run(settings: Settings, action: str, revision: str) -> None:
    _at_head.discard(settings.database)
    engine = get_engine(settings)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction commits, i.e. until the migration is visible.
            connection.execute(_PG_LOCK_SQL)
        config = alembic_config(connection)
        if action == "upgrade":
            command.upgrade(config, revision)
        else:
            command.downgrade(config, revision)


@contextmanager
def _migration_lock(settings: Settings) -> Iterator[None]:
    """One migration at a time per URL in this process, and per SQLite file across processes.

    PostgreSQL's cross-process lock is the advisory lock `_run` takes inside the transaction.
    flock (not lockf) is used because it also excludes other threads that open the file.
    """
    url = settings.database
    with _lock:
        url_lock = _url_locks.setdefault(url, threading.Lock())
    with url_lock:
        path = sqlite_path(url)
        if path is None:
            yield
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".migrate.lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)


def _after_fork_in_child() -> None:
    # Another parent thread may have held these locks at fork time.
    global _lock, _url_locks
    _lock = threading.Lock()
    _url_locks = {}


os.register_at_fork(after_in_child=_after_fork_in_child)

"""One engine per database URL per process, and short transactional sessions.

SQLite (the embedded default) gets WAL and a busy timeout so the app, inline workers and the
CLI can share one file; PostgreSQL gets a sized, pre-pinged connection pool over psycopg 3.
A forked child (an RQ work-horse) starts with fresh pools and never touches its parent's
connections.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, StaticPool, create_engine, event, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import InfrastructureError
from app.settings import Settings, get_settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}

# Seconds: how long a PostgreSQL connect may take, and how old a pooled connection may get
# (load balancers and PgBouncer drop idle connections silently).
PG_CONNECT_TIMEOUT_S = 10
PG_POOL_RECYCLE_S = 1800
# Milliseconds a SQLite writer waits for another writer before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` URLs use psycopg 3, the driver Chalk ships with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    return url


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for in-memory and non-SQLite URLs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _create_private(path: Path) -> None:
    """Create the SQLite file mode 0600 if it is new: it holds password hashes and tokens.

    SQLite itself would create it 0644 (less the umask); its -wal and -shm files take the
    database file's mode, so they are private too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # an existing database keeps the mode its operator gave it


def make_engine(url: str, settings: Settings) -> Engine:
    """A new engine for `url` with the pool that suits its backend."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        sqlite_args: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
        if path is None:
            # In-memory: one shared connection, or every thread would see its own empty DB.
            engine = create_engine(url, connect_args=sqlite_args, poolclass=StaticPool)
        else:
            _create_private(path)
            engine = create_engine(url, connect_args=sqlite_args)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        # URL query parameters win over these defaults.
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
        if "application_name" not in parsed.query:
            connect_args["application_name"] = "chalk"
    return create_engine(
        url,
        connect_args=connect_args,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_pre_ping=True,
        pool_recycle=PG_POOL_RECYCLE_S,
    )


def _engine_and_factory(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    url = settings.database
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url, settings)
            _factories[url] = sessionmaker(_engines[url], expire_on_commit=False)
        return _engines[url], _factories[url]


def get_engine(settings: Settings | None = None) -> Engine:
    """The process-wide engine for `settings.database`, created on first use."""
    return _engine_and_factory(settings or get_settings())[0]


@contextmanager
def session_scope(settings: Settings | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = _engine_and_factory(settings or get_settings())[1]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DATABASE_DOWN_MESSAGE = "Chalk cannot reach its database right now; please try again in a minute."
"""What a teacher is told when the database is unreachable (the detail goes to the log)."""


@contextmanager
def outage_as_error() -> Iterator[None]:
    """Turn a lost or refused database connection into an InfrastructureError with one sentence.

    Wrap whole transactions (session_scope blocks): the failed one was rolled back, so nothing
    is half written, and a worker gives a job that meets it back to the queue.
    """
    try:
        yield
    except OperationalError as exc:
        log.error("the database is unreachable: %s", str(exc).splitlines()[0])
        raise InfrastructureError("internal", DATABASE_DOWN_MESSAGE, detail=str(exc)) from exc


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _factories.clear()


def _after_fork_in_child() -> None:
    # The parent's pooled sockets are shared after fork; closing them here would cut the
    # parent's connections, so the child only drops its references (close=False). The lock
    # may have been held by another parent thread at fork time.
    global _lock
    _lock = threading.Lock()
    for engine in _engines.values():
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork_in_child)

"""A DuckDB snapshot of Chalk's database for one date range: what the admin queries run on.

`load_snapshot(settings, start=..., end=...)` copies the rows the dashboard needs (usage
events, feedback, failed jobs' messages, users' names, videos' sizes) from the app database
(SQLite or PostgreSQL) into an in-memory DuckDB database, column by column with fixed types
and UTC timestamps. Every dashboard query then runs on DuckDB's columnar copy, so all of
them together take a fraction of a second even over a million events.

How rows get from the app database into DuckDB — the choice, and why:

1. **DuckDB's own scanners** (`sqlite_scanner` / `postgres_scanner`), preferred. They read
   the source in DuckDB's native threads (no Python loop, no GIL held against the Streamlit
   server), about twice as fast as fetching through a driver. DuckDB normally downloads them
   at run time, which fails offline and on locked-down hosts; so Chalk pins `duckdb` with the
   PyPI packages `duckdb-extension-sqlite` / `duckdb-extension-postgres` of the same version,
   never auto-installs, and LOADs the file by path under its canonical name (a symlink named
   `sqlite_scanner.duckdb_extension`, since DuckDB derives the entry point from the name).
2. **SQLAlchemy → Arrow**, the fallback when the extension package is missing or does not
   load (a platform without a wheel): the same SELECTs through the app's engine, column
   arrays handed to DuckDB as Arrow tables. Slower, but it needs nothing beyond the app.

`loader="auto"` tries 1 and falls back to 2 (with a log line); tests run both.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import duckdb
import pyarrow as pa
from sqlalchemy import column, make_url, select, table, text

from app.days import day_bounds
from app.db.engine import get_engine, normalize_url, sqlite_path
from app.settings import Settings

log = logging.getLogger(__name__)

Loader = Literal["auto", "scanner", "sqlalchemy"]
LOADERS: tuple[str, ...] = ("auto", "scanner", "sqlalchemy")

# Extension packages on PyPI and the canonical names DuckDB expects when loading by path.
EXTENSION_PACKAGES = {
    "sqlite": ("duckdb_extension_sqlite", "sqlite", "sqlite_scanner"),
    "postgresql": ("duckdb_extension_postgres", "postgres", "postgres_scanner"),
}


class AnalyticsError(RuntimeError):
    """The analytics snapshot could not be built; the message says what to do."""


@dataclass(frozen=True)
class DateRange:
    """A half-open UTC interval [start, end); None means unbounded on that side."""

    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        for moment in (self.start, self.end):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("DateRange needs timezone-aware datetimes (UTC)")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("the end of the date range is before its start")

    @classmethod
    def from_dates(cls, first: date | None, last: date | None) -> DateRange:
        """Whole UTC days from `first` to `last`, both included (what a date picker gives)."""
        return cls(*day_bounds(first, last))

    @classmethod
    def last_days(cls, days: int, *, now: datetime | None = None) -> DateRange:
        """The last `days` whole UTC days, today included."""
        today = (now or datetime.now(UTC)).astimezone(UTC).date()
        return cls.from_dates(today - timedelta(days=days - 1), today)

    def naive(self) -> tuple[datetime | None, datetime | None]:
        """The bounds as naive UTC datetimes (DuckDB TIMESTAMP values)."""
        return tuple(  # type: ignore[return-value]
            m.astimezone(UTC).replace(tzinfo=None) if m is not None else None
            for m in (self.start, self.end)
        )


@dataclass(frozen=True)
class _Table:
    """One table copied into the snapshot: source table, typed columns, time filter."""

    name: str
    source: str
    columns: tuple[tuple[str, str], ...]  # (column, DuckDB type)
    time_column: str | None = None
    where: str | None = None  # an extra filter in portable SQL


TABLES: tuple[_Table, ...] = (
    _Table(
        "events",
        "usage_events",
        (
            ("id", "BIGINT"),
            ("at", "TIMESTAMP"),
            ("kind", "VARCHAR"),
            ("user_id", "BIGINT"),
            ("job_id", "VARCHAR"),
            ("video_id", "VARCHAR"),
            ("generator", "VARCHAR"),
            ("template", "VARCHAR"),
            ("quality", "VARCHAR"),
            ("state", "VARCHAR"),
            ("error_kind", "VARCHAR"),
            ("render_s", "DOUBLE"),
            ("queue_wait_s", "DOUBLE"),
            ("attempts", "INTEGER"),
            ("cache_hit", "BOOLEAN"),
            ("prompt_tokens", "BIGINT"),
            ("completion_tokens", "BIGINT"),
        ),
        time_column="at",
    ),
    _Table(
        "feedback",
        "feedback",
        (
            ("id", "BIGINT"),
            ("video_id", "VARCHAR"),
            ("user_id", "BIGINT"),
            ("template", "VARCHAR"),
            ("generator", "VARCHAR"),
            ("rating", "INTEGER"),
            ("comment", "VARCHAR"),
            ("updated_at", "TIMESTAMP"),
        ),
        time_column="updated_at",
    ),
    # Only failed jobs, only what the failures table shows: kind, message and when.
    _Table(
        "failed_jobs",
        "jobs",
        (
            ("id", "VARCHAR"),
            ("error_kind", "VARCHAR"),
            ("error_message", "VARCHAR"),
            ("finished_at", "TIMESTAMP"),
        ),
        time_column="finished_at",
        where="state = 'failed'",
    ),
    _Table("users", "users", (("id", "BIGINT"), ("username", "VARCHAR"))),
    # Storage is what is stored now, whatever the date range.
    _Table(
        "videos",
        "videos",
        (
            ("id", "VARCHAR"),
            ("owner_id", "BIGINT"),
            ("item_id", "VARCHAR"),
            ("storage_key", "VARCHAR"),
            ("size_bytes", "BIGINT"),
            ("created_at", "TIMESTAMP"),
        ),
    ),
)


@dataclass
class Snapshot:
    """An in-memory DuckDB database with the tables in TABLES, for one date range.

    Use it as a context manager (or call `close`). `loader` says how it was filled, and
    `load_s` how long that took. Not shared between threads.
    """

    con: duckdb.DuckDBPyConnection
    range: DateRange
    loader: str
    llm_price_per_1k_tokens: float
    load_s: float = 0.0
    row_counts: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _new_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        ":memory:",
        config={
            # Never reach for the network: extensions come from PyPI packages, by path.
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "threads": max(1, min(4, os.cpu_count() or 1)),
        },
    )
    con.execute("SET TimeZone = 'UTC'")
    return con


_link_lock = threading.Lock()


def scanner_extension_path(backend: str, settings: Settings) -> Path:
    """The scanner extension file, under its canonical name, for `backend`.

    AnalyticsError when the PyPI package for this DuckDB version is not installed.
    """
    package, shipped, canonical = EXTENSION_PACKAGES[backend]
    version = duckdb.__version__
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise AnalyticsError(
            f"The DuckDB {shipped} scanner is not installed; "
            f"pip install {package.replace('_', '-')}=={version}."
        ) from None
    assert module.__file__ is not None
    source = (
        Path(module.__file__).parent / "extensions" / f"v{version}" / f"{shipped}.duckdb_extension"
    )
    if not source.is_file():
        raise AnalyticsError(
            f"The installed {package} does not match DuckDB {version}; "
            f"pip install {package.replace('_', '-')}=={version}."
        )
    link_dir = settings.data_dir / "duckdb" / f"v{version}"
    link = link_dir / f"{canonical}.duckdb_extension"
    with _link_lock:
        link_dir.mkdir(parents=True, exist_ok=True)
        if not (link.is_symlink() and link.resolve() == source.resolve()):
            tmp = link.with_name(f".{link.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(source)
            os.replace(tmp, link)
    return link


def _backend(settings: Settings) -> str:
    name = make_url(settings.database).get_backend_name()
    if name not in EXTENSION_PACKAGES:
        raise AnalyticsError(f"Analytics supports SQLite and PostgreSQL, not {name}.")
    return name


def _source_filter(table: _Table, bounds: tuple[datetime | None, datetime | None]) -> str:
    clauses = [table.where] if table.where else []
    if table.time_column is not None:
        column = f'"{table.time_column}"'
        if bounds[0] is not None:
            clauses.append(f"{column} >= $start")
        if bounds[1] is not None:
            clauses.append(f"{column} < $end")
    return " AND ".join(clauses)


def _select_typed(table: _Table, source: str, where: str) -> str:
    columns = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind in table.columns)
    return f"SELECT {columns} FROM {source}" + (f" WHERE {where}" if where else "")


def _params(where: str, bounds: tuple[datetime | None, datetime | None]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if "$start" in where:
        params["start"] = bounds[0]
    if "$end" in where:
        params["end"] = bounds[1]
    return params


def _load_with_scanner(con: duckdb.DuckDBPyConnection, settings: Settings, rng: DateRange) -> None:
    backend = _backend(settings)
    extension = scanner_extension_path(backend, settings)
    con.execute(f"LOAD '{_sql_string(str(extension))}'")
    if backend == "sqlite":
        path = sqlite_path(settings.database)
        if path is None:
            raise AnalyticsError("The DuckDB scanner cannot read an in-memory SQLite database.")
        con.execute(f"ATTACH '{_sql_string(str(path))}' AS src (TYPE sqlite, READ_ONLY)")
        prefix = "src"
    else:
        with get_engine(settings).connect() as connection:
            schema = connection.scalar(text("SELECT current_schema()"))
        url = make_url(normalize_url(settings.database)).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        con.execute(
            f"ATTACH '{_sql_string(conninfo)}' AS src "
            f"(TYPE postgres, READ_ONLY, SCHEMA '{_sql_string(str(schema))}')"
        )
        prefix = f'src."{schema}"'
    bounds = rng.naive()
    try:
        for table in TABLES:
            where = _source_filter(table, bounds)
            con.execute(
                f'CREATE TABLE "{table.name}" AS '
                + _select_typed(table, f'{prefix}."{table.source}"', where),
                _params(where, bounds),
            )
    finally:
        con.execute("DETACH src")


def _load_with_sqlalchemy(
    con: duckdb.DuckDBPyConnection, settings: Settings, rng: DateRange
) -> None:
    bounds = tuple(m.astimezone(UTC) if m is not None else None for m in (rng.start, rng.end))
    with get_engine(settings).connect() as connection:
        for spec in TABLES:
            columns: list[Any] = [column(name) for name, _kind in spec.columns]
            query = select(*columns).select_from(table(spec.source))
            if spec.where:
                query = query.where(text(spec.where))
            if spec.time_column is not None:
                if bounds[0] is not None:
                    query = query.where(column(spec.time_column) >= bounds[0])
                if bounds[1] is not None:
                    query = query.where(column(spec.time_column) < bounds[1])
            rows = connection.execute(query).all()
            data = list(zip(*rows, strict=True)) if rows else [() for _ in spec.columns]
            arrays = {}
            for (name, kind), values in zip(spec.columns, data, strict=True):
                if kind == "TIMESTAMP":
                    values = tuple(_naive_utc(v) for v in values)
                elif kind == "BOOLEAN":  # SQLite gives 0/1
                    values = tuple(None if v is None else bool(v) for v in values)
                arrays[name] = pa.array(values, type=_arrow_type(kind))
            raw = f"raw_{spec.name}"
            con.register(raw, pa.table(arrays))
            try:
                con.execute(f'CREATE TABLE "{spec.name}" AS ' + _select_typed(spec, raw, ""))
            finally:
                con.unregister(raw)


def _arrow_type(kind: str) -> Any:
    return {
        "BIGINT": pa.int64(),
        "INTEGER": pa.int32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "VARCHAR": pa.string(),
        "TIMESTAMP": pa.timestamp("us"),
    }[kind]


def _naive_utc(value: Any) -> Any:
    if isinstance(value, str):  # SQLite through a plain column() gives the stored text
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sql_string(value: str) -> str:
    return value.replace("'", "''")


def load_snapshot(
    settings: Settings,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    date_range: DateRange | None = None,
    loader: Loader = "auto",
) -> Snapshot:
    """Copy the rows of [start, end) (or `date_range`) into a new DuckDB snapshot.

    AnalyticsError with an actionable message when the database cannot be read.
    """
    if loader not in LOADERS:
        raise ValueError(f"unknown analytics loader {loader!r}; use one of {LOADERS}")
    rng = date_range or DateRange(start, end)
    started = clock.perf_counter()
    used = loader
    con = _new_connection()
    try:
        if loader in ("auto", "scanner"):
            try:
                _load_with_scanner(con, settings, rng)
                used = "scanner"
            except (AnalyticsError, duckdb.Error) as exc:
                if loader == "scanner":
                    raise AnalyticsError(
                        f"The DuckDB scanner could not read the database: {exc}"
                    ) from exc
                log.warning(
                    "analytics: DuckDB scanner unavailable (%s); reading via SQLAlchemy", exc
                )
                con.close()
                con = _new_connection()
                used = "sqlalchemy"
        if used == "sqlalchemy":
            _load_with_sqlalchemy(con, settings, rng)
    except BaseException:
        con.close()
        raise
    counts = {
        spec.name: int(con.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()[0])  # type: ignore[index]
        for spec in TABLES
    }
    return Snapshot(
        con=con,
        range=rng,
        loader=used,
        llm_price_per_1k_tokens=settings.llm_price_per_1k_tokens,
        load_s=clock.perf_counter() - started,
        row_counts=counts,
    )

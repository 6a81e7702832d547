"""`chalk backup OUT.tar.gz` and `chalk restore IN.tar.gz`: the database and local media.

A backup is a gzipped tar with `db/<table>.jsonl` (one JSON object per row, every table but
Alembic's), `media/<key>` (every file of the local media folder) and `manifest.json` (format,
schema revision, source backend, row counts, each media file's size and sha256). Rows are
plain JSON, so a backup restores into SQLite or PostgreSQL whichever it came from.

Consistent while the app runs: the rows are read from one snapshot — SQLite's online backup
API copies the file first, PostgreSQL reads every table in one REPEATABLE READ transaction —
and media is copied after the rows. Media files are written atomically and never change
(content-addressed), so every file the rows refer to is there unless it was deleted after
the snapshot (then it is listed under `missing_media`). Media in an S3 bucket is not copied:
back the bucket up with its own versioning or replication.

A restore goes into an empty database (or, with `replace`, deletes every row first, in the
same transaction): it brings the schema to the backup's revision, inserts the rows, resets
PostgreSQL's id sequences, upgrades to the current schema, and stores each media file after
checking its sha256. Stop the app and workers while restoring.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import logging
import os
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any, Literal

from alembic import command
from alembic.script import ScriptDirectory
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    make_url,
    select,
    text,
)
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import DBAPIError, StatementError

from app.db.engine import get_engine, make_engine, sqlite_path
from app.db.migrate import alembic_config, current_revision, downgrade, upgrade
from app.db.models import SEARCH_PREFIX
from app.settings import Settings
from app.storage import check_key, get_storage

log = logging.getLogger(__name__)

FORMAT = "chalk-backup"
FORMAT_VERSION = 1
BATCH_ROWS = 1000
SKIP_TABLES = {"alembic_version"}
CONTENT_TYPES = {".mp4": "video/mp4", ".png": "image/png", ".json": "application/json"}


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says what to do."""


@dataclass
class BackupSummary:
    """What a backup or restore did (printed by the CLI)."""

    path: str
    revision: str | None
    backend: str
    tables: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_bytes: int = 0
    missing_media: list[str] = field(default_factory=list)
    media_included: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "revision": self.revision,
            "backend": self.backend,
            "tables": self.tables,
            "rows": sum(self.tables.values()),
            "media_files": self.media_files,
            "media_bytes": self.media_bytes,
            "media_included": self.media_included,
            "missing_media": self.missing_media,
        }


# Rows as JSON -------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite keeps UTC without the zone
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    return value


def _decoder(column_type: Any) -> Any:
    if isinstance(column_type, sqltypes.DateTime):

        def parse(value: Any) -> Any:
            if value is None:
                return None
            moment = datetime.fromisoformat(value)
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

        return parse
    if isinstance(column_type, sqltypes.Boolean):
        return lambda value: None if value is None else bool(value)
    return None


def _reflect(connection: Connection) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    # The search index is derived: its triggers rebuild it as the videos are restored.
    return [
        t
        for t in metadata.sorted_tables
        if t.name not in SKIP_TABLES and not t.name.startswith(SEARCH_PREFIX)
    ]


def _ordered(table: Table) -> Any:
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def dump_rows(connection: Connection) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """(table, rows) for every table in dependency order, rows as JSON-ready dicts."""
    for table in _reflect(connection):
        result = connection.execution_options(yield_per=BATCH_ROWS).execute(_ordered(table))
        rows = ({key: _encode(value) for key, value in row._mapping.items()} for row in result)
        yield table.name, rows


@contextmanager
def _snapshot_connection(settings: Settings) -> Iterator[tuple[Connection, str]]:
    """A connection that sees one consistent state of the database, and its backend name."""
    url = settings.database
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is None:
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        with tempfile.TemporaryDirectory(prefix="chalk-backup-") as tmp:
            copy = Path(tmp) / "snapshot.db"
            source = sqlite3.connect(path, timeout=30)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)  # SQLite's online backup: one consistent copy
            finally:
                target.close()
                source.close()
            engine: Engine = create_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as connection:
                    yield connection, backend
            finally:
                engine.dispose()
        return
    with get_engine(settings).connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection, backend


# Backup -------------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _media_files(root: Path) -> list[Path]:
    """Every stored file under the local media folder (not the temp files of writes)."""
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".")
    )


def backup(settings: Settings, out: Path) -> BackupSummary:
    """Write a backup of the database and local media to `out` (a .tar.gz)."""
    revision = current_revision(settings)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    summary = BackupSummary(path=str(out), revision=revision, backend="")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "revision": revision,
        "tables": {},
        "media": {},
    }
    try:
        # 0600 from the first byte: the archive holds password hashes and every prompt.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(descriptor, "wb") as archive,
            tarfile.open(fileobj=archive, mode="w:gz", compresslevel=6) as tar,
        ):
            referenced: set[str] = set()
            with _snapshot_connection(settings) as (connection, backend):
                summary.backend = manifest["backend"] = backend
                for name, rows in dump_rows(connection):
                    count = 0
                    with tempfile.TemporaryFile() as buffer:
                        for row in rows:
                            buffer.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
                            count += 1
                            if name == "videos":
                                referenced.update((row["storage_key"], row["thumbnail_key"]))
                        info = tarfile.TarInfo(f"db/{name}.jsonl")
                        info.size = buffer.tell()
                        info.mode = 0o600
                        buffer.seek(0)
                        tar.addfile(info, buffer)
                    manifest["tables"][name] = count
                    summary.tables[name] = count
            if settings.s3_bucket:
                summary.media_included = False
                manifest["media_included"] = False
                manifest["media_note"] = f"media is in the S3 bucket {settings.s3_bucket}"
            else:
                manifest["media_included"] = True
                root = settings.media_root
                for path in _media_files(root):
                    key = path.relative_to(root).as_posix()
                    try:
                        check_key(key)
                        file = open(path, "rb")  # noqa: SIM115 - closed below
                    except (ValueError, FileNotFoundError):
                        continue  # deleted since the listing, or not a media key
                    with file:
                        stat = os.fstat(file.fileno())
                        info = tarfile.TarInfo(f"media/{key}")
                        info.size = stat.st_size
                        info.mtime = int(stat.st_mtime)
                        info.mode = 0o600
                        reader = _HashingReader(file)
                        tar.addfile(info, reader)
                    manifest["media"][key] = {
                        "bytes": stat.st_size,
                        "sha256": reader.sha256.hexdigest(),
                    }
                    summary.media_files += 1
                    summary.media_bytes += stat.st_size
                summary.missing_media = sorted(referenced - set(manifest["media"]))
                manifest["missing_media"] = summary.missing_media
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if summary.missing_media:
        log.warning("backup: %d referenced media files were gone", len(summary.missing_media))
    return summary


# Restore ------------------------------------------------------------------------------------

MANIFEST_MAX_BYTES = 16 << 20
"""A manifest lists one line per media file; anything far larger is not a Chalk manifest."""
DAMAGED = "This backup file is damaged or cut short; use another copy or make a new backup."
INT_RANGES = {sqltypes.SmallInteger: 15, sqltypes.BigInteger: 63, sqltypes.Integer: 31}
"""Signed bits of each integer type (PostgreSQL refuses more; checked before writing)."""


class MediaEntry(BaseModel):
    model_config = ConfigDict(strict=True, populate_by_name=True)
    size: int = Field(alias="bytes", ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    """manifest.json, checked strictly: every later check trusts these types."""

    model_config = ConfigDict(strict=True, extra="ignore")
    format: Literal["chalk-backup"]
    version: Literal[1]
    revision: str
    backend: str = ""
    tables: dict[str, Annotated[int, Field(ge=0)]]
    media: dict[str, MediaEntry] = Field(default_factory=dict)
    media_included: bool = True
    missing_media: list[str] = Field(default_factory=list)


def read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise BackupError("This file is not a Chalk backup (it has no manifest.json).") from None
    file = tar.extractfile(member) if member.isreg() else None
    if file is None or member.size > MANIFEST_MAX_BYTES:
        raise BackupError("This Chalk backup's manifest is damaged.")
    try:
        data = json.loads(file.read())
    except (ValueError, RecursionError):
        raise BackupError("This Chalk backup's manifest is damaged.") from None
    found = data if isinstance(data, dict) else {}
    if found.get("format") != FORMAT or found.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format {found.get('format')} v{found.get('version')}; "
            f"this Chalk reads {FORMAT} v{FORMAT_VERSION}."
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        log.info("restore: the manifest does not validate: %s", exc)
        raise BackupError("This Chalk backup's manifest is damaged.") from None


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _row_total(connection: Connection, tables: list[Table]) -> int:
    return sum(connection.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, sqltypes.Integer):
                connection.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f'coalesce(max("{column.name}"), 1), max("{column.name}") IS NOT NULL) '
                        f'FROM "{table.name}"'
                    ),
                    {"table": table.name, "column": column.name},
                )


def _check_members(
    tar: tarfile.TarFile, manifest: Manifest, tables: list[Table]
) -> dict[str, tarfile.TarInfo]:
    """Every member by name, once each refused unless it is one a Chalk backup holds: the
    manifest, a table of the backup's schema, or a media file the manifest lists with its size.
    """
    table_members = {f"db/{table.name}.jsonl" for table in tables}
    if not {f"db/{name}.jsonl" for name in manifest.tables} <= table_members:
        raise BackupError("This backup lists tables its schema revision does not have.")
    members: dict[str, tarfile.TarInfo] = {}
    for member in tar.getmembers():  # reads the whole index: a cut-off file shows here
        name = member.name
        shown = repr(name[:80])
        if name in members:
            raise BackupError(f"The backup holds {shown} twice.")
        if not member.isreg():
            raise BackupError(f"The backup holds {shown}, which is not a regular file.")
        if name.startswith("media/"):
            key = name.removeprefix("media/")
            entry = manifest.media.get(key)
            if entry is None or not _safe_key(key):
                raise BackupError(f"The backup holds {shown}, which its manifest does not list.")
            if member.size != entry.size:
                raise BackupError(f"The backup's {shown} is not the size its manifest says.")
        elif name != "manifest.json" and name not in table_members:
            raise BackupError(f"The backup holds {shown}, which a Chalk backup never has.")
        members[name] = member
    if any(f"media/{key}" not in members for key in manifest.media):
        raise BackupError("The backup lacks media files its manifest lists.")
    return members


def _safe_key(key: str) -> bool:
    try:
        check_key(key)
    except ValueError:
        return False
    return True


def _fit(column: Any, value: Any, where: str) -> Any:
    """`value` as the column takes it, or BackupError if it cannot go into the column."""
    kind = column.type
    if value is None:
        if column.nullable:
            return None
    elif isinstance(kind, sqltypes.DateTime):
        if isinstance(value, str):
            with contextlib.suppress(ValueError, OverflowError):
                return _decoder(kind)(value)
    elif isinstance(kind, sqltypes.Boolean):
        if value in (0, 1) and isinstance(value, int):
            return bool(value)
    elif isinstance(kind, sqltypes.Integer):
        bits = next(b for t, b in INT_RANGES.items() if isinstance(kind, t))
        if isinstance(value, int) and not isinstance(value, bool) and -(2**bits) <= value < 2**bits:
            return value
    elif isinstance(kind, sqltypes.String):
        short_enough = kind.length is None or len(str(value)) <= kind.length
        if isinstance(value, str) and "\x00" not in value and short_enough:
            return value
    elif isinstance(kind, (sqltypes.Float, sqltypes.Numeric)):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    else:
        return value  # JSON and other types take any JSON value
    return _unfit(column, where)


def _unfit(column: Any, where: str) -> Any:
    raise BackupError(f"The backup's {where} has a value that does not fit {column}.")


def _rows(tar: tarfile.TarFile, member: tarfile.TarInfo, table: Table) -> Iterator[dict[str, Any]]:
    """The member's rows, each checked to have exactly the table's columns with fitting values."""
    file = tar.extractfile(member)
    assert file is not None  # a regular file (checked)
    columns = {column.name: column for column in table.columns}
    for number, line in enumerate(file, 1):
        where = f"line {number} of {member.name}"
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            raise BackupError(f"The backup's {where} is not a JSON row.") from None
        if not isinstance(row, dict) or set(row) != set(columns):
            raise BackupError(f"The backup's {where} does not have the columns of {table.name}.")
        yield {name: _fit(columns[name], value, where) for name, value in row.items()}


def _load_rows(
    connection: Connection,
    tar: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    manifest: Manifest,
) -> dict[str, int]:
    """Insert every table's rows (dependency order); the caller's transaction holds them."""
    counts: dict[str, int] = {}
    tables = _reflect(connection)
    for table in tables:
        count = 0
        member = members.get(f"db/{table.name}.jsonl")
        rows = _rows(tar, member, table) if member is not None else iter(())
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            try:
                connection.execute(insert(table), batch)
            except (DBAPIError, StatementError) as exc:
                log.info("restore: rows of %s refused: %s", table.name, exc)
                raise BackupError(
                    f"Rows of db/{table.name}.jsonl break the table's rules (a duplicate, a "
                    "missing value or a reference to nothing)."
                ) from None
            count += len(batch)
        expected = manifest.tables.get(table.name, 0)
        if count != expected:
            raise BackupError(
                f"db/{table.name}.jsonl has {count} rows, the manifest says {expected}."
            )
        counts[table.name] = count
    _reset_sequences(connection, tables)
    return counts


def _verified_media(
    tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo], manifest: Manifest
) -> Iterator[tuple[str, Path]]:
    """(key, a temp file with its bytes) for each media file, after checking its sha256."""
    for key, entry in manifest.media.items():
        source = tar.extractfile(members[f"media/{key}"])
        assert source is not None  # a regular file (checked)
        with tempfile.NamedTemporaryFile(prefix="chalk-restore-") as tmp:
            digest = hashlib.sha256()
            for chunk in iter(lambda: source.read(1 << 20), b""):  # noqa: B023
                digest.update(chunk)
                tmp.write(chunk)
            tmp.flush()
            if digest.hexdigest() != entry.sha256:
                raise BackupError(f"media/{key} is damaged (its sha256 does not match).")
            yield key, Path(tmp.name)


_schemas: dict[str, bytes] = {}
"""An empty SQLite database at each schema revision, made once per process."""


@contextmanager
def _scratch_database(settings: Settings, revision: str) -> Iterator[Engine]:
    """A throwaway SQLite database at `revision`, with foreign keys on, to load rows into."""
    with tempfile.TemporaryDirectory(prefix="chalk-restore-check-") as tmp:
        path = Path(tmp) / "check.db"
        if revision not in _schemas:
            engine = make_engine(f"sqlite:///{path}", settings)
            try:
                with engine.begin() as connection:
                    command.upgrade(alembic_config(connection), revision)
            finally:
                engine.dispose()  # the last connection's close folds the WAL into the file
            _schemas[revision] = path.read_bytes()
        else:
            path.write_bytes(_schemas[revision])
        engine = make_engine(f"sqlite:///{path}", settings)
        try:
            yield engine
        finally:
            engine.dispose()


def _check_archive(
    tar: tarfile.TarFile, manifest: Manifest, settings: Settings
) -> dict[str, tarfile.TarInfo]:
    """Everything a restore will write, checked without writing it: members, every row loaded
    into a scratch database of the backup's schema, every media file's hash."""
    with _scratch_database(settings, manifest.revision) as scratch, scratch.begin() as connection:
        members = _check_members(tar, manifest, _reflect(connection))
        _load_rows(connection, tar, members, manifest)
    for _key, _path in _verified_media(tar, members, manifest):
        pass
    return members


def verify_backup(settings: Settings, archive: Path) -> Manifest:
    """Read `archive` back as a restore would, writing nothing: every member, every row (into
    a scratch database of the backup's schema, counted against the manifest) and every media
    file's sha256. Raises BackupError when any of it fails."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = read_manifest(tar)
            _check_archive(tar, manifest, settings)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        log.info("verify: reading %s failed: %r", archive, exc)
        raise BackupError(DAMAGED) from None
    return manifest


def restore(settings: Settings, archive: Path, *, replace: bool = False) -> BackupSummary:
    """Restore `archive` into the database and media store of `settings`.

    The whole archive is checked first; a refused backup leaves the database and media as
    they were. Rows are written in one transaction, media files atomically, after the rows.
    """
    if not archive.is_file():
        raise BackupError(f"There is no backup at {archive}.")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"{archive} is not a readable .tar.gz backup ({exc}).") from None
    with tar:
        try:
            manifest = read_manifest(tar)
            if manifest.revision not in _known_revisions():
                raise BackupError(
                    f"This backup has schema revision {manifest.revision[:40]!r}, which this "
                    "Chalk does not know: restore it with the Chalk version that made it, or "
                    "a newer one."
                )
            engine = get_engine(settings)
            current = current_revision(settings)
            if current is not None and not replace:
                with engine.connect() as connection:
                    existing = _row_total(connection, _reflect(connection))
                if existing:
                    raise BackupError(
                        f"The database already holds {existing} rows: restore into an empty "
                        "database, or pass --replace to delete them first."
                    )
            members = _check_archive(tar, manifest, settings)
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            log.info("restore: reading %s failed: %r", archive, exc)
            raise BackupError(DAMAGED) from None
        return _write(settings, tar, manifest, members, current, replace=replace)


def _write(
    settings: Settings,
    tar: tarfile.TarFile,
    manifest: Manifest,
    members: dict[str, tarfile.TarInfo],
    current: str | None,
    *,
    replace: bool,
) -> BackupSummary:
    summary = BackupSummary(
        path=str(tar.name),
        revision=manifest.revision,
        backend=manifest.backend,
        media_included=manifest.media_included,
    )
    if current is not None and current != manifest.revision:
        # Rows of another schema revision cannot be kept; start from nothing.
        log.info("restore: dropping the existing schema (revision %s)", current)
        downgrade(settings, "base")
        current = None
    if current is None:
        upgrade(settings, manifest.revision)
    with get_engine(settings).begin() as connection:
        if replace:
            for table in reversed(_reflect(connection)):
                connection.execute(table.delete())
        summary.tables = _load_rows(connection, tar, members, manifest)
    upgrade(settings)
    storage = get_storage(settings)
    for key, path in _verified_media(tar, members, manifest):
        content_type = CONTENT_TYPES.get(Path(key).suffix, "application/octet-stream")
        storage.put_file(key, path, content_type)
        summary.media_files += 1
        summary.media_bytes += manifest.media[key].size
    summary.missing_media = list(manifest.missing_media)
    return summary

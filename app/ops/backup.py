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

import hashlib
import io
import json
import logging
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, func, insert, select
from sqlalchemy import types as sqltypes

from app.settings import Settings

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
    return [t for t in metadata.sorted_tables if t.name not in SKIP_TABLES]


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
    from sqlalchemy import make_url

    from app.db.engine import get_engine, sqlite_path

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
    from app.db.migrate import current_revision, ensure_schema
    from app.storage import check_key

    ensure_schema(settings)
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
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
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


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise BackupError("This file is not a Chalk backup (it has no manifest.json).") from None
    file = tar.extractfile(member)
    if file is None:
        raise BackupError("This Chalk backup's manifest is damaged.")
    manifest = json.loads(file.read())
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format {manifest.get('format')} v{manifest.get('version')}; "
            f"this Chalk reads {FORMAT} v{FORMAT_VERSION}."
        )
    return manifest


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from app.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _row_total(connection: Connection, tables: list[Table]) -> int:
    return sum(connection.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import text

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


def _media_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str | None:
    from app.storage import check_key

    if not member.name.startswith("media/"):
        return None
    if not member.isfile():
        raise BackupError(f"The backup holds {member.name}, which is not a regular file.")
    key = member.name.removeprefix("media/")
    try:
        return check_key(key)
    except ValueError:
        raise BackupError(f"The backup holds an unsafe media name: {member.name}.") from None


def restore(settings: Settings, archive: Path, *, replace: bool = False) -> BackupSummary:
    """Restore `archive` into the database and media store of `settings`."""
    from app.db.engine import get_engine
    from app.db.migrate import current_revision, downgrade, upgrade
    from app.storage import get_storage

    if not archive.is_file():
        raise BackupError(f"There is no backup at {archive}.")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} is not a readable .tar.gz backup ({exc}).") from None
    with tar:
        manifest = read_manifest(tar)
        revision = manifest["revision"]
        if revision not in _known_revisions():
            raise BackupError(
                f"This backup has schema revision {revision}, which this Chalk does not know: "
                "restore it with the Chalk version that made it, or a newer one."
            )
        summary = BackupSummary(
            path=str(archive),
            revision=revision,
            backend=manifest.get("backend", ""),
            media_included=bool(manifest.get("media_included", True)),
        )
        engine = get_engine(settings)
        current = current_revision(settings)
        if current is not None:
            with engine.connect() as connection:
                existing = _row_total(connection, _reflect(connection))
            if existing and not replace:
                raise BackupError(
                    f"The database already holds {existing} rows: restore into an empty "
                    "database, or pass --replace to delete them first."
                )
            if current != revision and existing and replace:
                # Rows of another schema revision cannot be kept; start from nothing.
                log.info("restore: dropping the existing schema (revision %s)", current)
            if current != revision:
                downgrade(settings, "base")
                current = None
        if current is None:
            upgrade(settings, revision)
        members = {m.name: m for m in tar.getmembers()}
        with engine.begin() as connection:
            tables = _reflect(connection)
            if replace:
                for table in reversed(tables):
                    connection.execute(table.delete())
            for table in tables:
                count = 0
                member = members.get(f"db/{table.name}.jsonl")
                if member is None:
                    if manifest["tables"].get(table.name):
                        raise BackupError(f"The backup is missing db/{table.name}.jsonl.")
                    continue
                file = tar.extractfile(member)
                assert file is not None
                decoders = {c.name: _decoder(c.type) for c in table.columns}
                batch: list[dict[str, Any]] = []
                for line in file:
                    row = json.loads(line)
                    for name, decode in decoders.items():
                        if decode is not None and name in row:
                            row[name] = decode(row[name])
                    batch.append(row)
                    if len(batch) >= BATCH_ROWS:
                        connection.execute(insert(table), batch)
                        count += len(batch)
                        batch = []
                if batch:
                    connection.execute(insert(table), batch)
                    count += len(batch)
                expected = manifest["tables"].get(table.name, 0)
                if count != expected:
                    raise BackupError(
                        f"db/{table.name}.jsonl has {count} rows, the manifest says {expected}."
                    )
                summary.tables[table.name] = count
            _reset_sequences(connection, tables)
        upgrade(settings)
        storage = get_storage(settings)
        expected_media: dict[str, Any] = manifest.get("media", {})
        for member in tar.getmembers():
            key = _media_member(tar, member)
            if key is None:
                continue
            wanted = expected_media.get(key)
            if wanted is None:
                raise BackupError(f"media/{key} is in the backup but not in its manifest.")
            source = tar.extractfile(member)
            assert source is not None
            with tempfile.NamedTemporaryFile(prefix="chalk-restore-") as tmp:
                digest = hashlib.sha256()
                for chunk in iter(lambda: source.read(1 << 20), b""):  # noqa: B023
                    digest.update(chunk)
                    tmp.write(chunk)
                tmp.flush()
                if digest.hexdigest() != wanted["sha256"]:
                    raise BackupError(f"media/{key} is damaged (its sha256 does not match).")
                content_type = CONTENT_TYPES.get(Path(key).suffix, "application/octet-stream")
                storage.put_file(key, Path(tmp.name), content_type)
            summary.media_files += 1
            summary.media_bytes += member.size
        missing = set(expected_media) - {
            m.name.removeprefix("media/") for m in members.values() if m.name.startswith("media/")
        }
        if missing:
            raise BackupError(f"The backup lacks {len(missing)} media files its manifest lists.")
        summary.missing_media = list(manifest.get("missing_media", []))
    return summary

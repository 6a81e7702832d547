"""`chalk backup --schedule`: a verified backup every day, old ones thinned out, a copy in S3.

One long-running loop (the Compose `backup` service) that keeps no state of its own: what is
due and what to keep are read from the archives' names (`chalk-YYYYMMDDTHHMMSSZ.tar.gz`),
so a restart loses nothing and never backs up twice in a row. Each pass:

1. `backup()` into the backup dir (app/ops/backup.py; consistent while the app runs);
2. verifies the archive by reading it back as a restore would (every row loaded into a
   scratch database, every media file's sha256), and deletes it if that fails;
3. copies it to the S3 bucket under `backups/` when media is in S3, and reads the copy's
   sha256 back;
4. keeps the newest archive of each of the last N days and M ISO weeks (`keep()`), here and
   in the bucket, and deletes the rest;
5. records the success in `last-success.json`, which `chalk_backup_last_success_timestamp_seconds`
   reports (the alert `ChalkBackupTooOld` fires past 26 hours).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.ops.backup import BackupError, BackupSummary, backup, verify_backup
from app.ops.backup_status import last_success, write_status
from app.settings import Settings
from app.storage import S3Storage, get_storage

log = logging.getLogger(__name__)

NAME_FORMAT = "chalk-%Y%m%dT%H%M%SZ.tar.gz"
NAME_PATTERN = re.compile(r"^chalk-(\d{8}T\d{6}Z)\.tar\.gz$")
S3_FOLDER = "backups"
RETRY_AFTER_S = 15 * 60
"""After a failed pass, the next try comes this much later (not a whole interval)."""
CHECK_EVERY_S = 5 * 60
"""The loop wakes at least this often, so a changed clock or setting is seen soon."""


# Pure parts: names, retention, when the next backup is due ----------------------------------


def archive_name(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(NAME_FORMAT)


def archive_time(name: str) -> datetime | None:
    """The time in a scheduled archive's name, or None for any other file."""
    match = NAME_PATTERN.match(name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def keep(times: Iterable[datetime], *, daily: int, weekly: int) -> set[datetime]:
    """The backups to keep: the newest of each of the `daily` most recent days that have one,
    and the newest of each of the `weekly` most recent ISO weeks that have one (UTC)."""
    newest_first = sorted(set(times), reverse=True)
    kept: set[datetime] = set()
    for limit, period in ((daily, _day), (weekly, _week)):
        seen: set[tuple[int, ...]] = set()
        for moment in newest_first:
            key = period(moment)
            if key in seen:
                continue
            if len(seen) == limit:
                break
            seen.add(key)
            kept.add(moment)
    return kept


def _day(moment: datetime) -> tuple[int, ...]:
    return moment.timetuple()[:3]


def _week(moment: datetime) -> tuple[int, ...]:
    year, week, _ = moment.isocalendar()
    return (year, week)


def next_due(last: datetime | None, *, interval: timedelta) -> datetime | None:
    """When the next backup is due: None (now) when there is none yet."""
    return None if last is None else last + interval


# One pass ----------------------------------------------------------------------------------


@dataclass
class PassResult:
    """What one scheduled pass did (logged, and returned to tests)."""

    archive: Path
    summary: BackupSummary
    s3_key: str | None
    deleted: list[str]


def local_archives(directory: Path) -> dict[datetime, Path]:
    if not directory.is_dir():
        return {}
    found = {}
    for path in directory.iterdir():
        moment = archive_time(path.name)
        if moment is not None and path.is_file():
            found[moment] = path
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _s3(settings: Settings) -> S3Storage | None:
    storage = get_storage(settings)
    return storage if isinstance(storage, S3Storage) else None


def s3_archives(storage: S3Storage) -> dict[datetime, str]:
    """Scheduled archives in the bucket (time → media key under backups/)."""
    found = {}
    paginator = storage.client.get_paginator("list_objects_v2")
    prefix = storage.object_key(S3_FOLDER) + "/"
    for page in paginator.paginate(Bucket=storage.bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            name = item["Key"][len(prefix) :]
            moment = archive_time(name)
            if moment is not None:
                found[moment] = f"{S3_FOLDER}/{name}"
    return found


def _copy_to_s3(storage: S3Storage, archive: Path, scratch: Path) -> str:
    key = f"{S3_FOLDER}/{archive.name}"
    storage.put_file(key, archive, "application/gzip")
    # Read the copy back: a bucket that accepted a short or damaged upload is caught here.
    copy = scratch / f".{archive.name}.s3-check"
    try:
        storage.get_file(key, copy)
        if _sha256(copy) != _sha256(archive):
            storage.delete(key)
            raise BackupError(f"The copy of {archive.name} in the bucket differs from the file.")
    finally:
        copy.unlink(missing_ok=True)
    return key


def run_pass(settings: Settings, *, now: datetime) -> PassResult:
    """Back up, verify, copy, thin out and record one success (raises on any failure)."""
    directory = settings.backup_root
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / archive_name(now)
    summary = backup(settings, archive)
    try:
        verify_backup(settings, archive)
    except BaseException:
        archive.unlink(missing_ok=True)
        raise
    storage = _s3(settings)
    s3_key = _copy_to_s3(storage, archive, directory) if storage else None

    daily, weekly = settings.backup_keep_daily, settings.backup_keep_weekly
    deleted = []
    local = local_archives(directory)
    for moment in set(local) - keep(local, daily=daily, weekly=weekly):
        local[moment].unlink(missing_ok=True)
        deleted.append(local[moment].name)
    if storage:
        remote = s3_archives(storage)
        for moment in set(remote) - keep(remote, daily=daily, weekly=weekly):
            storage.delete(remote[moment])
            deleted.append(remote[moment])
    write_status(directory, moment=now, archive=archive, s3_key=s3_key)
    log.info(
        "scheduled backup %s: %d rows, %d media files, verified%s; deleted %d old",
        archive.name,
        sum(summary.tables.values()),
        summary.media_files,
        f", copied to s3 {s3_key}" if s3_key else "",
        len(deleted),
    )
    return PassResult(archive=archive, summary=summary, s3_key=s3_key, deleted=sorted(deleted))


def run_schedule(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    passes: int | None = None,
) -> None:
    """Loop forever (or for `passes` backups, tests): back up whenever one is due."""
    interval = timedelta(hours=settings.backup_interval_h)
    retry_at: datetime | None = None
    done = 0
    while passes is None or done < passes:
        now = clock()
        due = next_due(last_success(settings.backup_root), interval=interval)
        if retry_at is not None and (due is None or retry_at > due):
            due = retry_at
        if due is None or now >= due:
            done += 1
            try:
                run_pass(settings, now=now)
                retry_at = None
            except Exception:
                log.exception("scheduled backup failed; trying again in %d s", RETRY_AFTER_S)
                retry_at = now + timedelta(seconds=RETRY_AFTER_S)
            continue
        sleep(max(1.0, min((due - now).total_seconds(), CHECK_EVERY_S)))

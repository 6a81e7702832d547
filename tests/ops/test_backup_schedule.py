"""`chalk backup --schedule`: which backups are kept (a pure rule, checked with a clock), when
one is due, the verified pass with its S3 copy, the last-success metric, and the restore drill
(the newest scheduled backup restores into a fresh database with every row and media hash)."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from app.cli import build_parser, main
from app.ops import backup_schedule
from app.ops.backup import BackupError, restore, verify_backup
from app.ops.backup_schedule import (
    archive_name,
    archive_time,
    keep,
    local_archives,
    next_due,
    run_pass,
    run_schedule,
    s3_archives,
)
from app.ops.backup_status import last_success, write_status
from app.ops.metrics import METRIC_NAMES, serve_backup_metrics
from app.settings import Settings
from app.storage import S3Storage
from tests.db_fixtures import throwaway_database
from tests.helpers import free_port
from tests.ops.test_backup import media_hashes, populate, table_rows
from tests.test_storage import new_bucket, s3_settings

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # a Monday, 02:00 UTC


# The retention rule ---------------------------------------------------------------------------


def test_keep_holds_the_newest_of_each_recent_day_and_week():
    # One backup a day for 60 days, and a second (later) one on the last day.
    times = [START + timedelta(days=n) for n in range(60)]
    extra = times[-1] + timedelta(hours=5)
    kept = keep([*times, extra], daily=7, weekly=4)
    newest_days = {extra, *times[-7:-1]}  # the last day's newest, then the 6 days before
    # The newest of each of the 4 most recent ISO weeks: the last day's, then Sundays.
    sundays = {t for t in times if t.isoweekday() == 7}
    week_ends = {extra, *sorted(sundays)[-3:]}
    assert kept == newest_days | week_ends
    assert times[-1] not in kept  # the earlier of two on one day goes
    assert len(kept) == 7 + 3 - len(newest_days & set(sorted(sundays)[-3:]))


def test_keep_with_fewer_backups_than_the_limits_keeps_them_all():
    times = [START, START + timedelta(days=1)]
    assert keep(times, daily=7, weekly=4) == set(times)
    assert keep([], daily=7, weekly=4) == set()
    # No weekly copies: only the last N days survive.
    month = [START + timedelta(days=n) for n in range(30)]
    assert keep(month, daily=3, weekly=0) == set(month[-3:])


def test_names_carry_their_time_and_other_files_are_ignored():
    assert archive_name(START) == "chalk-20260302T020000Z.tar.gz"
    assert archive_time(archive_name(START)) == START
    for other in ("chalk.tar.gz", "last-success.json", ".chalk-20260302T020000Z.tar.gz.1.partial"):
        assert archive_time(other) is None


def test_next_due_is_now_without_a_backup_then_one_interval_later():
    assert next_due(None, interval=timedelta(hours=24)) is None
    assert next_due(START, interval=timedelta(hours=24)) == START + timedelta(days=1)


# The loop, with a clock ------------------------------------------------------------------------


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


def test_the_loop_backs_up_daily_retries_failures_and_thins_out(settings, monkeypatch):
    settings = settings.model_copy(update={"backup_keep_daily": 2, "backup_keep_weekly": 1})
    clock = FakeClock(START)
    made: list[datetime] = []
    fail_at = {START + timedelta(days=1)}

    def fake_pass(cfg: Settings, *, now: datetime) -> None:
        if now in fail_at:
            raise BackupError("the disk is full")
        made.append(now)
        write_status(cfg.backup_root, moment=now, archive=archive, s3_key=None)

    settings.backup_root.mkdir(parents=True)
    archive = settings.backup_root / "probe"
    archive.write_bytes(b"x")
    monkeypatch.setattr(backup_schedule, "run_pass", fake_pass)
    run_schedule(settings, clock=clock, sleep=clock.sleep, passes=4)
    # Day 0 at once; day 1 fails, retried 15 minutes later; then a day after that success.
    assert made == [
        START,
        START + timedelta(days=1, minutes=15),
        START + timedelta(days=2, minutes=15),
    ]
    assert max(clock.slept) <= backup_schedule.CHECK_EVERY_S
    assert last_success(settings.backup_root) == made[-1]


def test_a_restarted_scheduler_does_not_back_up_again_before_it_is_due(settings, monkeypatch):
    settings.backup_root.mkdir(parents=True)
    archive = settings.backup_root / "probe"
    archive.write_bytes(b"x")
    write_status(settings.backup_root, moment=START, archive=archive, s3_key=None)
    clock = FakeClock(START + timedelta(hours=23))
    made: list[datetime] = []
    monkeypatch.setattr(backup_schedule, "run_pass", lambda cfg, *, now: made.append(now))
    run_schedule(settings, clock=clock, sleep=clock.sleep, passes=1)
    assert made == [START + timedelta(days=1)]


# A real pass -----------------------------------------------------------------------------------


def old_archive(directory: Path, moment: datetime) -> Path:
    path = directory / archive_name(moment)
    path.write_bytes(b"an older backup")
    return path


def test_a_pass_makes_a_verified_backup_thins_out_and_records_success(sqlite_settings):
    settings = sqlite_settings.model_copy(update={"backup_keep_daily": 2, "backup_keep_weekly": 2})
    populate(settings)
    directory = settings.backup_root
    directory.mkdir(parents=True)
    # Ten days of older backups (one a day), the newest of them yesterday.
    olds = [old_archive(directory, START - timedelta(days=n)) for n in range(1, 11)]
    result = run_pass(settings, now=START)
    assert result.archive == directory / archive_name(START)
    assert verify_backup(settings, result.archive).tables == result.summary.tables
    kept = {p.name for p in local_archives(directory).values()}
    # Today and yesterday (daily); this ISO week's newest is today, last week's is Sunday.
    assert kept == {result.archive.name, olds[0].name}
    assert sorted(result.deleted) == sorted(p.name for p in olds[1:])
    status = json.loads((directory / "last-success.json").read_text())
    assert status["archive"] == result.archive.name and status["s3_key"] is None
    assert last_success(directory) == START


def test_an_archive_that_does_not_read_back_is_deleted_and_not_a_success(
    sqlite_settings, monkeypatch
):
    def damaged(cfg: Settings, archive: Path) -> None:
        archive.write_bytes(archive.read_bytes()[:100])  # what a failing disk leaves
        verify_backup(cfg, archive)

    monkeypatch.setattr(backup_schedule, "verify_backup", damaged)
    with pytest.raises(BackupError, match="damaged or cut short"):
        run_pass(sqlite_settings, now=START)
    assert local_archives(sqlite_settings.backup_root) == {}
    assert last_success(sqlite_settings.backup_root) is None


def test_with_media_in_s3_the_backup_is_copied_read_back_and_thinned_there(tmp_path, moto_endpoint):
    bucket = new_bucket(moto_endpoint)
    settings = s3_settings(
        tmp_path, moto_endpoint, bucket, backup_keep_daily=1, backup_keep_weekly=0
    )
    storage = S3Storage(settings)
    with throwaway_database("sqlite", settings, tmp_path / "db", migrate=True) as db:
        populate(db)
        first = run_pass(db, now=START)
        assert first.s3_key == f"backups/{first.archive.name}"
        assert storage.read_bytes(first.s3_key) == first.archive.read_bytes()
        second = run_pass(db, now=START + timedelta(days=1))
    assert set(s3_archives(storage).values()) == {second.s3_key}
    assert f"backups/{first.archive.name}" in second.deleted
    assert not first.archive.exists()


# The metric and the CLI ------------------------------------------------------------------------


def test_the_last_success_is_a_prometheus_metric(settings):
    assert "chalk_backup_last_success_timestamp_seconds" in METRIC_NAMES
    port = free_port()
    server = serve_backup_metrics(settings, port=port, addr="127.0.0.1")
    try:

        def scrape() -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
                return r.read().decode()

        assert "chalk_backup_last_success_timestamp_seconds" not in scrape()
        settings.backup_root.mkdir(parents=True)
        archive = old_archive(settings.backup_root, START)
        write_status(settings.backup_root, moment=START, archive=archive, s3_key=None)
        families = {f.name: f for f in text_string_to_metric_families(scrape())}
        sample = families["chalk_backup_last_success_timestamp_seconds"].samples[0]
        assert sample.value == START.timestamp()
    finally:
        server.shutdown()


@pytest.mark.parametrize(
    "argv",
    [
        ["backup"],
        ["backup", "x.tar.gz", "--schedule"],
        ["backup", "x.tar.gz", "--metrics-port", "1"],
    ],
)
def test_the_cli_refuses_unclear_backup_requests(argv, capsys):
    assert main(argv) == 2
    assert "backup" in capsys.readouterr().err.lower()


# The restore drill -----------------------------------------------------------------------------


def test_restore_drill_the_latest_scheduled_backup_restores_every_row_and_file(
    pg_settings, tmp_path
):
    populate(pg_settings)
    clock = FakeClock(START)
    run_schedule(pg_settings, clock=clock, sleep=clock.sleep, passes=2)
    archives = local_archives(pg_settings.backup_root)
    assert sorted(archives) == [START, START + timedelta(days=1)]
    latest = archives[max(archives)]
    fresh = pg_settings.model_copy(update={"data_dir": tmp_path / "fresh"})
    with throwaway_database("postgresql", fresh, tmp_path / "fresh-db", migrate=False) as target:
        restore(target, latest)
        assert table_rows(target) == table_rows(pg_settings)
        assert media_hashes(target) == media_hashes(pg_settings)


def test_compose_runs_the_scheduler_into_its_own_volume_and_prometheus_scrapes_it():
    root = Path(__file__).resolve().parents[2]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    service = compose["services"]["backup"]
    args = build_parser().parse_args(service["command"][1:])
    assert args.schedule and args.metrics_port == 9101 and args.metrics_addr == "0.0.0.0"
    assert service["environment"]["CHALK_BACKUP_DIR"] == "/backups"
    assert set(service["environment"]) <= {f"CHALK_{n.upper()}" for n in Settings.model_fields}
    assert "backups:/backups" in service["volumes"]
    scrape = yaml.safe_load((root / "ops" / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in scrape["scrape_configs"]}
    assert jobs["chalk-backup"]["static_configs"][0]["targets"] == ["backup:9101"]

"""Snapshots: date ranges, the whole history, exports, and the scanner that must never download."""

from __future__ import annotations

import io
import sys
from datetime import UTC, date, datetime, timedelta

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from app import analytics
from app.analytics import AnalyticsError, DateRange, load_snapshot
from app.analytics.snapshot import scanner_extension_path
from app.settings import Settings
from tests.analytics.conftest import rows


def test_without_a_range_every_event_counts(events_db: Settings):
    with load_snapshot(events_db) as snap:
        assert snap.loader == "scanner"
        assert snap.row_counts["events"] == 14
        failures = {r["error_kind"]: r["failures"] for r in rows(analytics.failures_by_kind(snap))}
    assert failures == {"render": 1, "validation": 1, "timeout": 1}


def test_a_one_day_range(events_db: Settings):
    one_day = DateRange.from_dates(date(2026, 3, 2), date(2026, 3, 2))
    with load_snapshot(events_db, date_range=one_day) as snap:
        assert rows(analytics.daily_active_teachers(snap)) == [
            {"day": date(2026, 3, 2), "active_users": 2}
        ]


def test_date_ranges_are_whole_utc_days_and_must_be_aware():
    rng = DateRange.from_dates(date(2026, 3, 1), date(2026, 3, 3))
    assert rng.start == datetime(2026, 3, 1, tzinfo=UTC)
    assert rng.end == datetime(2026, 3, 4, tzinfo=UTC)
    now = datetime(2026, 3, 10, 15, tzinfo=UTC)
    assert DateRange.last_days(7, now=now).start == datetime(2026, 3, 4, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        DateRange(datetime(2026, 3, 1), None)
    with pytest.raises(ValueError, match="before its start"):
        DateRange(now, now - timedelta(days=1))


def test_csv_and_parquet_downloads(events_db: Settings):
    with load_snapshot(events_db, date_range=DateRange.from_dates(date(2026, 3, 1), None)) as snap:
        table = analytics.failures_by_kind(snap)
    csv = pacsv.read_csv(io.BytesIO(analytics.to_csv(table)))
    assert csv.column_names == ["error_kind", "failures", "share", "examples"]
    assert csv.column("examples")[0].as_py() == (
        "The scene has no animation. | The animation crashed at line 3."
    )
    parquet = pq.read_table(io.BytesIO(analytics.to_parquet(table)))
    assert parquet.equals(table)
    assert analytics.download_name("failures_by_kind", "csv", date(2026, 3, 1), None) == (
        "chalk-failures_by_kind-2026-03-01_now.csv"
    )


def test_the_scanner_is_loaded_from_the_pypi_package_by_its_canonical_name(settings: Settings):
    path = scanner_extension_path("sqlite", settings)
    assert path.name == "sqlite_scanner.duckdb_extension"
    assert path.resolve().is_file()
    assert "duckdb_extension_sqlite" in str(path.resolve())
    assert (
        scanner_extension_path("postgresql", settings).name == "postgres_scanner.duckdb_extension"
    )


def test_a_missing_scanner_package_falls_back_to_sqlalchemy(events_db: Settings, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb_extension_sqlite", None)
    monkeypatch.setitem(sys.modules, "duckdb_extension_postgres", None)
    with load_snapshot(events_db, date_range=DateRange.from_dates(date(2026, 3, 1), None)) as snap:
        assert snap.loader == "sqlalchemy"
        assert snap.row_counts["events"] == 13
    with pytest.raises(AnalyticsError, match="pip install duckdb-extension-"):
        load_snapshot(events_db, loader="scanner")

"""`chalk health`: ok / degraded / down from five checks, one JSON object, exit 0 only when ok."""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlalchemy import text

from app.db import migrate
from app.db.engine import get_engine
from app.db.migrate import head_revision
from app.ops.health import CHECKS, run_health
from app.settings import Settings
from tests.jobs.conftest import CHALK, env_for


def test_a_working_embedded_setup_is_ok(db_settings: Settings):
    report = run_health(db_settings.model_copy(update={"health_min_free_disk_mb": 0}))
    assert report.to_json()["status"] == "ok", report.to_json()
    assert list(report.checks) == list(CHECKS)
    assert f"schema revision {head_revision()}" in report.checks["database"].detail
    assert "inline pool" in report.checks["queue"].detail
    assert "writes, reads and deletes" in report.checks["storage"].detail
    assert "layers:" in report.checks["sandbox"].detail
    assert list(db_settings.media_root.rglob("probe-*")) == []


def test_a_schema_from_a_newer_release_is_ok_and_not_migrated_down(db_settings: Settings):
    # A blue-green deploy's new release migrated first; this (older) code keeps serving on it.
    with get_engine(db_settings).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    migrate._at_head.discard(db_settings.database)
    migrate.ensure_schema(db_settings)  # an unknown, newer revision: left as it is
    assert migrate.current_revision(db_settings) == "9999"
    check = run_health(db_settings).checks["database"]
    assert check.ok and "schema revision 9999 (a newer release's)" in check.detail
    assert not migrate.is_newer_than_code(head_revision())


def test_an_unmigrated_database_is_down(empty_db_settings: Settings):
    report = run_health(empty_db_settings)
    assert report.status == "down"
    assert "chalk db upgrade" in report.checks["database"].detail


def test_an_unreachable_database_is_down_and_its_password_is_not_shown(settings: Settings):
    broken = settings.model_copy(
        update={"database_url": "postgresql://chalk:s3cret-pw@127.0.0.1:1/chalk"}
    )
    report = run_health(broken)
    assert report.status == "down"
    assert not report.checks["database"].ok
    assert "s3cret-pw" not in json.dumps(report.to_json())


def test_redis_down_is_down_and_no_worker_is_degraded(sqlite_settings: Settings, redis_url: str):
    down = run_health(sqlite_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    assert down.status == "down"
    assert "does not answer" in down.checks["queue"].detail
    no_worker = run_health(
        sqlite_settings.model_copy(update={"redis_url": redis_url, "health_min_free_disk_mb": 0})
    )
    assert no_worker.status == "degraded"
    assert (
        "0 workers" in no_worker.checks["queue"].detail
        and "chalk worker" in no_worker.checks["queue"].detail
    )


def test_low_disk_is_degraded(sqlite_settings: Settings):
    report = run_health(sqlite_settings.model_copy(update={"health_min_free_disk_mb": 10**9}))
    assert report.status == "degraded"
    assert "CHALK_HEALTH_MIN_FREE_DISK_MB" in report.checks["disk"].detail


def test_storage_that_cannot_be_written_is_down(sqlite_settings: Settings):
    sqlite_settings.data_dir.mkdir(parents=True, exist_ok=True)
    sqlite_settings.media_root.write_text("a file where the media folder should be")
    report = run_health(sqlite_settings)
    assert report.status == "down"
    assert not report.checks["storage"].ok


@pytest.mark.parametrize(("ok", "exit_code"), [(True, 0), (False, 1)])
def test_the_cli_prints_one_object_and_exits_0_only_when_ok(
    sqlite_settings: Settings, ok, exit_code
):
    env = env_for(sqlite_settings)
    env["CHALK_HEALTH_MIN_FREE_DISK_MB"] = "0" if ok else str(10**9)
    proc = subprocess.run(
        [str(CHALK), "health", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == exit_code, proc.stderr
    report = json.loads(proc.stdout)
    assert report["status"] == ("ok" if ok else "degraded")
    assert set(report["checks"]) == set(CHECKS)
    assert all(set(check) == {"ok", "detail"} for check in report["checks"].values())
    plain = subprocess.run(
        [str(CHALK), "health"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert plain.stdout.splitlines()[0] == report["status"]

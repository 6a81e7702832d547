"""Expand/contract: the previous release's code works on the new schema. A blue-green deploy
migrates first, so the old colour serves on the new schema until it is drained, and a rollback
runs it there again (app/ops/deploy.py). The previous release is main's commit before the
newest change to the migrations; its CLI (health, users, a rendered job) runs against a
database the current code migrated, and the current code then reads what it wrote."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from app.db.migrate import upgrade
from app.jobs import service
from app.settings import Settings
from tests.db_fixtures import throwaway_database

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = "app/db/migrations/versions"

pytestmark = [pytest.mark.render]


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def previous_release() -> str:
    """The first parent of the newest commit on main's own line that changed a migration."""
    newest = git("log", "--first-parent", "--format=%H", "-1", "--", MIGRATIONS)
    assert newest, "no commit changed the migrations: is this a shallow clone?"
    return git("rev-parse", f"{newest}^1")


@pytest.fixture(scope="module")
def previous_code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous release's tree (app/ and jobs/), unpacked from git."""
    where = tmp_path_factory.mktemp("previous-release")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", previous_release(), "app", "jobs"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    return where


def test_the_previous_release_runs_on_the_new_schema(
    previous_code: Path, settings: Settings, tmp_path: Path
) -> None:
    old_migrations = {p.name for p in (previous_code / MIGRATIONS).glob("0*.py")}
    new_migrations = {p.name for p in (ROOT / MIGRATIONS).glob("0*.py")}
    assert new_migrations - old_migrations, "the previous release has the same schema"
    with throwaway_database("sqlite", settings, tmp_path, migrate=False) as db:
        upgrade(db)  # the new release migrates first
        env = {
            **os.environ,
            "PYTHONPATH": str(previous_code),  # the old `app` package, not this checkout's
            "CHALK_DATA_DIR": str(db.data_dir),
            "CHALK_DATABASE_URL": db.database,
            "CHALK_REDIS_URL": "",
            "CHALK_ENVIRONMENT": "development",
        }

        def old_chalk(*args: str, stdin: str | None = None) -> dict[str, object]:
            done = subprocess.run(
                [sys.executable, "-m", "app.cli", *args, "--json"],
                input=stdin,
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, (args, done.stdout, done.stderr[-3000:])
            return json.loads(done.stdout)

        where = old_chalk("health")
        assert where["checks"]["database"]["ok"], where
        old_chalk(
            "users", "add", "ada", "--role", "teacher", "--password-stdin",
            stdin="compat-password-1\n",
        )  # fmt: skip
        made = old_chalk("submit", "Plot y = x^2 from -2 to 2", "--user", "ada")
        assert made["state"] == "succeeded", made
        # The new release reads what the old one wrote, on the schema it migrated.
        job = service.status(settings=db, job_id=str(made["job_id"]))
        assert job.state == "succeeded" and job.video is not None

"""`chalk submit/status/cancel/worker/db upgrade` through the real console script.

`--json` prints exactly one JSON object on stdout; exit 0 ok, 1 failed/rejected/too late,
2 usage errors.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from app.db.migrate import head_revision
from app.jobs import service
from tests.jobs.conftest import SCENES, chalk_cli

STATUS_KEYS = {
    "job_id",
    "state",
    "stage",
    "progress",
    "error",
    "video",
    "video_url",
    "thumbnail",
    "thumbnail_url",
    "created_at",
    "started_at",
    "finished_at",
    "attempts",
    "cache_hit",
}


def one_json(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


def iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value
    return moment


def test_db_upgrade_prints_the_revision(db_settings, tmp_path):
    settings = db_settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'fresh' / 'chalk.db'}"}
    )
    for target in (settings, db_settings):  # a new file, and an existing PostgreSQL schema
        proc = chalk_cli(target, "db", "upgrade", "--json")
        assert proc.returncode == 0, proc.stderr
        data = one_json(proc.stdout)
        assert data["status"] == "succeeded"
        assert data["revision"] == head_revision()
        proc = chalk_cli(target, "db", "upgrade")
        assert proc.returncode == 0 and proc.stdout.strip() == head_revision()


@pytest.mark.render
def test_inline_submit_waits_for_the_job_then_status_and_cancel(sqlite_job_settings):
    settings = sqlite_job_settings
    proc = chalk_cli(settings, "submit", "--code", str(SCENES / "text_scene.py"), "--json")
    assert proc.returncode == 0, proc.stderr
    submitted = one_json(proc.stdout)
    assert submitted["state"] == "succeeded"  # inline: this process was the worker
    job_id = submitted["job_id"]

    proc = chalk_cli(settings, "status", job_id, "--json")
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert set(data) >= STATUS_KEYS
    assert data["state"] == "succeeded" and data["error"] is None
    assert data["video"].startswith("renders/") and data["video"].endswith(".mp4")
    assert data["video_url"].startswith("file://")
    assert data["attempts"] == 1 and data["cache_hit"] is False
    created, started, finished = (iso(data[k]) for k in ("created_at", "started_at", "finished_at"))
    assert created <= started <= finished

    proc = chalk_cli(settings, "status", job_id)
    assert proc.returncode == 0 and "state:     succeeded" in proc.stdout

    proc = chalk_cli(settings, "cancel", job_id, "--json")
    assert proc.returncode == 1
    data = one_json(proc.stdout)
    assert data == {
        "job_id": job_id,
        "state": "succeeded",
        "cancelled": False,
        "message": "The job already finished (succeeded).",
    }

    # The same code again comes from the render cache.
    proc = chalk_cli(settings, "submit", "--code", str(SCENES / "text_scene.py"), "--json")
    assert proc.returncode == 0, proc.stderr
    assert one_json(proc.stdout)["cache_hit"] is True


@pytest.mark.xdist_group("redis")
def test_rq_submit_queues_and_cancel_dequeues(rq_sqlite_settings):
    settings = rq_sqlite_settings
    proc = chalk_cli(settings, "submit", "show the area of a circle", "--json", "--user", "ada")
    assert proc.returncode == 0, proc.stderr
    data = one_json(proc.stdout)
    assert data["state"] == "queued" and data["owner"] == "ada"
    job_id = data["job_id"]

    proc = chalk_cli(settings, "submit", "show the area of a circle")
    assert proc.returncode == 0 and len(proc.stdout.split()) == 1  # just the id

    proc = chalk_cli(settings, "cancel", job_id, "--json")
    assert proc.returncode == 0, proc.stderr
    assert one_json(proc.stdout)["cancelled"] is True
    assert service.status(settings=settings, job_id=job_id).state == "cancelled"

    proc = chalk_cli(settings, "cancel", job_id)
    assert proc.returncode == 1 and "already finished (cancelled)" in proc.stderr


@pytest.mark.xdist_group("redis")
def test_submit_over_the_limit_is_rejected_with_exit_1(rq_sqlite_settings):
    teacher = rq_sqlite_settings.quotas["teacher"].model_copy(update={"queued_jobs": 1})
    quotas = {**rq_sqlite_settings.quotas, "teacher": teacher}
    settings = rq_sqlite_settings.model_copy(update={"quotas": quotas})
    assert chalk_cli(settings, "submit", "a circle", "--json").returncode == 0
    proc = chalk_cli(settings, "submit", "a square", "--json")
    assert proc.returncode == 1
    data = one_json(proc.stdout)
    assert data["job_id"] is None and data["state"] == "rejected"
    assert data["error"]["kind"] == "quota"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "no-such-job", "--json"), "There is no job with id no-such-job."),
        (("cancel", "no-such-job"), "There is no job with id no-such-job."),
        (("submit", "--json"), "Give either a PROMPT or --code FILE.py"),
        (("submit", "a circle", "--code", "x.py"), "Give either a PROMPT or --code FILE.py"),
        (("submit", "--code", "/nonexistent.py"), "does not exist"),
        (("worker",), "workers need a queue: set CHALK_REDIS_URL"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(sqlite_job_settings, args, message):
    proc = chalk_cli(sqlite_job_settings, *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert proc.stdout == ""


def test_submit_rejects_bad_input_with_exit_1(sqlite_job_settings):
    proc = chalk_cli(sqlite_job_settings, "submit", "   ", "--json")
    assert proc.returncode == 1
    data = one_json(proc.stdout)
    assert data["error"] == {
        "kind": "validation",
        "message": "The prompt is empty; describe the animation you want.",
    }


@pytest.mark.render
@pytest.mark.xdist_group("redis")
def test_worker_refuses_to_start_when_a_canary_fails(rq_sqlite_settings):
    # 256 MB of address space is too little to import Manim: the render canary fails.
    settings = rq_sqlite_settings.model_copy(
        update={"sandbox_memory_mb": 256, "worker_selftest": True}
    )
    proc = chalk_cli(settings, "worker", "--burst", timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "not starting: the sandbox selftest failed" in proc.stderr


@pytest.mark.render
def test_render_uses_the_render_cache_unless_told_not_to(sqlite_job_settings, tmp_path):
    settings = sqlite_job_settings
    code = str(SCENES / "text_scene.py")

    def render(*extra: str) -> dict:
        proc = chalk_cli(settings, "render", "--code", code, "--json", *extra)
        assert proc.returncode == 0, proc.stderr
        return one_json(proc.stdout)

    first = render()
    assert first["status"] == "succeeded" and first["cache_hit"] is False
    again = render("--out", str(tmp_path / "again.mp4"))
    assert again["cache_hit"] is True and again["video"] == str(tmp_path / "again.mp4")
    assert (tmp_path / "again.mp4").stat().st_size == first["video_info"]["size_bytes"]
    assert render("--no-cache")["cache_hit"] is False
    proc = chalk_cli(settings, "fix", "--code", code, "--json")
    assert proc.returncode == 0 and one_json(proc.stdout)["cache_hit"] is True

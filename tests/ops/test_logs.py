"""Structured JSON logs: one object per line with the job context, and no secrets."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from pydantic import SecretStr

from app.logs import JsonFormatter, TextFormatter, log_context, update_log_context
from app.redaction import redact, secret_values
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def record(
    message: str, *args: object, level: int = logging.INFO, **extra: object
) -> logging.LogRecord:
    rec = logging.LogRecord("chalk.test", level, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_a_line_is_one_json_object_with_time_level_and_message():
    entry = json.loads(JsonFormatter().format(record("job %s done", "j1")))
    assert entry["message"] == "job j1 done"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "chalk.test"
    assert entry["time"].endswith("+00:00")
    assert "job_id" not in entry


def test_job_id_user_id_stage_and_duration_come_from_the_context_or_the_call():
    formatter = JsonFormatter()
    with log_context(job_id="j1", user_id=7):
        update_log_context(stage="rendering")
        entry = json.loads(formatter.format(record("rendering", duration_s=1.5)))
        with log_context(stage="storing"):
            inner = json.loads(formatter.format(record("stored")))
    after = json.loads(formatter.format(record("later")))
    assert (entry["job_id"], entry["user_id"], entry["stage"], entry["duration_s"]) == (
        "j1",
        7,
        "rendering",
        1.5,
    )
    assert (inner["job_id"], inner["stage"]) == ("j1", "storing")
    assert "job_id" not in after and "stage" not in after


def test_secrets_and_url_passwords_never_reach_the_output():
    settings = Settings(
        llm_api_key=SecretStr("sk-live-abcdef123456"),
        database_url="postgresql://chalk:db-pass-987@db/chalk",
        sentry_dsn=SecretStr("https://key123@sentry.example/1"),
    )
    secrets = secret_values(settings)
    line = JsonFormatter(secrets).format(
        record(
            "calling with sk-live-abcdef123456 and redis://:r3dis-pass@cache:6379/0 and db-pass-987"
        )
    )
    assert (
        "sk-live-abcdef123456" not in line
        and "r3dis-pass" not in line
        and "db-pass-987" not in line
    )
    assert "redis://:***@cache:6379/0" in line
    text = TextFormatter(secrets).format(record("key sk-live-abcdef123456"))
    assert "sk-live" not in text and "***" in text
    assert redact("postgresql://u:p4ss@h/db", []) == "postgresql://u:***@h/db"


def test_exceptions_are_one_field_of_the_same_line():
    try:
        raise ValueError("bad value")
    except ValueError:
        rec = logging.LogRecord("chalk", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(rec))
    assert "ValueError: bad value" in entry["exception"]


def test_the_cli_logs_json_lines_at_the_configured_level(tmp_path):
    env = {
        "CHALK_DATA_DIR": str(tmp_path / "data"),
        "CHALK_LOG_LEVEL": "DEBUG",
        "CHALK_LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "chalk"), "db", "upgrade", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stderr.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(e) for e in lines)
    assert json.loads(proc.stdout)["status"] == "succeeded"
    quiet = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "chalk"), "db", "upgrade", "--json"],
        env={**env, "CHALK_LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert quiet.stderr.strip() == ""

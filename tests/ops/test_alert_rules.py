"""Prometheus alert rules: valid for promtool, firing on the common failures, over real metrics."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.ops.metrics import METRIC_NAMES

RULES = Path(__file__).resolve().parents[2] / "ops" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.fail(
            "promtool is missing: install the Debian package `prometheus` (make test does).",
            pytrace=False,
        )
    return subprocess.run(
        [tool, *args], cwd=RULES, capture_output=True, text=True, timeout=120, check=False
    )


def test_promtool_check_rules_accepts_the_rules():
    result = promtool("check", "rules", "alerts.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_the_alerts_fire_on_worker_down_queue_backlog_and_failures():
    result = promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_backup_alert_fires_past_26_hours_or_without_any_backup():
    result = promtool("test", "rules", "backup_alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_prometheus_config_is_valid():
    result = promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_use_only_metrics_the_workers_export():
    text = (RULES / "alerts.yml").read_text()
    used = set(re.findall(r"\bchalk_[a-z_]+", text))
    exported = {f"{name}{suffix}" for name in METRIC_NAMES for suffix in ("", "_bucket")}
    assert used and used <= exported, used - exported
    for alert in ("ChalkWorkerDown", "ChalkQueueBackingUp", "ChalkFailureRateHigh"):
        assert f"alert: {alert}" in text

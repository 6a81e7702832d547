"""The Grafana dashboard (ops/grafana): every panel's query is valid PromQL (Prometheus's own
parser, through `promtool check rules`) and names only metrics Chalk exports, the panels the
operators asked for are there, and Compose provisions it with Prometheus as data source."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from app.ops.metrics import METRIC_NAMES

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "ops" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "chalk.json"
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}
"""What Grafana puts in place of its variables before a query reaches Prometheus."""
PROMETHEUS_SERIES = {"up"}
"""Series Prometheus itself writes for every scrape target."""
PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
    "and", "or", "unless", "inf", "nan",
}  # fmt: skip


def panels() -> list[dict]:
    return json.loads(DASHBOARD.read_text())["panels"]


def queries() -> dict[str, str]:
    found = {}
    for panel in panels():
        for target in panel["targets"]:
            found[f"{panel['title']} {target['refId']}"] = target["expr"]
    return found


def as_prometheus_sees_it(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def metric_names(expr: str) -> set[str]:
    """Series names in a PromQL expression: identifiers that are not functions, keywords,
    label names (inside {...} or by/without/on/ignoring (...)), strings or durations."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        following = text[match.end() :].lstrip()
        word = match.group()
        aggregation = re.match(r"(by|without)\b", following)  # `max by (x) (...)`
        if following.startswith("(") or aggregation or word.lower() in PROMQL_WORDS:
            continue
        names.add(word)
    return names


def exported() -> set[str]:
    names = set(PROMETHEUS_SERIES)
    for name in METRIC_NAMES:
        names.add(name)
        if name == "chalk_render_seconds":  # the one histogram
            names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return names


def test_metric_names_are_read_off_promql():
    expr = (
        'sum by (error_kind) (rate(chalk_jobs_finished_total{state="failed", x=~"a|b"}[5m]))'
        " / ignoring (error_kind) group_left sum(rate(up[1m])) and time() - max(other_metric)"
    )
    assert metric_names(expr) == {"chalk_jobs_finished_total", "up", "other_metric"}


def test_every_panel_query_is_valid_promql(tmp_path):
    tool = shutil.which("promtool")
    if tool is None:
        pytest.fail(
            "promtool is missing: install the Debian package `prometheus` (make test does)."
        )
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"chalk_dashboard:panel_{n}", "expr": as_prometheus_sees_it(e)}
                    for n, e in enumerate(queries().values())
                ],
            }
        ]
    }
    path = tmp_path / "panels.yml"
    path.write_text(yaml.safe_dump(rules))
    result = subprocess.run(
        [tool, "check", "rules", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(queries())} rules found" in result.stdout


def test_every_panel_query_names_only_metrics_chalk_exports():
    assert queries()
    for where, expr in queries().items():
        names = metric_names(expr)
        assert names, f"{where}: no metric in {expr}"
        assert names <= exported(), f"{where}: {names - exported()} not exported"


def test_the_panels_operators_asked_for_are_there():
    by_title = {p["title"]: " ".join(t["expr"] for t in p["targets"]) for p in panels()}
    wanted = {
        "Jobs by state": ("chalk_jobs", "by (state)"),
        "Render time p50 / p95 by quality": ("histogram_quantile(0.5,", "histogram_quantile(0.95,"),
        "Queue depth and oldest wait": ("chalk_queue_depth", "chalk_queue_oldest_wait_seconds"),
        "Workers up": ('up{job="chalk-worker"}', "chalk_workers"),
        "Failure rate by kind": ("by (error_kind)", 'state="failed"'),
        "Cache hit rate": ("chalk_cache_hits_total",),
        "Backup age": ("time() - max(chalk_backup_last_success_timestamp_seconds)",),
    }
    for title, fragments in wanted.items():
        for fragment in fragments:
            assert fragment in by_title[title], (title, fragment)
    assert "by (le, quality)" in by_title["Render time p50 / p95 by quality"]
    # Every Chalk metric is on the dashboard somewhere.
    used = set().union(*(metric_names(e) for e in queries().values()))
    missing = {n for n in METRIC_NAMES if n not in used and f"{n}_bucket" not in used}
    assert not missing, missing


def test_compose_provisions_grafana_with_prometheus_and_the_dashboard():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    grafana = compose["services"]["grafana"]
    assert grafana["profiles"] == ["monitoring"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in grafana["volumes"]}
    provisioning = ROOT / mounts["/etc/grafana/provisioning"].removeprefix("./")
    dashboards_dir = ROOT / mounts["/var/lib/grafana/dashboards"].removeprefix("./")
    assert (dashboards_dir / "chalk.json").is_file()
    sources = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())
    source = sources["datasources"][0]
    assert (source["type"], source["url"]) == ("prometheus", "http://prometheus:9090")
    provider = yaml.safe_load((provisioning / "dashboards" / "chalk.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    for panel in panels():
        assert panel["datasource"]["uid"] == source["uid"], panel["title"]
        assert all(t["datasource"]["uid"] == source["uid"] for t in panel["targets"])

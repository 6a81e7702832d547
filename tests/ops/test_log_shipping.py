"""The optional log pipeline (monitoring profile): Vector reads Chalk's containers' JSON lines and
ships them to Loki, which Grafana searches. No Docker engine or Vector binary here, so the
files are checked against each other and against the lines Chalk writes."""

from __future__ import annotations

import contextvars
import json
import logging
from pathlib import Path

import yaml

from app.logs import JsonFormatter, log_context, start_request

ROOT = Path(__file__).resolve().parents[2]
VECTOR = ROOT / "ops" / "vector" / "vector.yaml"


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def vector() -> dict:
    return yaml.safe_load(VECTOR.read_text())


def test_vector_runs_docker_logs_through_chalks_filter_into_loki():
    config = vector()
    components = {**config["sources"], **config["transforms"], **config["sinks"]}
    # Walk back from the sink to the source: one unbroken chain.
    chain, name = [], "loki"
    while "inputs" in components[name]:
        (name,) = components[name]["inputs"]
        chain.append(name)
    assert chain == ["fields", "chalk_services", "docker"]
    assert components["docker"]["type"] == "docker_logs"
    sink = config["sinks"]["loki"]
    assert (sink["type"], sink["endpoint"]) == ("loki", "http://loki:3100")
    # Few labels: ids are fields of each line, not labels (one stream per job would swamp Loki).
    assert set(sink["labels"]) == {"service", "level"}
    assert "parse_json(.message)" in config["transforms"]["fields"]["source"]


def test_the_filter_names_the_services_that_log_and_compose_has_them():
    condition = vector()["transforms"]["chalk_services"]["condition"]
    listed = json.loads(condition[condition.index("[") : condition.index("]") + 1])
    services = compose()["services"]
    assert {"app", "worker", "backup"} <= set(listed)
    # `api` is the HTTP API's service once it is deployed; every other one exists.
    assert set(listed) - {"api"} <= set(services)
    for name in set(listed) & set(services):
        assert services[name]["environment"]["CHALK_LOG_FORMAT"] == "json", name


def test_compose_runs_loki_and_vector_in_the_monitoring_profile_and_grafana_reads_loki():
    services = compose()["services"]
    for name in ("loki", "vector", "grafana"):
        assert services[name]["profiles"] == ["monitoring"], name
    assert "./ops/vector/vector.yaml:/etc/vector/vector.yaml:ro" in services["vector"]["volumes"]
    assert "/var/run/docker.sock:/var/run/docker.sock:ro" in services["vector"]["volumes"]
    source = yaml.safe_load(
        (ROOT / "ops" / "grafana" / "provisioning" / "datasources" / "loki.yml").read_text()
    )["datasources"][0]
    assert (source["type"], source["url"]) == ("loki", "http://loki:3100")


def test_chalks_lines_carry_what_the_pipeline_reads():
    line = logging.LogRecord("app.jobs.runner", logging.INFO, __file__, 1, "job %s", ("j1",), None)

    def in_a_request() -> dict:
        start_request("r1")
        with log_context(job_id="j1"):
            return json.loads(JsonFormatter().format(line))

    entry = contextvars.copy_context().run(in_a_request)
    assert {"level", "message"} <= set(entry)  # the labels and Grafana's log line
    assert (entry["request_id"], entry["job_id"]) == ("r1", "j1")

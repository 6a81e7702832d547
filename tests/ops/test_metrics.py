"""Worker metrics: counted where jobs finish, summed over worker processes, served on /metrics."""

from __future__ import annotations

import socket
import subprocess
import urllib.request
from datetime import timedelta

import pytest
from prometheus_client import generate_latest, values
from prometheus_client.parser import text_string_to_metric_families

from app.cli import build_parser
from app.db.engine import session_scope
from app.db.models import Job, utcnow
from app.jobs import service
from app.jobs.backends import RQBackend
from app.ops import metrics
from app.settings import Settings
from tests.helpers import free_port, make_user, wait_for
from tests.jobs.conftest import CHALK, WorkerProcess, _fast, env_for


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


@pytest.fixture
def multiprocess_dir(tmp_path, monkeypatch):
    """Multiprocess mode in a throwaway directory, undone after the test."""
    monkeypatch.setattr(values, "ValueClass", values.ValueClass)
    monkeypatch.delenv(metrics.MULTIPROC_ENV, raising=False)
    monkeypatch.setattr(metrics, "_metrics", None)
    directory = tmp_path / "metrics"
    metrics.enable_multiprocess(directory)
    yield directory
    metrics._metrics = None


def test_finished_jobs_are_counted_by_state_kind_and_quality(
    multiprocess_dir, db_settings: Settings
):
    metrics.observe_job_finished(
        state="succeeded", error_kind=None, quality="preview", render_s=3.0, cache_hit=False
    )
    metrics.observe_job_finished(
        state="succeeded", error_kind=None, quality="preview", render_s=0.01, cache_hit=True
    )
    metrics.observe_job_finished(
        state="failed", error_kind="sandbox", quality="standard", render_s=2.0, cache_hit=False
    )
    metrics.observe_job_finished(
        state="failed", error_kind="validation", quality="preview", render_s=None, cache_hit=False
    )
    owner = make_user(db_settings)
    with session_scope(db_settings) as session:
        session.add_all(
            [
                Job(owner_id=owner, state="queued"),
                Job(owner_id=owner, state="queued"),
                Job(owner_id=owner, state="running"),
                # Waiting an hour for its owner's free slot: by design, not a backlog.
                Job(
                    owner_id=owner,
                    state="queued",
                    awaiting_slot=True,
                    created_at=utcnow() - timedelta(hours=1),
                ),
            ]
        )
    text = generate_latest(metrics.build_registry(db_settings)).decode()
    found = samples(text)
    assert found[("chalk_jobs_finished_total", (("error_kind", ""), ("state", "succeeded")))] == 2
    assert (
        found[("chalk_jobs_finished_total", (("error_kind", "sandbox"), ("state", "failed")))] == 1
    )
    assert (
        found[("chalk_render_seconds_count", (("quality", "preview"),))] == 1
    )  # not the cache hit
    assert found[("chalk_render_seconds_sum", (("quality", "standard"),))] == 2.0
    assert found[("chalk_sandbox_rejections_total", (("kind", "sandbox"),))] == 1
    assert found[("chalk_sandbox_rejections_total", (("kind", "validation"),))] == 1
    assert found[("chalk_cache_hits_total", ())] == 1
    assert found[("chalk_jobs", (("state", "queued"),))] == 3
    assert found[("chalk_jobs", (("state", "running"),))] == 1
    assert found[("chalk_database_up", ())] == 1
    assert 0 <= found[("chalk_queue_oldest_wait_seconds", ())] < 600
    names = {family.name for family in text_string_to_metric_families(text)}
    assert all(name.startswith("chalk_") for name in names)


def test_an_unreachable_database_and_redis_are_reported_as_down(
    multiprocess_dir, settings: Settings
):
    broken = settings.model_copy(
        update={
            "database_url": "postgresql://nobody@127.0.0.1:1/none",
            "redis_url": "redis://127.0.0.1:1/0",
        }
    )
    found = samples(generate_latest(metrics.build_registry(broken)).decode())
    assert found[("chalk_database_up", ())] == 0
    assert found[("chalk_redis_up", ())] == 0


@pytest.mark.xdist_group("redis")
def test_chalk_worker_serves_metrics_summed_over_its_processes(
    sqlite_settings, redis_url, tmp_path
):
    settings = _fast(sqlite_settings, redis_url=redis_url)
    port = free_port()
    worker = WorkerProcess(
        settings,
        tmp_path / "worker.log",
        "-n",
        "2",
        "--metrics-port",
        str(port),
        "--metrics-addr",
        "127.0.0.1",
    )
    try:
        url = f"http://127.0.0.1:{port}/metrics"

        def scrape() -> dict:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    return samples(reply.read().decode())
            except OSError:
                return {}

        assert wait_for(lambda: scrape().get(("chalk_workers", ())) == 2, timeout=120), (
            worker.output()
        )
        owner = make_user(settings)
        backend = RQBackend(settings)
        jobs = [
            service.submit(settings=settings, owner_id=owner, code="import os\n", backend=backend)
            for _ in range(3)
        ]

        def finished() -> bool:
            views = [service.status(settings=settings, job_id=j.job_id) for j in jobs]
            return all(v.state == "failed" for v in views)

        assert wait_for(finished, timeout=60), worker.output()
        found = wait_for(
            lambda: (
                (s := scrape()).get(
                    (
                        "chalk_jobs_finished_total",
                        (("error_kind", "validation"), ("state", "failed")),
                    )
                )
                == 3
                and s
            ),
            timeout=30,
        )
        assert found, worker.output()
        assert found[("chalk_sandbox_rejections_total", (("kind", "validation"),))] == 3
        assert found[("chalk_queue_depth", ())] == 0
        assert found[("chalk_redis_up", ())] == 1
        assert found[("chalk_jobs", (("state", "queued"),))] == 0
        assert {name for name, _ in found} <= {
            f"{base}{suffix}"
            for base in metrics.METRIC_NAMES
            for suffix in ("", "_bucket", "_count", "_sum", "_created")
        } | set(metrics.METRIC_NAMES)
    finally:
        worker.stop()


def test_a_busy_metrics_port_is_a_usage_error(settings, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = env_for(settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/15"}))
        proc = subprocess.run(
            [str(CHALK), "worker", "--metrics-port", str(port), "--metrics-addr", "127.0.0.1"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert proc.returncode == 2, proc.stderr
    assert "could not be opened" in proc.stderr and "--metrics-port" in proc.stderr


def test_metrics_listen_on_loopback_unless_configured(settings, monkeypatch):
    monkeypatch.setattr(metrics, "enable_multiprocess", lambda directory: None)
    # No --metrics-addr: the flag leaves the choice to the setting.
    assert build_parser().parse_args(["worker", "--metrics-port", "9100"]).metrics_addr is None
    for configured, expected in (
        (settings, "127.0.0.1"),
        (settings.model_copy(update={"metrics_addr": "127.0.0.2"}), "127.0.0.2"),
    ):
        server = metrics.serve_worker_metrics(configured, port=free_port())
        try:
            assert server.server_address[0] == expected
        finally:
            server.shutdown()
            server.server_close()

"""A blue-green deploy (app/ops/deploy.py) against real local processes: two Streamlit apps
and two `chalk worker`s on Redis, behind a loopback Caddy whose upstream the deploy rewrites
and reloads. The old worker is drained while it renders a job: the job finishes, nothing is
lost, and no request through the proxy fails while traffic moves to the new colour."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.jobs import service
from app.ops.deploy import DeployState, LocalPlatform, deploy, upstream
from app.settings import Settings
from tests.helpers import free_port, make_user, wait_for
from tests.jobs.conftest import env_for, scene, spinning_scene
from tests.jobs.test_rq_workers import owner_pid, view, wait_final

ROOT = Path(__file__).resolve().parents[2]
CADDY = shutil.which("caddy") or "caddy"  # the Debian package; `make system` installs it

pytestmark = [pytest.mark.render, pytest.mark.xdist_group("redis")]


class Traffic(threading.Thread):
    """Requests through the proxy every 20 ms until stopped; counts the ones that failed."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.done, self.failed = url, threading.Event(), []
        self.count = 0

    def run(self) -> None:
        while not self.done.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    assert response.status == 200 and response.read() == b"ok"
            except (OSError, AssertionError) as exc:
                self.failed.append(repr(exc))
            self.count += 1
            time.sleep(0.02)


MIGRATE_REQ = Path("/proc/sys/net/ipv4/tcp_migrate_req")


@pytest.fixture
def reloads_keep_queued_connections() -> Iterator[None]:
    """As docker-compose.yml sets it for Caddy: Caddy reloads on a second SO_REUSEPORT
    listener, and without this the kernel resets connections still queued on the old one
    (one request in about a thousand during a switch, on a busy machine)."""
    try:
        before = MIGRATE_REQ.read_text().strip()
        MIGRATE_REQ.write_text("1")
    except OSError as exc:  # not root, or a kernel before 5.14
        pytest.fail(f"a zero-downtime reload needs net.ipv4.tcp_migrate_req=1 here: {exc}")
    yield
    MIGRATE_REQ.write_text(before)


@pytest.mark.usefixtures("reloads_keep_queued_connections")
def test_a_deploy_drains_a_worker_mid_job_and_moves_traffic_with_no_failed_request(
    rq_sqlite_settings: Settings, tmp_path: Path
) -> None:
    # A long render may take its time on a busy machine: the drain waits for it.
    presets = {
        name: preset.model_copy(update={"timeout_s": 300})
        for name, preset in rq_sqlite_settings.quality_presets.items()
    }
    settings = rq_sqlite_settings.model_copy(update={"quality_presets": presets})
    ports = {"blue": free_port(), "green": free_port()}
    proxy, admin = free_port(), free_port()
    upstream_file = tmp_path / "upstream.caddy"
    upstream_file.write_text(upstream(f"127.0.0.1:{ports['blue']}"))
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(
        f"{{\n\tadmin 127.0.0.1:{admin}\n\tauto_https off\n}}\n"
        f"http://127.0.0.1:{proxy} {{\n\timport {upstream_file}\n}}\n"
    )
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "caddy.log").open("wb"),
    )
    platform = LocalPlatform(
        project_dir=ROOT,
        env=env_for(settings),
        ports=ports,
        upstream_file=upstream_file,
        caddyfile=caddyfile,
        log_dir=tmp_path,
    )
    state = tmp_path / "state.json"
    health = f"http://127.0.0.1:{proxy}/_stcore/health"
    try:
        deploy(platform, state, "release-1", build=False, health_timeout_s=120)
        blue_app, blue_worker = platform.processes["blue"]
        owner = make_user(settings)
        busy: list[str] = []
        stage_at_drain: list[str | None] = []
        start, drain = platform.start, platform.drain

        def start_after_a_job(colour: str, image: str) -> None:
            # While blue is the only worker: a job it is rendering when the new colour starts.
            job = service.submit(settings=settings, owner_id=owner, code=spinning_scene(100, "D"))
            busy.append(job.job_id)
            assert wait_for(lambda: view(settings, job.job_id).stage == "rendering", 120)
            start(colour, image)

        def watched_drain(colour: str) -> None:
            stage_at_drain.append(view(settings, busy[0]).stage)
            drain(colour)

        platform.start = start_after_a_job  # type: ignore[method-assign]
        platform.drain = watched_drain  # type: ignore[method-assign]
        traffic = Traffic(health)
        traffic.start()
        began = time.monotonic()
        report = deploy(platform, state, "release-2", build=False, health_timeout_s=120)
        traffic.done.set()
        traffic.join()
        drained = next(s["seconds"] for s in report.steps if s["step"] == "drain blue")
        print(f"deploy {time.monotonic() - began:.1f} s, drain {drained} s, "
              f"{traffic.count} requests, {len(traffic.failed)} failed")  # fmt: skip

        # The old worker was drained mid-render, finished the job, then exited; its app too.
        assert stage_at_drain == ["rendering"]
        done = view(settings, busy[0])
        assert done.state == "succeeded", done.error
        assert done.attempts == 1  # finished where it started, not re-queued
        assert owner_pid(settings, busy[0]) == blue_worker.pid
        assert blue_worker.poll() == 0 and blue_app.poll() is not None
        assert traffic.count > 20 and traffic.failed == []
        # The proxy reaches the new colour: its app answers, its worker takes the next job.
        assert DeployState.load(state).colour == "green"
        assert f"127.0.0.1:{ports['green']}" in upstream_file.read_text()
        with urllib.request.urlopen(health, timeout=10) as response:
            assert response.read() == b"ok"
        later = service.submit(settings=settings, owner_id=owner, code=scene("text_scene"))
        assert wait_final(settings, later.job_id, 120).state == "succeeded"
        assert owner_pid(settings, later.job_id) == platform.processes["green"][1].pid
    finally:
        platform.stop_all()
        caddy.terminate()
        caddy.wait(timeout=10)

"""/docs loads only files the API serves itself (no CDN), /openapi.json describes every route,
CORS allows only the configured origins, and `chalk api` refuses what cannot work."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.api import API_VERSION
from app.api.main import create_app
from app.cli import main
from app.settings import Settings


def test_docs_load_no_asset_from_another_host(client: TestClient):
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["Chalk-API-Version"] == API_VERSION
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert assets and all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "cdn" not in page.text.lower()


def test_the_schema_lists_every_route_with_problem_errors(client: TestClient):
    schema = client.get("/openapi.json").json()
    assert schema["info"]["version"] == API_VERSION
    assert set(schema["paths"]) == {
        "/v1/health",
        "/v1/templates",
        "/v1/generate",
        "/v1/jobs",
        "/v1/jobs/{job_id}",
        "/v1/jobs/{job_id}/cancel",
        "/v1/batches",
        "/v1/batches/{batch_id}",
        "/v1/videos",
        "/v1/videos/{video_id}",
        "/v1/videos/{video_id}/download",
    }
    post_jobs = schema["paths"]["/v1/jobs"]["post"]["responses"]
    for status in ("401", "413", "422", "429"):
        assert "application/problem+json" in post_jobs[status]["content"], status
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_cors_only_for_configured_origins(api_settings: Settings):
    allowed = api_settings.model_copy(update={"api_cors_origins": ("https://lms.school.org",)})
    with TestClient(create_app(allowed)) as client:
        preflight = {"Access-Control-Request-Method": "POST"}
        ok = client.options("/v1/jobs", headers={"Origin": "https://lms.school.org", **preflight})
        assert ok.headers["access-control-allow-origin"] == "https://lms.school.org"
        assert ok.headers["Chalk-API-Version"] == API_VERSION
        other = client.options("/v1/jobs", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in other.headers
    assert Settings(api_cors_origins="https://a.org/, https://b.org").api_cors_origins == (
        "https://a.org",
        "https://b.org",
    )


def test_an_unknown_route_is_a_404_problem(client: TestClient):
    response = client.get("/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["kind"] == "not_found"


def test_chalk_api_refuses_several_workers_without_redis(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CHALK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CHALK_REDIS_URL", raising=False)
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["api", "--workers", "2"]) == 2
        assert main(["api", "--port", "0"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "needs a queue shared by the processes: set CHALK_REDIS_URL" in err
    assert "--port must be between 1 and 65535" in err


def test_chalk_api_gives_a_slow_starting_worker_time_to_answer(monkeypatch, tmp_path):
    """uvicorn kills a worker that does not answer its ping within the health-check timeout;
    its 5 s default killed every worker of a busy host in a loop while it imported the app."""
    import uvicorn

    from app.settings import get_settings

    monkeypatch.setenv("CHALK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CHALK_REDIS_URL", "redis://127.0.0.1:6379/0")
    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    get_settings.cache_clear()
    try:
        assert main(["api", "--workers", "2"]) == 0
    finally:
        get_settings.cache_clear()
    [options] = calls
    assert options["workers"] == 2 and options["timeout_worker_healthcheck"] >= 30


def test_a_burst_of_requests_waits_for_a_thread_instead_of_draining_the_pool(
    api_settings: Settings,
):
    """No more requests run at once than the connection pool serves (two connections each);
    the rest wait their turn. With anyio's 40 threads, a burst in the load test drained the
    pool and requests failed with a 500 after the pool's 30 s wait."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from app.api.main import request_threads

    settings = api_settings.model_copy(update={"database_pool_size": 3, "database_max_overflow": 3})
    app = create_app(settings)
    running, most = [0], [0]
    lock = threading.Lock()

    @app.get("/probe")
    def probe() -> dict:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.1)
        with lock:
            running[0] -= 1
        return {}

    with TestClient(app) as client, ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: client.get("/probe").status_code, range(12)))
    assert statuses == [200] * 12
    # (3 + 3) // 2 at once in all, not all 12: one of them for submits (app.api.lanes), the
    # others for every other call.
    assert request_threads(settings) == (2, 1)
    assert most[0] == 2, most


def test_uvicorn_serves_the_api_with_uvloop_and_httptools():
    """`chalk api` leaves uvicorn's loop and parser on "auto": these two must be installed for
    it to pick the fast ones (the load test's status calls depend on them)."""
    import uvloop
    from uvicorn.config import Config
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    config = Config(app=create_app)
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
    loop = config.get_loop_factory()()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()

"""The HTTPS front door (ops/caddy/Caddyfile): valid for `caddy validate` with a real domain, and
run on loopback in front of a small backend to check what a browser gets: the redirect,
HSTS and the security headers, which page may be framed, the API and /metrics routes, and
Streamlit's WebSocket passing through.

The loopback run uses the same file with certificates from Caddy's internal CA (a test cannot
reach Let's Encrypt) and without the admin endpoint; the site block itself is unchanged.
"""

from __future__ import annotations

import http.client
import os
import shutil
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from websockets.sync.client import connect
from websockets.sync.server import Server, ServerConnection, serve

from tests.helpers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "ops" / "caddy" / "Caddyfile"
LOOPBACK_GLOBALS = "{\n\tlocal_certs\n\tskip_install_trust\n\tadmin off\n"
"""Prepended to the global options: the internal CA (never installed in the system's trust
store) instead of ACME, and no admin endpoint on :2019 to collide with another run."""


def caddy_binary() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.fail("caddy is missing: install the Debian package `caddy` (make test does).")
    return found


def loopback_caddyfile(directory: Path) -> Path:
    text = CADDYFILE.read_text()
    assert text.count("\n{\n") == 1, "the global options block opens on a line of its own"
    path = directory / "Caddyfile"
    path.write_text(text.replace("\n{\n", "\n" + LOOPBACK_GLOBALS, 1))
    # The app's upstream is the file `chalk deploy` rewrites, imported from beside the Caddyfile.
    shutil.copy(CADDYFILE.parent / "upstream.caddy", directory / "upstream.caddy")
    return path


def test_caddy_validate_accepts_the_caddyfile(tmp_path):
    env = {**os.environ, "CHALK_DOMAIN": "chalk.example.org", "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run(
        [caddy_binary(), "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        env={**env, "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr
    # Automatic HTTPS is what redirects HTTP: it must be on for a real domain.
    assert "enabling automatic HTTP->HTTPS redirects" in result.stderr


# A backend that stands for the app (Streamlit: pages and the /_stcore/stream WebSocket) and
# the API: each answers with its own name, so a test sees where a request went.


def start_backend(name: str) -> tuple[Server, int]:
    def process_request(connection: ServerConnection, request: object) -> object:
        path = getattr(request, "path", "")
        if path.startswith("/_stcore/stream"):
            return None  # go on with the WebSocket handshake
        response = connection.respond(200, f"{name} {path}\n")
        response.headers["X-Backend"] = name
        return response

    def echo(websocket: ServerConnection) -> None:
        for message in websocket:
            websocket.send(f"{name} echo: {message}")

    port = free_port()
    server = serve(echo, "127.0.0.1", port, process_request=process_request)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


@dataclass
class Proxy:
    http_port: int
    https_port: int
    tls: ssl.SSLContext

    def url(self, path: str) -> str:
        return f"https://localhost:{self.https_port}{path}"

    def get(self, path: str) -> tuple[int, http.client.HTTPMessage, str]:
        try:
            with urllib.request.urlopen(self.url(path), context=self.tls, timeout=10) as reply:
                return reply.status, reply.headers, reply.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode()


@pytest.fixture(scope="module")
def backends() -> Iterator[dict[str, int]]:
    app, app_port = start_backend("app")
    api, api_port = start_backend("api")
    yield {"app": app_port, "api": api_port}
    for server in (app, api):
        # In the background: closing a connection Caddy kept alive can wait for its timeout.
        threading.Thread(target=server.shutdown, daemon=True).start()


def run_caddy(directory: Path, backends: dict[str, int], **env: str) -> Iterator[Proxy]:
    directory.mkdir(parents=True, exist_ok=True)
    proxy_http, proxy_https = free_port(), free_port()
    environment = {
        **os.environ,
        "HOME": str(directory),
        "XDG_DATA_HOME": str(directory / "data"),
        "XDG_CONFIG_HOME": str(directory / "config"),
        "CHALK_DOMAIN": "localhost",
        "CHALK_HTTP_PORT": str(proxy_http),
        "CHALK_HTTPS_PORT": str(proxy_https),
        "CHALK_APP_UPSTREAM": f"127.0.0.1:{backends['app']}",
        "CHALK_API_UPSTREAM": f"127.0.0.1:{backends['api']}",
        **env,
    }
    log = (directory / "caddy.log").open("wb")
    process = subprocess.Popen(
        [caddy_binary(), "run", "--adapter", "caddyfile", "--config"]
        + [str(loopback_caddyfile(directory))],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    root = directory / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        wait_for(lambda: root.is_file() or process.poll() is not None, timeout=30)
        assert process.poll() is None, (directory / "caddy.log").read_text()[-3000:]
        proxy = Proxy(proxy_http, proxy_https, ssl.create_default_context(cafile=str(root)))

        def answers() -> bool:
            try:
                return proxy.get("/")[0] == 200
            except OSError:
                return False

        assert wait_for(answers, timeout=30), (directory / "caddy.log").read_text()[-3000:]
        yield proxy
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, backends) -> Iterator[Proxy]:
    yield from run_caddy(tmp_path_factory.mktemp("caddy"), backends)


def test_http_redirects_to_https(proxy):
    connection = http.client.HTTPConnection("localhost", proxy.http_port, timeout=10)
    connection.request("GET", "/gallery?page=2")
    reply = connection.getresponse()
    assert reply.status in (301, 308)
    # Caddy counts its configured HTTPS port as the default one, so the address names no port
    # (in production that port is 443).
    assert reply.headers["Location"] == "https://localhost/gallery?page=2"


def test_pages_carry_hsts_and_the_security_headers(proxy):
    status, headers, body = proxy.get("/gallery")
    assert (status, body) == (200, "app /gallery\n")
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert "object-src 'none'" in csp
    # Streamlit's WebSocket on this host is allowed, and nothing else elsewhere.
    assert f"connect-src 'self' wss://localhost:{proxy.https_port}" in csp
    assert "Server" not in headers


def test_only_the_embed_page_may_be_framed_by_other_sites(proxy):
    status, headers, body = proxy.get("/embed?v=token")
    assert (status, body) == (200, "app /embed?v=token\n")
    assert "X-Frame-Options" not in headers
    assert "frame-ancestors *" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    # Other policies equal the pages' own: only who may frame the page differs.
    page_csp = proxy.get("/")[1]["Content-Security-Policy"]
    assert headers["Content-Security-Policy"].replace("*", "'self'") == page_csp
    elsewhere = proxy.get("/embedded-elsewhere")[1]
    assert "frame-ancestors 'self'" in elsewhere["Content-Security-Policy"]


def test_the_api_routes_go_to_the_api_and_the_rest_to_the_app(proxy):
    for path in ("/v1/jobs", "/docs", "/openapi.json"):
        status, headers, body = proxy.get(path)
        assert (status, headers["X-Backend"], body) == (200, "api", f"api {path}\n")
    assert proxy.get("/v1")[1]["X-Backend"] == "app"  # not an API path
    assert proxy.get("/_stcore/health")[1]["X-Backend"] == "app"


def test_metrics_answer_the_private_network(proxy):
    status, headers, body = proxy.get("/metrics")
    assert (status, headers["X-Backend"], body) == (200, "api", "api /metrics\n")


def test_metrics_are_refused_outside_the_allowed_networks(tmp_path, backends):
    # The test client is on loopback, so allow only 10/8 to stand for "not the monitoring network".
    for outside in run_caddy(tmp_path, backends, CHALK_METRICS_ALLOW="10.0.0.0/8"):
        status, headers, body = outside.get("/metrics")
        assert (status, body) == (403, "Forbidden")
        assert "X-Backend" not in headers
        assert outside.get("/gallery")[0] == 200


# websockets' sync client, when its TLS handshake times out, joins a reader thread that is
# still blocked in the socket's read: on a very busy host this test then hung until the suite's
# 600 s limit. Give the handshake more time, and cap the test so that a hang is a quick failure.
@pytest.mark.timeout(120)
def test_the_streamlit_websocket_passes_through(proxy):
    with connect(
        f"wss://localhost:{proxy.https_port}/_stcore/stream", ssl=proxy.tls, open_timeout=30
    ) as websocket:
        for message in ("hello", "again"):
            websocket.send(message)
            assert websocket.recv(timeout=10) == f"app echo: {message}"


def test_compose_runs_this_caddyfile_in_the_https_profile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    caddy = compose["services"]["caddy"]
    assert caddy["profiles"] == ["https"]
    assert "./ops/caddy:/etc/caddy:ro" in caddy["volumes"]  # the Caddyfile and its upstream
    assert {"80:80", "443:443"} <= set(caddy["ports"])
    # /metrics is allowed from the monitoring network's own subnet, which Prometheus is on.
    subnet = compose["networks"]["monitoring"]["ipam"]["config"][0]["subnet"]
    assert caddy["environment"]["CHALK_METRICS_ALLOW"] == f"${{CHALK_METRICS_ALLOW:-{subnet}}}"
    assert "monitoring" in compose["services"]["prometheus"]["networks"]
    # A reload (a deploy's switch) moves the connections queued on the old listener over.
    assert caddy["sysctls"] == {"net.ipv4.tcp_migrate_req": 1}

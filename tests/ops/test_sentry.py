"""Sentry: nothing without a DSN; with one, errors reach it without local variables or secrets."""

from __future__ import annotations

import gzip
import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from app.ops.sentry import init_sentry
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import logging
from app.logs import configure_logging
configure_logging()
def render(code):
    secret_code = code
    raise RuntimeError("render failed with key sk-test-0123456789")
try:
    render("from manim import *  # the teacher's code")
except RuntimeError:
    logging.getLogger("chalk.worker").exception("job j1 failed")
import sentry_sdk
sentry_sdk.flush(timeout=10)
"""


def test_without_a_dsn_sentry_stays_off(settings: Settings):
    assert init_sentry(settings, component="app") is False


def test_errors_reach_sentry_without_local_variables_or_secrets(tmp_path):
    received: list[bytes] = []

    class Sentry(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":  # the SDK prefers brotli when the package is installed
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {
            "PATH": "/usr/bin:/bin",
            "CHALK_DATA_DIR": str(tmp_path / "data"),
            "CHALK_SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42",
            "CHALK_SENTRY_ENVIRONMENT": "test",
            "CHALK_LLM_API_KEY": "sk-test-0123456789",
        }
        proc = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "-c", SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
    finally:
        server.shutdown()
    payload = b"\n".join(received).decode()
    events = [json.loads(line) for line in payload.splitlines() if '"exception"' in line]
    assert events, f"Sentry got no error event: {payload[:2000]}"
    event = events[0]
    assert event["environment"] == "test"
    assert event["tags"]["component"] == "cli"
    frames = event["exception"]["values"][0]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)
    assert "sk-test-0123456789" not in payload
    assert "the teacher's code" not in payload

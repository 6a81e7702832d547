"""Sandbox canaries: small hostile scenes whose escape the host can observe.

`chalk selftest` (and, with the job system, every worker at start) runs them and reports the
active isolation layers. Each canary attacks from inside the sandbox and is judged only by a
signal outside it: a file that must not appear, a listener that must get no connection, a
secret that must not come back, a process that must not survive.
"""

from __future__ import annotations

import os
import secrets
import socket
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.core import sandbox
from app.core.render import render_code
from app.errors import ChalkError
from app.settings import Settings, get_settings


@dataclass
class Canary:
    name: str
    passed: bool
    detail: str


@dataclass
class SelftestReport:
    mode: str
    layers: list[str]
    canaries: list[Canary] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.canaries) and all(c.passed for c in self.canaries)

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "mode": self.mode,
            "layers": self.layers,
            "canaries": [asdict(c) for c in self.canaries],
        }


SCENE = """from manim import *
import os, subprocess, socket, resource

class Canary(Scene):
    def construct(self):
{body}
        self.play(FadeIn(Square()))
"""


def _scene(body: str) -> str:
    lines = body.strip("\n").splitlines()
    return SCENE.format(body="\n".join("        " + line for line in lines))


def _run(code: str, settings: Settings) -> tuple[ChalkError | None, str]:
    """Render a canary scene with the policy off; returns the error and all text it produced."""
    try:
        result = render_code(code, check_policy=False, settings=settings)
    except ChalkError as exc:
        return exc, f"{exc.message}\n{exc.detail}"
    text = result.log_tail
    result.video.unlink(missing_ok=True)
    result.thumbnail.unlink(missing_ok=True)
    return None, text


def canary_render(settings: Settings) -> Canary:
    error, _ = _run(_scene("self.add(Circle())"), settings)
    return Canary("renders", error is None, error.message if error else "a plain scene renders")


def canary_host_write(settings: Settings) -> Canary:
    target_dir = Path(tempfile.mkdtemp(prefix="chalk-canary-", dir=settings.data_dir))
    targets = [target_dir / "pwned", Path("/var/tmp") / f"chalk-canary-{secrets.token_hex(6)}"]
    body = "\n".join(
        f"try:\n    open({str(t)!r}, 'w').write('x')\nexcept OSError:\n    pass" for t in targets
    )
    _run(_scene(body), settings)
    escaped = [str(t) for t in targets if t.exists()]
    for t in targets:
        t.unlink(missing_ok=True)
    target_dir.rmdir()
    return Canary(
        "no-host-write",
        not escaped,
        f"wrote {escaped}"
        if escaped
        else "writes outside the job directory did not reach the host",
    )


def canary_network(settings: Settings) -> Canary:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    accepted: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                accepted.append(conn)
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    body = (
        "for host in ('127.0.0.1', 'localhost'):\n"
        "    try:\n"
        f"        socket.create_connection((host, {port}), timeout=2).close()\n"
        "    except OSError:\n"
        "        pass"
    )
    try:
        _run(_scene(body), settings)
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
    return Canary(
        "no-network",
        not accepted,
        f"{len(accepted)} connection(s) reached the host" if accepted else "no connection left",
    )


def canary_secrets(settings: Settings) -> Canary:
    secret = f"chalk-canary-{secrets.token_hex(12)}"
    name = "CHALK_SELFTEST_SECRET"
    os.environ[name] = secret
    body = (
        "seen = str(dict(os.environ))\n"
        "for path in ('/proc/self/environ', '/proc/1/environ', f'/proc/{os.getppid()}/environ'):\n"
        "    try:\n"
        "        seen += open(path).read()\n"
        "    except OSError:\n"
        "        pass\n"
        "print(seen)\n"
        "raise RuntimeError(seen)"
    )
    try:
        _, text = _run(_scene(body), settings)
    finally:
        os.environ.pop(name, None)
    leaked = secret in text
    return Canary(
        "no-secrets",
        not leaked,
        "the supervisor's environment leaked" if leaked else "no secret reached the scene",
    )


def canary_survivor(settings: Settings) -> Canary:
    marker = f"chalk-canary-{secrets.token_hex(6)}"
    body = (
        f"subprocess.Popen(['/bin/bash', '-c', 'exec -a {marker} sleep 300'], "
        "start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        f"    os.execv('/bin/bash', ['bash', '-c', 'exec -a {marker} sleep 300'])"
    )
    _run(_scene(body), settings)
    survivors = _processes_with(marker)
    return Canary(
        "no-survivors",
        not survivors,
        f"{len(survivors)} process(es) outlived the job"
        if survivors
        else "nothing outlived the job",
    )


def canary_limits(settings: Settings) -> Canary:
    body = (
        "raised = []\n"
        "for limit in (resource.RLIMIT_NPROC, resource.RLIMIT_AS, resource.RLIMIT_CPU):\n"
        "    try:\n"
        "        resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
        "        raised.append(limit)\n"
        "    except (ValueError, OSError):\n"
        "        pass\n"
        "if raised:\n"
        "    raise RuntimeError(f'LIMITS-RAISED {raised}')"
    )
    _, text = _run(_scene(body), settings)
    raised = "LIMITS-RAISED" in text
    return Canary(
        "hard-limits",
        not raised,
        "the scene raised its own limits" if raised else "limits cannot be raised",
    )


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                    if marker.encode() in cmdline.read():
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


CANARIES = (
    canary_render,
    canary_host_write,
    canary_network,
    canary_secrets,
    canary_survivor,
    canary_limits,
)


def run_selftest(settings: Settings | None = None) -> SelftestReport:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    report = SelftestReport(
        mode=settings.sandbox_mode, layers=sandbox.active_layers(settings.sandbox_mode)
    )
    for canary in CANARIES:
        try:
            report.canaries.append(canary(settings))
        except Exception as exc:  # a canary that cannot run is a failed canary
            report.canaries.append(
                Canary(canary.__name__.removeprefix("canary_"), False, repr(exc))
            )
    return report

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
    layers: list[str] = field(default_factory=list)  # measured by the render canary


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
            "canaries": [
                {k: v for k, v in asdict(c).items() if k != "layers"} for c in self.canaries
            ],
        }


RAN = "CHALK-CANARY-RAN"
SCENE = """from manim import *
import os, subprocess, socket, resource

class Canary(Scene):
    def construct(self):
        print({ran!r}, flush=True)
{body}
        self.play(FadeIn(Square()))
"""


def _scene(body: str) -> str:
    lines = body.strip("\n").splitlines()
    return SCENE.format(ran=RAN, body="\n".join("        " + line for line in lines))


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


def _verdict(name: str, text: str, escaped: str | None, contained: str) -> Canary:
    """A canary passes only if its attack really ran and nothing escaped."""
    if RAN not in text:
        return Canary(name, False, f"the canary did not run: {text.strip()[:300]}")
    if escaped:
        return Canary(name, False, escaped)
    return Canary(name, True, contained)


def canary_render(settings: Settings) -> Canary:
    """A plain scene renders, and reports the layers it really ran under."""
    try:
        result = render_code(_scene("self.add(Circle())"), check_policy=False, settings=settings)
    except ChalkError as exc:
        return Canary("renders", False, exc.message)
    result.video.unlink(missing_ok=True)
    result.thumbnail.unlink(missing_ok=True)
    canary = _verdict("renders", result.log_tail, None, "a plain scene renders")
    canary.layers = result.sandbox_layers
    return canary


def canary_host_write(settings: Settings) -> Canary:
    target_dir = Path(tempfile.mkdtemp(prefix="chalk-canary-", dir=settings.data_dir))
    targets = [target_dir / "pwned", Path("/var/tmp") / f"chalk-canary-{secrets.token_hex(6)}"]
    body = "\n".join(
        f"try:\n    open({str(t)!r}, 'w').write('x')\nexcept OSError:\n    pass" for t in targets
    )
    _, text = _run(_scene(body), settings)
    escaped = [str(t) for t in targets if t.exists()]
    for t in targets:
        t.unlink(missing_ok=True)
    target_dir.rmdir()
    return _verdict(
        "no-host-write",
        text,
        f"wrote {escaped}" if escaped else None,
        "writes outside the job directory did not reach the host",
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
        _, text = _run(_scene(body), settings)
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
    return _verdict(
        "no-network",
        text,
        f"{len(accepted)} connection(s) reached the host" if accepted else None,
        "no connection left the sandbox",
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
    return _verdict(
        "no-secrets",
        text,
        "the supervisor's environment leaked" if secret in text else None,
        "no secret reached the scene",
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
    _, text = _run(_scene(body), settings)
    survivors = _processes_with(marker)
    return _verdict(
        "no-survivors",
        text,
        f"{len(survivors)} process(es) outlived the job" if survivors else None,
        "nothing outlived the job",
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
    return _verdict(
        "hard-limits",
        text,
        "the scene raised its own limits" if "LIMITS-RAISED" in text else None,
        "limits cannot be raised",
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
            result = canary(settings)
        except Exception as exc:  # a canary that cannot run is a failed canary
            result = Canary(canary.__name__.removeprefix("canary_"), False, repr(exc))
        report.canaries.append(result)
        if result.layers:
            report.layers = result.layers
    return report

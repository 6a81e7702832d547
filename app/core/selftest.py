"""Sandbox canaries: small hostile scenes whose escape the host can observe.

`chalk selftest` (and, with the job system, every worker at start) runs them and reports the
active isolation layers. Each canary attacks from inside the sandbox and is judged only by a
signal outside it: a file that must not appear, a listener that must get no connection, a
secret that must not come back, a process that must not survive.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
    """TCP to a host port, and a Unix socket file any local user may connect to (as
    PostgreSQL's and Docker's are): neither may accept a connection from a render."""
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    port = tcp.getsockname()[1]
    # A world-reachable socket file (in process mode the job's uid walks the host's paths),
    # in the system temp dir: socket paths are limited to 108 bytes.
    socket_dir = Path(tempfile.mkdtemp(prefix="chalk-canary-"))
    socket_dir.chmod(0o755)
    unix_path = socket_dir / "service.sock"
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(unix_path))
    unix_path.chmod(0o777)
    accepted: list[str] = []
    stop = threading.Event()

    def accept(listener: socket.socket, kind: str) -> None:
        listener.listen(8)
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                accepted.append(kind)
                conn.close()
            except OSError:
                continue

    threads = [
        threading.Thread(target=accept, args=(listener, kind), daemon=True)
        for listener, kind in ((tcp, "tcp"), (unix, "unix"))
    ]
    for thread in threads:
        thread.start()
    body = (
        "for host in ('127.0.0.1', 'localhost'):\n"
        "    try:\n"
        f"        socket.create_connection((host, {port}), timeout=2).close()\n"
        "    except OSError:\n"
        "        pass\n"
        "try:\n"
        "    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
        f"    client.connect({str(unix_path)!r})\n"
        "except OSError:\n"
        "    pass"
    )
    try:
        _, text = _run(_scene(body), settings)
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2)
        tcp.close()
        unix.close()
        shutil.rmtree(socket_dir, ignore_errors=True)
    return _verdict(
        "no-network",
        text,
        f"connections reached the host: {sorted(accepted)}" if accepted else None,
        "no connection left the sandbox, by TCP or a host socket file",
    )


def canary_secrets(settings: Settings) -> Canary:
    """Neither the supervisor's environment nor other processes are visible to a render."""
    secret = f"chalk-canary-{secrets.token_hex(12)}"
    name = "CHALK_SELFTEST_SECRET"
    # The supervisor's own command line and pid: seeing either means host processes show.
    supervisor = os.getpid()
    with open("/proc/self/cmdline", "rb") as own:
        command_line = own.read().replace(b"\0", b" ").decode(errors="replace").strip()
    os.environ[name] = secret
    body = (
        "seen = str(dict(os.environ))\n"
        "for path in ('/proc/self/environ', '/proc/1/environ', f'/proc/{os.getppid()}/environ',\n"
        f"             '/proc/{supervisor}/cmdline'):\n"
        "    try:\n"
        "        seen += open(path).read().replace(chr(0), ' ')\n"
        "    except OSError:\n"
        "        pass\n"
        "try:\n"
        "    seen += ' pids:' + ','.join(p for p in os.listdir('/proc') if p.isdigit())\n"
        "except OSError:\n"
        "    pass\n"
        "print(seen)\n"
        "raise RuntimeError(seen)"
    )
    try:
        _, text = _run(_scene(body), settings)
    finally:
        os.environ.pop(name, None)
    if secret in text:
        escaped: str | None = "the supervisor's environment leaked"
    elif command_line in text or re.search(rf"pids:[\d,]*\b{supervisor}\b", text):
        escaped = "host processes are visible in /proc"
    else:
        escaped = None
    return _verdict("no-secrets", text, escaped, "no secret or host process reached the scene")


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

    def attack(canary: Callable[[Settings], Canary]) -> Canary:
        try:
            return canary(settings)
        except Exception as exc:  # a canary that cannot run is a failed canary
            return Canary(canary.__name__.removeprefix("canary_"), False, repr(exc))

    # Each canary is a cold sandbox of its own, judged by its own marker, file or listener:
    # they run side by side, one per CPU, so a worker (re)starts in a fraction of the time.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for result in pool.map(attack, CANARIES):
            report.canaries.append(result)
            if result.layers:
                report.layers = result.layers
    return report

"""Zero-downtime deploys: a blue-green switch of the app and its workers.

A release runs in one of two colours. A deploy builds the new image, migrates the database,
starts the other colour's app and workers, waits until that app answers its health check,
points the proxy at it and drains the old colour: its workers get SIGTERM, and RQ's warm
shutdown lets each finish the job it is rendering before it exits; then the old app stops.
Nothing a teacher submitted is lost: jobs wait in Redis and the database for whichever
colour's worker is free.

Migrations only expand (new tables, nullable or defaulted columns) until the release after,
so the old colour keeps working on the new schema while both run, and after a rollback
(`is_newer_than_code` in app/db/migrate.py; tests/ops/test_schema_compat.py runs the previous
release's code against the new schema). A rollback is a deploy of the previous image with
no build and no migration.

The steps are the same whatever runs the processes: `ComposePlatform` drives Docker Compose
(ops/deploy/compose.deploy.yml, the proxy's upstream in ops/caddy/), `LocalPlatform` runs
local processes (a host without Docker, and the tests).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

COLOURS = ("blue", "green")
HEALTH_TIMEOUT_S = 180.0
DRAIN_TIMEOUT_S = 300.0
"""How long an old worker may take to finish its job (Compose's stop_grace_period too)."""


class DeployError(Exception):
    """A deploy step failed; the message says what still serves and what to do."""


def other(colour: str | None) -> str:
    """The colour a deploy starts: not the one serving (blue for the first deploy)."""
    return COLOURS[1] if colour == COLOURS[0] else COLOURS[0]


@dataclass
class DeployState:
    """Which colour serves which image, and the image before it (what a rollback restores)."""

    colour: str | None = None
    image: str | None = None
    previous_image: str | None = None

    @classmethod
    def load(cls, path: Path) -> DeployState:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text())
        return cls(**{key: data.get(key) for key in ("colour", "image", "previous_image")})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(self), indent=2) + "\n")
        partial.replace(path)  # atomic: a crash mid-write keeps the old state


class Platform(Protocol):
    """What runs a colour's processes."""

    def build(self, image: str) -> None: ...
    def migrate(self, image: str) -> None: ...
    def start(self, colour: str, image: str) -> None: ...
    def healthy(self, colour: str) -> bool: ...
    def route(self, colour: str) -> None: ...
    def drain(self, colour: str) -> None: ...


@dataclass
class DeployReport:
    colour: str
    image: str
    previous_image: str | None
    steps: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def deploy(
    platform: Platform,
    state_path: Path,
    image: str,
    *,
    build: bool = True,
    migrate: bool = True,
    health_timeout_s: float = HEALTH_TIMEOUT_S,
    poll_s: float = 0.5,
) -> DeployReport:
    """Switch traffic to `image` in the idle colour with no downtime; see the module doc."""
    state = DeployState.load(state_path)
    old, new = state.colour, other(state.colour)
    report = DeployReport(colour=new, image=image, previous_image=state.image)

    def step(name: str, action: Callable[[], object]) -> None:
        began = time.monotonic()
        log.info("deploy %s: %s", image, name)
        action()
        report.steps.append({"step": name, "seconds": round(time.monotonic() - began, 2)})

    if build:
        step("build", lambda: platform.build(image))
    if migrate:
        step("migrate", lambda: platform.migrate(image))
    step(f"start {new}", lambda: platform.start(new, image))
    began = time.monotonic()
    while not platform.healthy(new):
        if time.monotonic() - began > health_timeout_s:
            platform.drain(new)
            serving = f"{old} ({state.image}) still serves" if old else "nothing was serving"
            raise DeployError(
                f"The new release {image} did not become healthy in {health_timeout_s:g} s; "
                f"{serving} and traffic was not switched. Check the {new} app's logs."
            )
        time.sleep(poll_s)
    report.steps.append({"step": "healthy", "seconds": round(time.monotonic() - began, 2)})
    step(f"route to {new}", lambda: platform.route(new))
    if old is not None:
        step(f"drain {old}", lambda: platform.drain(old))
    DeployState(colour=new, image=image, previous_image=state.image).save(state_path)
    return report


def rollback(platform: Platform, state_path: Path, **options: float) -> DeployReport:
    """Go back to the image before the current one (no build; the schema stays, see above)."""
    state = DeployState.load(state_path)
    if not state.previous_image:
        raise DeployError("There is no previous release to roll back to.")
    return deploy(platform, state_path, state.previous_image, build=False, migrate=False, **options)


# --- Docker Compose ---------------------------------------------------------------------------

Runner = Callable[[Sequence[str], Mapping[str, str]], subprocess.CompletedProcess[str]]


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv), env={**os.environ, **env}, capture_output=True, text=True, check=False
    )


@dataclass
class ComposePlatform:
    """Blue-green on Docker Compose: the colours are the services app_<colour> and
    worker_<colour> of ops/deploy/compose.deploy.yml (image CHALK_IMAGE_<COLOUR>); the proxy
    reads its upstream from `upstream_file` and reloads."""

    project_dir: Path
    files: Sequence[str] = ("docker-compose.yml", "ops/deploy/compose.deploy.yml")
    upstream_file: str = "ops/caddy/upstream.caddy"
    run: Runner = run_command

    def _compose(
        self, *args: str, env: Mapping[str, str] | None = None, check: bool = True
    ) -> bool:
        argv = ["docker", "compose", "--project-directory", str(self.project_dir)]
        for name in self.files:
            argv += ["-f", str(self.project_dir / name)]
        result = self.run([*argv, *args], env or {})
        if check and result.returncode != 0:
            raise DeployError(
                f"`docker compose {' '.join(args)}` failed: {result.stderr.strip()[-500:]}"
            )
        return result.returncode == 0

    @staticmethod
    def _image_env(colour: str, image: str) -> dict[str, str]:
        return {f"CHALK_IMAGE_{colour.upper()}": image}

    def build(self, image: str) -> None:
        result = self.run(["docker", "build", "-t", image, str(self.project_dir)], {})
        if result.returncode != 0:
            raise DeployError(f"Building {image} failed: {result.stderr.strip()[-500:]}")

    def migrate(self, image: str) -> None:
        # Any colour's service runs the new image's migrations; blue is as good as green.
        self._compose(
            "run", "--rm", "--no-deps", "app_blue", "chalk", "db", "upgrade",
            env=self._image_env("blue", image),
        )  # fmt: skip

    def start(self, colour: str, image: str) -> None:
        self._compose(
            "--profile", colour, "up", "-d", "--no-deps", f"app_{colour}", f"worker_{colour}",
            env=self._image_env(colour, image),
        )  # fmt: skip

    def healthy(self, colour: str) -> bool:
        # The app's own health check: the database at a schema it can use, the queue, storage.
        return self._compose("exec", "-T", f"app_{colour}", "chalk", "health", check=False)

    def route(self, colour: str) -> None:
        (self.project_dir / self.upstream_file).write_text(upstream(f"app_{colour}:8501"))
        self._compose("exec", "-T", "caddy", "caddy", "reload", "--config", "/etc/caddy/Caddyfile")

    def drain(self, colour: str) -> None:
        # SIGTERM, then up to DRAIN_TIMEOUT_S for the job in hand (RQ's warm shutdown).
        timeout = str(int(DRAIN_TIMEOUT_S))
        self._compose("stop", "-t", timeout, f"worker_{colour}")
        self._compose("stop", f"app_{colour}")


def upstream(address: str) -> str:
    """The proxy's upstream snippet (the Caddyfile imports it for the app's routes)."""
    return f"# Written by `chalk deploy`: the colour that serves.\nreverse_proxy {address}\n"


# --- local processes --------------------------------------------------------------------------


def _tool(name: str) -> str:
    """A console script of this Python's environment (the venv Chalk is installed in)."""
    return str(Path(sys.executable).parent / name)


@dataclass
class LocalPlatform:
    """Blue-green with local processes: a Streamlit app and a `chalk worker` per colour, behind
    a Caddy whose config imports `upstream_file` (reloaded through its admin address). One code
    tree: the image is a release label."""

    project_dir: Path
    env: Mapping[str, str]
    ports: Mapping[str, int]
    upstream_file: Path
    caddyfile: Path | None = None
    log_dir: Path | None = None
    processes: dict[str, list[subprocess.Popen[bytes]]] = field(default_factory=dict)

    def _spawn(self, colour: str, name: str, argv: Sequence[str]) -> subprocess.Popen[bytes]:
        log_dir = self.log_dir or self.project_dir
        output = open(log_dir / f"{name}-{colour}.log", "ab")  # noqa: SIM115 - the child keeps it
        with output:
            return subprocess.Popen(
                list(argv),
                cwd=log_dir,  # workers leave their sandbox canaries in the working directory
                env={**os.environ, **self.env},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def build(self, image: str) -> None:
        log.info("local platform: %s is this code tree; nothing to build", image)

    def migrate(self, image: str) -> None:
        result = subprocess.run(
            [_tool("chalk"), "db", "upgrade"],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise DeployError(f"Migrating for {image} failed: {result.stderr.strip()[-500:]}")

    def start(self, colour: str, image: str) -> None:
        app = self._spawn(
            colour,
            "app",
            [
                _tool("streamlit"), "run", str(self.project_dir / "streamlit_app.py"),
                "--server.address", "127.0.0.1", "--server.port", str(self.ports[colour]),
                "--server.headless", "true",
            ],
        )  # fmt: skip
        worker = self._spawn(colour, "worker", [_tool("chalk"), "worker"])
        self.processes[colour] = [app, worker]

    def healthy(self, colour: str) -> bool:
        if any(process.poll() is not None for process in self.processes.get(colour, [])):
            return False
        url = f"http://127.0.0.1:{self.ports[colour]}/_stcore/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def route(self, colour: str) -> None:
        self.upstream_file.write_text(upstream(f"127.0.0.1:{self.ports[colour]}"))
        if self.caddyfile is not None:
            result = subprocess.run(
                ["caddy", "reload", "--config", str(self.caddyfile), "--adapter", "caddyfile"],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise DeployError(f"Reloading the proxy failed: {result.stderr.strip()[-500:]}")

    def drain(self, colour: str) -> None:
        app, worker = self.processes.pop(colour, [None, None])
        for process, grace in ((worker, DRAIN_TIMEOUT_S), (app, 30.0)):
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)  # the worker: RQ's warm shutdown
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def stop_all(self) -> None:
        for colour in list(self.processes):
            self.drain(colour)

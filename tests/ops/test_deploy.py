"""The blue-green deploy's steps (app/ops/deploy.py) with a recording platform, the Compose
commands they become, the Compose file they drive, and the CLI's refusals. The same steps
against real local processes, with a job drained mid-render: test_deploy_local.py."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from app.cli import main
from app.ops.deploy import (
    ComposePlatform,
    DeployError,
    DeployState,
    deploy,
    rollback,
)

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """A platform that records each call; a colour listed in `sick` never becomes healthy."""

    def __init__(self, sick: Sequence[str] = ()) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.sick = set(sick)

    def build(self, image: str) -> None:
        self.calls.append(("build", image))

    def migrate(self, image: str) -> None:
        self.calls.append(("migrate", image))

    def start(self, colour: str, image: str) -> None:
        self.calls.append(("start", colour, image))

    def healthy(self, colour: str) -> bool:
        return colour not in self.sick

    def route(self, colour: str) -> None:
        self.calls.append(("route", colour))

    def drain(self, colour: str) -> None:
        self.calls.append(("drain", colour))


def test_first_deploy_starts_blue_and_drains_nothing(tmp_path: Path) -> None:
    platform, state = Recorder(), tmp_path / "state.json"
    report = deploy(platform, state, "chalk:a")
    assert platform.calls == [
        ("build", "chalk:a"),
        ("migrate", "chalk:a"),
        ("start", "blue", "chalk:a"),
        ("route", "blue"),
    ]
    assert report.colour == "blue" and report.previous_image is None
    assert DeployState.load(state) == DeployState("blue", "chalk:a", None)


def test_next_deploy_switches_traffic_before_draining_the_old_colour(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    deploy(Recorder(), state, "chalk:a")
    platform = Recorder()
    report = deploy(platform, state, "chalk:b")
    # Migrate before the new colour starts; drain only once the proxy points at the new one.
    assert platform.calls == [
        ("build", "chalk:b"),
        ("migrate", "chalk:b"),
        ("start", "green", "chalk:b"),
        ("route", "green"),
        ("drain", "blue"),
    ]
    assert [step["step"] for step in report.steps] == [
        "build", "migrate", "start green", "healthy", "route to green", "drain blue",
    ]  # fmt: skip
    assert DeployState.load(state) == DeployState("green", "chalk:b", "chalk:a")


def test_an_unhealthy_release_is_stopped_and_the_old_one_keeps_serving(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    deploy(Recorder(), state, "chalk:a")
    platform = Recorder(sick=["green"])
    with pytest.raises(DeployError, match=r"chalk:b did not become healthy.*blue \(chalk:a\)"):
        deploy(platform, state, "chalk:b", health_timeout_s=0.2, poll_s=0.05)
    assert ("route", "green") not in platform.calls
    assert platform.calls[-1] == ("drain", "green")  # the new colour, never the serving one
    assert DeployState.load(state) == DeployState("blue", "chalk:a", None)


def test_rollback_serves_the_previous_image_without_build_or_migration(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    deploy(Recorder(), state, "chalk:a")
    deploy(Recorder(), state, "chalk:b")
    platform = Recorder()
    report = rollback(platform, state)
    assert platform.calls == [("start", "blue", "chalk:a"), ("route", "blue"), ("drain", "green")]
    assert report.image == "chalk:a"
    assert DeployState.load(state) == DeployState("blue", "chalk:a", "chalk:b")


def test_rollback_with_no_previous_release_says_so(tmp_path: Path) -> None:
    with pytest.raises(DeployError, match="no previous release"):
        rollback(Recorder(), tmp_path / "state.json")


def test_the_cli_prints_one_json_object_and_exits_1_when_a_deploy_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rollback", "--project-dir", str(tmp_path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == {"status": "failed", "error": "There is no previous release to roll back to."}


class Commands:
    """A runner that records `docker …` command lines and answers each with `returncode`."""

    def __init__(self, returncode: int = 0) -> None:
        self.lines: list[tuple[list[str], dict[str, str]]] = []
        self.returncode = returncode

    def __call__(
        self, argv: Sequence[str], env: Mapping[str, str]
    ) -> subprocess.CompletedProcess[str]:
        self.lines.append((list(argv), dict(env)))
        return subprocess.CompletedProcess(list(argv), self.returncode, "", "no such service")


def compose_args(line: list[str]) -> list[str]:
    """What follows `docker compose --project-directory D -f … -f …`."""
    args = line[4:]
    while args[:1] == ["-f"]:
        args = args[2:]
    return args


def test_compose_platform_runs_each_colour_on_its_own_image_and_reloads_the_proxy(
    tmp_path: Path,
) -> None:
    (tmp_path / "ops" / "caddy").mkdir(parents=True)
    commands = Commands()
    platform = ComposePlatform(project_dir=tmp_path, run=commands)
    state = tmp_path / "state.json"
    deploy(platform, state, "chalk:a")
    deploy(platform, state, "chalk:b", build=False)
    lines = [
        (compose_args(argv) if argv[1] == "compose" else argv, env) for argv, env in commands.lines
    ]
    assert lines[0] == (["docker", "build", "-t", "chalk:a", str(tmp_path)], {})
    assert (["run", "--rm", "--no-deps", "app_blue", "chalk", "db", "upgrade"],
            {"CHALK_IMAGE_BLUE": "chalk:b"}) in lines  # fmt: skip
    assert (["--profile", "green", "up", "-d", "--no-deps", "app_green", "worker_green"],
            {"CHALK_IMAGE_GREEN": "chalk:b"}) in lines  # fmt: skip
    reload = ["exec", "-T", "caddy", "caddy", "reload", "--config", "/etc/caddy/Caddyfile"]
    steps = [args for args, _ in lines]
    drain = steps.index(["stop", "-t", "300", "worker_blue"])
    last_reload = max(i for i, args in enumerate(steps) if args == reload)
    assert steps.index(["exec", "-T", "app_green", "chalk", "health"]) < last_reload < drain
    assert steps[drain + 1] == ["stop", "app_blue"]
    assert "reverse_proxy app_green:8501" in (tmp_path / "ops/caddy/upstream.caddy").read_text()


def test_a_failed_compose_command_is_a_deploy_error_naming_it(tmp_path: Path) -> None:
    platform = ComposePlatform(project_dir=tmp_path, run=Commands(returncode=1))
    with pytest.raises(DeployError, match="Building chalk:a failed: no such service"):
        deploy(platform, tmp_path / "state.json", "chalk:a")
    with pytest.raises(DeployError, match=r"`docker compose run --rm .*` failed"):
        deploy(platform, tmp_path / "state.json", "chalk:a", build=False)


class ComposeLoader(yaml.SafeLoader):
    """YAML with Compose's `!reset` tag (it empties an extended list)."""


ComposeLoader.add_constructor("!reset", lambda loader, node: [])


def test_the_deploy_compose_file_extends_the_real_services_per_colour() -> None:
    base = yaml.load((ROOT / "docker-compose.yml").read_text(), Loader=ComposeLoader)
    colours = yaml.load((ROOT / "ops/deploy/compose.deploy.yml").read_text(), Loader=ComposeLoader)[
        "services"
    ]
    for colour in ("blue", "green"):
        for role in ("app", "worker"):
            service = colours[f"{role}_{colour}"]
            assert service["extends"]["service"] in base["services"]
            assert service["profiles"] == [colour]
            assert f"CHALK_IMAGE_{colour.upper()}" in service["image"]
        assert colours[f"app_{colour}"]["ports"] == []  # the proxy is the one way in
        assert colours[f"worker_{colour}"]["stop_grace_period"] == "5m"  # DRAIN_TIMEOUT_S
    upstream = (ROOT / "ops/caddy/upstream.caddy").read_text()
    assert "reverse_proxy {$CHALK_APP_UPSTREAM:app:8501}" in upstream  # before any deploy
    assert "import upstream.caddy" in (ROOT / "ops/caddy/Caddyfile").read_text()

"""Dockerfile, docker-compose.yml, Community Cloud files and the CI workflow, checked without a
Docker engine: packages, commands, settings and services refer to things that exist."""

from __future__ import annotations

import shlex
import subprocess
import tomllib
from pathlib import Path

import yaml

from app.cli import build_parser
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def makefile_packages() -> set[str]:
    """APT_PACKAGES as make itself expands it."""
    shown = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "--eval",
            "print-%: ; @echo $($*)",
            "print-APT_PACKAGES",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(shown.stdout.split())


def packages_txt() -> set[str]:
    """The system packages listed once in packages.txt (Streamlit Community Cloud's file)."""
    lines = (ROOT / "packages.txt").read_text().splitlines()
    return {line.strip() for line in lines if line.strip()}


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_dockerfile_installs_the_packages_in_packages_txt():
    installs = [
        rest
        for key, rest in dockerfile_instructions()
        if key == "RUN" and "apt-get install" in rest
    ]
    assert len(installs) == 1
    assert ("COPY", "packages.txt /tmp/packages.txt") in dockerfile_instructions()
    assert "xargs --arg-file=/tmp/packages.txt apt-get install" in installs[0]
    assert {"bubblewrap", "ffmpeg", "texlive-latex-base", "libcairo2-dev"} <= packages_txt()


def test_the_makefile_installs_packages_txt_and_the_test_tools():
    assert packages_txt() <= makefile_packages(), packages_txt() - makefile_packages()
    assert {"chromium", "prometheus", "caddy"} <= makefile_packages()


def test_the_dockerfile_copies_what_exists_runs_non_root_and_checks_health():
    instructions = dockerfile_instructions()
    for key, rest in instructions:
        if key == "COPY":
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
    env = " ".join(rest for key, rest in instructions if key == "ENV")
    assert "CHALK_LOG_FORMAT=json" in env
    users = [rest for key, rest in instructions if key == "USER"]
    assert users and users[-1] not in ("root", "0")
    [health] = [rest for key, rest in instructions if key == "HEALTHCHECK"]
    command = shlex.split(
        health.split("CMD", 1)[1].replace("[", "").replace("]", "").replace(",", " ")
    )
    assert command[0] == "chalk"
    build_parser().parse_args(command[1:])  # exits 2 (fails the test) for an unknown command
    [cmd] = [rest for key, rest in instructions if key == "CMD"]
    assert "streamlit_app.py" in cmd and (ROOT / "streamlit_app.py").exists()


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_services_use_real_settings_and_commands():
    services = compose()["services"]
    assert {"app", "worker", "redis", "postgres", "minio"} <= set(services)
    fields = {f"CHALK_{name.upper()}" for name in Settings.model_fields}
    for name in ("app", "worker"):
        env = services[name]["environment"]
        unknown = {key for key in env if key.startswith("CHALK_")} - fields
        assert not unknown, f"{name}: not settings: {unknown}"
        assert {"CHALK_DATABASE_URL", "CHALK_REDIS_URL", "CHALK_DATA_DIR"} <= set(env)
        assert env["CHALK_LOG_FORMAT"] == "json"
    worker = services["worker"]["command"]
    assert worker[0] == "chalk"
    args = build_parser().parse_args(worker[1:])
    assert args.metrics_port == 9100 and args.metrics_addr == "0.0.0.0"
    assert services["worker"]["deploy"]["replicas"] == 2
    app_command = " ".join(services["app"]["command"])
    assert "chalk db upgrade" in app_command and "streamlit run streamlit_app.py" in app_command


def test_compose_redis_keeps_jobs_and_postgres_keeps_its_data():
    services = compose()["services"]
    redis = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis and "--maxmemory-policy noeviction" in redis
    assert "--appendfsync everysec" in redis
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert services["minio"]["profiles"] == ["minio"]
    prometheus_mount = services["prometheus"]["volumes"][0].split(":")[0]
    assert (ROOT / prometheus_mount / "prometheus.yml").exists()


def test_requirements_install_chalk_with_duckdb_and_its_scanners_pinned():
    lines = [
        ln.strip()
        for ln in (ROOT / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert lines == ["."]
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {d.split("==")[0]: d.split("==")[1] for d in deps if "==" in d}
    assert (
        pins["duckdb"]
        == pins["duckdb-extension-sqlite"]
        == pins["duckdb-extension-postgres"]
        == "1.5.5"
    )


def test_the_github_workflow_runs_make_test():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "make test" in runs or (
        ".ci/run" in runs and "make test" in (ROOT / ".ci" / "run").read_text()
    )


def test_the_readme_explains_deploying_and_rolling_back():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Deploy and operate", 1)[1].split("\n## ", 1)[0]
    for needed in ("Community Cloud", "docker compose", "Rollback", "chalk backup", "chalk restore",
                   "chalk health", "--metrics-port", "CHALK_SENTRY_DSN"):  # fmt: skip
        assert needed in section, needed


def test_compose_runs_the_api_with_real_settings_and_command():
    services = compose()["services"]
    api = services["api"]
    fields = {f"CHALK_{name.upper()}" for name in Settings.model_fields}
    assert not {key for key in api["environment"] if key.startswith("CHALK_")} - fields
    assert api["environment"]["CHALK_REDIS_URL"]  # --workers 2 needs the shared queue
    command = " ".join(api["command"])
    assert "chalk db upgrade" in command
    args = build_parser().parse_args(command.split("exec ", 1)[1].split()[1:])
    assert (args.command, args.host, args.port, args.workers) == ("api", "0.0.0.0", 8000, 2)
    assert "8000:8000" in api["ports"] and "/v1/health" in " ".join(api["healthcheck"]["test"])

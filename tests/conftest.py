"""Shared fixtures: an isolated data dir and settings per test, the known-good scenes, the
shared warm sandbox, and the markers that let a developer run the fast core alone.

Fixtures live in conftest files and in the plugins named below, and nowhere else; helper
functions (free ports, waiting, accounts) live in tests/helpers.py.

Markers, set here from what a test uses (and by hand on tests that render):
- `render`: renders video in the sandbox (slow); the hostile corpus is `hostile` and `render`.
- `browser`: drives chromium against a real `streamlit run` (tests/e2e).
- `services`: needs Redis, PostgreSQL or the moto S3 server on loopback.
`pytest -m "not render and not browser and not services"` is the fast core.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from app.core import warm
from app.settings import Settings

pytest_plugins = ["tests.db_fixtures", "tests.moto_server"]

# The apps and workers tests start do not load the narration voice when they start (piper's
# model costs about 2 s of CPU per process, and most tests never narrate); a narrated job
# still loads it on first use. tests/speech/test_preload.py turns preloading on.
os.environ.setdefault("CHALK_SPEECH_PRELOAD", "false")
# One BLAS thread in the test processes and every process they start (the sandbox sets its
# own): two test processes already keep both cores busy, and OpenBLAS starting a thread per
# core in each process that imports NumPy or SciPy costs up to 0.25 s of CPU for nothing.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

SCENES = Path(__file__).parent / "scenes"
E2E = Path(__file__).parent / "e2e"
# Fixtures that reach a service; a backend-parametrized fixture (db_settings, the storage
# and cache fixtures) reaches one only in its "postgresql" or "s3" case.
SERVICE_FIXTURES = {"redis_url", "pg_settings", "moto_endpoint", "moto_iam"}
SERVICE_PARAMS = {"postgresql", "s3"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("hostile"):
            item.add_marker(pytest.mark.render)
        params = getattr(getattr(item, "callspec", None), "params", {})
        uses = set(getattr(item, "fixturenames", ()))
        if uses & SERVICE_FIXTURES or SERVICE_PARAMS & {
            v for v in params.values() if isinstance(v, str)
        }:
            item.add_marker(pytest.mark.services)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a throwaway data dir and short render timeouts."""
    return Settings(
        data_dir=tmp_path / "data",
        quality_presets={
            "preview": {"width": 854, "height": 480, "fps": 15, "timeout_s": 60},
            "standard": {"width": 1280, "height": 720, "fps": 30, "timeout_s": 120},
            "high": {"width": 1920, "height": 1080, "fps": 60, "timeout_s": 240},
        },
    )


def redis_db_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0) if worker.startswith("gw") else 0
    return 2 + index % 13  # 2..14; bench/throughput.py uses 15


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A flushed, throwaway Redis database on loopback."""
    url = f"redis://127.0.0.1:6379/{redis_db_number()}"
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis at {url} is not reachable, and the job tests need it: start Redis on "
            f"127.0.0.1:6379. Cause: {exc}",
            pytrace=False,
        )
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def scene_code(name: str) -> str:
    return (SCENES / f"{name}.py").read_text()


@pytest.fixture(scope="session")
def _warm_pool_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("shared-warm")
    yield root
    warm.POOL.close()
    warm.POOL.enabled = False


@pytest.fixture
def shared_warm_data_dir(_warm_pool_root: Path) -> Path:
    """A data dir that every test of this test process shares, and with it the work root that
    warm sandboxes are bound to: render tests that use it (and call prewarm) pay for starting
    a warm sandbox (bubblewrap, the Manim import, a warm-up render) once per process instead
    of once per test, and reuse it job after job as a worker does. Nothing else is shared:
    keep outputs under the test's own tmp_path."""
    return _warm_pool_root


@pytest.fixture
def warm_settings(settings: Settings, shared_warm_data_dir: Path) -> Settings:
    """`settings` on the shared data dir, its warm sandbox up: for tests that render many
    scenes and are not about the cold path (which renders the same videos, tests/test_warm.py).
    Give render_code an `out=` under the test's tmp_path."""
    shared = settings.model_copy(update={"data_dir": shared_warm_data_dir})
    warm.prewarm(shared)  # once per test process; later tests find it idle
    return shared


@pytest.fixture(autouse=True)
def _no_warm_sandboxes_between_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that prewarms (a worker, the app, the corpus) must not make later tests in the
    same process render warm, nor leave its warm sandboxes running. Only the shared warm
    sandbox (shared_warm_data_dir) stays up, idle, for the next test that asks for it; any
    other test starts with no warm sandbox at all, as in a fresh process."""
    shared = "shared_warm_data_dir" in request.fixturenames
    if not shared:
        warm.POOL.close()
    yield
    if warm.POOL.enabled and not shared:
        warm.POOL.close()
    warm.POOL.enabled = False


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt at its lowest cost in tests: the same hashes and checks, 250 times faster."""
    monkeypatch.setattr("app.accounts.passwords.BCRYPT_ROUNDS", 4)


@pytest.fixture(autouse=True, scope="session")
def _components_scanned_once() -> Iterator[None]:
    """Every AppTest scans each installed package's metadata for Streamlit components (about
    60 % of a UI test's time); the installed packages do not change during a run, so a test
    process scans them once and each AppTest gets the same list, as a server gets at start."""
    from streamlit.components.v2 import manifest_scanner

    found = functools.cache(manifest_scanner.scan_component_manifests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda **_: list(found()))
        yield

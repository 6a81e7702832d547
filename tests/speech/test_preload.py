"""The speech engine is loaded once per worker, when it starts, not per job: the app's inline
pool and `chalk worker` preload it, and later narrated jobs use the loaded one."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.jobs import service
from app.jobs.backends import InlineBackend, RQBackend
from app.settings import Settings
from app.speech import registry
from app.speech.options import NarrationOptions
from jobs.worker import worker_class
from tests.db_fixtures import throwaway_database
from tests.helpers import make_user, wait_for
from tests.jobs.conftest import _fast
from tests.jobs.test_faults import restore_signals  # noqa: F401 - a fixture
from tests.lessons.clips import fake_narrated_renders, scene_code

# Two jobs speak different sentences, so the second cannot be served from the spoken-sentence
# memory and must ask the engine again.
SENTENCES = {"First": "One two three.", "Second": "Four five six."}


@pytest.fixture
def piper_loads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """A fresh engine registry for this test, and how often piper's model is loaded."""
    from piper import PiperVoice

    monkeypatch.setattr(registry, "_engines", {})
    loads: Counter[str] = Counter()
    original = PiperVoice.load

    def counting_load(*args: object, **kwargs: object) -> object:
        loads["piper"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(PiperVoice, "load", staticmethod(counting_load))
    return loads


@pytest.fixture
def loaded_when_measured(piper_loads: Counter[str]) -> list[int]:
    """How many times piper had been loaded when each job's measuring pass ran."""
    return []


@pytest.fixture
def narrating_settings(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    piper_loads: Counter[str],
    loaded_when_measured: list[int],
) -> Iterator[Settings]:
    """Inline jobs on SQLite whose sandbox runs are faked (real MP4s, the narrate() sentence of
    each scene reported as the sandbox reports it); the speech and the mix are real."""

    def sentence(code: str) -> str:
        return SENTENCES[re.search(r"class (\w+)", code).group(1)]  # type: ignore[union-attr]

    def measured() -> None:
        loaded_when_measured.append(piper_loads["piper"])

    fake_narrated_renders(monkeypatch, tmp_path / "renders", sentence, measured)
    with throwaway_database("sqlite", settings, tmp_path, migrate=True) as db:
        yield _fast(db, redis_url=None, warm_pool=False, speech_preload=True)


def submit_narrated(settings: Settings, backend: object) -> list[str]:
    owner = make_user(settings)
    return [
        service.submit(
            settings=settings,
            owner_id=owner,
            code=scene_code(3, name),
            backend=backend,  # type: ignore[arg-type]
            narration=NarrationOptions(),
        ).job_id
        for name in SENTENCES
    ]


def assert_narrated(settings: Settings, job_ids: list[str], timeout: float = 60) -> None:
    for job_id in job_ids:
        done = wait_for(
            lambda job_id=job_id: (
                (v := service.status(settings=settings, job_id=job_id)).state
                in ("succeeded", "failed")
                and v
            ),
            timeout,
        )
        assert done and done.state == "succeeded", done and done.error
        assert done.captions  # narrated: the speech was made by the loaded voice


def test_the_inline_pool_loads_the_voice_at_start_and_never_again(
    narrating_settings: Settings, piper_loads: Counter[str], loaded_when_measured: list[int]
) -> None:
    backend = InlineBackend(narrating_settings, reconcile=False)
    try:
        backend.start()
        assert piper_loads["piper"] == 1  # before any job
        assert_narrated(narrating_settings, submit_narrated(narrating_settings, backend))
    finally:
        backend.shutdown(wait=True)
    assert loaded_when_measured == [1, 1] and piper_loads["piper"] == 1


@pytest.mark.xdist_group("redis")
@pytest.mark.usefixtures("restore_signals")  # an in-process RQ worker sets signal handlers
def test_an_rq_worker_loads_the_voice_at_start_and_never_again(
    narrating_settings: Settings,
    redis_url: str,
    piper_loads: Counter[str],
    loaded_when_measured: list[int],
) -> None:
    settings = narrating_settings.model_copy(
        update={"redis_url": redis_url, "queue_name": f"q-{uuid.uuid4().hex[:8]}"}
    )
    backend = RQBackend(settings)
    job_ids = submit_narrated(settings, backend)
    assert piper_loads["piper"] == 0
    # A burst worker in this process (as `chalk worker` runs one): both jobs, then it exits.
    worker_class(settings)([backend.queue], connection=backend.redis).work(burst=True)
    assert_narrated(settings, job_ids, timeout=5)
    # Loaded when the worker started, before the first job's first step; never again.
    assert loaded_when_measured == [1, 1] and piper_loads["piper"] == 1


def test_no_preload_when_it_is_turned_off(
    narrating_settings: Settings, piper_loads: Counter[str]
) -> None:
    assert registry.preload(narrating_settings.model_copy(update={"speech_preload": False})) is None
    assert piper_loads["piper"] == 0


def test_an_engine_that_cannot_load_leaves_the_worker_running(
    narrating_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "_engines", {})
    monkeypatch.setattr("app.speech.espeak_engine.shutil.which", lambda name: None)
    from app.speech.espeak_engine import espeak_binary

    espeak_binary.cache_clear()
    try:
        espeak = narrating_settings.model_copy(update={"speech_engine": "espeak"})
        assert registry.preload(espeak) is None
    finally:
        espeak_binary.cache_clear()

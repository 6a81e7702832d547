"""The engines by name, each loaded once per process (piper's model takes seconds to load)."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

from app.speech.engine import DEFAULT_ENGINE, ENGINE_NAMES, SpeechEngine

if TYPE_CHECKING:
    from app.settings import Settings

log = logging.getLogger(__name__)

_engines: dict[str, SpeechEngine] = {}
_engines_lock = threading.Lock()
LOADS: Counter[str] = Counter()
"""How many times this process loaded each engine (once, unless a load failed)."""


def get_engine(name: str = DEFAULT_ENGINE) -> SpeechEngine:
    """The engine `name`, loaded once per process (piper's model takes seconds to load)."""
    if name not in ENGINE_NAMES:
        raise ValueError(f"unknown speech engine {name!r}; expected one of {ENGINE_NAMES}")
    with _engines_lock:
        engine = _engines.get(name)
        if engine is None:
            engine = _load(name)
            LOADS[name] += 1
            _engines[name] = engine
        return engine


def preload(settings: Settings) -> SpeechEngine | None:
    """Load the default engine at worker start (`speech_preload`), so the first narrated job
    does not wait for piper's model. An engine that cannot load is logged, not fatal: silent
    jobs still run, and a narrated one reports the engine's own error."""
    if not settings.speech_preload:
        return None
    started = time.monotonic()
    try:
        engine = get_engine(settings.speech_engine)
    except Exception as exc:
        log.warning("the %s speech engine could not be preloaded: %s", settings.speech_engine, exc)
        return None
    log.info("%s speech engine ready in %.1f s", engine.name, time.monotonic() - started)
    return engine


def _load(name: str) -> SpeechEngine:
    # Deferred imports: each engine pulls a heavy dependency (onnxruntime, openai) that only
    # a worker that narrates should pay for.
    if name == "piper":
        from app.speech.piper_engine import PiperEngine

        return PiperEngine()
    if name == "espeak":
        from app.speech.espeak_engine import EspeakEngine

        return EspeakEngine()
    from app.speech.openai_engine import OpenAIEngine

    return OpenAIEngine()


def engine_version(name: str) -> str:
    """What identifies the engine's output, for the render cache key, without loading it."""
    if name == "piper":
        from app.speech.piper_engine import piper_version

        return piper_version()
    if name == "espeak":
        from app.speech.espeak_engine import espeak_version

        return espeak_version()
    from app.speech.openai_engine import endpoint_identity

    return endpoint_identity()

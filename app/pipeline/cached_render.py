"""The render step: validate, then the stored render or a new one; store the accepted render.

This is the one place that uses the render cache (app/cache.py has its semantics): the policy
is checked before a lookup, so a stored entry is never handed out for code the policy
refuses; lookups happen only while `settings.render_cache` is on; every render a job accepts
is stored, whether or not lookups are on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from app.cache import RenderCache, StoredMedia, render_key
from app.core import policy
from app.core.render import ProgressCallback, RenderResult, measure_code, render_code
from app.errors import ChalkError
from app.pipeline.result import Attempt
from app.pipeline.stages import RENDERING, STORING, VALIDATING, Stages
from app.settings import Settings
from app.speech.narration import WordStarts, narrate_render
from app.speech.options import NarrationOptions


@dataclass
class CachedRender:
    """How a job renders: its frame, its callbacks and (optionally) its render cache."""

    settings: Settings
    quality: str = "preview"
    aspect: str = "16:9"
    scene: str | None = None
    on_progress: ProgressCallback | None = None
    cancel: threading.Event | None = None
    cache: RenderCache | None = None
    # None or disabled: a silent video (narrate() calls in the scene do nothing).
    narration: NarrationOptions | None = None

    def render(self, attempt: Attempt, stages: Stages, out: Path | None) -> RenderResult:
        """Validate `attempt.code`, then render it (or copy its stored render) to `out`."""
        assert attempt.code is not None
        stages.enter(VALIDATING)
        policy.choose_scene(
            policy.check_code(attempt.code, max_bytes=self.settings.max_code_bytes), self.scene
        )
        attempt.cache_key = render_key(
            attempt.code,
            self.quality,
            self.aspect,
            self.settings,
            scene=self.scene,
            narration=self.narration,
        )
        stages.enter(RENDERING)
        started = time.monotonic()
        try:
            if self.cache is not None and self.settings.render_cache:
                self._check_cancel("The render was cancelled.")
                cached = self.cache.lookup(attempt.cache_key, out)
                if cached is not None:
                    attempt.cache_hit = True
                    if self.on_progress:
                        self.on_progress(1.0)
                    return cached
            if self.narration is not None and self.narration.enabled:
                return self._render_narrated(attempt.code, out)
            return self._render_code(attempt.code, out)
        finally:
            attempt.render_s = time.monotonic() - started

    def _render_code(
        self,
        code: str,
        out: Path | None,
        narration: list[float] | None = None,
        words: WordStarts | None = None,
    ) -> RenderResult:
        return render_code(
            code,
            quality=self.quality,
            aspect=self.aspect,
            scene=self.scene,
            out=out,
            on_progress=self.on_progress,
            cancel=self.cancel,
            settings=self.settings,
            narration=narration,
            narration_words=words,
        )

    def _render_narrated(self, code: str, out: Path | None) -> RenderResult:
        """Two sandbox runs around the speech (app/speech/narration.py says why)."""
        assert self.narration is not None
        options = self.narration.resolved(self.settings.speech_engine)
        return narrate_render(
            options,
            measure=lambda durations: measure_code(
                code,
                quality=self.quality,
                aspect=self.aspect,
                scene=self.scene,
                settings=self.settings,
                narration=durations,
            ),
            render=lambda durations, words: self._render_code(code, out, durations, words),
        )

    def store(self, key: str, rendered: RenderResult, stages: Stages) -> StoredMedia | None:
        """Keep the accepted render in the media store (None: there is no cache to keep it in).

        Raises StorageError when the store fails; the caller decides what that costs.
        """
        if self.cache is None:
            return None
        stages.enter(STORING)
        self._check_cancel("The job was cancelled.")
        return self.cache.store(key, rendered)

    def _check_cancel(self, message: str) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ChalkError("cancelled", message)

"""One job from prompt or code to a gated video, in the JSON shape of DESIGN.md's CLI contract.

generate (prompt only) → validate (static policy) → render (sandbox) → output gate.
The repair loop and deterministic fixer slot in between generate and render with the LLM issue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.render import RenderResult, render_code
from app.errors import ChalkError

log = logging.getLogger(__name__)


@dataclass
class JobResult:
    """Everything `chalk render --json` reports about one job."""

    status: str = "failed"  # succeeded | failed | rejected
    error: ChalkError | None = None
    video: str | None = None
    thumbnail: str | None = None
    code: str | None = None
    generator: str | None = None
    template: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    cache_hit: bool = False
    timings: dict[str, float] = field(
        default_factory=lambda: {"generate_s": 0.0, "render_s": 0.0, "total_s": 0.0}
    )
    layout_warnings: list[str] = field(default_factory=list)
    render: RenderResult | None = None

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "error": self.error.to_json() if self.error else None,
            "video": self.video,
            "thumbnail": self.thumbnail,
            "code": self.code,
            "generator": self.generator,
            "template": self.template,
            "params": self.params,
            "attempts": self.attempts,
            "cache_hit": self.cache_hit,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "layout_warnings": self.layout_warnings,
        }
        if self.render is not None:
            data["video_info"] = {
                "codec": self.render.codec,
                "width": self.render.width,
                "height": self.render.height,
                "fps": self.render.fps,
                "frames": self.render.frames,
                "duration_s": round(self.render.duration_s, 3),
                "size_bytes": self.render.size_bytes,
            }
        return data


def _status_for(error: ChalkError) -> str:
    # Rejected: the input was refused before anything ran; failed: it ran and did not finish.
    return "rejected" if error.kind in ("validation", "no_template", "quota") else "failed"


def run_job(
    *,
    code: str | None = None,
    prompt: str | None = None,
    generator: str = "auto",
    quality: str = "preview",
    aspect: str = "16:9",
    scene: str | None = None,
    out: Path | None = None,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> JobResult:
    """Run one job end to end; never raises for job failures (they are in `.error`)."""
    result = JobResult()
    started = time.monotonic()
    try:
        if code is None:
            if not prompt or not prompt.strip():
                raise ChalkError(
                    "validation", "The prompt is empty; describe the animation you want."
                )
            from app.generators.select import generate

            generation = generate(prompt, generator=generator)
            code = generation.code
            result.generator = generation.generator
            result.template = generation.template
            result.params = dict(generation.params)
        else:
            result.generator = "user"
        result.code = code
        result.timings["generate_s"] = time.monotonic() - started
        render_started = time.monotonic()
        result.attempts = 1
        try:
            rendered = render_code(
                code,
                quality=quality,
                aspect=aspect,
                scene=scene,
                out=out,
                on_progress=on_progress,
                cancel=cancel,
            )
        finally:
            result.timings["render_s"] = time.monotonic() - render_started
        result.render = rendered
        result.video = str(rendered.video)
        result.thumbnail = str(rendered.thumbnail)
        result.status = "succeeded"
    except ChalkError as exc:
        log.info("job %s: %s (%s)", _status_for(exc), exc.message, exc.kind)
        if exc.detail:
            log.debug("detail: %s", exc.detail)
        result.error = exc
        result.status = _status_for(exc)
    except Exception as exc:  # an internal bug must still end the job with a clear reason
        log.exception("internal error")
        result.error = ChalkError(
            "internal", "Something went wrong inside Chalk; please try again.", detail=repr(exc)
        )
        result.status = "failed"
    result.timings["total_s"] = time.monotonic() - started
    return result

"""One job from prompt or code to a gated video, in the JSON shape of DESIGN.md's CLI contract.

    generate ─► fix pitfalls ─► validate (policy) ─► render (sandbox) ─► layout check
        ▲                                                                     │
        └──────── repair: policy sentence / traceback / layout report ◄───────┘

Templates and user code get one attempt (`chalk fix` runs the fixer first). LLM jobs loop up
to `max_attempts` times, telling the model the specific reason each attempt failed. The code
is only ever checked by the policy (ast) and run by render_code (the sandbox).

Every attempt that passes the policy gets a render cache key (app/cache.py). With a
`RenderCache` and `settings.render_cache` on, a stored render for that key is returned
instead of rendering (`cache_hit`); the policy is still checked first, so a stored entry is
never handed out for code the policy refuses.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache import render_key
from app.core import layout, policy, repair
from app.core.fixer import Fix, fix_code
from app.core.render import RenderResult, render_code
from app.errors import ChalkError
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.cache import RenderCache

log = logging.getLogger(__name__)

StageCallback = Callable[[str], None]
"""Told each stage a job enters: "generating", "validating", "rendering"."""


@dataclass
class Attempt:
    """One generate → fix → validate → render round of a job."""

    number: int
    code: str | None = None
    fixes: list[Fix] = field(default_factory=list)
    error: ChalkError | None = None
    layout_warnings: list[str] = field(default_factory=list)
    generate_s: float = 0.0
    render_s: float = 0.0
    cache_key: str | None = None
    cache_hit: bool = False

    @property
    def seconds(self) -> float:
        return self.generate_s + self.render_s

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt": self.number,
            "code": self.code,
            "error_kind": self.error.kind if self.error else None,
            "error": self.error.message if self.error else None,
            "fixes": [fix.rule for fix in self.fixes],
            "layout_warnings": self.layout_warnings,
            "seconds": round(self.seconds, 3),
            "cache_key": self.cache_key,
            "cache_hit": self.cache_hit,
        }


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
    # The render cache key of the accepted attempt; the job runner stores the video under it.
    cache_key: str | None = None
    timings: dict[str, float] = field(
        default_factory=lambda: {"generate_s": 0.0, "render_s": 0.0, "total_s": 0.0}
    )
    layout_warnings: list[str] = field(default_factory=list)
    render: RenderResult | None = None
    fixes: list[Fix] = field(default_factory=list)
    attempt_log: list[Attempt] = field(default_factory=list)
    usage: dict[str, int] | None = None

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
            "cache_key": self.cache_key,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "layout_warnings": self.layout_warnings,
            "fixes": [fix.to_json() for fix in self.fixes],
            "attempt_log": [attempt.to_json() for attempt in self.attempt_log],
            "usage": self.usage,
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


@dataclass
class _RenderOptions:
    quality: str
    aspect: str
    scene: str | None
    out: Path | None
    on_progress: Callable[[float], None] | None
    cancel: threading.Event | None
    settings: Settings
    cache: RenderCache | None = None
    on_stage: StageCallback | None = None
    stage: str | None = None

    def enter(self, stage: str) -> None:
        """Report a stage change (repeats of the current stage are not reported)."""
        if stage != self.stage:
            self.stage = stage
            if self.on_stage is not None:
                self.on_stage(stage)


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
    fix: bool = False,
    settings: Settings | None = None,
    cache: RenderCache | None = None,
    on_stage: StageCallback | None = None,
) -> JobResult:
    """Run one job end to end; never raises for job failures (they are in `.error`).

    `fix=True` runs the deterministic fixer on user `code` first (`chalk fix`). `cache`
    serves stored renders when `settings.render_cache` is on. `on_stage` is called as the
    job enters "generating" (prompt jobs), "validating" and "rendering", in the job's
    thread; an exception it raises ends the job like a failure at that point (a ChalkError
    keeps its kind, e.g. "cancelled"; anything else becomes an internal error).
    """
    settings = settings or get_settings()
    options = _RenderOptions(
        quality, aspect, scene, out, on_progress, cancel, settings, cache, on_stage
    )
    result = JobResult()
    started = time.monotonic()
    try:
        if code is None:
            if not prompt or not prompt.strip():
                raise ChalkError(
                    "validation", "The prompt is empty; describe the animation you want."
                )
            from app.generators.select import resolve_generator

            options.enter("generating")
            if resolve_generator(generator, settings) == "llm":
                _run_llm_job(result, prompt, options)
            else:
                from app.generators.offline import generate as generate_offline

                generation = generate_offline(prompt)
                result.generator = generation.generator
                result.template = generation.template
                result.params = dict(generation.params)
                result.timings["generate_s"] = time.monotonic() - started
                _run_once(result, Attempt(1, code=generation.code), options)
        else:
            result.generator = "user"
            attempt = Attempt(1, code=code)
            if fix:
                options.enter("validating")
                fixed = fix_code(code)
                attempt.code, attempt.fixes = fixed.code, fixed.fixes
                result.fixes = fixed.fixes
            _run_once(result, attempt, options)
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
    result.attempts = len(result.attempt_log)
    result.timings["total_s"] = time.monotonic() - started
    return result


def _render_attempt(attempt: Attempt, options: _RenderOptions, out: Path | None) -> RenderResult:
    """Validate, then render or take the cached render: the one place every attempt renders."""
    assert attempt.code is not None
    settings = options.settings
    options.enter("validating")
    policy.choose_scene(
        policy.check_code(attempt.code, max_bytes=settings.max_code_bytes), options.scene
    )
    attempt.cache_key = render_key(
        attempt.code, options.quality, options.aspect, settings, scene=options.scene
    )
    options.enter("rendering")
    render_started = time.monotonic()
    try:
        if options.cache is not None and settings.render_cache:
            if options.cancel is not None and options.cancel.is_set():
                raise ChalkError("cancelled", "The render was cancelled.")
            cached = options.cache.lookup(attempt.cache_key, out)
            if cached is not None:
                attempt.cache_hit = True
                if options.on_progress:
                    options.on_progress(1.0)
                return cached
        return render_code(
            attempt.code,
            quality=options.quality,
            aspect=options.aspect,
            scene=options.scene,
            out=out,
            on_progress=options.on_progress,
            cancel=options.cancel,
            settings=options.settings,
        )
    finally:
        attempt.render_s = time.monotonic() - render_started


def _accept(result: JobResult, rendered: RenderResult, attempt: Attempt) -> None:
    result.render = rendered
    result.video = str(rendered.video)
    result.thumbnail = str(rendered.thumbnail)
    result.code = attempt.code
    result.cache_key = attempt.cache_key
    result.cache_hit = attempt.cache_hit


def _run_once(result: JobResult, attempt: Attempt, options: _RenderOptions) -> None:
    """Templates and user code: one validate → render, then the layout check."""
    result.attempt_log.append(attempt)
    result.code = attempt.code
    try:
        rendered = _render_attempt(attempt, options, options.out)
    except ChalkError as exc:
        attempt.error = exc
        raise
    finally:
        result.timings["render_s"] += attempt.render_s
    attempt.layout_warnings = layout.layout_warnings(rendered.layout)
    result.layout_warnings = attempt.layout_warnings
    _accept(result, rendered, attempt)


@dataclass
class _Best:
    rendered: RenderResult
    attempt: Attempt
    issues: list[layout.LayoutIssue]


def _attempt_path(out: Path | None, number: int) -> Path | None:
    return out.with_name(f"{out.stem}.attempt{number}{out.suffix}") if out else None


def _discard(rendered: RenderResult) -> None:
    rendered.video.unlink(missing_ok=True)
    rendered.thumbnail.unlink(missing_ok=True)


def _move_to(rendered: RenderResult, out: Path) -> None:
    thumbnail = out.with_suffix(".png")
    rendered.video.replace(out)
    rendered.thumbnail.replace(thumbnail)
    rendered.video, rendered.thumbnail = out, thumbnail


def _run_llm_job(result: JobResult, prompt: str, options: _RenderOptions) -> None:
    """Generate → fix → validate → render, repairing with the specific reason each time."""
    from app.generators.llm import Conversation, LLMClient, Reply, frame_width

    settings = options.settings
    client = LLMClient(settings)
    conversation = Conversation(client, prompt, options.aspect)
    result.generator = client.generator_id
    best: _Best | None = None
    last_error: ChalkError | None = None
    reply: Reply | None = None
    feedback = ""
    feedback_code: str | None = None
    try:
        for number in range(1, settings.max_attempts + 1):
            if options.cancel is not None and options.cancel.is_set():
                raise ChalkError("cancelled", "The job was cancelled.")
            attempt = Attempt(number)
            options.enter("generating")
            asked = time.monotonic()
            try:
                if reply is None:
                    reply = conversation.first()
                else:
                    reply = conversation.repair(reply, feedback_code, feedback)
            except ChalkError:
                if best is not None:  # keep the video we have rather than fail the job
                    log.warning(
                        "LLM unavailable during a layout repair; keeping attempt %d",
                        best.attempt.number,
                    )
                    break
                raise
            finally:
                attempt.generate_s = time.monotonic() - asked
                result.timings["generate_s"] += attempt.generate_s
            result.attempt_log.append(attempt)
            if reply.code is None:
                truncated = reply.finish_reason == "length"
                feedback = repair.feedback_for_no_code(reply.text, truncated)
                feedback_code = None
                attempt.error = last_error = ChalkError(
                    "generation",
                    "The AI model replied without any animation code; try rephrasing the prompt.",
                    detail=feedback,
                )
                log.info("attempt %d: no code in the reply", number)
                continue
            options.enter("validating")
            fixed = fix_code(reply.code)
            attempt.code, attempt.fixes = fixed.code, fixed.fixes
            if best is None:
                result.code = fixed.code
            try:
                rendered = _render_attempt(attempt, options, _attempt_path(options.out, number))
            except ChalkError as exc:
                attempt.error = last_error = exc
                log.info("attempt %d failed (%s): %s", number, exc.kind, exc.message)
                if exc.kind not in repair.REPAIRABLE:
                    if best is not None and exc.kind != "cancelled":
                        break
                    raise
                feedback = repair.feedback_for_error(exc, fixed.code)
                feedback_code = fixed.code
                continue
            finally:
                result.timings["render_s"] += attempt.render_s
            issues = layout.check_layout(rendered.layout)
            attempt.layout_warnings = [issue.message for issue in issues]
            if best is None or len(issues) < len(best.issues):
                if best is not None:
                    _discard(best.rendered)
                best = _Best(rendered, attempt, issues)
            else:
                _discard(rendered)
            if not issues or not settings.repair_layout:
                break
            log.info("attempt %d rendered with %d layout warnings", number, len(issues))
            feedback = repair.feedback_for_layout(issues, frame_width(options.aspect))
            feedback_code = fixed.code
    finally:
        result.usage = conversation.usage.to_json()
    if best is None:
        assert last_error is not None
        raise _gave_up(last_error, len(result.attempt_log))
    if options.out is not None:
        _move_to(best.rendered, options.out)
    _accept(result, best.rendered, best.attempt)
    result.fixes = best.attempt.fixes
    result.layout_warnings = best.attempt.layout_warnings


def _gave_up(last: ChalkError, attempts: int) -> ChalkError:
    if attempts <= 1:
        return last
    return ChalkError(
        last.kind,
        f"The AI model could not write a working animation in {attempts} attempts; try "
        f"rephrasing the prompt or use a template (last problem: {last.message.rstrip('.')}).",
        detail=last.detail,
        line=last.line,
    )

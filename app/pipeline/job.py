"""One job from prompt or code to a checked, stored video: `run_job`.

    generate ─► fix pitfalls ─► validate (policy) ─► render (sandbox) ─► post-render check ─► store
        ▲                                    (layout, flashes, text contrast) │
        └──────── repair: policy sentence / traceback / layout report ◄───────┘

A layout measured as broken gets the deterministic layout fix after the last render (objects
scaled and moved into the frame, texts moved apart; kept only if the check then passes:
app/pipeline/layout_fixup.py); text measured hard to read gets raw colours swapped to palette
roles, kept if it reads better (app/pipeline/palette_swap.py). Both render once more.

Templates and user code get one attempt (`chalk fix` runs the fixer first). LLM jobs go
through the repair loop (app/pipeline/repair_loop.py). The code is only ever checked by the
policy (ast) and run by render_code (the sandbox); app/pipeline/cached_render.py wraps that
render in the render cache.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from app.cache import RenderCache
from app.core.fixer import fix_code
from app.core.layout import LayoutIssue
from app.core.render import ProgressCallback, RenderResult
from app.description import describe_video
from app.errors import INTERNAL_MESSAGE, ChalkError
from app.generators import EMPTY_PROMPT
from app.generators.offline import generate as generate_offline
from app.generators.offline import origin
from app.generators.select import resolve_generator
from app.pipeline.cached_render import CachedRender
from app.pipeline.checks import post_render_issues
from app.pipeline.layout_fixup import improve_layout, measurer
from app.pipeline.palette_swap import improve_contrast
from app.pipeline.recheck import Checked
from app.pipeline.repair_loop import repair_loop
from app.pipeline.result import Attempt, JobResult, status_for
from app.pipeline.stages import GENERATING, VALIDATING, StageCallback, Stages
from app.settings import Settings, get_settings
from app.speech.options import NarrationOptions
from app.storage import StorageError

log = logging.getLogger(__name__)


def run_job(
    *,
    code: str | None = None,
    prompt: str | None = None,
    generator: str = "auto",
    quality: str = "preview",
    aspect: str = "16:9",
    scene: str | None = None,
    out: Path | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    fix: bool = False,
    settings: Settings | None = None,
    cache: RenderCache | None = None,
    on_stage: StageCallback | None = None,
    narration: NarrationOptions | None = None,
) -> JobResult:
    """Run one job end to end; never raises for job failures (they are in `.error`).

    `fix=True` runs the deterministic fixer on user `code` first (`chalk fix`). With a
    `cache`, a stored render is served while `settings.render_cache` is on, and the accepted
    render is stored ("storing"); a store that fails is logged and left in `.store_error`
    for the caller to judge. `on_stage` is called as the job enters "generating" (prompt
    jobs), "validating", "rendering" and "storing", in the job's thread; an exception it
    raises ends the job like a failure at that point (a ChalkError keeps its kind, e.g.
    "cancelled"; anything else becomes an internal error). With `narration` enabled the
    scene's narrate() sentences are spoken, the video gets an AAC track and WebVTT captions
    beside it (app/speech/narration.py).
    """
    settings = settings or get_settings()
    renderer = CachedRender(
        settings,
        quality=quality,
        aspect=aspect,
        scene=scene,
        on_progress=on_progress,
        cancel=cancel,
        cache=cache,
        narration=narration,
    )
    stages = Stages(on_stage)
    result = JobResult()
    started = time.monotonic()
    try:
        if code is None:
            _run_prompt(result, prompt, generator, renderer, stages, out, started)
        else:
            result.generator = "user"
            _credit_template(result, code)
            attempt = Attempt(1, code=code)
            if fix:
                stages.enter(VALIDATING)
                fixed = fix_code(code)
                attempt.code, attempt.fixes = fixed.code, fixed.fixes
                result.fixes = fixed.fixes
            _run_once(result, attempt, renderer, stages, out)
        _store(result, renderer, stages)
        result.status = "succeeded"
    except ChalkError as exc:
        log.info("job %s: %s (%s)", status_for(exc), exc.message, exc.kind)
        if exc.detail:
            log.debug("detail: %s", exc.detail)
        result.error = exc
        result.status = status_for(exc)
    except Exception as exc:  # an internal bug must still end the job with a clear reason
        log.exception("internal error")
        result.error = ChalkError("internal", INTERNAL_MESSAGE, detail=repr(exc))
        result.status = "failed"
    result.attempts = len(result.attempt_log)
    result.timings["total_s"] = time.monotonic() - started
    return result


def _credit_template(result: JobResult, code: str) -> None:
    """Code that is exactly what a template makes (re-rendered from the form, a refinement,
    or pasted back unchanged) keeps its template, values and description; edited code is the
    user's own."""
    made = origin(code)
    if made is None or made.edited:
        return
    result.template = made.template
    result.params = dict(made.params)
    result.template_sentences = list(made.description)


def _run_prompt(
    result: JobResult,
    prompt: str | None,
    generator: str,
    renderer: CachedRender,
    stages: Stages,
    out: Path | None,
    started: float,
) -> None:
    if not prompt or not prompt.strip():
        raise ChalkError("validation", EMPTY_PROMPT)
    stages.enter(GENERATING)
    if resolve_generator(generator, renderer.settings) == "llm":
        _run_llm(result, prompt, renderer, stages, out)
        return
    generation = generate_offline(prompt)
    result.generator = generation.generator
    result.template = generation.template
    result.params = dict(generation.params)
    result.template_sentences = list(generation.description)
    result.unused = list(generation.unused)
    result.timings["generate_s"] = time.monotonic() - started
    _run_once(result, Attempt(1, code=generation.code), renderer, stages, out)


def _run_once(
    result: JobResult, attempt: Attempt, renderer: CachedRender, stages: Stages, out: Path | None
) -> None:
    """Templates and user code: one validate → render, then the post-render check."""
    result.attempt_log.append(attempt)
    result.code = attempt.code
    try:
        rendered = renderer.render(attempt, stages, out)
    except ChalkError as exc:
        attempt.error = exc
        raise
    finally:
        result.timings["render_s"] += attempt.render_s
    issues = post_render_issues(rendered)
    attempt.layout_warnings = [issue.message for issue in issues]
    swap_out = out.with_name(f"{out.stem}.palette{out.suffix}") if out else None
    fix_out = out.with_name(f"{out.stem}.layout{out.suffix}") if out else None
    laid_out = improve_layout(
        result,
        Checked(attempt, rendered, issues),
        lambda fixed: renderer.render(fixed, stages, fix_out),
        _measure(renderer),
    )
    kept = improve_contrast(
        result, laid_out, lambda swapped: renderer.render(swapped, stages, swap_out)
    )
    if kept.attempt is not attempt:
        result.fixes = kept.attempt.fixes
        if out is not None:
            _move_to(kept.rendered, out)
    result.layout_warnings = kept.warnings
    _accept(result, kept.rendered, kept.attempt)


def _run_llm(
    result: JobResult, prompt: str, renderer: CachedRender, stages: Stages, out: Path | None
) -> None:
    """The repair loop with a render as its check; the kept attempt's video goes to `out`."""

    def render(attempt: Attempt) -> RenderResult:
        # Each attempt renders beside `out`; only the kept one is moved there.
        attempt_out = (
            out.with_name(f"{out.stem}.attempt{attempt.number}{out.suffix}") if out else None
        )
        return renderer.render(attempt, stages, attempt_out)

    kept = repair_loop(
        result,
        prompt,
        aspect=renderer.aspect,
        settings=renderer.settings,
        check=render,
        stages=stages,
        cancel=renderer.cancel,
    )
    assert kept.rendered is not None
    laid_out = improve_layout(
        result, Checked(kept.attempt, kept.rendered, kept.issues), render, _measure(renderer)
    )
    final = improve_contrast(result, laid_out, render)
    if out is not None:
        _move_to(final.rendered, out)
    _accept(result, final.rendered, final.attempt)
    result.fixes = final.attempt.fixes
    result.layout_warnings = final.warnings


def _measure(renderer: CachedRender) -> Callable[[str], list[LayoutIssue]]:
    return measurer(renderer.settings, renderer.quality, renderer.aspect, renderer.scene)


def _accept(result: JobResult, rendered: RenderResult, attempt: Attempt) -> None:
    result.render = rendered
    result.code = attempt.code
    result.cache_key = attempt.cache_key
    result.cache_hit = attempt.cache_hit
    result.description = describe_video(
        result.template_sentences, rendered.layout, rendered.duration_s
    )


def _store(result: JobResult, renderer: CachedRender, stages: Stages) -> None:
    """Store the accepted render; a failed store does not change the job's outcome."""
    assert result.render is not None and result.cache_key is not None
    try:
        result.stored = renderer.store(result.cache_key, result.render, stages)
    except StorageError as exc:
        log.warning("could not store the render in the media store: %s", exc)
        result.store_error = exc


def _move_to(rendered: RenderResult, out: Path) -> None:
    thumbnail = out.with_suffix(".png")
    rendered.video.replace(out)
    rendered.thumbnail.replace(thumbnail)
    rendered.video, rendered.thumbnail = out, thumbnail
    if rendered.captions is not None:
        captions = out.with_suffix(".captions.vtt")
        rendered.captions.replace(captions)
        rendered.captions = captions

"""The one LLM loop: ask, fix, check, and ask again with the specific reason, keeping the best.

    ask the model ─► fix pitfalls ─► check (validate; a job also renders and checks the video)
         ▲                                                           │
         └──── feedback: policy sentence / traceback / layout report ◄┘

A job's check renders (app/pipeline/job.py) and judges the video (app/pipeline/checks.py:
layout, flashes, text contrast); `chalk generate`'s check only validates
(app/pipeline/generate.py). Up to `settings.max_attempts` answers are asked for. The attempt
with the fewest such issues is kept; when the model becomes unreachable after an attempt
was kept, that attempt stands rather than failing the job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core import layout
from app.core.fixer import fix_code
from app.core.render import RenderResult
from app.errors import ChalkError
from app.frame import frame_width
from app.generators.llm import Conversation, LLMClient, Reply
from app.pipeline import feedback
from app.pipeline.checks import post_render_issues
from app.pipeline.result import Attempt, JobResult
from app.pipeline.stages import GENERATING, VALIDATING, Stages
from app.settings import Settings

log = logging.getLogger(__name__)

Check = Callable[[Attempt], RenderResult | None]
"""Validate (and render) an attempt's fixed code; raise ChalkError when that fails."""

NO_CODE_MESSAGE = "The AI model replied without any animation code; try rephrasing the prompt."


@dataclass
class Kept:
    """The best attempt so far, its render (None when the check does not render) and issues."""

    attempt: Attempt
    rendered: RenderResult | None
    issues: list[layout.LayoutIssue]


def repair_loop(
    result: JobResult,
    prompt: str,
    *,
    aspect: str,
    settings: Settings,
    check: Check,
    stages: Stages | None = None,
    cancel: threading.Event | None = None,
) -> Kept:
    """Run the loop for `prompt`, recording attempts, timings and usage in `result`.

    Returns the kept attempt; raises the last attempt's ChalkError (summarised when there
    were several) when none passed its check.
    """
    stages = stages or Stages()
    client = LLMClient(settings)
    conversation = Conversation(client, prompt, aspect)
    result.generator = client.generator_id
    kept: Kept | None = None
    last_error: ChalkError | None = None
    reply: Reply | None = None
    reason = ""
    reason_code: str | None = None
    try:
        for number in range(1, settings.max_attempts + 1):
            if cancel is not None and cancel.is_set():
                raise ChalkError("cancelled", "The job was cancelled.")
            attempt = Attempt(number)
            stages.enter(GENERATING)
            asked = time.monotonic()
            try:
                if reply is None:
                    reply = conversation.first()
                else:
                    reply = conversation.repair(reply, reason_code, reason)
            except ChalkError:
                if kept is not None:  # keep the video we have rather than fail the job
                    log.warning(
                        "LLM unavailable during a layout repair; keeping attempt %d",
                        kept.attempt.number,
                    )
                    break
                raise
            finally:
                attempt.generate_s = time.monotonic() - asked
                result.timings["generate_s"] += attempt.generate_s
            result.attempt_log.append(attempt)
            if reply.code is None:
                reason = feedback.feedback_for_no_code(reply.text, reply.finish_reason == "length")
                reason_code = None
                attempt.error = last_error = ChalkError(
                    "generation", NO_CODE_MESSAGE, detail=reason
                )
                log.info("attempt %d: no code in the reply", number)
                continue
            stages.enter(VALIDATING)
            fixed = fix_code(reply.code)
            attempt.code, attempt.fixes = fixed.code, fixed.fixes
            if kept is None:
                result.code = fixed.code
            try:
                rendered = check(attempt)
            except ChalkError as exc:
                attempt.error = last_error = exc
                log.info("attempt %d failed (%s): %s", number, exc.kind, exc.message)
                if exc.kind not in feedback.REPAIRABLE:
                    if kept is not None and exc.kind != "cancelled":
                        break
                    raise
                reason = feedback.feedback_for_error(exc, fixed.code)
                reason_code = fixed.code
                continue
            finally:
                result.timings["render_s"] += attempt.render_s
            issues = post_render_issues(rendered) if rendered is not None else []
            attempt.layout_warnings = [issue.message for issue in issues]
            if kept is None or len(issues) < len(kept.issues):
                if kept is not None:
                    _discard(kept.rendered)
                kept = Kept(attempt, rendered, issues)
            else:
                _discard(rendered)
            if not issues or not settings.repair_layout:
                break
            log.info("attempt %d rendered with %d layout warnings", number, len(issues))
            reason = feedback.feedback_for_layout(issues, frame_width(aspect))
            reason_code = fixed.code
    finally:
        result.usage = conversation.usage.to_json()
    if kept is None:
        assert last_error is not None
        raise gave_up(last_error, len(result.attempt_log))
    return kept


def gave_up(last: ChalkError, attempts: int) -> ChalkError:
    """The error of a loop that used all its attempts: the last problem, in one sentence."""
    if attempts <= 1:
        return last
    return ChalkError(
        last.kind,
        f"The AI model could not write a working animation in {attempts} attempts; try "
        f"rephrasing the prompt or use a template (last problem: {last.message.rstrip('.')}).",
        detail=last.detail,
        line=last.line,
    )


def _discard(rendered: RenderResult | None) -> None:
    if rendered is not None:
        rendered.video.unlink(missing_ok=True)
        rendered.thumbnail.unlink(missing_ok=True)

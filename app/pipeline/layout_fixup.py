"""The deterministic fix for a layout the check measured as broken, in a job.

    post-render check ─► layout issues? ─► fix_layout_measured (measure, no frames) ─► clean?
                                                                              │ yes
          render the fixed code once, keep it only if its check has no layout issue and
          nothing new broke (app/pipeline/recheck.py); otherwise the original stays

A scene with no layout issue is never changed, and a fix that does not clear every layout
issue is dropped, not kept half-done: the teacher then sees the original video with its
warnings, one sentence each. A kept fix is listed in the job's fixes and one sentence in the
warnings says what was done. Used after templates and teachers' code (app/pipeline/job.py
`_run_once`) and after the attempt the LLM repair loop kept (`_run_llm`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.core.layout import LAYOUT_KINDS, LayoutIssue, check_layout
from app.core.layout_fix import HELPERS_RULE, fix_layout_measured, layout_issues
from app.core.render import RenderResult, measure_code
from app.errors import ChalkError
from app.pipeline.checks import post_render_issues
from app.pipeline.recheck import Checked, nothing_new, try_fix
from app.pipeline.result import Attempt, JobResult
from app.settings import Settings

log = logging.getLogger(__name__)

LAID_OUT = "Some things did not fit on screen or sat on top of each other, so Chalk {changes}."


def clears_layout(before: list[LayoutIssue], after: list[LayoutIssue]) -> bool:
    """No layout issue left, and no issue of another kind that was not there before."""
    return not layout_issues(after) and nothing_new(before, after, LAYOUT_KINDS)


def measurer(
    settings: Settings, quality: str, aspect: str, scene: str | None
) -> Callable[[str], list[LayoutIssue]]:
    """The layout check of a candidate code, from the sandbox's measuring pass alone."""

    def measure(code: str) -> list[LayoutIssue]:
        measured = measure_code(
            code, quality=quality, aspect=aspect, scene=scene, settings=settings
        )
        return check_layout(measured.layout)

    return measure


def improve_layout(
    result: JobResult,
    checked: Checked,
    render: Callable[[Attempt], RenderResult],
    measure: Callable[[str], list[LayoutIssue]],
) -> Checked:
    """The attempt to keep: `checked`, or the render of its layout fix when that passes."""
    if not layout_issues(checked.issues) or checked.attempt.code is None:
        return checked
    try:
        fixed = fix_layout_measured(
            checked.attempt.code, measure, before=layout_issues(checked.issues)
        )
    except ChalkError as exc:
        log.info("the layout fix could not measure (%s); keeping the original", exc.kind)
        return checked
    if not fixed.changed:
        return checked
    said = list(dict.fromkeys(f.description for f in fixed.fixes if f.rule != HELPERS_RULE))
    changes = ", ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1]
    return try_fix(
        result,
        checked,
        render,
        post_render_issues,
        code=fixed.code,
        fixes=fixed.fixes,
        better=clears_layout,
        kept_note=LAID_OUT.format(changes=changes),
        dropped_note=None,
        what="layout fix",
    )

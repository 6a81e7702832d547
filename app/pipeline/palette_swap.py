"""The deterministic fix for text that is hard to read: swap raw colours to palette roles.

    post-render check ─► contrast issues? ─► swap_to_palette ─► render once more ─► check again
                                                                      │
                 keep the swapped video only if it reads better and broke nothing else

A teacher's colours are respected while the text reads: nothing happens without a "contrast"
issue. The swapped render is kept when it has fewer contrast issues than the original (none,
usually) and no issue of another kind that the original did not have; otherwise the original
stays with its warnings. Either way one sentence in the warnings says what was done. Used for
templates and teachers' code (app/pipeline/job.py `_run_once`) and for the attempt the LLM
repair loop kept (`_run_llm`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.fixer import swap_to_palette
from app.core.fixer.colours import RULE, WHY
from app.core.layout import LayoutIssue
from app.core.render import RenderResult
from app.errors import ChalkError
from app.pipeline.checks import post_render_issues
from app.pipeline.result import Attempt, JobResult

log = logging.getLogger(__name__)

CONTRAST = "contrast"
SWAPPED = (
    "Some text was hard to read, so its colours were swapped for Chalk's colour-blind-safe "
    "palette ({changes})."
)
NOT_SWAPPED = (
    "Some text is hard to read and swapping its colours for Chalk's colour-blind-safe palette "
    "did not help, so the colours were left as they were."
)


@dataclass
class Checked:
    """A rendered attempt, what the post-render check found, and a note for the teacher."""

    attempt: Attempt
    rendered: RenderResult
    issues: list[LayoutIssue]
    notes: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [issue.message for issue in self.issues] + self.notes


def _contrast(issues: list[LayoutIssue]) -> int:
    return sum(issue.kind == CONTRAST for issue in issues)


def reads_better(before: list[LayoutIssue], after: list[LayoutIssue]) -> bool:
    """Fewer contrast issues, and no issue of another kind that was not there before."""
    others_before = Counter((i.kind, i.message) for i in before if i.kind != CONTRAST)
    others_after = Counter((i.kind, i.message) for i in after if i.kind != CONTRAST)
    return _contrast(after) < _contrast(before) and not others_after - others_before


def _changes(fixes: list[str]) -> str:
    """ "DARK_GREY → MUTED, BLUE_E → ACCENT": each distinct change once, in order."""
    return ", ".join(dict.fromkeys(fixes))


def improve_contrast(
    result: JobResult, checked: Checked, render: Callable[[Attempt], RenderResult]
) -> Checked:
    """The attempt to keep: `checked`, or its palette-swapped render when that reads better.

    The swapped attempt is logged in `result` (attempt log, render time) whatever its fate;
    the render not kept is deleted. A swap whose render fails keeps the original (a
    cancellation still ends the job).
    """
    if not _contrast(checked.issues) or checked.attempt.code is None:
        return checked
    swap = swap_to_palette(checked.attempt.code)
    if not swap.changed:
        return checked
    attempt = Attempt(
        len(result.attempt_log) + 1, code=swap.code, fixes=[*checked.attempt.fixes, *swap.fixes]
    )
    result.attempt_log.append(attempt)
    try:
        rendered = render(attempt)
    except ChalkError as exc:
        attempt.error = exc
        if exc.kind == "cancelled":
            raise
        log.info("the palette swap did not render (%s); keeping the original", exc.kind)
        return Checked(checked.attempt, checked.rendered, checked.issues, [NOT_SWAPPED])
    finally:
        result.timings["render_s"] += attempt.render_s
    issues = post_render_issues(rendered)
    attempt.layout_warnings = [issue.message for issue in issues]
    if reads_better(checked.issues, issues):
        _discard(checked.rendered)
        changes = _changes(
            [fix.description.removesuffix(WHY) for fix in swap.fixes if fix.rule == RULE]
        )
        return Checked(attempt, rendered, issues, [SWAPPED.format(changes=changes)])
    _discard(rendered)
    return Checked(checked.attempt, checked.rendered, checked.issues, [NOT_SWAPPED])


def _discard(rendered: RenderResult) -> None:
    rendered.video.unlink(missing_ok=True)
    rendered.thumbnail.unlink(missing_ok=True)

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

from collections.abc import Callable

from app.core.fixer import swap_to_palette
from app.core.fixer.colours import RULE, WHY
from app.core.layout import LayoutIssue
from app.core.render import RenderResult
from app.pipeline.checks import post_render_issues
from app.pipeline.recheck import Checked, nothing_new, try_fix
from app.pipeline.result import Attempt, JobResult

__all__ = ["NOT_SWAPPED", "SWAPPED", "Checked", "improve_contrast", "reads_better"]

CONTRAST = "contrast"
SWAPPED = (
    "Some text was hard to read, so its colours were swapped for Chalk's colour-blind-safe "
    "palette ({changes})."
)
NOT_SWAPPED = (
    "Some text is hard to read and swapping its colours for Chalk's colour-blind-safe palette "
    "did not help, so the colours were left as they were."
)


def _contrast(issues: list[LayoutIssue]) -> int:
    return sum(issue.kind == CONTRAST for issue in issues)


def reads_better(before: list[LayoutIssue], after: list[LayoutIssue]) -> bool:
    """Fewer contrast issues, and no issue of another kind that was not there before."""
    return _contrast(after) < _contrast(before) and nothing_new(before, after, {CONTRAST})


def _changes(fixes: list[str]) -> str:
    """ "DARK_GREY → MUTED, BLUE_E → ACCENT": each distinct change once, in order."""
    return ", ".join(dict.fromkeys(fixes))


def improve_contrast(
    result: JobResult, checked: Checked, render: Callable[[Attempt], RenderResult]
) -> Checked:
    """The attempt to keep: `checked`, or its palette-swapped render when that reads better.

    The swap is tried, logged and kept or dropped by app/pipeline/recheck.py's `try_fix`.
    """
    if not _contrast(checked.issues) or checked.attempt.code is None:
        return checked
    swap = swap_to_palette(checked.attempt.code)
    if not swap.changed:
        return checked
    changes = _changes(
        [fix.description.removesuffix(WHY) for fix in swap.fixes if fix.rule == RULE]
    )
    return try_fix(
        result,
        checked,
        render,
        post_render_issues,
        code=swap.code,
        fixes=swap.fixes,
        better=reads_better,
        kept_note=SWAPPED.format(changes=changes),
        dropped_note=NOT_SWAPPED,
        what="palette swap",
    )

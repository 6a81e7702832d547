"""Try a deterministic fix, render it, keep it only if the post-render check improved.

    rendered + checked ─► fixed code ─► render once more ─► check again
                                               │
              keep the fixed render only if `better(before, after)`; else the original stays

Shared by the palette swap (app/pipeline/palette_swap.py: text hard to read) and the layout fix
(app/pipeline/layout_fixup.py: objects off the frame, overlapping or tiny text). The fixed
attempt is logged in the job's attempt log whatever its fate; the render not kept is deleted.
A fixed attempt whose render fails keeps the original (a cancellation still ends the job).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.core.fixer import Fix
from app.core.layout import LayoutIssue
from app.core.render import RenderResult
from app.errors import ChalkError
from app.pipeline.result import Attempt, JobResult

log = logging.getLogger(__name__)


@dataclass
class Checked:
    """A rendered attempt, what the post-render check found, and notes for the teacher."""

    attempt: Attempt
    rendered: RenderResult
    issues: list[LayoutIssue]
    notes: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [issue.message for issue in self.issues] + self.notes

    def noting(self, note: str | None) -> Checked:
        notes = [*self.notes, note] if note else list(self.notes)
        return Checked(self.attempt, self.rendered, self.issues, notes)


def nothing_new(before: list[LayoutIssue], after: list[LayoutIssue], kinds: Iterable[str]) -> bool:
    """No issue outside `kinds` (those the fix is about) that was not there before."""
    skip = frozenset(kinds)
    was = Counter((i.kind, i.message) for i in before if i.kind not in skip)
    now = Counter((i.kind, i.message) for i in after if i.kind not in skip)
    return not now - was


def try_fix(
    result: JobResult,
    checked: Checked,
    render: Callable[[Attempt], RenderResult],
    check: Callable[[RenderResult], list[LayoutIssue]],
    *,
    code: str,
    fixes: list[Fix],
    better: Callable[[list[LayoutIssue], list[LayoutIssue]], bool],
    kept_note: str,
    dropped_note: str | None,
    what: str,
) -> Checked:
    """`checked`, or the render of `code` (the fix) when the check `better` says it improved."""
    attempt = Attempt(
        len(result.attempt_log) + 1, code=code, fixes=[*checked.attempt.fixes, *fixes]
    )
    result.attempt_log.append(attempt)
    try:
        rendered = render(attempt)
    except ChalkError as exc:
        attempt.error = exc
        if exc.kind == "cancelled":
            raise
        log.info("the %s did not render (%s); keeping the original", what, exc.kind)
        return checked.noting(dropped_note)
    finally:
        result.timings["render_s"] += attempt.render_s
    issues = check(rendered)
    attempt.layout_warnings = [issue.message for issue in issues]
    if better(checked.issues, issues):
        discard(checked.rendered)
        return Checked(attempt, rendered, issues, checked.notes).noting(kept_note)
    discard(rendered)
    return checked.noting(dropped_note)


def discard(rendered: RenderResult) -> None:
    rendered.video.unlink(missing_ok=True)
    rendered.thumbnail.unlink(missing_ok=True)

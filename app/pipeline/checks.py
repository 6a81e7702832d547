"""The post-render check: what a rendered video is judged on besides rendering at all.

Its layout (app/core/layout.py: objects off the frame, overlapping text) and its frames
(app/core/frame_checks.py: flashes, text contrast). Both come back as LayoutIssue sentences,
one list for the teacher (a job's `layout_warnings`) and for the repair loop.
"""

from __future__ import annotations

from app.core import frame_checks, layout
from app.core.layout import LayoutIssue
from app.core.render import RenderResult


def post_render_issues(rendered: RenderResult) -> list[LayoutIssue]:
    return layout.check_layout(rendered.layout) + frame_checks.check_frames(rendered.frame_checks)

"""What the repair loop tells the model after a failed attempt: the specific reason, short.

The teacher sees one sentence (ChalkError.message); the model gets that sentence plus what it
needs to fix the code: the failing line, the trimmed traceback, the LaTeX error or the
post-render check's report (layout, flashes, text contrast).
"""

from __future__ import annotations

import re

from app.core.layout import LayoutIssue
from app.errors import ChalkError

MAX_TRACEBACK_CHARS = 2500
# Error kinds a new attempt can fix; the others (sandbox, cancelled, quota…) are not the
# code's fault or not worth another request.
REPAIRABLE = frozenset({"validation", "render", "timeout", "generation"})
SCENE_FRAME = re.compile(r'File "[^"]*scene\.py", line \d+')
# The post-render check's issues about the frames (app/core/frame_checks.py), not the layout.
FRAME_ISSUES = frozenset({"flash", "red_flash", "contrast"})
LATEX_LOG = re.compile(r"(LaTeX compilation error|Context of error|^!|^l\.\d+)", re.MULTILINE)


def source_line(code: str, line: int | None) -> str:
    if not line:
        return ""
    lines = code.splitlines()
    if 0 < line <= len(lines):
        return lines[line - 1].strip()
    return ""


def trim_traceback(detail: str) -> str:
    """The frames in the scene file, the last two frames and the exception itself."""
    traceback_text, _, _ = detail.partition("\n--- log ---\n")
    lines = traceback_text.strip().splitlines()
    if not lines:
        return ""
    start = next((i for i, text in enumerate(lines) if text.startswith("Traceback")), 0)
    body = lines[start + 1 :]
    frames: list[list[str]] = []
    tail: list[str] = []
    for text in body:
        if text.startswith("  File "):
            frames.append([text])
        elif text.startswith("    ") and frames:
            frames[-1].append(text)
        else:
            tail.append(text)
    keep = [f for f in frames if SCENE_FRAME.search(f[0])]
    for frame in frames[-2:]:
        if frame not in keep:
            keep.append(frame)
    ordered = [f for f in frames if f in keep]
    trimmed = ["Traceback (most recent call last, trimmed):"]
    for frame in ordered:
        trimmed.extend(frame)
    trimmed.extend(tail[-6:])
    text = "\n".join(trimmed)
    if len(text) > MAX_TRACEBACK_CHARS:
        text = "…" + text[-MAX_TRACEBACK_CHARS:]
    return text


def latex_log(detail: str) -> str:
    _, _, log_text = detail.partition("\n--- log ---\n")
    lines = log_text.splitlines()
    picked: list[str] = []
    for index, text in enumerate(lines):
        if LATEX_LOG.search(text):
            picked.extend(lines[index : index + 3])
    seen: list[str] = []
    for text in picked:
        if text not in seen:
            seen.append(text)
    return "\n".join(seen[:20])


def feedback_for_error(error: ChalkError, code: str) -> str:
    """The reason an attempt failed, for the model."""
    failing = source_line(code, error.line)
    where = f"\nThe failing line {error.line} is: {failing}" if failing else ""
    if error.kind == "validation":
        return (
            f"Chalk refused the code before running it: {error.message}{where}\n"
            "Chalk only runs animation code that follows the rules in the system message."
        )
    if error.kind == "timeout":
        return (
            f"The render was stopped: {error.message}\n"
            "Make the animation shorter and lighter: fewer objects, fewer and shorter "
            "animations, no long loops."
        )
    if error.kind == "generation":
        return error.detail or error.message
    parts = [f"The render failed: {error.message}{where}"]
    if "LaTeX" in error.message:
        log_lines = latex_log(error.detail)
        if log_lines:
            parts.append(f"LaTeX said:\n{log_lines}")
    traceback_text = trim_traceback(error.detail)
    if traceback_text:
        parts.append(traceback_text)
    return "\n\n".join(parts)


def feedback_for_no_code(text: str, truncated: bool) -> str:
    if truncated:
        return (
            "Your reply was cut off before the code was complete. Write a shorter scene and "
            "reply with only the code block."
        )
    if not text.strip():
        return "Your reply was empty. Reply with the complete scene in one ```python block."
    return (
        "Your reply contained no Python scene (no ```python block with a Scene class). "
        "Reply with the complete file in one ```python block."
    )


def feedback_for_layout(issues: list[LayoutIssue], frame_width: float) -> str:
    """The post-render check's report for the model: layout, then what the frames showed."""
    placement = [issue for issue in issues if issue.kind not in FRAME_ISSUES]
    frames = [issue for issue in issues if issue.kind in FRAME_ISSUES]
    parts = []
    if placement:
        half_w = frame_width / 2 - 0.5
        report = "\n".join(f"- {issue.message}" for issue in placement)
        parts.append(
            "The video rendered, but its layout has problems:\n"
            f"{report}\n"
            f"Keep every object inside x from {-half_w:.2f} to {half_w:.2f} and y from -3.5 to "
            "3.5 at all times (scale long text down, use .next_to / .arrange / .to_edge with "
            "buff=0.5), keep texts apart, and fade out what is no longer needed."
        )
    if frames:
        report = "\n".join(f"- {issue.message}" for issue in frames)
        parts.append(
            "The video rendered, but its frames fail accessibility checks:\n"
            f"{report}\n"
            "Give every text a contrast of at least 4.5:1 against what is behind it (light "
            "colours on the dark background, no dimming with opacity), and never make a large "
            "area flash or swap brightness more than three times in one second."
        )
    return "\n\n".join(parts)

"""How pages show values to teachers: durations, dates, ages, percentages, quality and aspect
labels, and user-typed text shown literally (`literal`)."""

from __future__ import annotations

import re
from datetime import date, datetime

# CommonMark lets a backslash escape any ASCII punctuation; that stops links, images, HTML,
# emphasis, headings, lists, LaTeX ($) and Streamlit's :directives: and :material/icons:.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's GFM plugin finds bare URLs and emails in the text *after* escapes are resolved,
# so an invisible word joiner breaks "scheme:", "user@" and "www." instead.
_AUTOLINK_STARTS = re.compile(r"(?<=[:@])|(?i:(?<=www)(?=\.))")
WORD_JOINER = "\u2060"


def literal(text: str) -> str:
    """User-typed text (a title, prompt, comment, name) for st.markdown, captions, titles,
    toasts and labels, so it shows as typed: the browser fetches and links nothing in it."""
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK_STARTS.sub(WORD_JOINER, text))


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, "…" where it was cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def duration(seconds: float) -> str:
    """7.4 → "0:07"."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def day(moment: date) -> str:
    """A date (or a datetime) as teachers read it: "3 Mar 2026"."""
    return f"{moment.day} {moment:%b %Y}"


def ago(seconds: float | None) -> str:
    """12 → "12 s", 150 → "2 min", 4000 → "1 h 6 min"; None → "—"."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60} min" if rest >= 60 else f"{hours} h"


def since(moment: datetime | None, now: datetime) -> str:
    """When something happened, as people say it: "just now", "3 hours ago", "2 days ago",
    then the date; None → "never"."""
    if moment is None:
        return "never"
    seconds = (now - moment).total_seconds()
    if seconds >= 30 * 86400:
        return day(moment)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count = int(seconds // size)
        if count >= 1:
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def limit(value: int | None) -> str:
    """A quota as admins read it: None → "no limit", 1500 → "1,500"."""
    return "no limit" if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """0.25 → "25%"; None → "—"."""
    return "—" if value is None else f"{value:.0%}"


QUALITY_LABELS = {
    "preview": "Preview (480p, fast)",
    "standard": "Standard (720p)",
    "high": "High (1080p)",
}
ASPECT_LABELS = {
    "16:9": "16:9 landscape",
    "9:16": "9:16 portrait (phones)",
    "1:1": "1:1 square",
}
HIGHER_QUALITY = {"preview": "standard", "standard": "high"}

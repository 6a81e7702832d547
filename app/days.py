"""Whole UTC days as a date picker gives them, turned into half-open datetime bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[start, end) covering the days `first` to `last`, both included; None: unbounded.

    Days picked the other way round mean the same range; the calendar's last day has no
    "day after", so it leaves the end unbounded instead of overflowing.
    """
    if first is not None and last is not None and last < first:
        first, last = last, first
    start = day_start(first) if first is not None else None
    end = day_start(last + timedelta(days=1)) if last is not None and last < date.max else None
    return start, end

"""Warm render pool (work in progress: being built now; rendering falls back to cold)."""

from __future__ import annotations

from app.settings import Settings


def prewarm(settings: Settings) -> None:
    """Start the warm sandboxes this process will render in (called at worker start)."""

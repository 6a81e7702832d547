"""The stages a job reports while it runs: "generating", "validating", "rendering", "storing"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

GENERATING = "generating"
"""Asking the template engine or the model for code."""
VALIDATING = "validating"
"""Fixing pitfalls and checking the code against the policy."""
RENDERING = "rendering"
"""Running the code in the sandbox (or copying its stored render)."""
STORING = "storing"
"""Putting the accepted render into the media store."""
STAGES = (GENERATING, VALIDATING, RENDERING, STORING)
"""Every stage, in the order a job meets them."""

StageCallback = Callable[[str], None]
"""Told each stage a job enters; an exception it raises ends the job at that point."""


@dataclass
class Stages:
    """Tells `on_stage` about each stage change (a repeat of the current stage is not told)."""

    on_stage: StageCallback | None = None
    current: str | None = None

    def enter(self, stage: str) -> None:
        if stage != self.current:
            self.current = stage
            if self.on_stage is not None:
                self.on_stage(stage)

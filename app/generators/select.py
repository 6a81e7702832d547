"""Pick the generator for a job: `auto` uses an LLM when one is configured, else templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import ChalkError

if TYPE_CHECKING:
    from app.generators import Generation


def llm_configured() -> bool:
    # The LLM generator arrives with its own issue; until then no endpoint is ever configured.
    return False


def generate(prompt: str, *, generator: str = "auto") -> Generation:
    if generator not in ("auto", "offline", "llm"):
        raise ChalkError(
            "validation", f"Unknown generator '{generator}'; use auto, offline or llm."
        )
    if generator == "llm" or (generator == "auto" and llm_configured()):
        raise ChalkError(
            "llm_unavailable",
            "No AI model is set up on this Chalk; use the template generator "
            "or ask your administrator to configure one.",
        )
    from app.generators.offline import generate as generate_offline

    return generate_offline(prompt)

"""Pick the generator for a job: `auto` uses an LLM when one is configured, else templates."""

from __future__ import annotations

from app.errors import ChalkError
from app.generators import GENERATORS, NO_LLM
from app.settings import Settings, get_settings


def llm_configured(settings: Settings | None = None) -> bool:
    """A model plus a key or an endpoint (local endpoints such as Ollama need no key)."""
    settings = settings or get_settings()
    return bool(settings.llm_model) and (
        settings.llm_api_key is not None or bool(settings.llm_base_url)
    )


def resolve_generator(generator: str, settings: Settings | None = None) -> str:
    """ "llm" or "offline" for a requested generator; refuses `llm` when none is set up."""
    if generator not in GENERATORS:
        raise ChalkError(
            "validation", f"Unknown generator '{generator}'; use {', '.join(GENERATORS)}."
        )
    configured = llm_configured(settings)
    if generator == "llm" and not configured:
        raise ChalkError("llm_unavailable", NO_LLM)
    if generator == "llm" or (generator == "auto" and configured):
        return "llm"
    return "offline"

"""Pick the generator for a job: `auto` uses an LLM when one is configured, else templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import ChalkError
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.generators import Generation

GENERATORS = ("auto", "offline", "llm")


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
            "validation", f"Unknown generator '{generator}'; use auto, offline or llm."
        )
    configured = llm_configured(settings)
    if generator == "llm" and not configured:
        raise ChalkError(
            "llm_unavailable",
            "No AI model is set up on this Chalk; use the template generator "
            "or ask your administrator to configure one.",
        )
    if generator == "llm" or (generator == "auto" and configured):
        return "llm"
    return "offline"


def generate(
    prompt: str,
    *,
    generator: str = "auto",
    aspect: str = "16:9",
    settings: Settings | None = None,
) -> Generation:
    """Code for a prompt without rendering it (`chalk generate`)."""
    settings = settings or get_settings()
    if resolve_generator(generator, settings) == "llm":
        return generate_with_llm(prompt, aspect=aspect, settings=settings)
    from app.generators.offline import generate as generate_offline

    return generate_offline(prompt)


def generate_with_llm(prompt: str, *, aspect: str, settings: Settings) -> Generation:
    """LLM code that passes the fixer and the static policy (repairs without rendering)."""
    from app.core import policy, repair
    from app.core.fixer import fix_code
    from app.generators import Generation
    from app.generators.llm import Conversation, LLMClient

    if not prompt.strip():
        raise ChalkError("validation", "The prompt is empty; describe the animation you want.")
    client = LLMClient(settings)
    conversation = Conversation(client, prompt, aspect)
    reply = conversation.first()
    code: str | None = None
    last_error: ChalkError | None = None
    for _attempt in range(settings.max_attempts):
        if last_error is not None:
            feedback = repair.feedback_for_error(last_error, code or "")
            reply = conversation.repair(reply, code, feedback)
        if reply.code is None:
            code = None
            last_error = ChalkError(
                "generation",
                "The AI model replied without any animation code; try rephrasing the prompt.",
                detail=repair.feedback_for_no_code(reply.text, reply.finish_reason == "length"),
            )
            continue
        fixed = fix_code(reply.code)
        code = fixed.code
        try:
            policy.check_code(code, max_bytes=settings.max_code_bytes)
        except ChalkError as exc:
            last_error = exc
            continue
        return Generation(
            code=code,
            generator=client.generator_id,
            template=None,
            params={},
            notes=[f"Fixed {fix}." for fix in fixed.fixes],
        )
    assert last_error is not None
    raise last_error

"""Code for a prompt without rendering it (`chalk generate`).

The templates write code directly; an LLM goes through the same repair loop as a job, with
validation (the fixer, then the static policy) as its only check, so nothing is rendered.
"""

from __future__ import annotations

from app.core import policy
from app.core.render import RenderResult
from app.errors import ChalkError
from app.generators import EMPTY_PROMPT, Generation
from app.generators.offline import generate as generate_offline
from app.generators.select import resolve_generator
from app.pipeline.repair_loop import repair_loop
from app.pipeline.result import Attempt, JobResult
from app.settings import Settings, get_settings


def generate_code(
    prompt: str,
    *,
    generator: str = "auto",
    aspect: str = "16:9",
    settings: Settings | None = None,
) -> Generation:
    """The code for `prompt`; raises ChalkError when there is none that passes the policy."""
    settings = settings or get_settings()
    if resolve_generator(generator, settings) == "offline":
        return generate_offline(prompt)
    if not prompt.strip():
        raise ChalkError("validation", EMPTY_PROMPT)
    max_bytes = settings.max_code_bytes

    def validate(attempt: Attempt) -> RenderResult | None:
        assert attempt.code is not None
        policy.check_code(attempt.code, max_bytes=max_bytes)
        return None

    result = JobResult()
    kept = repair_loop(result, prompt, aspect=aspect, settings=settings, check=validate)
    assert kept.attempt.code is not None and result.generator is not None
    return Generation(
        code=kept.attempt.code,
        generator=result.generator,
        template=None,
        params={},
        notes=[f"Fixed {fix}." for fix in kept.attempt.fixes],
    )

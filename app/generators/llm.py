"""LLM generator: any OpenAI-compatible chat endpoint writes the Manim scene.

Works with OpenAI, Gemini's OpenAI-compatible endpoint, Ollama, vLLM and OpenRouter through
the `openai` client (timeouts, and retries with backoff on 429/5xx/connection errors, are the
client's). What the model writes is hostile input: this module only returns text; the code
goes through the fixer, the static policy and the sandbox like any other code.

The key is read from settings and handed to the client only; it is never logged, never put in
an error and never reaches the sandbox (whose environment is cleared).
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

from app.core import palette, policy
from app.core.codeblock import extract_code
from app.errors import ChalkError
from app.frame import FRAME_HEIGHT, frame_width
from app.generators import NO_LLM
from app.settings import Settings

log = logging.getLogger(__name__)

SAFE_MARGIN = 0.5
SECRET_LIKE = re.compile(r"(sk|key|tok)-[A-Za-z0-9_\-]{6,}", re.IGNORECASE)

try:
    MANIM_VERSION = importlib.metadata.version("manim")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - manim is a dependency
    MANIM_VERSION = "0.22"


@dataclass
class Usage:
    """Tokens one job spent, summed over its requests."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.total_tokens += other.total_tokens
        self.requests += other.requests

    def to_json(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "requests": self.requests,
        }


@dataclass
class Reply:
    """One answer from the model: its text, the code found in it (if any) and its cost."""

    text: str
    code: str | None
    usage: Usage
    seconds: float
    finish_reason: str | None = None


def colour_rules() -> str:
    """Chalk's palette and its rules, written from app/core/palette.py for the system prompt."""
    roles = palette.constants_code(name for name in palette.BY_NAME)
    return f"""Colours (Chalk's palette keeps videos clear for colour-blind students):
- Colour things by role, never by Manim colour names (RED, GREEN, BLUE, YELLOW, GOLD ...) or \
colours of your own. Put the roles you use at the top of the file, under the imports, exactly \
as written here:
{roles.rstrip()}
- Colour is never the only thing that carries meaning: where positive and negative, found and \
eliminated, before and after, or compared and sorted differ in colour, they also differ by a \
label, a shape, a mark or a position. On-screen text never names a colour ("the red line").
- Keep Manim's black background. Text is TEXT (Manim's default white) or a role; text on a solid, \
bright fill is BACKGROUND."""


def system_prompt(aspect: str, settings: Settings) -> str:
    """Pins the installed Manim Community version, its idioms, the policy, colours and frame."""
    width = frame_width(aspect)
    half_w, half_h = width / 2, FRAME_HEIGHT / 2
    allowed = ", ".join(sorted(m for m in policy.ALLOWED_MODULES if m != "__future__"))
    return f"""You write short Manim animations that teachers show in class.

Target: Manim Community Edition v{MANIM_VERSION} (`from manim import *`) on Python 3.11 — NOT \
ManimGL (manimlib) and NOT Manim versions before 0.18.

Answer format:
- Reply with exactly one ```python fenced code block containing the complete file, and no \
other code blocks.
- The file starts with `from manim import *` and defines exactly one class that inherits \
from Scene (or MovingCameraScene / ThreeDScene) with a `construct(self)` method.

Manim Community idioms (use these, never the old names in brackets):
- Create(mob) [ShowCreation]; Text("words") for plain text, MathTex(r"x^2") for formulas, \
Tex(r"text with $x$") for LaTeX text [TextMobject, TexMobject, TexText].
- FadeIn(mob, shift=UP), FadeOut(mob, shift=DOWN) [FadeInFrom, FadeInFromDown, \
FadeOutAndShift]; Circumscribe(mob) [CircleIndicate, ShowCreationThenDestructionAround]; \
Wiggle [WiggleOutThenIn]; LaggedStart(*anims) or LaggedStartMap(FadeIn, group).
- Animate methods with mob.animate: self.play(mob.animate.shift(UP).scale(2)) \
[self.play(mob.shift, UP)].
- Graphs: axes = Axes(x_range=[a, b, step], y_range=[c, d, step], x_length=..., \
y_length=...); axes.plot(lambda x: ..., x_range=[a, b]); axes.c2p(x, y); \
axes.get_area(graph, x_range=[a, b]); axes.get_axis_labels(x_label="x", y_label="y") \
[GraphScene, get_graph, x_min/x_max, CONFIG dicts, coords_to_point on the scene].
- ParametricFunction(f, t_range=[a, b]); Surface(f, u_range=[...], v_range=[...]).
- Formulas: always raw strings, no $ inside MathTex, plain LaTeX commands (\\pi, \\theta, \
\\leq) instead of Unicode symbols, balanced braces.

Rules Chalk enforces (code that breaks them is refused before it runs):
- Import only: {allowed}.
- No files, images, SVGs, sounds or network; no open, exec, eval, compile, getattr, setattr, \
globals, vars, __import__, input; no names or attributes with double underscores (no \
__init__); no private attributes (._x) except on self; do not use `config` or `tempconfig` — \
Chalk sets quality, size and output.
- The whole animation lasts at most {settings.max_video_seconds:.0f} s; aim for 10–40 s with \
short waits.

{colour_rules()}

Narration (Chalk can voice the video): just before each visual step's animations, call \
narrate("...") with one or two short sentences a teacher would say about that step, using the \
values on screen. Plain spoken words only, under 300 characters: no LaTeX, markup or symbols \
(say "pi", "squared", "minus 3", "is less than"). narrate is provided by Chalk: do not import \
or define it, and do not wait for the speech yourself: when the video is narrated, Chalk \
makes each step last as long as its sentence. To start an animation on a word of that \
sentence, call wait_for_word("radius") (also provided by Chalk) just before it. Example:
    narrate("Here is a circle with radius 3.")
    self.play(Create(circle))
    wait_for_word("radius")
    self.play(Write(label))

Layout: the frame is {width:.2f} units wide and {FRAME_HEIGHT:.0f} units high, origin at \
the centre: x from {-half_w:.2f} to {half_w:.2f}, y from {-half_h:.0f} to {half_h:.0f}. \
Keep every object at least {SAFE_MARGIN} units inside the edges (|x| ≤ \
{half_w - SAFE_MARGIN:.2f}, |y| ≤ {half_h - SAFE_MARGIN:.1f}). Size long text with \
font_size or .scale_to_fit_width({width - 2 * SAFE_MARGIN:.1f}); place things with \
.to_edge(UP, buff=0.5), .next_to(other, DOWN), VGroup(...).arrange(DOWN); never let text \
overlap other text; fade out what is no longer needed before putting something new in its \
place."""


def request_message(prompt: str, aspect: str) -> str:
    return (
        f"Write the animation for this request from a teacher:\n\n{prompt.strip()}\n\n"
        f"The video is {aspect} (frame {frame_width(aspect):.2f} × {FRAME_HEIGHT:.0f} units)."
    )


def _redact(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "***")
    return SECRET_LIKE.sub("***", text)


class LLMClient:
    """A chat-completions client for one configured endpoint and model."""

    def __init__(self, settings: Settings) -> None:
        # openai takes 1-2 s to import: only processes that talk to a model pay for it.
        from openai import OpenAI

        if not settings.llm_model:
            raise ChalkError("llm_unavailable", NO_LLM)
        self.settings = settings
        self.model = settings.llm_model
        self._secret = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        self._client = OpenAI(
            # Local endpoints (Ollama, vLLM) take no key, but the client insists on one.
            api_key=self._secret or "no-key",
            base_url=settings.llm_base_url or None,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )

    @property
    def generator_id(self) -> str:
        return f"llm:{self.model}"

    def __repr__(self) -> str:  # never show the key
        return f"LLMClient(model={self.model!r}, base_url={self.settings.llm_base_url!r})"

    def complete(self, messages: list[dict[str, str]]) -> Reply:
        """Ask the model; raise ChalkError(llm_unavailable|generation) when it cannot answer."""
        import openai  # loaded by __init__ already (deferred for start-up time)

        started = time.monotonic()
        request: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.settings.llm_temperature,
            "max_tokens": self.settings.llm_max_tokens,
        }
        try:
            if self.settings.llm_stream:
                text, usage, finish = self._streamed(request)
            else:
                response = self._client.chat.completions.create(**request)
                choice = response.choices[0] if response.choices else None
                text = (choice.message.content or "") if choice else ""
                finish = choice.finish_reason if choice else None
                usage = _usage(response.usage)
        except openai.APIError as exc:
            raise self._error(exc) from None
        seconds = time.monotonic() - started
        log.info(
            "llm %s answered in %.1fs (%d prompt + %d completion tokens, finish=%s)",
            self.model,
            seconds,
            usage.prompt_tokens,
            usage.completion_tokens,
            finish,
        )
        return Reply(
            text=text, code=extract_code(text), usage=usage, seconds=seconds, finish_reason=finish
        )

    def _streamed(self, request: dict[str, Any]) -> tuple[str, Usage, str | None]:
        stream = self._client.chat.completions.create(
            **request, stream=True, stream_options={"include_usage": True}
        )
        parts: list[str] = []
        usage = Usage(requests=1)
        finish = None
        for chunk in stream:
            if chunk.usage is not None:
                usage = _usage(chunk.usage)
            for choice in chunk.choices or []:
                if choice.delta is not None and choice.delta.content:
                    parts.append(choice.delta.content)
                if choice.finish_reason:
                    finish = choice.finish_reason
        return "".join(parts), usage, finish

    def _error(self, exc: Exception) -> ChalkError:
        import openai  # loaded by __init__ already (deferred for start-up time)

        status = getattr(exc, "status_code", None)
        detail = _redact(f"{type(exc).__name__} (status {status}): {exc}", self._secret)
        log.warning("llm request failed: %s", detail)
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            message = (
                "The AI service refused Chalk's key; ask your administrator to check the AI "
                "key, or use the template generator."
            )
        elif isinstance(exc, openai.NotFoundError):
            message = (
                f"The AI model '{self.model}' was not found at the AI service; ask your "
                "administrator to check the model's name and the service's address."
            )
        elif isinstance(exc, openai.RateLimitError):
            message = (
                "The AI model is busy (rate limited) even after retrying; try again in a "
                "minute or use the template generator."
            )
        elif isinstance(exc, openai.APITimeoutError):
            message = (
                f"The AI model did not answer within {self.settings.llm_timeout_s:.0f} s; try "
                "again or use the template generator."
            )
        elif isinstance(exc, openai.APIConnectionError):
            message = (
                "The configured AI endpoint could not be reached; try again later or use the "
                "template generator."
            )
        elif isinstance(status, int) and status >= 500:
            message = (
                "The AI service failed even after retrying; try again later or use the "
                "template generator."
            )
        elif isinstance(exc, openai.BadRequestError):
            return ChalkError(
                "generation",
                "The AI model refused the request; try a shorter or simpler prompt.",
                detail=detail,
            )
        else:
            message = (
                "The AI model could not answer; try again later or use the template generator."
            )
        return ChalkError("llm_unavailable", message, detail=detail)


def _usage(raw: Any) -> Usage:
    if raw is None:
        return Usage(requests=1)
    return Usage(
        prompt_tokens=int(getattr(raw, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(raw, "completion_tokens", 0) or 0),
        total_tokens=int(getattr(raw, "total_tokens", 0) or 0),
        requests=1,
    )


@dataclass
class Conversation:
    """One job's exchange with the model: the request, then a repair request per failure.

    Only the latest attempt's code and reason are sent back in full (earlier reasons are
    summarised in one line each), so a repair costs about as much as the first request.
    """

    client: LLMClient
    prompt: str
    aspect: str
    usage: Usage = field(default_factory=Usage)
    earlier_reasons: list[str] = field(default_factory=list)

    def _base(self) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": system_prompt(self.aspect, self.client.settings)},
            {"role": "user", "content": request_message(self.prompt, self.aspect)},
        ]

    def _ask(self, messages: list[dict[str, str]]) -> Reply:
        reply = self.client.complete(messages)
        self.usage.add(reply.usage)
        return reply

    def first(self) -> Reply:
        return self._ask(self._base())

    def repair(self, previous: Reply, code: str | None, feedback: str) -> Reply:
        """Ask again with the previous answer and the specific reason it failed."""
        answer = f"```python\n{code.rstrip()}\n```" if code else previous.text[:4000]
        history = ""
        if self.earlier_reasons:
            lines = "\n".join(f"- {r}" for r in self.earlier_reasons[-4:])
            history = f"\n\nEarlier attempts failed with:\n{lines}"
        message = (
            f"{feedback}{history}\n\nFix the problem and reply with the complete corrected "
            "file in one ```python block."
        )
        self.earlier_reasons.append(feedback.splitlines()[0][:300] if feedback else "")
        return self._ask(
            [
                *self._base(),
                {"role": "assistant", "content": answer},
                {"role": "user", "content": message},
            ]
        )


REFINE_NO_CODE = (
    "The AI model did not answer with code for this change; try saying the change differently."
)


def refine_message(code: str, instruction: str, layout_warnings: list[str], aspect: str) -> str:
    """The request for a change to existing code: the code, the teacher's words, the layout
    check's verdict on the current version."""
    verdict = (
        "The layout check found:\n" + "\n".join(f"- {w}" for w in layout_warnings[:10])
        if layout_warnings
        else "The layout check found no problem in the current version."
    )
    return (
        "Here is the current animation:\n\n"
        f"```python\n{code.rstrip()}\n```\n\n"
        f"{verdict}\n\n"
        f"The teacher asks for this change:\n\n{instruction.strip()}\n\n"
        "Change only what the teacher asks (keep the rest as it is, fix the layout problems "
        f"listed if any) for a {aspect} video (frame {frame_width(aspect):.2f} × "
        f"{FRAME_HEIGHT:.0f} units), and reply with the complete new file in one ```python "
        "block."
    )


def refine_code(
    code: str,
    instruction: str,
    *,
    aspect: str,
    settings: Settings,
    layout_warnings: list[str] | None = None,
) -> str:
    """The model's new version of `code` for the instruction, checked by the static policy.

    Raises ChalkError: llm_unavailable (no model or it cannot answer), generation (no code in
    the answer), validation (code the policy refuses). The caller shows the change as a diff
    and renders it only when the teacher says so; the render gates apply as to any code."""
    client = LLMClient(settings)
    reply = client.complete(
        [
            {"role": "system", "content": system_prompt(aspect, settings)},
            {
                "role": "user",
                "content": refine_message(code, instruction, layout_warnings or [], aspect),
            },
        ]
    )
    if not reply.code:
        raise ChalkError("generation", REFINE_NO_CODE)
    policy.check_code(reply.code, max_bytes=settings.max_code_bytes)
    return reply.code

"""A prompt that asks for two or three things in turn ("graph y = 2x + 1, then show its
gradient") read as the scenes of a short lesson.

The prompt is cut at words that put asks in order ("then", "after that", "followed by", ";").
Each part becomes a scene prompt of its own, taking from the other parts the function (and its
range) it refers to ("its gradient", "the area under it"), and must route on its own to a
template that reads values from it (or that its own words name strongly). Only when every part
does, each to a different template, and the whole prompt does not read as one of them with more
of its values, is it a lesson; otherwise the prompt is one ask (or a refusal) as before.
"sin and cos on the same axes" is never cut: a plain "and" joins the parts of one picture far
more often than two pictures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import ChalkError
from app.generators.offline.catalogue import registry
from app.generators.offline.extract import Prompt
from app.generators.offline.mathexpr import format_number
from app.generators.offline.planner import MIN_SCORE, read, score

MAX_ASKS = 3
"""Most scenes a prompt is cut into (a longer sequence is better written as a lesson)."""

# Words that put two asks in order; "next" and "finally" only after a sentence or a comma.
_CUT = re.compile(
    r"\s*(?:;|[.!?]\s+(?:then|next|after that|afterwards|finally)\b,?"
    r"|[.!?]\s+(?=(?:and )?then\b)"
    r"|,?\s*\b(?:and then|then|after that|afterwards|followed by)\b,?"
    r"|,\s*(?:next|and finally|finally)\b,?)\s*",
    re.IGNORECASE,
)
# A part that points back at something another part named: "its gradient", "the area under it".
_BACK = re.compile(
    r"\b(?:its|it|them|(?:this|that|the same) (?:function|curve|graph|line|area))\b", re.IGNORECASE
)
_IT = re.compile(
    r"\b(?:it|them|(?:this|that|the same) (?:function|curve|graph|line|area))\b", re.IGNORECASE
)
# Parameters that hold the function a template draws.
_FUNCTION_KEYS = ("expression", "function")
# "its" and the noun after it (up to three words, before a joining word): "its tangent line".
_ITS = re.compile(
    r"\bits((?:\s+(?!(?:as|with|from|at|on|in|and|for|to|using|over|between)\b)[\w'-]+){1,3}?)"
    r"(?=\s+(?:as|with|from|at|on|in|and|for|to|using|over|between)\b|\s*[,.;:!?]|\s*$)",
    re.IGNORECASE,
)
# How strongly a part with no values of its own must name its template, by its own words.
CONFIDENT = 2 * MIN_SCORE


@dataclass(frozen=True)
class Ask:
    """One scene of a prompt that asks for several things: its own prompt and its reading."""

    text: str
    template_id: str
    params: dict
    used: list[str]  # the template's values the part gave, as control labels


def asks(prompt_text: str) -> list[Ask] | None:
    """The prompt's asks when it asks for two or three things each a template draws with its
    own values, else None (one ask, or a part no template reads confidently)."""
    parts = [part.strip(" ,.") for part in _CUT.split(prompt_text or "")]
    parts = [part for part in parts if part]
    if not 2 <= len(parts) <= MAX_ASKS:
        return None
    found: list[Ask] = []
    for index, part in enumerate(parts):
        others = parts[:index] + parts[index + 1 :]
        text = _with_context(part, others, _BACK.search(part) is not None)
        try:
            reading = read(text)
            if text == part and not _names_function(reading.template_id, part):
                # A template that draws a function the part does not name: the prompt's
                # other part names it ("…then approximate the area with 4 rectangles").
                text = _with_context(part, others, True)
                reading = read(text) if text != part else reading
        except ChalkError:
            return None
        named = score(registry()[reading.template_id], Prompt(part))
        if named <= 0:
            return None  # "shade it": the template was chosen by what another part said
        if not reading.used and named < CONFIDENT:
            return None  # a template that read nothing of the part, weakly named
        found.append(Ask(text, reading.template_id, reading.params, reading.used))
    if len({ask.template_id for ask in found}) < len(found):
        return None  # one template twice: one ask with its values spread over the parts
    if _one_ask(prompt_text, found):
        return None
    return found


def _one_ask(prompt_text: str, found: list[Ask]) -> bool:
    """Whether the whole prompt reads as one of its parts' templates with more of that
    template's values than the part alone gives: the other parts hold values of the same ask
    ("system of equations: x + y = 10; x - y = 4")."""
    try:
        whole = read(prompt_text)
    except ChalkError:
        return False
    return any(
        ask.template_id == whole.template_id and set(whole.used) > set(ask.used) for ask in found
    )


def _names_function(template_id: str, part: str) -> bool:
    """Whether the part gives the function the template draws (True for a template that
    draws none)."""
    template = registry()[template_id]
    takes = [key for key in _FUNCTION_KEYS if key in template.defaults]
    return not takes or any(key in template.extract(Prompt(part)) for key in takes)


def _with_context(part: str, others: list[str], refers: bool) -> str:
    """The part as a prompt of its own: a part that refers to a function and names none
    takes the one another part names (with its range, when it gives none): "show its
    gradient" → "show the gradient of the line y = 2x + 1"."""
    own = Prompt(part)
    if own.expression is not None or not refers:
        return part
    named = [found for found in (Prompt(other).expression for other in others) if found]
    if not named:
        return part
    function = f"y = {named[0].source.strip()}"
    if named[0].expr.polynomial(max_degree=1) is not None:
        function = f"the line {function}"
    extent = ""
    spans = [span for span in (Prompt(other).x_range for other in others) if span is not None]
    if spans and own.x_range is None:
        low, high = spans[-1]  # the last other part that gives one
        extent = f" from {format_number(low)} to {format_number(high)}"
    if _ITS.search(part):
        return _ITS.sub(lambda m: f"the{m.group(1)} of {function}", part, count=1) + extent
    if _IT.search(part):
        return _IT.sub(function, part, count=1) + extent
    return f"{part}, for {function}{extent}"

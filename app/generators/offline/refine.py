"""Refine by instruction: "make it faster", "use 40 flips", "portrait" → a new version, offline.

Template-made code carries its template and values in a header (header.py), so an instruction
can be re-planned against the template's own parameters instead of guessed at in the code:

1. values the teacher names are read by the template's own extract() (the reader the planner
   uses for prompts), merged over the current values;
2. relative words ("more flips", "double the speed", "a longer pendulum", "increase the angle by
   10") and settings ("set the radius to 3") are matched against each parameter's words: its
   name, its control's label and unit, and what the template's reader calls it;
3. aspect words (portrait, square, landscape) become a render option.

Every word must be accounted for by one of those, by the template's vocabulary or by filler
words ("please", "the", "it"); anything left over means the instruction asks for something the
template cannot show, and the whole instruction is refused in one sentence that says what the
template can change (never half-applied, never a silent no-op). A value past a parameter's
limits is refused with the limit, not clamped. The result always goes through render_template
(the template's validate()), so refined code is exactly what the template makes from its values.
"""

from __future__ import annotations

import ast
import copy
import difflib
import inspect
import math
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from app.core import syntax
from app.errors import ChalkError
from app.generators.offline import extract as shared_reader
from app.generators.offline import origin, render_template
from app.generators.offline.catalogue import Template, registry, stem
from app.generators.offline.controls import Choice, Control, Number
from app.generators.offline.extract import CONST, Prompt, to_number
from app.generators.offline.mathexpr import FUNCTIONS, format_number
from app.generators.offline.templates import common

__all__ = ["Refinement", "can_change", "options_for", "refine"]

MAX_INSTRUCTION_CHARS = 500

# Where an AI model is connected, the callers offer it (or go to it) after these sentences.
NOT_A_TEMPLATE = (
    "This code was not made by a template, so it cannot be changed offline; edit the code instead."
)
EDITED = (
    "This code was edited after the template made it, and changing it offline would undo your "
    "edits; change the code itself instead."
)
TOO_LONG = (
    f"The instruction is over {MAX_INSTRUCTION_CHARS} characters; say the change in a sentence."
)
EMPTY = "Say what to change, for example a value, a label or portrait instead of landscape."

ASPECT_WORDS = {
    "portrait": "9:16",
    "vertical": "9:16",
    "phone": "9:16",
    "mobile": "9:16",
    "square": "1:1",
    "landscape": "16:9",
    "widescreen": "16:9",
    "horizontal": "16:9",
}
FRAME_WORDS = frozenset(
    {"format", "mode", "orientation", "aspect", "frame", "layout", "ratio", "screen", "view"}
)
"""Words that may follow an aspect word and still mean the video's frame ("portrait mode")."""
ASPECT_NAMES = {"9:16": "portrait (9:16)", "1:1": "square (1:1)", "16:9": "landscape (16:9)"}

# Direction words: +1 makes a value larger, -1 smaller.
UP_WORDS = {
    "increase": 1,
    "raise": 1,
    "grow": 1,
    "extend": 1,
    "lengthen": 1,
    "widen": 1,
    "boost": 1,
    "more": 1,
    "bigger": 1,
    "larger": 1,
    "longer": 1,
    "higher": 1,
    "taller": 1,
    "faster": 1,
    "quicker": 1,
    "wider": 1,
    "heavier": 1,
    "steeper": 1,
    "greater": 1,
    "decrease": -1,
    "reduce": -1,
    "lower": -1,
    "shrink": -1,
    "shorten": -1,
    "cut": -1,
    "fewer": -1,
    "less": -1,
    "smaller": -1,
    "shorter": -1,
    "slower": -1,
    "narrower": -1,
    "lighter": -1,
    "shallower": -1,
}
# Multiplying words: the direction comes with the factor.
FACTOR_WORDS = {
    "double": 2.0,
    "doubled": 2.0,
    "twice": 2.0,
    "triple": 3.0,
    "tripled": 3.0,
    "thrice": 3.0,
    "quadruple": 4.0,
    "halve": 0.5,
    "halved": 0.5,
    "half": 0.5,
}
# A comparative with no noun names its quantity: "make it faster" changes the speed.
IMPLIED = {
    "fast": ("speed", "velocity", "rate"),
    "quick": ("speed", "velocity", "rate"),
    "slow": ("speed", "velocity", "rate"),
    "long": ("length", "long", "duration"),
    "short": ("length", "long", "duration"),
    "high": ("height", "high"),
    "big": ("size", "radius", "scale"),
    "large": ("size", "radius", "scale"),
    "small": ("size", "radius", "scale"),
    "wide": ("width", "wide"),
    "heavy": ("mass", "weight"),
    "steep": ("angle", "slope"),
    "faster": ("speed", "velocity", "rate"),
    "quicker": ("speed", "velocity", "rate"),
    "slower": ("speed", "velocity", "rate"),
    "longer": ("length", "long", "duration"),
    "shorter": ("length", "long", "duration"),
    "lengthen": ("length", "long"),
    "shorten": ("length", "long"),
    "higher": ("height", "high"),
    "taller": ("height", "tall"),
    "bigger": ("size", "radius", "scale"),
    "larger": ("size", "radius", "scale"),
    "smaller": ("size", "radius", "scale"),
    "wider": ("width", "wide"),
    "narrower": ("width", "wide"),
    "heavier": ("mass", "weight"),
    "lighter": ("mass", "weight"),
    "steeper": ("angle", "slope"),
    "shallower": ("angle", "slope"),
}
STEP = 1.5  # "more", "faster" with no amount: this factor (the changes list shows the result)
ON_WORDS = {"show", "include", "add", "with", "on", "enable", "display", "keep"}
OFF_WORDS = {"hide", "without", "no", "off", "remove", "skip", "disable", "drop"}
SET_WORDS = {"set", "change", "make", "put", "use", "switch", "turn"}
FILLER = (
    frozenset(
        """a an the it its it's this that these those please can could would you i we me us my our
        to of and or be is are was should so as by in into at for from with instead rather again
        now then also just too bit little lot much slightly somewhat very really way version video
        animation scene one ones new let lets want like need give show draw display plot same
        time times than x degrees degree deg ° on them they do""".split()  # noqa: SIM905 (a word list reads better)
    )
    | SET_WORDS
)
"""Words that ask for nothing by themselves."""
NEGATIONS = frozenset({"not", "no", "don", "dont", "never", "nor", "without", "neither", "stop"})
"""Words that turn a request around: never accounted for by vocabulary, only by a toggle."""
FILLER_STEMS = frozenset(stem(w) for w in FILLER)
UNITS = frozenset({"m", "cm", "mm", "km", "s", "percent", "units", "unit", "mps"})
_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_PROBE = 7.25


@dataclass
class Refinement:
    """What an instruction did to template code: a new version, or one sentence why not."""

    status: str  # "changed" | "refused"
    code: str
    changes: list[str] = field(default_factory=list)
    template: str | None = None
    params: dict = field(default_factory=dict)
    message: str = ""
    aspect: str | None = None  # the new aspect when the instruction asked for one
    options: list[str] = field(default_factory=list)  # what the template can change
    notes: list[str] = field(default_factory=list)  # the template's remarks on the new values

    @property
    def changed(self) -> bool:
        return self.status == "changed"

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "error": None if self.changed else {"kind": "validation", "message": self.message},
            "code": self.code,
            "changes": list(self.changes),
            "template": self.template,
            "params": copy.deepcopy(self.params),
            "message": self.message,
            "aspect": self.aspect,
            "options": list(self.options),
            "notes": list(self.notes),
        }


class _Refused(Exception):
    """Raised inside the refiner with the one sentence the teacher sees."""


def code_diff(before: str, after: str, names: tuple[str, str] = ("current", "changed")) -> str:
    """A unified diff of two versions of some code, for a teacher to read before rendering."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=names[0],
        tofile=names[1],
        n=2,
    )
    return "".join(lines)


# ------------------------------------------------------------------ parameter words


def label(template: Template, name: str) -> str:
    """The parameter's name for the teacher: its control's label without the parenthesis (the
    unit is shown with the values), else its name in words."""
    control = template.controls.get(name)
    if control is not None:
        return re.sub(r"\s*\([^)]*\)", "", control.label).strip() or control.label
    return name.removesuffix("_deg").replace("_", " ")


def phrase(template: Template, name: str) -> str:
    """The label inside a sentence: "the launch speed", not "the Launch speed"."""
    named = label(template, name)
    return named if named[:2].isupper() else named[:1].lower() + named[1:]


def unit(template: Template, name: str) -> str:
    control = template.controls.get(name)
    if isinstance(control, Number) and control.unit:
        return control.unit
    return "°" if name.endswith("_deg") else ""


def _words(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", text.lower())}


def param_words(template: Template, name: str) -> set[str]:
    """Words that name a parameter: its name's parts, its control's label, unit and options."""
    parts = [p for p in name.split("_") if len(p) > 1 and p not in {"deg"}] or [name]
    words = {stem(p) for p in parts}
    control = template.controls.get(name)
    if control is not None:
        # A label's parenthesis explains or gives the unit: "Range of x (where the rectangles
        # stand)" is named by "range", not by "rectangles".
        named = re.sub(r"\([^)]*\)", " ", control.label)
        words |= _words(named) - _words(" ".join(FILLER))
    return words


def _string_words(tree: ast.AST) -> set[str]:
    """The words in a syntax tree's string constants (its patterns and word lists; not its
    docstrings, which are prose), regex escapes (\\b, \\s) removed."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    words: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            cleaned = re.sub(r"\\[a-zA-Z]", " ", node.value)
            words |= {stem(w) for w in re.findall(r"[a-z]{2,}", cleaned.lower())}
    return words


def _source_tree(module: ModuleType) -> ast.Module | None:
    try:
        return syntax.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return None


@cache
def shared_reader_words() -> frozenset[str]:
    """Words the shared prompt reader knows (ranges, angles, spoken maths, named curves)."""
    words: set[str] = set()
    for module in (shared_reader, common):
        tree = _source_tree(module)
        if tree is not None:
            words |= _string_words(tree)
    return frozenset(words)


@cache
def reader_words(template_id: str) -> frozenset[str]:
    """Words in the template's own extract() and the patterns it uses: what its reader knows."""
    template = registry()[template_id]
    module = sys.modules.get(template.extract.__module__)
    tree = _source_tree(module) if module is not None else None
    if tree is None:
        return shared_reader_words()
    top: dict[str, ast.AST] = {}
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            top[statement.name] = statement
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    top[target.id] = statement
    seen: set[str] = set()
    words: set[str] = set(shared_reader_words())
    pending = ["extract"]
    while pending:
        name = pending.pop()
        if name in seen or name not in top:
            continue
        seen.add(name)
        words |= _string_words(top[name])
        pending.extend(node.id for node in ast.walk(top[name]) if isinstance(node, ast.Name))
    return frozenset(words)


def known_words(template: Template) -> set[str]:
    """Words that may appear in an instruction for this template without asking for anything
    it cannot do: its vocabulary, its reader's words and its parameters' words."""
    words = set(template.vocabulary) | set(reader_words(template.id))
    for name in template.defaults:
        words |= param_words(template, name)
        control = template.controls.get(name)
        if isinstance(control, Choice):
            words |= _words(" ".join(control.options + control.labels))
    return words


# ------------------------------------------------------------------ the refiner


def refine(code: str, instruction: str, *, aspect: str | None = None) -> Refinement:
    """Change template-made code as the instruction says, or refuse in one sentence.

    `aspect` is the video's current aspect, when known (for the changes list)."""
    found = origin(code)
    if found is None:
        return Refinement("refused", code, message=NOT_A_TEMPLATE)
    template = registry()[found.template]
    options = [label(template, name) for name in template.defaults]
    base = Refinement(
        "refused", code, template=template.id, params=copy.deepcopy(found.params), options=options
    )
    if found.edited:
        base.message = EDITED
        return base
    if not instruction or not instruction.strip():
        base.message = EMPTY
        return base
    if len(instruction) > MAX_INSTRUCTION_CHARS:
        base.message = TOO_LONG
        return base
    try:
        return _refine(template, found.params, instruction, aspect, base)
    except _Refused as exc:
        base.message = str(exc)
        return base


def options_for(code: str) -> str | None:
    """What an instruction can change in this code, as a sentence for the box that takes it
    (None for code no template made as it is)."""
    found = origin(code)
    if found is None or found.edited:
        return None
    return f"This video can change {can_change(registry()[found.template])}."


def can_change(template: Template) -> str:
    """'speed, angle (degrees) or the aspect': what this template's refinements can change."""
    names = [phrase(template, name) for name in template.defaults]
    if not names:
        return "only the aspect (portrait, square or landscape)"
    return ", ".join(names) + " or the aspect (portrait, square or landscape)"


def _cannot(template: Template, leftover: list[str]) -> _Refused:
    shown = " ".join(leftover[:6])
    return _Refused(
        f"The {template.title} template cannot show “{shown}”; it can change "
        f"{can_change(template)}, so nothing was changed."
    )


def _comparative(word: str) -> bool:
    return word in UP_WORDS or word in FACTOR_WORDS


def _known(word: str, known: set[str]) -> bool:
    """A word the template knows, as written or as a reader's pattern stem ("rotat" in
    "rotate", "differentiat" in "differentiate")."""
    if word in known or stem(word) in known:
        return True
    return any(len(k) >= 4 and word.startswith(k) for k in known)


def _refine(
    template: Template, current: dict, instruction: str, aspect: str | None, base: Refinement
) -> Refinement:
    prompt = Prompt(instruction)
    text = prompt.text
    tokens = _WORD.findall(text)
    used: set[str] = set()

    new_aspect = None
    for index, word in enumerate(tokens):
        follower = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            word in ASPECT_WORDS
            # "vertical bars", "square root": the word describes something else in the video
            and (follower is None or follower in FILLER or follower in FRAME_WORDS)
            and not _reader_uses(template, prompt, word)
        ):
            if new_aspect not in (None, ASPECT_WORDS[word]):
                raise _Refused("The instruction asks for two different aspects; choose one.")
            new_aspect = ASPECT_WORDS[word]
            used.add(word)
            if follower in FRAME_WORDS:
                used.add(follower)
    if re.search(r"\b(?:9\s*:\s*16|1\s*:\s*1|16\s*:\s*9)\b", text):
        ratio = re.search(r"\b(9\s*:\s*16|1\s*:\s*1|16\s*:\s*9)\b", text)
        assert ratio is not None
        named = re.sub(r"\s", "", ratio.group(1))
        if new_aspect not in (None, named):
            raise _Refused("The instruction asks for two different aspects; choose one.")
        new_aspect = named
        used |= set(_WORD.findall(ratio.group(1)))

    wanted: dict[str, object] = {}  # parameter → value from relative words ("double the speed")
    settings: dict[str, object] = {}  # parameter → value from "set <thing> to <number>"
    for clause in _clauses(instruction):
        relative, setting = _clause(template, current, clause, used)
        wanted.update(relative)
        settings.update(setting)

    # Values the teacher names, read by the template's own reader. It knows the template's
    # units ("set the length to 50 cm" is 0.5 m), so its reading wins over a bare setting.
    read, already = _extracted(template, current, prompt, wanted)
    for key, value in settings.items():
        if key not in read and key not in already:
            wanted[key] = value
    for key, value in read.items():
        wanted.setdefault(key, value)
    if read or already:
        taken = {**read, **{key: current[key] for key in already}}
        used |= _numbers_read(template, prompt, taken)
        for value in [*read.values(), *(current[key] for key in already)]:
            used |= {w for w in _WORD.findall(_flat_text(value).lower())}
        used |= set(FUNCTIONS)

    known = known_words(template)
    # A comparative counts only where a relative change used it, or where this template's own
    # reader reads it ("which is bigger" for fractions), never from shared vocabulary.
    own = set(reader_words(template.id) - shared_reader_words())
    leftover = [
        t
        for t in tokens
        if t not in used
        and (
            t in NEGATIONS
            or not (
                t in FILLER
                or t in UNITS
                or (len(t) == 1 and t.isalpha() and read)
                or (read and _known(t, own) if _comparative(t) else _known(t, known))
            )
        )
    ]
    if leftover:
        raise _cannot(template, leftover)
    if not wanted and new_aspect is None and already:
        shown = ", ".join(
            f"{phrase(template, key)} {_show(current[key], template, key)}" for key in already
        )
        raise _Refused(f"The video already has {shown}, so nothing was changed.")
    if not wanted and new_aspect is None:
        raise _cannot(template, [t for t in tokens if t not in FILLER] or [instruction.strip()])

    for key, value in wanted.items():
        control = template.controls.get(key)
        if (
            isinstance(control, Number)
            and isinstance(value, (int, float))
            and not control.low <= value <= control.high
        ):
            raise _Refused(
                f"{_capital(label(template, key))} can go from "
                f"{_show(control.low, template, key)} to {_show(control.high, template, key)}, "
                f"and {_show(value, template, key)} is past that, so nothing was changed."
            )
    params = {**copy.deepcopy(current), **wanted}
    try:
        made = render_template(template.id, params)
    except ChalkError as exc:
        culprit = next((k for k in wanted if f"'{k}'" in exc.message), None)
        if culprit is None:
            raise _Refused(f"That change cannot be made: {_lower_first(exc.message)}") from None
        named = phrase(template, culprit)
        reason = exc.message.replace(f"'{culprit}'", named).rstrip(".")
        raise _Refused(
            f"That asks for {named} {_show(wanted[culprit], template, culprit)}, but {reason}, so "
            "nothing was changed."
        ) from None
    for key, value in wanted.items():
        given = made.params.get(key)
        if (
            isinstance(value, (int, float))
            and isinstance(given, (int, float))
            and not math.isclose(float(given), float(value), rel_tol=1e-9)
        ):
            raise _Refused(
                f"The template cannot make {phrase(template, key)} exactly {_show(value)} "
                f"(it would be {_show(made.params[key])}), so nothing was changed."
            )
    changes = [
        f"{label(template, key)}: {_show(current.get(key), template, key)} → "
        f"{_show(made.params[key], template, key)}"
        for key in template.defaults
        if made.params.get(key) != current.get(key)
    ]
    if new_aspect is not None and new_aspect != aspect:
        before = f"{ASPECT_NAMES.get(aspect, aspect)} → " if aspect else ""
        changes.append(f"aspect: {before}{ASPECT_NAMES[new_aspect]}")
    if not changes:
        raise _Refused("The video already shows that, so nothing was changed.")
    return Refinement(
        "changed",
        made.code,
        changes=changes,
        template=template.id,
        params=made.params,
        message="; ".join(changes) + ".",
        aspect=new_aspect,
        options=base.options,
        notes=made.notes,
    )


def _clauses(instruction: str) -> list[str]:
    """Parts of an instruction joined by "and", commas or "then", never splitting a list of
    numbers ("values 3, 1 and 2")."""
    cleaned = Prompt(instruction).text
    parts = re.split(r"\s*(?:,|;|\band\b|\bthen\b|\bbut\b)\s*(?![-\d.])", cleaned)
    return [p.strip() for p in parts if p.strip()]


def _clause(
    template: Template, current: dict, clause: str, used: set[str]
) -> tuple[dict[str, object], dict[str, object]]:
    """A relative change ("double the speed", "more flips", a toggle) and a setting ("set n to
    8"), as (relative, setting); at most one of them has a value."""
    words = _WORD.findall(clause)
    if NEGATIONS & set(words):
        # "hide the steps" or "without steps" turns a toggle off; "not faster" or "don't change
        # the speed" is said back as not understood, never guessed at.
        return _toggle(template, current, words, used), {}
    direction = next((w for w in words if _comparative(w)), None)
    if direction is not None:
        return _relative(template, current, clause, words, direction, used), {}
    setting = re.search(
        rf"(?:\b(?:to|at|be)\b|=|:)\s*({CONST})(?![\d.])\s*(?:[a-z°%/]+)?\s*$", clause
    )
    if setting:
        return {}, _set(template, current, clause, setting, used)
    return _toggle(template, current, words, used), {}


def _relative(
    template: Template,
    current: dict,
    clause: str,
    words: list[str],
    direction: str,
    used: set[str],
) -> dict[str, object]:
    amount = re.search(rf"\bby\s*({CONST})\s*(%|percent)?", clause) or re.search(
        # "5 more flips", "3 m longer", "30% faster": the amount stands before the comparative
        rf"({CONST})\s*(%|percent|[a-z°/]+)?\s*\b{direction}\b",
        clause,
    )
    times = re.search(r"(\d+(?:\.\d+)?)\s*(?:times|x|×)\b", clause)
    to = re.search(rf"\bto\s*({CONST})(?![\d.])", clause)
    explained = [m.group(1) for m in (amount, times, to) if m is not None]
    if len(re.findall(r"\d+(?:\.\d+)?", clause)) > sum(
        len(re.findall(r"\d+(?:\.\d+)?", e)) for e in explained
    ):
        return {}  # a number the relative change does not explain ("more than 50 flips")
    if amount is not None and amount.group(2) and amount.group(2) not in ("%", "percent"):
        unit_word = amount.group(2)
        if unit_word not in UNITS and unit_word not in FILLER:
            return {}  # "3 rectangles more": the template's reader reads those
    thing = [
        w
        for w in words
        if w not in FILLER
        and w not in UP_WORDS
        and w not in FACTOR_WORDS
        and w not in UNITS
        and w not in {"many", "much", "as", "percent"}
        and not _is_number(w)
    ]
    # The comparative's own quantity counts with the words around it: "faster launch" is the
    # launch speed, not the launch angle; a plain adjective names one too ("twice as fast").
    implied = [noun for w in [direction, *thing] for noun in IMPLIED.get(w, ())]
    numbers = {k: v for k, v in current.items() if _is_value(v)}
    # A relative change needs a number: numeric parameters first, then any (to say why not).
    key = _resolve(template, numbers, thing + implied) or _resolve(
        template, current, thing + implied
    )
    if key is None:
        return {}  # the leftover words say what could not be matched
    value = current[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Refused(
            f"{_capital(label(template, key))} is not a number, so it cannot be made "
            f"{direction}; say the new {phrase(template, key)} instead."
        )
    sign = -1 if UP_WORDS.get(direction, 1) < 0 else 1
    factor_word = next((w for w in words if w in FACTOR_WORDS), None)
    if factor_word is not None and direction not in FACTOR_WORDS:
        # "cut the speed in half" halves it; "increase it by half" is half as much again
        factor = FACTOR_WORDS[factor_word]
        if factor > 1 and sign < 0:
            return {}  # "reduce it double": said back, never guessed
        multiplier = factor if factor > 1 or sign < 0 else 1 + factor
    else:
        multiplier = None
    if to is not None:
        target = to_number(to.group(1))
        assert target is not None
        new = target
    elif multiplier is not None:
        new = value * multiplier
    elif direction in FACTOR_WORDS:
        new = value * FACTOR_WORDS[direction]
    elif times is not None:
        factor = float(times.group(1))
        new = value * factor if sign > 0 else value / factor
    elif amount is not None:
        step = to_number(amount.group(1))
        assert step is not None
        percent = amount.group(2) in ("%", "percent")
        new = value * (1 + sign * step / 100) if percent else value + sign * step
    else:
        new = _nice(value * STEP if sign > 0 else value / STEP)
        if isinstance(value, int) or _integer(template, key):
            new = round(new)
            if new == value:
                new = value + sign
    if (_integer(template, key) or isinstance(value, int)) and float(new) != round(float(new)):
        new = round(new)
    used |= set(words)
    return {key: _tidy(new)}


def _set(
    template: Template, current: dict, clause: str, setting: re.Match[str], used: set[str]
) -> dict[str, object]:
    before = clause[: setting.start()]
    thing = [
        w for w in _WORD.findall(before) if (w not in FILLER or w in current) and not _is_number(w)
    ]
    key = _resolve(template, current, thing, single_letters=True, ambiguous_ok=True)
    if key is None:
        return {}
    value = current[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return {}  # lists, text and expressions: the template's reader reads them
    new = to_number(setting.group(1))
    if new is None:
        return {}
    used |= set(_WORD.findall(clause))
    return {key: _tidy(new)}


def _toggle(
    template: Template, current: dict, words: list[str], used: set[str]
) -> dict[str, object]:
    switches = [k for k, v in current.items() if isinstance(v, bool)]
    if not switches:
        return {}
    on = any(w in ON_WORDS for w in words)
    off = any(w in OFF_WORDS for w in words)
    if on == off:
        return {}
    thing = [w for w in words if w not in FILLER and w not in ON_WORDS | OFF_WORDS]
    key = _resolve(template, {k: current[k] for k in switches}, thing)
    if key is None:
        return {}
    used |= set(words)
    return {key: on}


def _resolve(
    template: Template,
    current: dict,
    thing: list[str],
    *,
    single_letters: bool = False,
    ambiguous_ok: bool = False,
) -> str | None:
    """The parameter these words name: by its name and label, else by asking the template's
    own reader which parameter "<word> 7.25" or "7.25 <word>" sets."""
    if not thing:
        return None
    stems = {stem(w) for w in thing}
    scores: dict[str, int] = {}
    for name in current:
        if name not in template.defaults:
            continue
        words = param_words(template, name)
        if single_letters and len(name) == 1:
            words = words | {name}
        overlap = len(stems & words)
        if overlap:
            scores[name] = overlap
    if not scores:
        for word in thing:
            if len(word) < 2:
                continue
            for probe in (f"{word} {_PROBE}", f"{_PROBE} {word}", f"{word} = {_PROBE}"):
                try:
                    read = template.extract(Prompt(probe))
                except Exception:  # a reader that trips over a probe names nothing
                    continue
                hits = [k for k, v in read.items() if v == _PROBE and k in current]
                if len(hits) == 1:
                    scores[hits[0]] = scores.get(hits[0], 0) + 1
                    break
    if not scores:
        return None
    best = max(scores.values())
    top = [name for name, score in scores.items() if score == best]
    if len(top) > 1:
        if ambiguous_ok:
            return None  # "launch at 60 degrees": the template's reader knows which
        shown = " or ".join(phrase(template, name) for name in top)
        raise _Refused(f"“{' '.join(thing)}” could mean {shown}; name the one to change.")
    return top[0]


def _extracted(
    template: Template, current: dict, prompt: Prompt, wanted: dict
) -> tuple[dict, set[str]]:
    """What the template's reader finds in the instruction and the instruction asked for.

    A reader fills in values a prompt did not give (the defaults it returns for an empty prompt,
    letters for unnamed bars, a range for a new curve, no bullets under a new title). Those are
    taken only when nothing in the instruction is evidence for any value, or when the current
    value no longer fits the new ones; otherwise the current value stays. Also returns the keys
    the instruction names with the value they already have ("speed 20" when it is 20)."""
    try:
        read = template.extract(prompt)
        filler = template.extract(Prompt(""))
    except Exception:  # a reader that trips over an instruction reads nothing from it
        return {}, set()
    found = {}
    already = set()
    for key, value in read.items():
        if key not in template.defaults or key in wanted:
            continue
        if _same(value, current.get(key)):
            if _evidence(template, key, value, prompt):
                already.add(key)
            else:
                already |= _sensitive(template, prompt, {key: value})
            continue
        unasked = key in filler and _same(filler[key], value)
        if unasked and not _evidence(template, key, value, prompt):
            continue
        if _bare_x(value, prompt):
            continue
        found[key] = value
    evidenced = {k for k, v in found.items() if _evidence(template, k, v, prompt)}
    if not evidenced:
        evidenced = _sensitive(template, prompt, found)
    if not evidenced:
        return {k: v for k, v in found.items() if not _empty(v)}, already
    kept = {k: found[k] for k in evidenced}
    derived = [k for k in found if k not in evidenced]
    implied = _implied(template, prompt, {k: found[k] for k in derived}, kept)
    if implied:
        # A word read as a value the instruction does not write ("halve" beside "every 4
        # years" is a factor of 0.5): applying only the rest would be half the change.
        shown = " and ".join(f"“{phrase(template, key)}”" for key in sorted(implied))
        raise _Refused(
            f"This would also change {shown} without saying to what; write the new value "
            "too, so nothing was changed."
        )
    if derived:
        try:
            render_template(template.id, {**current, **wanted, **kept})
        except ChalkError:  # the current values no longer fit: take the reader's
            kept.update({k: found[k] for k in derived})
    named = {k for k, v in read.items() if _evidence(template, k, v, prompt, by_name=False)}
    _one_slot(template, current, prompt, kept, named)
    return kept, already


def _one_slot(
    template: Template, current: dict, prompt: Prompt, kept: dict, given: set[str]
) -> None:
    """A word the reader put in one of two parameters that both take it: the instruction must
    name the one it means ("into a pentagon": the shape to start from, or to end with?). It goes
    where the instruction names it; with neither or both named, the sentence asks which. A
    parameter the instruction gives its own value (`given`) is no rival."""
    words = {stem(w) for w in re.findall(r"[a-z]+", prompt.text)}

    def named(key: str) -> int:
        return len(words & (param_words(template, key) - FILLER_STEMS))

    for key, value in list(kept.items()):
        if not isinstance(value, str):
            continue
        rivals = []
        for other in template.defaults:
            if other == key or other in given or not isinstance(current.get(other), str):
                continue
            try:
                render_template(template.id, {**current, other: value})
            except ChalkError:
                continue
            rivals.append(other)
        if not rivals:
            continue
        best = max([key, *rivals], key=named)
        if named(best) and [named(k) for k in (key, *rivals)].count(named(best)) == 1:
            if best != key:
                del kept[key]
                kept[best] = value
            continue
        other = rivals[0]
        if param_words(template, key) - FILLER_STEMS != param_words(template, other) - FILLER_STEMS:
            advice = f"say which, for example “{phrase(template, other)} {value}”"
        else:  # names alike: the reader takes the values in order
            first, second = sorted((key, other), key=list(template.defaults).index)
            shown = [value if k == other else _show(current[k]) for k in (first, second)]
            advice = f"name both in order, for example “{shown[0]}, then {shown[1]}”"
        raise _Refused(
            f"“{value}” could be the {phrase(template, key)} or the {phrase(template, other)}; "
            f"{advice}."
        )


def _numbers_read(template: Template, prompt: Prompt, taken: dict) -> set[str]:
    """The numbers of the instruction its reader used for the values taken: leaving one out, or
    writing another number in its place, changes them. A number it skipped ("1" in "plot 1, 2.5
    and -3" when it reads [2.5, -3]) is not the teacher's value in the video, so it stays
    unaccounted and the change is refused."""
    used: set[str] = set()
    for match in re.finditer(r"\d+(?:\.\d+)?", prompt.text):
        other = "3.5" if float(match.group(0)) == _PROBE else str(_PROBE)
        for replacement in (" ", other):
            changed = prompt.text[: match.start()] + replacement + prompt.text[match.end() :]
            try:
                read = template.extract(Prompt(changed))
            except Exception:  # a reader that trips over the changed text used the number
                used.add(match.group(0))
                break
            if any(not _same(read.get(key), value) for key, value in taken.items()):
                used.add(match.group(0))
                break
    return used


def _reader_uses(template: Template, prompt: Prompt, word: str) -> bool:
    """Whether the template's reader reads this word: without it, it reads something else
    ("square" is a shape to shape_transform and part of "square root", not an aspect)."""
    without = re.sub(rf"\b{re.escape(word)}\b", " ", prompt.text)
    try:
        read = template.extract(prompt)
        if not _same(template.extract(Prompt(without)), read):
            return True
    except Exception:  # a reader that trips over either text: do not take the word from it
        return False
    return any(word in _WORD.findall(leaf.lower()) for leaf in _leaves(read))


def _implied(template: Template, prompt: Prompt, derived: dict, asked: dict) -> set[str]:
    """The derived keys a word of its own sets: leaving out a word that is not a number, not
    part of an asked value (leaving it out changes that value) and not a name of an asked
    parameter changes them. A range that follows a new curve is not implied; the 0.5 that
    "halve" reads beside "every 4 years" is."""
    names = set().union(*(param_words(template, key) for key in asked)) if asked else set()
    asked_text = " ".join(_flat_text(value).lower() for value in asked.values())
    words = prompt.text.split(" ")
    keys: set[str] = set()
    for index, word in enumerate(words):
        plain = word.strip(".,;:!?").lower()
        if not plain or re.search(r"\d", plain) or plain in asked_text or stem(plain) in names:
            continue
        shorter = " ".join(words[:index] + words[index + 1 :])
        try:
            read = template.extract(Prompt(shorter))
        except Exception:  # a reader that trips over the shorter text tells nothing
            continue
        if any(k in read and not _same(read[k], v) for k, v in asked.items()):
            continue  # the word is part of an asked value ("square" in "square root of x")
        keys |= {k for k in derived if not _same(read.get(k), derived[k])}
    return keys


def _sensitive(template: Template, prompt: Prompt, found: dict) -> set[str]:
    """The keys whose value the reader reads from some word of the instruction: leaving that
    word out changes it ("half" → fractions). Values it only derives from others ("show" once
    fractions are named) do not depend on any single word."""
    words = prompt.text.split(" ")
    keys: set[str] = set()
    for index in range(len(words)):
        shorter = " ".join(words[:index] + words[index + 1 :])
        try:
            read = template.extract(Prompt(shorter))
        except Exception:  # a reader that trips over the shorter text tells nothing
            continue
        keys |= {k for k in found if not _same(read.get(k), found[k])}
    return keys


def _evidence(
    template: Template, key: str, value: object, prompt: Prompt, *, by_name: bool = True
) -> bool:
    """Whether the instruction contains this value (or, `by_name`, names this parameter)."""
    words = {stem(w) for w in re.findall(r"[a-z]+", prompt.text)}
    if by_name and words & param_words(template, key):
        return True
    numbers = _numbers_in(value)
    if numbers and numbers <= _written_numbers(prompt.text):
        return True
    if numbers or _empty(value):
        return False
    maths = set()
    if prompt.expression is not None:
        maths.add(prompt.expression.expr.text)
    if prompt.equation is not None:
        maths.add(f"{prompt.equation[0].text} = {prompt.equation[1].text}")
    for leaf in _leaves(value):
        if leaf in maths:
            continue
        piece = re.sub(r"\s+", " ", leaf.lower()).strip()
        pieces = [w for w in re.findall(r"[a-z]{2,}", piece) if w not in FILLER]
        if piece not in prompt.text and not (pieces and all(w in prompt.text for w in pieces)):
            return False
    return True


def _leaves(value: object) -> list[str]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [str(value)]


def _written_numbers(text: str) -> set[float]:
    """The numbers as written, each also negative when a minus sign stands before it (the
    sign of "-5" in "from -5 to 5" and of "- 7x" in "x^2 - 7x + 10")."""
    found: set[float] = set()
    for sign, digits in re.findall(r"(-\s?)?(?<![\w.])(\d+(?:\.\d+)?)", text):
        found.add(float(digits))
        if sign:
            found.add(-float(digits))
    return found


def _bare_x(value: object, prompt: Prompt) -> bool:
    """A lone "x" read as the curve ("x from -5 to 5") names the variable, not a new curve
    (unless it follows "y =")."""
    found = prompt.expression
    return value == "x" and found is not None and not found.marked


def _empty(value: object) -> bool:
    return value in ("", [], {}, None)


# ------------------------------------------------------------------ small helpers


def _integer(template: Template, key: str) -> bool:
    control: Control | None = template.controls.get(key)
    if isinstance(control, Number):
        return control.integer
    return isinstance(template.defaults.get(key), int) and not isinstance(
        template.defaults.get(key), bool
    )


def _tidy(value: float) -> float | int:
    if isinstance(value, int):
        return value
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() and abs(rounded) < 1e15 else rounded


def _nice(value: float) -> float:
    """Two significant figures: a step the teacher did not size should read as a round value."""
    if value == 0:
        return 0.0
    return round(value, 1 - math.floor(math.log10(abs(value))))


def _is_value(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", word))


def _numbers_in(value: object) -> set[float]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, (int, float)):
        return {float(value)}
    if isinstance(value, (list, tuple)):
        return set().union(*(_numbers_in(v) for v in value)) if value else set()
    return set()


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _flat_text(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(_flat_text(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return " ".join(_flat_text(v) for v in value)
    return str(value)


def _show(value: object, template: Template | None = None, key: str = "") -> str:
    suffix = unit(template, key) if template is not None and key else ""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, float)):
        shown = format_number(value)
        return f"{shown}{suffix}" if suffix in ("°", "%") else f"{shown} {suffix}".strip()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]

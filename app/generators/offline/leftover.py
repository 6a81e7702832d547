"""Parts of a prompt the template engine did not use, named for the teacher.

"Plot y = x^2 from -2 to 2 and show the axis of symmetry" goes to the function graph, which
reads the function and the range; nothing it draws is an axis of symmetry, so the teacher is
told: "I used the function of x and the range of x; 'the axis of symmetry' is not something
this template shows."

Each word of the prompt is sorted into one of:
- used: matched by one of the template's triggers, part of the maths (numbers, x, operators,
  spoken maths like "squared"), quoted, or found in the values the template read;
- known: a word the template knows (its title, example prompt, triggers, control labels, its
  own source text, and what it says its video shows) though the prompt's use of it was not
  read: it may join a phrase but never makes one;
- filler: stop words and the words of asking ("show", "please", "a video of", "students");
- unknown: everything else.
A phrase is named only when it holds an unknown word, or two known words the template never
puts side by side (it says "square root", not "complete the square"); it runs over known words
and "of"/"the" but stops at anything used, at filler and at punctuation. A false claim is
worse than silence, so every doubt falls on the side of "known" (stems, shared 6-letter
beginnings).
"""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from app.errors import ChalkError
from app.generators.offline.catalogue import Template, registry
from app.generators.offline.extract import NAMED_CURVES, SPOKEN, Prompt

MAX_PHRASES = 3
"""At most this many phrases are named: a longer list reads as noise."""
MAX_PHRASE_WORDS = 6
"""A longer run of unread words is a sentence, not an ask; it is cut to its unknown words."""
MIN_UNKNOWN_LETTERS = 4
"""Shorter words (an abbreviation, a typo) are too unsure to name."""

# Words of asking, audience and manner: never a thing a video shows.
_FILLER_WORDS = """
    a about above after again against all also am an and animate animated animates animating
    animation animations any anything are as ask at be because been before being below between
    both but by can cannot clear clearly clip could create demonstrate demonstrates
    demonstrating demonstration describe did display do does doing done down during each easy
    either else even every example explain explained explaining explanation few film for from
    fun further generate get gets give go goes going good great had has have having help her here
    him his how i if illustrate illustrates illustrating illustration in include includes
    including into is it its just kid kids kindly know learn learner learners learning lesson
    lessons let like look looks made make makes making may me means might more most movie
    much must my need needs neat nice nicely no nor not now of off on once only or other our out
    over own please pls pupil pupils quick quickly quite really render same see shall she short
    should show showing shows simple simply slide so some something student students such teach
    teacher teaching than thank thanks that the their them then there these they thing things
    this those through to too tutorial under understand understanding until up us use used using
    very via video videos visual visualise visualize visually walk want was watch way we well
    were what when where which while who whom why will with within without would year years you
    your class classes grade grades level beginner beginners intro introduce introduction
    basic basics concept concepts idea ideas intuition intuitive demo step steps stage
    overview quick brief briefly short slowly fast lovely cool awesome engaging colourful
    colorful pretty beautiful beautifully sure just actually happen happens happening work works
    working go along next first second third finally then therefore thus why whether
    find calculate compute estimate evaluate solve simulate simulation picture pictures out
    compare mark marked marking label labelled labeled labelling highlight highlighted written
    shown drawn
"""
FILLER = frozenset(_FILLER_WORDS.split())
# Words that may sit inside a phrase between content words ("the axis of symmetry").
# Where one ask ends and another may begin ("... from -1 to 5 and show the axis of symmetry").
CLAUSE_WORDS = frozenset(
    {"and", "with", "including", "then", "also", "plus", "but", "while", "where", "as", "next"}
)
JOINERS = frozenset({"of", "the", "a", "an", "its", "their", "each"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their"})
# Plurals the stemmer leaves apart from their singular.
IRREGULAR = {"axes": "axis", "vertices": "vertex", "radii": "radius", "matrices": "matrix"}

_stemmer = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?(?:\.\d+)?|\S")
_WORD = re.compile(r"[a-z]{2,}")
_MATH_WORDS = re.compile(
    r"^(?:x|y|e|pi|sin|cos|tan|sec|csc|cot|log|ln|exp|sqrt|abs|arcsin|arccos|arctan|d|dx|dy)$"
)


@lru_cache(maxsize=16384)  # the stemmer is pure Python; teachers reuse their words
def key(word: str) -> str:
    """The form words are compared in: singular, stemmed."""
    word = IRREGULAR.get(word, word)
    return _stemmer.stemWord(word)


@dataclass(frozen=True)
class _Knowledge:
    keys: frozenset[str]
    prefixes: frozenset[str]
    pairs: frozenset[frozenset[str]]
    """Neighbouring content words (6-letter key beginnings, either order): "square root"
    makes "square" known but not "complete the square"."""

    def knows(self, word: str) -> bool:
        stemmed = key(word)
        return stemmed in self.keys or (len(stemmed) >= 6 and stemmed[:6] in self.prefixes)

    def knows_together(self, first: str, second: str) -> bool:
        return _pair(first, second) in self.pairs

    @staticmethod
    def joined(first: _Knowledge, second: _Knowledge) -> _Knowledge:
        return _Knowledge(
            first.keys | second.keys, first.prefixes | second.prefixes, first.pairs | second.pairs
        )


def _pair(first: str, second: str) -> frozenset[str]:
    return frozenset((key(first)[:6], key(second)[:6]))


@cache
def _template_knowledge(template_id: str) -> _Knowledge:
    return _knowledge(_template_words(template_id))


def _knowledge(words: Sequence[str]) -> _Knowledge:
    keys = {key(w) for w in words}
    content = [w for w in words if w not in FILLER and w not in JOINERS]
    return _Knowledge(
        frozenset(keys),
        frozenset(k[:6] for k in keys if len(k) >= 6),
        frozenset(_pair(a, b) for a, b in itertools.pairwise(content)),
    )


def _words(text: str) -> list[str]:
    # Identifiers in source text count word by word: x_range → x, range; fitWidth → fit, width.
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
    return _WORD.findall(text.lower())


@cache
def _template_words(template_id: str) -> tuple[str, ...]:
    """Every word the template could be said to know: its catalogue entry, control labels,
    module source (docstring, comments, on-screen text) and descriptions of its test values."""
    template = registry()[template_id]
    parts = [template.title, template.example_prompt, template.id]
    parts += [pattern.pattern for pattern, weight in template.triggers if weight > 0]
    parts += [control.label for control in template.controls.values()]
    module = inspect.getmodule(template.build)
    if module is not None:
        parts.append(inspect.getsource(module))
    for values in [template.defaults, *template.variants]:
        try:
            parts += template.describe(template.validate(dict(values), []))
        except ChalkError:  # a variant the current code refuses still leaves the rest
            continue
    return tuple(word for part in parts for word in _words(part))


def _used_spans(prompt: Prompt, template: Template, params: dict) -> list[tuple[int, int]]:
    """Where the prompt says what the template read: its triggers, spoken maths, named curves,
    quotes, and any word of a value the template took."""
    text = prompt.text
    spans: list[tuple[int, int]] = []
    patterns = [pattern for pattern, weight in template.triggers if weight > 0]
    patterns += [pattern for pattern, _ in SPOKEN]
    patterns += [re.compile(pattern) for pattern, _ in NAMED_CURVES]
    patterns.append(re.compile(r"\"[^\"]*\"|(?<![a-z])'[^']*'(?![a-z])"))
    for pattern in patterns:
        spans += [match.span() for match in pattern.finditer(text)]
    value_words = set(_words(_flatten(params)))
    for match in re.finditer(r"[a-z]+", text):
        if match.group(0) in value_words:
            spans.append(match.span())
    return spans


def _flatten(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k} {_flatten(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(v) for v in value)
    return str(value)


def unused_parts(prompt: Prompt, template: Template, params: dict) -> list[str]:
    """Short phrases of the prompt that nothing the template read or shows accounts for,
    quoted as the teacher wrote them (lower case); [] when unsure.

    The prompt is cut into clauses (at punctuation and at "and", "with", "then" ...). A clause
    holding anything the template read (a trigger, a number, maths, a value) is what the
    template drew on, so nothing in it is named: only clauses wholly left over are.
    """
    text = prompt.text
    if template.any_topic:  # a slide shows whatever the prompt names
        return []
    used = _used_spans(prompt, template, params)
    clauses: list[list[tuple[str, str]]] = [[]]
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        kind = _kind(word, match.span(), used)
        if kind == "clause":
            clauses.append([])
        else:
            clauses[-1].append((word, kind))
    left_over = [clause for clause in clauses if all(kind != "used" for _, kind in clause)]
    if not any(kind == "content" for clause in left_over for _, kind in clause):
        return []  # the common case: every clause holds something the template read

    # What this video says it shows counts as known too, beside what the template knows.
    said = _knowledge(_words(" ".join(template.describe(params))))
    known = _Knowledge.joined(_template_knowledge(template.id), said)
    phrases: list[str] = []
    for clause in left_over:
        sorted_words = [
            (word, ("known" if known.knows(word) else "unknown") if kind == "content" else kind)
            for word, kind in clause
        ]
        run: list[tuple[str, str]] = []
        for token in [*sorted_words, ("", "filler")]:
            if token[1] != "filler":
                run.append(token)
                continue
            phrase = _phrase(run, known)
            if phrase and phrase not in phrases:
                phrases.append(phrase)
            run = []
    return phrases[:MAX_PHRASES]


def _kind(word: str, span: tuple[int, int], used: list[tuple[int, int]]) -> str:
    """clause (a boundary), used, joiner, filler, known (too short to name) or content."""
    start, end = span
    if word in CLAUSE_WORDS or (len(word) == 1 and word in ",;.?!()[]"):
        return "clause"
    if any(low <= start and end <= high for low, high in used):
        return "used"
    if any(c.isdigit() for c in word) or _MATH_WORDS.match(word):
        return "used"  # numbers, formulae (cuso4), maths: values a template reads
    if not word[0].isalpha():
        return "used" if word in "+-*/^=<>²³√π%°" else "filler"
    if word in JOINERS:
        return "joiner"
    if word in FILLER or "'" in word:
        return "filler"
    if len(word) < MIN_UNKNOWN_LETTERS:
        return "known"
    return "content"


def _phrase(run: list[tuple[str, str]], known: _Knowledge) -> str | None:
    """A run of joiners, known and unknown words as a phrase, if it holds an unknown word or
    known words the template never puts side by side ("complete the square")."""
    words = [word for word, kind in run if kind != "joiner" and len(word) >= MIN_UNKNOWN_LETTERS]
    apart = any(not known.knows_together(a, b) for a, b in itertools.pairwise(words))
    if not apart and not any(kind == "unknown" for _, kind in run):
        return None
    while run and run[-1][1] == "joiner":
        run = run[:-1]
    while run and run[0][1] == "joiner" and run[0][0] not in DETERMINERS:
        run = run[1:]
    # Of several joiners in front, only the last belongs to the phrase.
    while len(run) > 1 and run[0][1] == "joiner" and run[1][1] == "joiner":
        run = run[1:]
    if sum(kind != "joiner" for _, kind in run) > MAX_PHRASE_WORDS:
        run = [token for token in run if token[1] == "unknown"]
    return " ".join(word for word, _ in run) or None


def unused_sentence(used_labels: list[str], unused: list[str]) -> str | None:
    """One sentence in the teacher's terms, or None when every part was used."""
    if not unused:
        return None
    quoted = [f"'{phrase}'" for phrase in unused]
    named = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    verb = "is not something" if len(quoted) == 1 else "are not things"
    sentence = f"{named} {verb} this template shows."
    if used_labels:
        read = [f"the {label}" for label in used_labels]
        listed = read[0] if len(read) == 1 else ", ".join(read[:-1]) + " and " + read[-1]
        return f"I used {listed}; {sentence}"
    return sentence


def label_in_words(label: str) -> str:
    """A control's label as part of a sentence: "Range of x" → "range of x",
    "a (the number before x²; not 0)" → "value of a"."""
    short = re.sub(r"\s*\(.*\)\s*$", "", label).strip()
    if len(short) <= 2:
        return f"value of {short}"
    return short[0].lower() + short[1:] if not short[:2].isupper() else short

"""Features read from a teacher's prompt: expressions, ranges, numbers, lists, quotes, angles.

`Prompt` normalises the text once and computes each feature lazily, so the planner pays only
for what the winning template asks for. Nothing here evaluates prompt text as code: numbers
are read with regular expressions and maths with `parse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from app.generators.offline.mathexpr import ALIASES, FUNCTIONS, Expr, MathError, parse, parse_number

NUM = r"-?\d+(?:\.\d+)?"
# A constant as teachers write range ends: -2, 3.5, pi, 2pi, -π/2, 2*pi
CONST = r"-?\s*(?:\d+(?:\.\d+)?\s*\*?\s*(?:pi|π)?|(?:pi|π))(?:\s*/\s*\d+)?"

_SMART = {"“": '"', "”": '"', "‘": "'", "’": "'", "−": "-", "–": "-", "—": " - ", "π": "pi"}
_QUOTED_DOUBLE = re.compile(r'"([^"\n]{1,120})"')
_QUOTED_SINGLE = re.compile(r"(?:^|(?<=[\s:(]))'([^'\n]{1,120})'(?=$|[\s,.;:!?)])")

# Spoken maths, rewritten before looking for an expression.
SPOKEN = [  # read by leftover.py too: spoken maths counts as used
    (re.compile(r"\bsquared\b"), "^2"),
    (re.compile(r"\bcubed\b"), "^3"),
    (re.compile(r"\b(?:raised )?to the (?:power of )?(\d+)(?:st|nd|rd|th)?(?: power)?\b"), r"^\1"),
    (re.compile(r"\bsquare root of\b"), "sqrt "),
    (re.compile(r"\bnatural log(?:arithm)? of\b"), "ln "),
    (re.compile(r"\blog(?:arithm)? of\b"), "ln "),
    (re.compile(r"\be to the (?:power of )?(-?\s*\d*x)\b"), r"e^(\1)"),
    (re.compile(r"\bsine of\b"), "sin "),
    (re.compile(r"\bcosine of\b"), "cos "),
    (re.compile(r"\bsin of\b"), "sin "),
    (re.compile(r"\bcos of\b"), "cos "),
    (re.compile(r"\babsolute value of\b"), "abs "),
    (re.compile(r"(?<=[\dx)])\s+(?:over|divided by)\s+(?=[\dx(])"), " / "),
    (re.compile(r"(?<=[\dx)])\s+times\s+(?=[\dx(])"), " * "),
    (re.compile(r"(?<=[\dx)2])\s+plus\s+(?=[\dx(])"), " + "),
    (re.compile(r"(?<=[\dx)2])\s+minus\s+(?=[\dx(])"), " - "),
    # x-axis, x-intercept, x-value are words, not maths
    (re.compile(r"\b([xy])-(axis|axes|intercepts?|values?|coordinates?|direction)\b"), r"\1\2"),
]
# "f(x) =", "y =", "g(x)=": what follows is the expression.
_MARKER = re.compile(r"(?:\b[a-z]\s*\(\s*x\s*\)|\by)\s*=\s*")
# f'(x), f(x) mentioned without "=": not part of an expression.
_FUNCTION_MENTION = re.compile(r"\b[a-z]\s*'*\s*\(\s*x\s*\)|\b[a-z]'+")

_MATH_WORDS = {*FUNCTIONS, *ALIASES, "pi", "x", "e"}
_MATH_WORD = re.compile(r"^(?:(?:" + "|".join(sorted(_MATH_WORDS, key=len, reverse=True)) + r")+)$")
_SPAN_TOKEN = re.compile(r"\d+(?:\.\d+)?|\.\d+|[a-z]+|\*\*|[-+*/^()|²³√]|\s+|.", re.S)

# Named curves for prompts that give no formula ("graph a parabola").
NAMED_CURVES = [
    (r"\bparabola\b|\bquadratic (?:function|curve|graph)\b", "x**2"),
    (r"\bcubic\b", "x**3 - 3*x"),
    (r"\bsine\b|\bsin curve\b|\bsin wave\b", "sin(x)"),
    (r"\bcosine\b|\bcos curve\b|\bcos wave\b", "cos(x)"),
    (r"\btangent function\b|\btan curve\b", "tan(x)"),
    (r"\bexponential\b", "exp(x)"),
    (r"\blogarithm|\blog curve\b|\bnatural log\b", "log(x)"),
    (r"\bsquare root\b", "sqrt(x)"),
    (r"\babsolute value\b", "abs(x)"),
    (r"\bhyperbola\b|\breciprocal\b", "1/x"),
    # Only a line as the curve itself: not a tangent, secant or number line.
    (
        r"\bstraight line\b|\blinear (?:function|graph|equation)\b"
        r"|\b(?:graph|plot|draw) (?:a|the) line\b",
        "2*x + 1",
    ),
]


@dataclass(frozen=True)
class FoundExpression:
    expr: Expr
    source: str  # the prompt text it came from
    marked: bool  # it followed "y =" or "f(x) ="


def normalise(text: str) -> str:
    text = text.strip()
    for old, new in _SMART.items():
        text = text.replace(old, new)
    return re.sub(r"\s+", " ", text.lower())


def spoken_math(text: str) -> str:
    for pattern, replacement in SPOKEN:
        text = pattern.sub(replacement, text)
    return text


def to_number(text: str) -> float | None:
    try:
        return parse_number(text.replace(" ", ""))
    except MathError:
        return None


class Prompt:
    """A prompt with its features computed on demand."""

    def __init__(self, raw: str) -> None:
        self.raw = raw.strip()
        self.text = normalise(raw)

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.text) is not None

    def search(self, pattern: str) -> re.Match[str] | None:
        return re.search(pattern, self.text)

    # ------------------------------------------------------------ text

    @cached_property
    def quoted(self) -> list[str]:
        """Quoted phrases in their original case: "Photosynthesis", 'Cell parts'."""
        raw = self.raw
        for old, new in _SMART.items():
            if old in "“”‘’":
                raw = raw.replace(old, new)
        found = _QUOTED_DOUBLE.findall(raw) + _QUOTED_SINGLE.findall(raw)
        return [q.strip() for q in found if q.strip()]

    # ------------------------------------------------------------ numbers

    @cached_property
    def numbers(self) -> list[float]:
        """Every number in order; a minus sign counts only when it is not subtraction."""
        values = []
        for match in re.finditer(r"(?<![\w.])(-\s?)?(\d+(?:\.\d+)?)", self.text):
            sign, digits = match.groups()
            before = self.text[: match.start()].rstrip()
            negative = bool(sign) and not (before and (before[-1].isalnum() or before[-1] == ")"))
            values.append(-float(digits) if negative else float(digits))
        return values

    @cached_property
    def number_list(self) -> list[float] | None:
        """An explicit list: [9, 3, 7], (5, 1, 4), 5, 1, 4 and 2, or 5 1 4 2 8."""
        bracketed = re.search(rf"[\[({{]\s*({NUM}(?:\s*[,;]\s*{NUM})+)\s*[\])}}]", self.text)
        if bracketed:
            return [float(v) for v in re.findall(NUM, bracketed.group(1))]
        listed = re.search(
            rf"(?<![\w.]){NUM}(?:\s*,\s*{NUM}){{2,}}(?:\s*,?\s*(?:and|&)\s+{NUM})?", self.text
        )
        if not listed:
            listed = re.search(rf"(?<![\w.,-]){NUM}(?:\s*,?\s*(?:and|&)\s+{NUM})", self.text)
            if listed and len(re.findall(NUM, listed.group(0))) < 2:
                listed = None
        if not listed:
            listed = re.search(rf"(?<![\w.]){NUM}(?:\s+{NUM}){{3,}}(?![\w.])", self.text)
        if listed:
            return [float(v) for v in re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?", listed.group(0))]
        return None

    def number_after(self, pattern: str) -> float | None:
        """The number right after a phrase: number_after(r"radius (?:of )?") → 3."""
        match = re.search(rf"(?:{pattern})\s*(?:=|:|is|of)?\s*({CONST})(?![\d.])", self.text)
        return to_number(match.group(1)) if match else None

    def number_before(self, pattern: str) -> float | None:
        """The number right before a word: number_before(r"rectangles") → 8."""
        match = re.search(rf"({NUM})\s*(?:{pattern})", self.text)
        return float(match.group(1)) if match else None

    @cached_property
    def angle_deg(self) -> float | None:
        match = re.search(rf"({NUM})\s*(?:°|degrees?\b|degs?\b|º)", self.text)
        if match:
            return float(match.group(1))
        match = re.search(rf"\bangle (?:of )?({NUM})\b", self.text)
        return float(match.group(1)) if match else None

    # ------------------------------------------------------------ maths

    @cached_property
    def x_range(self) -> tuple[float, float] | None:
        """[-2, 2], (0, 2pi), from -2 to 2, between 0 and 3, -1 < x < 1, x from 0 to pi."""
        text = self.text
        patterns = [
            rf"[\[(]\s*({CONST})\s*,\s*({CONST})\s*[\])]",
            rf"\bfrom\s+(?:x\s*=\s*)?({CONST})\s+(?:to|until|through|till)\s+(?:x\s*=\s*)?({CONST})",
            rf"\bbetween\s+(?:x\s*=\s*)?({CONST})\s+and\s+(?:x\s*=\s*)?({CONST})",
            rf"({CONST})\s*(?:<=|<|≤)\s*x\s*(?:<=|<|≤)\s*({CONST})",
            rf"\bx\s*(?:=|from)?\s*({CONST})\s*(?:to|\.\.)\s*({CONST})(?![\d.])",
            rf"\bon\s+({CONST})\s+to\s+({CONST})",
        ]
        for pattern in patterns:
            for match in re.finditer(pattern, text):
                low, high = to_number(match.group(1)), to_number(match.group(2))
                if low is not None and high is not None and low < high:
                    return (low, high)
        return None

    @cached_property
    def expression(self) -> FoundExpression | None:
        """The most likely expression in x: after "y =" if there is one, else the longest."""
        text = spoken_math(self.text)
        marked_from = None
        marker = _MARKER.search(text)
        if marker:
            marked_from = marker.end()
            text = (
                text[: marker.start()]
                + " " * (marker.end() - marker.start())
                + text[marker.end() :]
            )
        text = _FUNCTION_MENTION.sub(lambda m: " " * len(m.group(0)), text)
        candidates: list[tuple[int, int, FoundExpression]] = []
        for start, source in _math_spans(text):
            expr = _parse_span(source)
            if expr is None or not expr.has_x:
                continue
            marked = marked_from is not None and start >= marked_from and start - marked_from < 3
            candidates.append((marked, len(expr.text), FoundExpression(expr, source, marked)))
        if not candidates:
            return None
        return max(candidates, key=lambda c: (c[0], c[1]))[2]

    @cached_property
    def equation(self) -> tuple[Expr, Expr] | None:
        """An equation in x to solve: "2x + 3 = 11", "x^2 - 5x + 6 = 0", "3(x - 2) = x + 4"."""
        text = spoken_math(self.text)
        text = re.sub(r"\b(?:solve|for x|equation|find x)\b", " ", text)
        text = _MARKER.sub(" ; ", text)  # "y = ..." and "f(x) = ..." define, they do not solve
        for match in re.finditer(r"(?<![<>=!])=(?!=)", text):
            left_spans = _math_spans(text[: match.start()])
            right_spans = _math_spans(text[match.end() :])
            if not left_spans or not right_spans:
                continue
            left_start, left_source = left_spans[-1]
            if text[left_start + len(left_source) : match.start()].strip():
                continue  # words between the maths and "="
            right_start, right_source = right_spans[0]
            if text[match.end() : match.end() + right_start].strip():
                continue
            left = _parse_span(left_source, keep="right")
            right = _parse_span(right_source, keep="left")
            if left is None or right is None or not (left.has_x or right.has_x):
                continue
            return left, right
        return None

    @cached_property
    def named_curve(self) -> str | None:
        for pattern, expression in NAMED_CURVES:
            if self.has(pattern):
                return expression
        return None


def _math_spans(text: str) -> list[tuple[int, str]]:
    """Maximal runs of maths-looking tokens (numbers, x, operators, function names)."""
    spans: list[tuple[int, str]] = []
    start: int | None = None
    end = 0
    for match in _SPAN_TOKEN.finditer(text):
        token = match.group(0)
        is_math = (
            token.isspace()
            or token[0].isdigit()
            or (token[0] == "." and len(token) > 1)
            or token in "+-*/^()|²³√**"
            or bool(_MATH_WORD.match(token))
        )
        if is_math:
            if start is None and not token.isspace():
                start = match.start()
            if not token.isspace():
                end = match.end()
        elif start is not None:
            spans.append((start, text[start:end]))
            start = None
    if start is not None:
        spans.append((start, text[start:end]))
    return spans


def _parse_span(source: str, keep: str = "") -> Expr | None:
    """Parse a span, trimming stray tokens at either end until it reads as maths.

    keep="right" never trims the right end (the side touching "="), keep="left" the left end.
    """
    words = re.findall(r"\S+", source)
    right_trims = 1 if keep == "right" else min(len(words), 4)
    left_trims = 1 if keep == "left" else 3
    for trim_right in range(right_trims):
        for trim_left in range(min(len(words) - trim_right, left_trims)):
            piece = " ".join(words[trim_left : len(words) - trim_right]).strip(" +*/^")
            piece = piece.rstrip("-")
            if not piece:
                continue
            piece = _balance(piece)
            try:
                return parse(piece)
            except MathError:
                continue
    return None


def _balance(piece: str) -> str:
    """Drop unmatched parentheses at the ends ("(x^2" from "(x^2, ...")."""
    while piece.startswith("(") and piece.count("(") > piece.count(")"):
        piece = piece[1:]
    while piece.endswith(")") and piece.count(")") > piece.count("("):
        piece = piece[:-1]
    return piece.strip()

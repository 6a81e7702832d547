"""A template's parameters as form controls: each one's kind, label and limits.

Every template module declares CONTROLS = {parameter: control} with one entry per key of its
DEFAULTS. The Create page draws a form from it (a slider or number box per Number, a text field
per Expression, ...), and the refiner reads it to know which words can change which parameter.
The template's validate() stays the one authority on what is accepted; tests keep the two in
step (each control's limits are accepted by validate(), a value just past them is refused).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Number:
    """A single number in [low, high]; `step` is the slider's step, `unit` its suffix."""

    label: str
    low: float
    high: float
    step: float | None = None
    integer: bool = False
    unit: str = ""


@dataclass(frozen=True)
class NumberList:
    """A list of numbers, each in [low, high], with min_items..max_items entries."""

    label: str
    low: float
    high: float
    min_items: int
    max_items: int
    integers: bool = False


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of options; `labels` says each in words for the form."""

    label: str
    options: tuple[str, ...]
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expression:
    """A function of x, written as a teacher would type it (x^2 - 4x + 3)."""

    label: str


@dataclass(frozen=True)
class Formula:
    """Maths the template reads itself, typed as text: an equation (2x + 3 = 11) or a sum
    (-3 + 5). `example` shows the form it takes."""

    label: str
    example: str


@dataclass(frozen=True)
class Range:
    """Two numbers [start, end] with start < end, both within ±limit."""

    label: str
    limit: float = 100.0


@dataclass(frozen=True)
class Text:
    """Free text shown on screen (a title, an equation, a label), at most max_length."""

    label: str
    max_length: int
    allow_empty: bool = False


@dataclass(frozen=True)
class TextList:
    """A list of short texts (labels, bullet points, fractions like 1/2)."""

    label: str
    max_length: int
    min_items: int
    max_items: int


@dataclass(frozen=True)
class Matrix:
    """A rows × columns matrix of numbers in [low, high]."""

    label: str
    rows: int
    columns: int
    low: float
    high: float


@dataclass(frozen=True)
class Vectors:
    """min_items..max_items vectors (x, y), each component in [low, high], none of them zero."""

    label: str
    low: float
    high: float
    min_items: int
    max_items: int


@dataclass(frozen=True)
class Sets:
    """min_sets..max_sets named sets of short items (a Venn diagram): each name at most
    name_length characters, each item at most item_length, max_items different items in all."""

    label: str
    min_sets: int
    max_sets: int
    name_length: int
    item_length: int
    max_items: int


@dataclass(frozen=True)
class Toggle:
    """On or off (show the steps, label the roots)."""

    label: str


Control = (
    Number
    | NumberList
    | Choice
    | Expression
    | Formula
    | Range
    | Text
    | TextList
    | Matrix
    | Vectors
    | Sets
    | Toggle
)

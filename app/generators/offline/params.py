"""Validate template parameters; every failure is a ChalkError("generation") a teacher can act on.

Parameters come from the planner or straight from a user (the UI's template form, the CLI), so
each helper accepts loose input ("3", 3, 3.0) and returns a clean, bounded value.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from app.errors import ChalkError
from app.generators.offline.mathexpr import Expr, MathError, format_number, parse, parse_number


def fail(message: str) -> ChalkError:
    return ChalkError("generation", message)


def number(
    value: object,
    name: str,
    *,
    low: float,
    high: float,
    integer: bool = False,
) -> float | int:
    """A finite number in [low, high]; text like "2pi" is read with the maths parser."""
    if isinstance(value, bool):
        raise fail(f"'{name}' must be a number.")
    if isinstance(value, str):
        text = value
        try:
            value = parse_number(text)
        except MathError:
            raise fail(f"'{name}' must be a number, not '{text[:40]}'.") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(f"'{name}' must be a number.")
    if integer:
        if float(value) != round(float(value)):
            raise fail(f"'{name}' must be a whole number.")
        value = round(float(value))
    if not low <= value <= high:
        shown_low = format_number(low)
        shown_high = format_number(high)
        raise fail(f"'{name}' must be between {shown_low} and {shown_high}.")
    return value if integer else float(value)


def integer(value: object, name: str, *, low: int, high: int) -> int:
    return int(number(value, name, low=low, high=high, integer=True))


def number_list(
    value: object,
    name: str,
    *,
    low: float,
    high: float,
    min_items: int,
    max_items: int,
    integers: bool = False,
) -> list:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s;]+", value.strip(" []()")) if v]
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise fail(f"'{name}' must be a list of numbers.")
    if not min_items <= len(value) <= max_items:
        raise fail(f"'{name}' needs between {min_items} and {max_items} numbers.")
    return [number(v, name, low=low, high=high, integer=integers) for v in value]


def choice(value: object, name: str, options: Sequence[str], aliases: dict | None = None) -> str:
    key = str(value).strip().lower()
    key = (aliases or {}).get(key, key)
    if key not in options:
        raise fail(f"'{name}' must be one of {', '.join(options)}.")
    return key


def expression(value: object, name: str = "expression") -> Expr:
    if isinstance(value, Expr):
        return value
    if not isinstance(value, str) or not value.strip():
        raise fail(f"'{name}' must be an expression in x, like x**2 - 4*x + 3.")
    try:
        expr = parse(value)
    except MathError as exc:
        raise fail(str(exc)) from None
    if not expr.has_x:
        raise fail(f"'{name}' must use x, like x**2 - 4*x + 3.")
    return expr


def x_range(value: object, name: str = "x_range", *, limit: float = 100.0) -> list[float]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;]", value.strip(" []()")) if v.strip()]
    if not isinstance(value, Sequence) or len(value) != 2:
        raise fail(f"'{name}' must be two numbers [min, max].")
    low = number(value[0], name, low=-limit, high=limit)
    high = number(value[1], name, low=-limit, high=limit)
    if high - low < 0.1:
        raise fail(f"'{name}' must go from a smaller number to a larger one, like [-2, 2].")
    return [float(low), float(high)]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text(value: object, name: str, *, max_length: int, allow_empty: bool = False) -> str:
    """Plain text for Text() labels: no control characters, no double underscores, bounded."""
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise fail(f"'{name}' must be text.")
    cleaned = unicodedata.normalize("NFC", str(value))
    cleaned = _CONTROL.sub(" ", cleaned)
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) not in ("Cs", "Co", "Cn"))
    cleaned = re.sub(r"_{2,}", "_", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if not cleaned and not allow_empty:
        raise fail(f"'{name}' must not be empty.")
    if len(cleaned) > max_length:
        cleaned = cleaned[: max_length - 1].rstrip() + "…"
    return cleaned


def text_list(
    value: object, name: str, *, max_length: int, min_items: int, max_items: int
) -> list[str]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[;\n]|,\s*", value) if v.strip()]
    if not isinstance(value, Sequence):
        raise fail(f"'{name}' must be a list of text.")
    items = [text(v, name, max_length=max_length) for v in value]
    if not min_items <= len(items) <= max_items:
        raise fail(f"'{name}' needs between {min_items} and {max_items} items.")
    return items


def no_unknown(params: dict, defaults: dict, template_id: str) -> None:
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        allowed = ", ".join(defaults) or "no parameters"
        raise fail(
            f"The {template_id} template has no parameter '{unknown[0]}'; it takes {allowed}."
        )

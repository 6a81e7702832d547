"""The values of a template-made video as a form: change one, press Render, get a new version.

Each parameter's control (the template's CONTROLS) becomes a widget pre-filled with the video's
value, with its limits in words as help. The template's validate() stays the judge: the form
hands over what the teacher typed, and a value it refuses shows the template's one sentence
beside the form, submitting nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from app.errors import ChalkError
from app.generators import Generation
from app.generators.offline import render_template
from app.generators.offline.catalogue import registry
from app.generators.offline.controls import (
    Choice,
    Control,
    Expression,
    Formula,
    Matrix,
    Number,
    NumberList,
    Range,
    Sets,
    Text,
    TextList,
    Toggle,
    Vectors,
)
from app.ui import formatting

SLIDER_STEPS = 200
"""A Number with at most this many steps between its limits is a slider, else a number box."""
SHORT_ITEM = 24
"""List items up to this long are typed on one line with commas; longer ones, one per line."""
SAME_VALUES = "These are the values this video already has; change one and press Render."


def has_values(template_id: str | None) -> bool:
    """Whether videos of this template have values to change (a template with parameters)."""
    template = registry().get(template_id or "")
    return template is not None and bool(template.controls)


def change_values(
    *, template_id: str, params: dict[str, Any], key: str, submit: Callable[[Generation], None]
) -> None:
    """The "Change the values" section: the form, and on Render a new job through `submit`
    (the page's, with the video's quality and aspect), then a rerun to follow it."""
    if not has_values(template_id):
        return
    template = registry()[template_id]
    st.header("Change the values", anchor=False)
    st.caption("Change any value and press Render: Chalk makes a new version of this video.")
    with st.form(key, border=True):
        given = {
            name: _widget(control, params.get(name, template.defaults[name]), f"{key}_{name}")
            for name, control in template.controls.items()
        }
        pressed = st.form_submit_button("Render", type="primary", icon=":material/replay:")
    if not pressed:
        return
    try:
        made = render_template(template_id, given)
    except ChalkError as exc:
        st.error(formatting.literal(exc.message), icon=":material/error:")
        return
    if made.params == params:
        st.info(SAME_VALUES, icon=":material/info:")
        return
    submit(made)
    st.rerun()


def limits_text(control: Control) -> str:
    """The control's limits in words, for its help."""
    match control:
        case Number():
            unit = control.unit if control.unit in ("", "°") else f" {control.unit}"
            whole = " Whole numbers only." if control.integer else ""
            return f"From {_plain(control.low)} to {_plain(control.high)}{unit}.{whole}"
        case NumberList():
            return (
                f"{_count(control.min_items, control.max_items, 'number')}, each from "
                f"{_plain(control.low)} to {_plain(control.high)}, separated by commas."
            )
        case Choice():
            return f"One of: {', '.join(control.labels or control.options)}."
        case Expression():
            return "A function of x, like x^2 - 4x + 3 or sin(x)/x."
        case Formula():
            return f"Like {control.example}."
        case Range():
            limit = _plain(control.limit)
            return f"Two numbers from -{limit} to {limit}, the first smaller."
        case Text():
            return f"Up to {control.max_length} characters."
        case TextList():
            how = "separated by commas" if control.max_length <= SHORT_ITEM else "one per line"
            items = _count(control.min_items, control.max_items, "item")
            return f"{items} of up to {control.max_length} characters, {how}."
        case Matrix():
            return f"Each number from {_plain(control.low)} to {_plain(control.high)}."
        case Vectors():
            return (
                f"{_count(control.min_items, control.max_items, 'vector')}, each two numbers "
                f"x, y from {_plain(control.low)} to {_plain(control.high)}, not both 0; leave "
                "a box empty for fewer."
            )
        case Sets():
            return (
                f"{_count(control.min_sets, control.max_sets, 'set')}: names up to "
                f"{control.name_length} characters, items up to {control.item_length}, "
                f"separated by commas, at most {control.max_items} different items in all."
            )
        case Toggle():
            return "On or off."
    return ""


def _widget(control: Control, value: Any, key: str) -> Any:
    """Draw one control pre-filled with `value`; returns what the teacher gave, loosely typed
    (text where validate() reads text) for the template to check."""
    help_text = limits_text(control)
    match control:
        case Number():
            return _number(control, value, key, help_text)
        case Choice():
            names = dict(zip(control.options, control.labels or control.options, strict=True))
            options = list(control.options)
            return st.selectbox(
                control.label,
                options,
                index=options.index(value) if value in options else 0,
                format_func=lambda option: names.get(option, option),
                key=key,
                help=help_text,
            )
        case Expression() | Formula():
            return st.text_input(control.label, str(value), key=key, help=help_text)
        case Text():
            return st.text_input(
                control.label, str(value), max_chars=control.max_length, key=key, help=help_text
            )
        case Range():
            return _range(control, value, key, help_text)
        case NumberList():
            return st.text_input(control.label, _listed(value), key=key, help=help_text)
        case TextList():
            if control.max_length <= SHORT_ITEM:
                typed = st.text_input(control.label, ", ".join(value), key=key, help=help_text)
                return _items(typed, ",")
            typed = st.text_area(control.label, "\n".join(value), key=key, help=help_text)
            return _items(typed, "\n")
        case Matrix():
            return _matrix(control, value, key, help_text)
        case Vectors():
            return _vectors(control, value, key, help_text)
        case Sets():
            return _sets(control, value, key, help_text)
        case Toggle():
            return st.toggle(control.label, bool(value), key=key, help=help_text)
    raise TypeError(f"The values form has no widget for {type(control).__name__} controls.")


def _number(control: Number, value: Any, key: str, help_text: str) -> float | int:
    step = control.step or (1 if control.integer else 0.1)
    cast: Callable[[Any], float | int] = int if control.integer else float
    # Widen the widget for a value from elsewhere (a prompt, older limits) so it still shows;
    # validate() decides whether it is kept.
    low, high = cast(min(control.low, value)), cast(max(control.high, value))
    if (control.high - control.low) / step <= SLIDER_STEPS:
        chosen = st.slider(
            control.label, low, high, cast(value), cast(step), key=key, help=help_text
        )
    else:
        chosen = st.number_input(
            control.label,
            low,
            high,
            cast(value),
            cast(step),
            format=None if control.integer else "%g",
            key=key,
            help=help_text,
        )
    if control.integer:
        return chosen
    # A slider's float steps add up with rounding noise (0.30000000000000004), so the choice
    # is rounded; a value the widget cannot hold exactly (e from "ln 5") is kept as it was
    # when the teacher left it alone.
    chosen = round(float(chosen), 9)
    return value if chosen == round(float(value), 9) else chosen


def _range(control: Range, value: list[float], key: str, help_text: str) -> list[float]:
    start_col, end_col = st.columns(2)
    low, high = -float(control.limit), float(control.limit)
    start = start_col.number_input(
        f"{control.label}: from",
        min(low, value[0]),
        max(high, value[0]),
        float(value[0]),
        format="%g",
        key=f"{key}_start",
        help=help_text,
    )
    end = end_col.number_input(
        f"{control.label}: to",
        min(low, value[1]),
        max(high, value[1]),
        float(value[1]),
        format="%g",
        key=f"{key}_end",
        help=help_text,
    )
    return [start, end]


def _matrix(control: Matrix, value: list[list[float]], key: str, help_text: str) -> list:
    st.markdown(f"**{control.label}**", help=help_text)
    rows = []
    for r in range(control.rows):
        cells = []
        for c, column in enumerate(st.columns(control.columns)):
            current = float(value[r][c])
            cells.append(
                column.number_input(
                    f"Row {r + 1}, column {c + 1}",
                    float(min(control.low, current)),
                    float(max(control.high, current)),
                    current,
                    format="%g",
                    key=f"{key}_{r}_{c}",
                )
            )
        rows.append(cells)
    return rows


def _vectors(control: Vectors, value: list[list[float]], key: str, help_text: str) -> list:
    typed = [
        st.text_input(
            f"{control.label}: vector {index + 1}",
            _listed(value[index]) if index < len(value) else "",
            key=f"{key}_{index}",
            help=help_text,
        )
        for index in range(control.max_items)
    ]
    return [re.split(r"[,;\s]+", text.strip(" ()[]")) for text in typed if text and text.strip()]


def _sets(control: Sets, value: list[dict], key: str, help_text: str) -> list:
    given = []
    for index in range(control.max_sets):
        current = value[index] if index < len(value) else {"name": "", "items": []}
        name_col, items_col = st.columns([1, 2])
        name = name_col.text_input(
            f"Set {index + 1}: name",
            current["name"],
            max_chars=control.name_length,
            key=f"{key}_{index}_name",
            help=help_text,
        )
        items = items_col.text_input(
            f"Set {index + 1}: items",
            ", ".join(current["items"]),
            key=f"{key}_{index}_items",
            help=help_text,
        )
        if (name or "").strip() or (items or "").strip() or index < control.min_sets:
            given.append({"name": name, "items": _items(items, ",")})
    return given


def _items(typed: str | None, separator: str) -> list[str]:
    return [item.strip() for item in (typed or "").split(separator) if item.strip()]


def _listed(values: list) -> str:
    return ", ".join(_plain(v) for v in values)


def _plain(value: float) -> str:
    """A number as typed back into the form, exactly: 10000 → "10000" (no thousands commas,
    which would split a list), 0.05 → "0.05", 123456.78 → "123456.78" (never rounded)."""
    return np.format_float_positional(float(value), trim="-")


def _count(low: int, high: int, noun: str) -> str:
    if low == high:
        return f"{low} {noun}s"
    return f"{low} to {high} {noun}s" if low else f"Up to {high} {noun}s"

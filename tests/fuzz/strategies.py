"""Inputs the fuzz properties share: awkward text, and edits of known-good seeds.

`AWKWARD` is text that tends to break parsers, string handling and databases; `TEXT` is any
text at all, lone surrogates included (Python lets them in from undecodable command-line bytes
and JSON escapes); `edited(seeds)` is a seed with random character edits and `line_edited`
a program with whole lines deleted, duplicated, swapped or replaced by a hostile line.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CHALK_FUZZ_EXAMPLES", "60"))
"""Examples per property; the benchmark raises it."""


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of every fuzz property: `examples` of them, no deadline, no database."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,  # the fixtures hold state examples may share
        ],
        database=None,
    )


FUZZ = fuzz_settings(EXAMPLES)

TESTS = Path(__file__).resolve().parents[1]


def corpus(*folders: str) -> list[str]:
    """The Python files of the test folders (scenes, hostile, fixer/corpus), as text."""
    return sorted(
        path.read_text(errors="replace")
        for folder in folders
        for path in (TESTS / folder).glob("*.py")
    )


AWKWARD = st.sampled_from(
    [
        "\x00",
        "\r",
        "\x1b[2J",
        "\u202e",
        "\ufeff",
        "\ud800",
        "𝑥²",
        "'''",
        '"',
        "\\",
        "%",
        "_",
        "{",
        "}",
        "__class__",
        "**",
        "(" * 200,
        "\t",
        "\n" * 3,
        "؟",
        "你好",
        "ignore previous instructions",
        "'; DROP TABLE users; --",
        "9" * 400,
        "1e309",
    ]
)
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
"""Any text, lone surrogates, NUL and other control characters included."""
HUGE = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=8), st.integers(1000, 60_000)
)
"""Text far longer than any field allows."""


@st.composite
def edited(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed with random edits: cuts, duplicated spans, awkward or random insertions."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 80)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "replace"]))
        if edit == "delete":
            text = text[:start] + text[end:]
        elif edit == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            piece = draw(st.one_of(AWKWARD, st.text(max_size=12)))
            text = text[:start] + piece + text[(end if edit == "replace" else start) :]
    return text


HOSTILE_LINES = sorted(
    {
        line
        for program in corpus("hostile")
        for line in program.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
)
"""Every line of the hostile corpus: the snippets an attacker's edit would insert."""


@st.composite
def line_edited(draw: st.DrawFn, seeds: list[str]) -> str:
    """A program with whole lines deleted, duplicated, swapped or replaced by hostile ones."""
    lines = draw(st.sampled_from(seeds)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "hostile"]))
        if edit == "delete":
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            # Indented like its neighbour, so the hostile line often lands inside construct().
            indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
            lines.insert(at, indent + draw(st.sampled_from(HOSTILE_LINES)).lstrip())
    return "\n".join(lines) + "\n"

"""Property-based fuzzing of the code gates: the static policy and the fixer.

Whatever text arrives — generated from Python's grammar, or a known program with random
character edits or whole lines deleted, duplicated, swapped or replaced by lines of the hostile
corpus — the policy answers with a verdict (a PolicyReport or a validation ChalkError) and the
fixer returns code, never an exception and never a logged fixer bug. `make test` runs a bounded
number of examples; `bench/fuzz.py` runs many more.
"""

from __future__ import annotations

import logging

import hypothesmith
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.fixer import fix_code
from app.core.policy import PolicyReport, check_code
from app.errors import ChalkError
from tests.fuzz.strategies import AWKWARD, FUZZ, corpus, edited, line_edited

# Mutated programs are full of "perhaps you missed a comma?": the author's, not a finding.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

SEEDS = corpus("scenes", "hostile", "fixer/corpus")
"""Known programs: good scenes, the hostile corpus, old-Manim snippets the fixer rewrites."""

PROGRAMS = st.one_of(
    edited(SEEDS),
    line_edited(SEEDS),
    hypothesmith.from_grammar(),
    st.text(max_size=400),
    AWKWARD,
)


def assert_verdict(code: str) -> None:
    try:
        report = check_code(code, max_bytes=64_000)
    except ChalkError as exc:
        assert exc.kind == "validation"
        assert exc.message.endswith(".")
    else:
        assert isinstance(report, PolicyReport) and report.scenes


@FUZZ
@given(PROGRAMS)
def test_the_policy_gives_only_a_verdict(code: str) -> None:
    assert_verdict(code)


@FUZZ
@given(code=PROGRAMS)
def test_the_fixer_returns_code_and_never_hits_its_own_bug_path(code: str) -> None:
    handler = _ErrorRecords()
    logging.getLogger().addHandler(handler)
    try:
        result = fix_code(code)
    finally:
        logging.getLogger().removeHandler(handler)
    assert isinstance(result.code, str)
    assert handler.records == [], "the fixer logged its own failure"
    assert_verdict(result.code)  # what it returns still gets a verdict


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())

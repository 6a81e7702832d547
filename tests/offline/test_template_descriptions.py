"""Every template describes its video (its text alternative) for every parameter set it is
tested with: plain sentences a screen reader reads well, no code, no LaTeX, no colour names
(colour never carries the meaning alone, so the words say it otherwise). The values in each
template's sentences are checked against hand-worked answers in tests/offline/test_describe_*.py,
and against what the video really shows in tests/offline/test_render_templates.py."""

from __future__ import annotations

import re

import pytest

from app.generators.offline import render_template
from app.generators.offline.catalogue import registry

CASES = [(t, p) for t, template in registry().items() for p in [None, *template.variants]]
CODE = re.compile(r"\*\*|np\.|\\|\{|\}|\$")
COLOURS = re.compile(r"\b(?:red|green|blue|yellow|orange|purple|grey|gray|teal|pink|gold)\b", re.I)


@pytest.mark.parametrize(("template_id", "params"), CASES)
def test_every_description_is_plain_sentences(template_id: str, params: dict | None) -> None:
    sentences = render_template(template_id, params).description
    assert 1 <= len(sentences) <= 20
    for sentence in sentences:
        assert sentence.endswith((".", "?", "!")), sentence
        assert sentence[0].isalnum() or sentence[0] in "“(√-", sentence
        assert not CODE.search(sentence), sentence
        assert not COLOURS.search(sentence), sentence

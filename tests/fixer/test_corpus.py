"""The fixer corpus: old-API snippets that fail on Manim Community as they are and render after
`fix_code`. Each file names the rules it needs in an `# expect:` header line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.fixer import fix_code
from app.core.render import render_code
from app.errors import ChalkError

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.py"))
EXPECT = re.compile(r"^# expect: (.+)$", re.MULTILINE)


def expected_rules(code: str) -> set[str]:
    match = EXPECT.search(code)
    if match is None:
        return {"markdown-fence"}
    return {rule.strip() for rule in match.group(1).split(",")}


def test_the_corpus_has_at_least_30_snippets():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_snippet_needs_the_rules_it_names(path):
    code = path.read_text()
    result = fix_code(code)
    assert expected_rules(code) <= {fix.rule for fix in result.fixes}
    assert result.code != code


@pytest.mark.render
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_snippet_fails_as_is_and_renders_after_the_fixer(path, warm_settings, tmp_path):
    settings = warm_settings  # one warm sandbox for the whole corpus
    code = path.read_text()
    with pytest.raises(ChalkError) as err:
        render_code(code, settings=settings, out=tmp_path / "before.mp4")
    assert err.value.kind in ("validation", "render")
    assert not (tmp_path / "before.mp4").exists()

    rendered = render_code(fix_code(code).code, settings=settings, out=tmp_path / "after.mp4")
    assert rendered.codec == "h264"
    assert (rendered.width, rendered.height) == (854, 480)
    assert 5 <= rendered.frames <= 45  # 0.5–2 s at 15 fps
    assert rendered.video.stat().st_size > 1000 and rendered.thumbnail.exists()

"""What a teacher typed (titles, prompts, comments) is shown literally: no image, link, HTML,
directive or formula reaches the browser, on the pages an anonymous watcher opens too."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from app import events
from app.ui.formatting import WORD_JOINER, literal
from tests.helpers import make_account
from tests.ui.conftest import app_test, seed_video, teacher_id, texts

TITLE = "![x](http://evil/p.png) [click](http://evil) <img src=x>"
PROMPT = "<http://evil/a> www.evil.com a@evil.io :red[boo] :material/bolt: $x$ **bold**"
COMMENT = "[more](http://evil/c) ![y](http://evil/q.png)"

_COMMONMARK = MarkdownIt("commonmark")
# What Streamlit adds to CommonMark: remark-gfm links bare URLs and emails in the text (after
# escapes are resolved), its directives colour text or draw icons, remark-math reads $…$.
_BARE_LINK = re.compile(r"(https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.I)
_STREAMLIT_SYNTAX = re.compile(r"(?<!\\)(:(red|material)\b|\$)")


def markup(source: str) -> list[str]:
    """What a browser would fetch, link or interpret in `source` shown by st.markdown."""
    found = [m.group() for m in _STREAMLIT_SYNTAX.finditer(source)]
    for block in _COMMONMARK.parse(source):
        if block.type == "html_block":
            found.append(block.content)
        for token in block.children or []:
            if token.type in ("image", "link_open", "html_inline"):
                found.append(token.type)
            elif token.type == "text":
                found += [m.group() for m in _BARE_LINK.finditer(token.content)]
    return found


def shown_as_markdown(at) -> list[str]:
    """Every string the page hands Streamlit's Markdown renderer."""
    groups = (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.toast,
        at.success,
        at.info,
    )
    return [text for group in groups for text in texts(group)] + [b.label for b in at.button]


def typed_text_is_inert(at, *typed: str) -> None:
    """Each typed string is on the page, as typed, and nothing in it is markup."""
    sources = shown_as_markdown(at)
    for text in typed:
        escaped = literal(text)
        assert any(escaped in source for source in sources), text
    for source in sources:
        if "evil" in source:  # the typed text (the page's own icons are fine)
            assert markup(source) == [], source


@pytest.mark.parametrize("text", [TITLE, PROMPT, COMMENT, "1. # - > | ~ \\ ` _"])
def test_literal_text_renders_as_typed_and_nothing_else(text):
    escaped = literal(text)
    assert markup(escaped) == []
    [paragraph] = [t for t in _COMMONMARK.parse(escaped) if t.type == "inline"]
    assert paragraph.content.replace(WORD_JOINER, "") != text  # it was escaped…
    rendered = "".join(c.content for c in paragraph.children if c.type == "text")
    assert rendered.replace(WORD_JOINER, "") == text  # …and reads exactly as typed


@pytest.mark.parametrize("text", [TITLE, PROMPT, COMMENT])
def test_the_attacks_are_markup_when_not_escaped(text):
    assert markup(text)


def seed_commented_video(settings) -> str:
    """The teacher's video with the attacks as its title and prompt, and a comment on it."""
    video_id = seed_video(settings, title=TITLE, prompt=PROMPT)
    user_id = teacher_id(settings)
    events.record_feedback(
        settings=settings, video_id=video_id, user_id=user_id, rating=1, comment=COMMENT
    )
    return video_id


def test_the_gallery_shows_titles_prompts_and_comments_literally(ui_settings):
    video_id = seed_commented_video(ui_settings)
    at = app_test("pages/gallery.py")
    typed_text_is_inert(at, TITLE, PROMPT, COMMENT)
    at.button(key=f"gallery_delete_{video_id}").click().run()
    typed_text_is_inert(at, TITLE)  # the confirmation names it
    at.button(key="gallery_confirm_delete").click().run()
    assert texts(at.toast) == [f"Deleted “{literal(TITLE)}”."]
    typed_text_is_inert(at)


def test_an_anonymous_watcher_gets_titles_and_prompts_literally(ui_settings):
    seed_video(ui_settings, title=TITLE, prompt=PROMPT, visibility="public", share_token="tok")
    shared = app_test("pages/watch.py", user=None, v="tok")
    typed_text_is_inert(shared, TITLE, PROMPT)
    listed = app_test("pages/watch.py", user=None)
    typed_text_is_inert(listed, TITLE)


def test_the_admin_page_shows_comments_as_plain_table_cells(ui_settings):
    seed_commented_video(ui_settings)
    make_account(ui_settings, "boss", role="admin")
    at = app_test("pages/admin.py", user="boss")
    typed_text_is_inert(at)  # nothing on the page is the comment as Markdown
    # A table cell is text, never Markdown: the comment is there as typed.
    cells = [str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()]
    assert COMMENT in cells

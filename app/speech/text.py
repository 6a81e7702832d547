"""Narration text is untrusted (an LLM or a teacher wrote the scene): clean and cap it before
any engine sees it. It is only ever passed to an engine as data, never to a shell."""

from __future__ import annotations

import html
import re
import unicodedata

from app.core import syntax

MAX_SENTENCE_CHARS = 800
"""One narrate() call's text after cleaning (one visual step: a slide's six bullets fit, as
the templates' own cap in templates/common.py); longer text is cut at a word."""
MAX_SENTENCES = 40
"""narrate() calls spoken per video; later ones are shown silently."""
MAX_TOTAL_CHARS = 4000
"""All the narration of one video together."""

_TAGS = re.compile(r"<[^>]{0,200}>")  # SSML / HTML tags: engines must not read markup
_LATEX = re.compile(r"\\[a-zA-Z]+|[{}$^_\\]")  # what MathTex source leaves in a sentence
# piper reads "[[ ... ]]" as raw phonemes, not words: brackets are not speech.
_PHONEME_BLOCK = re.compile(r"\[\[|\]\]")
_SPACE = re.compile(r"\s+")


def clean_sentence(text: object) -> str:
    """Plain speakable text: no markup, no control characters, one line, capped."""
    if not isinstance(text, str):
        return ""
    text = html.unescape(_TAGS.sub(" ", text[: MAX_SENTENCE_CHARS * 4]))
    text = _PHONEME_BLOCK.sub(" ", _LATEX.sub(" ", text))
    text = "".join(
        ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else " " for ch in text
    )
    text = _SPACE.sub(" ", text).strip()
    if len(text) > MAX_SENTENCE_CHARS:
        text = text[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def clean_script(sentences: list[object]) -> list[str]:
    """The sentences to speak, in order: each cleaned, at most MAX_SENTENCES and
    MAX_TOTAL_CHARS in all (the rest become empty: shown, not spoken)."""
    cleaned: list[str] = []
    total = 0
    for index, raw in enumerate(sentences):
        text = clean_sentence(raw) if index < MAX_SENTENCES else ""
        if total + len(text) > MAX_TOTAL_CHARS:
            text = ""
        total += len(text)
        cleaned.append(text)
    return cleaned


def narrate_calls(code: str) -> list[str]:
    """The source of every narrate(...) argument in `code`, in order (for the render cache
    key: the narration text decides the audio). Unparsable code has none."""
    import ast

    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError):
        return []
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "narrate"
    ]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    return [ast.unparse(call.args[0]) if call.args else "" for call in calls]

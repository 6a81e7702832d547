"""Find the Python scene in text that may hold Markdown fences and prose around the code.

Used on LLM replies and by the fixer (code pasted with its fences). Pure text work: the code is
parsed with `ast` to judge candidates, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from app.core import syntax

# Only fences matter here; the rest of a reply is prose. With lists and HTML blocks off, a
# reply's uneven indentation cannot end a fence early, as it would under full CommonMark.
# The indented-code rule stays on so that a fence indented four spaces is not a fence.
FENCES = MarkdownIt("zero").enable(["fence", "code"])
# Info strings that are not Python (a shell line to run the scene, JSON, plain output).
NOT_PYTHON = frozenset(
    {"bash", "sh", "shell", "console", "zsh", "text", "txt", "json", "yaml", "toml", "latex"}
)
SCENE_CLASS = re.compile(r"^\s*class\s+\w+\s*\([^)]*Scene[^)]*\)\s*:", re.MULTILINE)
CODE_START = re.compile(r"^(from\s+\w+|import\s+\w+|class\s+\w+)", re.MULTILINE)
MAX_TRIM_LINES = 40


@dataclass(frozen=True)
class Block:
    text: str
    info: str
    closed: bool


def fenced_blocks(text: str) -> list[Block]:
    """Fenced blocks in order; an unclosed last fence (a cut-off reply) runs to the end."""
    blocks: list[Block] = []
    for token in FENCES.parse(text):
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        body = token.content
        body_lines = body.count("\n") + (1 if body and not body.endswith("\n") else 0)
        # A closed fence's lines include its closing fence; an unclosed one's end at the text's end.
        closed = end - start - 1 > body_lines
        info = token.info.split(maxsplit=1)[0].lower() if token.info.strip() else ""
        blocks.append(Block(body.removesuffix("\n"), info, closed))
    return blocks


def parses(code: str) -> bool:
    """Whether `code` is syntactically valid Python (it is never run)."""
    try:
        syntax.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _unfenced(text: str) -> str | None:
    """Code written without fences: from the first import/class line, minus trailing prose."""
    start = CODE_START.search(text)
    if start is None:
        return None
    lines = text[start.start() :].rstrip().splitlines()
    for _ in range(min(MAX_TRIM_LINES, len(lines))):
        candidate = "\n".join(lines).rstrip()
        if parses(candidate):
            return candidate + "\n"
        lines.pop()
        if not lines:
            break
    return None


def extract_code(text: str) -> str | None:
    """The scene source in `text`, or None when there is no code in it.

    Among several fenced blocks the best is one that defines a Scene and parses; when more than
    one does, the last wins (models put a corrected version after the first).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if SCENE_CLASS.search(text) and parses(text):
        return text if text.endswith("\n") else text + "\n"
    candidates = [b for b in fenced_blocks(text) if b.info not in NOT_PYTHON and b.text.strip()]
    if candidates:

        def rank(index_block: tuple[int, Block]) -> tuple[bool, bool, bool, int]:
            index, block = index_block
            return (
                bool(SCENE_CLASS.search(block.text)),
                parses(block.text),
                block.closed,
                index,
            )

        _, best = max(enumerate(candidates), key=rank)
        code = best.text.strip("\n")
        return code + "\n"
    if SCENE_CLASS.search(text):
        return _unfenced(text)
    return None

"""Finding the scene in text with Markdown fences and prose around it (no rendering)."""

from __future__ import annotations

import textwrap

import pytest

from app.core.codeblock import Block, extract_code, fenced_blocks

CODE = (
    "from manim import *\n\n\nclass Lesson(Scene):\n    def construct(self):\n        self.wait()\n"
)


@pytest.mark.parametrize(
    "text",
    [
        f"```python\n{CODE}```",
        f"Sure! Here it is:\n\n```py\n{CODE}```\n\nThis draws nothing yet.",
        f"~~~python\n{CODE}~~~",
        f"```\n{CODE}```",
        f"```python\nfrom manim import *\nx = 1\n```\nNow the scene:\n```python\n{CODE}```",
        f"```bash\npip install manim\n```\n```python\n{CODE}```\n```bash\nmanim -ql s.py\n```",
        CODE,
        f"Here is the code:\n\n{CODE}\nHope this helps with your lesson!",
        "1. Save this as scene.py:\n\n   ```python\n" + textwrap.indent(CODE, "   ") + "   ```\n",
    ],
    ids=[
        "fence",
        "prose-around",
        "tilde-fence",
        "bare-fence",
        "helper-block-then-scene",
        "shell-blocks",
        "plain-code",
        "unfenced-with-prose",
        "fence-in-a-list-item",
    ],
)
def test_extract_code_finds_the_scene(text):
    assert extract_code(text) == CODE


def test_extract_code_prefers_the_last_complete_scene():
    first = CODE.replace("self.wait()", "self.wait(1)")
    text = f"```python\n{first}```\nA corrected version:\n```python\n{CODE}```"
    assert extract_code(text) == CODE


def test_extract_code_keeps_a_cut_off_block():
    cut = "Here:\n```python\nfrom manim import *\n\nclass Lesson(Scene):\n    def construct(se"
    code = extract_code(cut)
    assert code is not None and code.startswith("from manim import *")


@pytest.mark.parametrize(
    "text", ["", "I can't help with that.", "Use a Circle and Create it.\n\n1. First..."]
)
def test_extract_code_returns_none_for_prose(text):
    assert extract_code(text) is None


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("```python\nx = 1\n```", [Block("x = 1", "python", closed=True)]),
        ("````py title\nx\n```\ny\n````", [Block("x\n```\ny", "py", closed=True)]),
        ("~~~\nx\n~~~", [Block("x", "", closed=True)]),
        ("```python\nx\n```bash", [Block("x\n```bash", "python", closed=False)]),
        ("text\n```Python\nx\n", [Block("x", "python", closed=False)]),
        ("```python\n```", [Block("", "python", closed=True)]),
        ("    ```python\n    x\n    ```", []),
    ],
    ids=[
        "closed",
        "longer-fence-holds-a-shorter-one",
        "tilde-no-info",
        "a-fence-with-info-does-not-close",
        "cut-off",
        "empty",
        "indented-four-is-not-a-fence",
    ],
)
def test_fenced_blocks(text, blocks):
    assert fenced_blocks(text) == blocks


def test_a_non_python_block_is_not_taken_for_the_scene():
    text = f"```bash\nmanim -ql scene.py Lesson\n```\n\n{CODE}"
    assert extract_code(text) == CODE
    assert extract_code('```json\n{"a": 1}\n```') is None

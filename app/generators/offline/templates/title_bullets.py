"""A title slide with bullet points revealed one at a time (only when a slide is asked for)."""

from __future__ import annotations

import re
import textwrap

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill, literal
from app.generators.offline.controls import Text, TextList
from app.generators.offline.extract import Prompt

ID = "title_bullets"
TITLE = "Title slide with bullet points"
SUBJECT = "General"
EXAMPLE_PROMPT = (
    "Make a title slide 'Photosynthesis' with bullet points: light, water, carbon dioxide"
)
DEFAULTS = {
    "title": "Photosynthesis",
    "bullets": [
        "Plants capture energy from sunlight",
        "They take in water and carbon dioxide",
        "They make glucose and release oxygen",
    ],
}
VARIANTS = [
    {"title": "The Water Cycle", "bullets": []},
    {
        "title": "Causes of the First World War: a summary",
        "bullets": [
            "Militarism",
            "Alliances between the great powers, which pulled one country after another into war",
            "Imperialism",
            "Nationalism",
            "The assassination of Archduke Franz Ferdinand in Sarajevo, June 1914",
        ],
    },
]
# Chosen only when the prompt asks for a slide, a summary or bullet points.
# A slide of the teacher's own words: it shows any topic, so the planner's check that a
# template draws every topic a prompt names (topics.py) does not apply.
ANY_TOPIC = True
TRIGGERS = {
    r"\btitle (?:slide|card|screen|page)\b": 9,
    r"\bbullet(?:ed)?(?: points?| list)?\b|\bbullets\b": 9,
    r"\bsummar(?:y|ise|ize|ising|izing)\b": 8,
    r"\bkey points\b|\bagenda\b|\blearning (?:objectives|goals|intentions)\b": 6,
    r"\bslides?\b": 4,
    r"\boutline\b|\brecap\b|\boverview\b": 2,
}
MAX_BULLETS = 6
WRAP = 46  # characters per line before a bullet wraps


def extract(prompt: Prompt) -> dict:
    raw = prompt.raw
    params: dict = {}
    quoted = prompt.quoted
    if quoted:
        params["title"] = quoted[0]
    else:
        named = re.search(
            r"\b(?:titled|called|title|about|on|summary of|summari[sz]e|summari[sz]ing|for)\s+"
            r"(?:the topic\s+)?([A-Z0-9][^:;,.!?]{1,60}?|[a-z][^:;,.!?]{1,60}?)"
            r"(?=\s*(?:[:;,.!?]|\bwith\b|\bin\b\s+\d|\busing\b|$))",
            raw,
        )
        if named:
            title = named.group(1).strip()
            params["title"] = title[0].upper() + title[1:]
    items_text = None
    marker = re.search(
        r"(?:bullet(?:ed)?(?: points?| list)?|bullets|points|key points|covering|including)"
        r"\s*[:\-–]\s*(.+)$",
        raw,
        re.I,
    )
    if marker:
        items_text = marker.group(1)
    elif ":" in raw:
        items_text = raw.rsplit(":", 1)[1]
    if items_text:
        separator = ";" if ";" in items_text else ","
        parts = re.split(rf"\s*{separator}\s*|\s+and\s+(?=[^,;]+$)", items_text.strip().rstrip("."))
        bullets = [p.strip(" '\"“”‘’") for p in parts if p.strip(" '\"“”‘’")]
        if bullets:
            params["bullets"] = [b[0].upper() + b[1:] for b in bullets[:MAX_BULLETS]]
    elif "title" in params:
        params["bullets"] = []
    return params


CONTROLS = {
    "title": Text("Title", max_length=80),
    "bullets": TextList("Bullet points", max_length=120, min_items=0, max_items=MAX_BULLETS),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["title"] = checks.text(params["title"], "title", max_length=80)
    bullets = params.get("bullets") or []
    if isinstance(bullets, str):
        bullets = [b for b in re.split(r"[;\n]", bullets) if b.strip()]
    if not isinstance(bullets, list):
        raise checks.fail("'bullets' must be a list of short sentences.")
    if len(bullets) > MAX_BULLETS:
        notes.append(f"Only the first {MAX_BULLETS} bullet points fit on one slide.")
        bullets = bullets[:MAX_BULLETS]
    params["bullets"] = [checks.text(b, "bullets", max_length=120) for b in bullets]
    return params


SKELETON = """\
from manim import *


def rewrap(text, width):
    # The same words in lines of at most `width` characters, broken at spaces
    lines = [""]
    for word in text.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    return "\\n".join(lines)


class TitleBullets(Scene):
    def construct(self):
        title_text = <<title>>
        bullets = <<bullets>>  # long bullets are already split into lines
        # A portrait or square frame gets shorter lines, in larger letters than a zoom-out
        room = self.camera.frame_width - 1.7  # 12.5 in 16:9
        if room < 12:
            bullets = [rewrap(text, int(18 + 2 * room)) for text in bullets]

        # The title, shrunk if it is wider than the screen, with a line under it
        title = Text(title_text, font_size=48, weight=BOLD)
        if title.width > room:
            title.scale_to_fit_width(room)
        title.to_edge(UP, buff=<<title_buff>>)
        underline = Line(LEFT * 6, RIGHT * 6, color=ACCENT).scale_to_fit_width(min(room, 12))
        underline.next_to(title, DOWN, buff=0.25)
        self.play(Write(title), run_time=<<title_time>>)
        self.play(Create(underline), run_time=0.8)

        # The bullet points, one at a time, left-aligned under the title
        rows = VGroup()
        for text in bullets:
            dot = Dot(radius=0.08, color=ACCENT)
            words = Text(text, font_size=32, line_spacing=0.8)
            rows.add(VGroup(dot, words).arrange(RIGHT, buff=0.3, aligned_edge=UP))
            dot.shift(DOWN * 0.12)
        if len(rows) > 0:
            rows.arrange(DOWN, aligned_edge=LEFT, buff=0.4)
            # Shrink the list if it is too big for the space under the title
            room_height = underline.get_bottom()[1] + self.camera.frame_height / 2 - 0.4
            if rows.height > room_height:
                rows.scale_to_fit_height(room_height)
            if rows.width > min(room, 12):
                rows.scale_to_fit_width(min(room, 12))
            rows.next_to(underline, DOWN, buff=0.5).set_x(0)
            for row in rows:
                self.play(FadeIn(row, shift=RIGHT * 0.3), run_time=1)
                self.wait(0.6)
        self.wait(<<final_wait>>)
"""


def _ended(text: str) -> str:
    """A sentence ending in a period, unless the teacher's text already ends one (. ? !)."""
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def describe(params: dict) -> list[str]:
    title, bullets = params["title"], params["bullets"]
    if not bullets:
        return [_ended(f"A title in the middle of the screen, underlined, reads: {title}")]
    return [
        _ended(f"The title reads: {title}"),
        "A line is drawn under it, and a bullet point appears."
        if len(bullets) == 1
        else f"A line is drawn under it, and {len(bullets)} bullet points appear one at a time.",
        *[_ended(f"Point {number}: {text}") for number, text in enumerate(bullets, start=1)],
    ]


def build(params: dict) -> str:
    bullets = ["\n".join(textwrap.wrap(b, WRAP)) or b for b in params["bullets"]]
    # A title on its own sits in the middle of the screen and stays up a little longer.
    alone = not bullets
    return fill(
        SKELETON,
        title=literal(params["title"]),
        bullets=codegen.block_literal(bullets, 8, 10),
        title_buff=literal(3.2 if alone else 0.6),
        title_time=literal(2.0 if alone else 1.5),
        final_wait=literal(3.0 if alone else 2.0),
    )


def narration(params: dict) -> list[str]:
    title, bullets = params["title"], params["bullets"]
    if not bullets:  # the second step only holds the title on screen
        return [_ended(title), f"Today's topic: {title.rstrip('.!?')}."]
    return [_ended(title), " ".join(_ended(text) for text in bullets)]

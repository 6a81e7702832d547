"""A Venn diagram of two or three sets, with each item placed in the region it belongs to."""

from __future__ import annotations

import re

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill
from app.generators.offline.controls import Sets
from app.generators.offline.extract import NUM, Prompt

ID = "venn_diagram"
TITLE = "Venn diagram"
SUBJECT = "Math"
EXAMPLE_PROMPT = "Venn diagram of multiples of 2 and multiples of 3 up to 20"
DEFAULTS = {
    "sets": [
        {
            "name": "Multiples of 2",
            "items": ["2", "4", "6", "8", "10", "12", "14", "16", "18", "20"],
        },
        {"name": "Multiples of 3", "items": ["3", "6", "9", "12", "15", "18"]},
    ]
}
VARIANTS = [
    {"sets": [{"name": "Cats", "items": []}, {"name": "Dogs", "items": []}]},
    {
        "sets": [
            {"name": "A", "items": ["1", "2", "3", "4"]},
            {"name": "B", "items": ["3", "4", "5", "6"]},
            {"name": "C", "items": ["4", "6", "7", "1"]},
        ]
    },
]
TRIGGERS = {
    r"\bvenn\b": 9,
    r"\bintersections?\b|\bunion\b|∩|∪": 4,
    r"\boverlapping circles\b|\bsets?\b": 3,
    r"\bin common\b|\bcommon (?:factors|multiples)\b": 2,
}
MAX_ITEMS = 24
_SET = re.compile(r"\b([A-Za-z])\s*=\s*\{([^}]*)\}")
_RULE = re.compile(rf"\b(multiples|factors|divisors) of ({NUM})")


def _rule_items(kind: str, number: int, limit: int) -> list[str]:
    if kind == "multiples":
        return [str(k) for k in range(number, limit + 1, number)] if number > 0 else []
    return [str(k) for k in range(1, number + 1) if number % k == 0]


def extract(prompt: Prompt) -> dict:
    explicit = _SET.findall(prompt.raw)
    if len(explicit) >= 2:
        return {
            "sets": [
                {"name": name, "items": [item.strip() for item in items.split(",") if item.strip()]}
                for name, items in explicit[:3]
            ]
        }
    text = prompt.text
    rules = _RULE.findall(text)
    numbers_after = re.search(
        rf"\b(?:multiples|factors|divisors) of ({NUM})((?:\s*(?:,|and)\s*{NUM})+)", text
    )
    if numbers_after and len(rules) == 1:
        kind = rules[0][0]
        values = [numbers_after.group(1), *re.findall(NUM, numbers_after.group(2))]
        rules = [(kind, v) for v in values]
    if len(rules) >= 2:
        limit_match = re.search(rf"\b(?:up to|to|below|under|less than|through)\s+({NUM})", text)
        limit = int(float(limit_match.group(1))) if limit_match else 20
        sets = []
        for kind, value in rules[:3]:
            number = int(float(value))
            name = f"{'Multiples' if kind == 'multiples' else 'Factors'} of {number}"
            sets.append({"name": name, "items": _rule_items(kind, number, min(limit, 60))})
        return {"sets": sets}
    names = re.search(
        r"\b(?:of|for|between|comparing|compare)\s+(?:students who like\s+|people who like\s+)?"
        r"([a-z][a-z ]{0,20}?)(?:,\s*([a-z][a-z ]{0,20}?))?\s*(?:,\s*)?"
        r"(?:and|&|vs\.?|versus)\s+([a-z][a-z ]{0,20}?)"
        r"(?=$|[.,!?]|\s+(?:with|showing|who|that|in)\b)",
        text,
    )
    if names:
        labels = [n.strip() for n in names.groups() if n and n.strip()]
        return {"sets": [{"name": label.title(), "items": []} for label in labels[:3]]}
    return {}


CONTROLS = {
    "sets": Sets(
        "Sets", min_sets=2, max_sets=3, name_length=24, item_length=10, max_items=MAX_ITEMS
    ),
}


def validate(params: dict, notes: list[str]) -> dict:
    raw_sets = params["sets"]
    if not isinstance(raw_sets, list) or not 2 <= len(raw_sets) <= 3:
        raise checks.fail("'sets' needs 2 or 3 sets, each with a name and optional items.")
    sets = []
    for index, entry in enumerate(raw_sets):
        if isinstance(entry, str):
            entry = {"name": entry, "items": []}
        if not isinstance(entry, dict):
            raise checks.fail("Each set needs a 'name' and a list of 'items'.")
        name = checks.text(entry.get("name") or chr(ord("A") + index), "name", max_length=24)
        items = entry.get("items") or []
        if not isinstance(items, list):
            raise checks.fail("Each set's 'items' must be a list.")
        clean = [checks.text(item, "items", max_length=10) for item in items]
        sets.append({"name": name, "items": list(dict.fromkeys(clean))})
    total = len({item for s in sets for item in s["items"]})
    if total > MAX_ITEMS:
        raise checks.fail(f"There are {total} different items; keep it to {MAX_ITEMS} so they fit.")
    params["sets"] = sets
    return params


SKELETON = """\
from manim import *
import numpy as np


class VennDiagram(Scene):
    def construct(self):
<<fit_frame>>
        sets = <<sets>>
        colors = [ACCENT, SECONDARY, TERTIARY]
<<layout>>

        # Title
        title = Text("Venn diagram", font_size=40).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # One circle per set, with its name
        circles = VGroup(
            *[
                Circle(radius=radius, color=color).set_fill(color, opacity=0.15).move_to(center)
                for center, color in zip(centers, colors)
            ]
        )
        names = VGroup()
        for (name, _), center, color, direction in zip(sets, centers, colors, name_directions):
            label = Text(name, font_size=28, color=color)
            if label.width > 3.6:
                label.scale_to_fit_width(3.6)
            names.add(label.move_to(center + direction * (radius + 0.4)))
        self.play(LaggedStartMap(Create, circles, lag_ratio=0.3), run_time=2)
        self.play(LaggedStartMap(Write, names, lag_ratio=0.3), run_time=1.2)

        # Each region is "in exactly these sets"; key: which sets (by index) it belongs to
        everything = list(dict.fromkeys(item for _, items in sets for item in items))
        regions = {}
        for item in everything:
            membership = tuple(i for i, (_, items) in enumerate(sets) if item in items)
            regions.setdefault(membership, []).append(item)

        if everything:
            # Put each region's items in a small grid at that region's spot
            for membership, items in regions.items():
                group = VGroup(
                    *[
                        MathTex(item, font_size=34)
                        if item.replace(".", "").isdigit()
                        else Text(item, font_size=24)
                        for item in items
                    ]
                )
                columns = 2 if len(membership) > 1 else 3  # overlaps are narrower
                group.arrange_in_grid(cols=min(columns, len(items)), buff=(0.25, 0.15))
                if group.width > region_width:
                    group.scale_to_fit_width(region_width)
                if group.height > region_height:
                    group.scale_to_fit_height(region_height)
                group.move_to(region_spots[membership])
                self.play(
                    LaggedStartMap(FadeIn, group, shift=0.2 * DOWN, lag_ratio=0.1), run_time=1
                )
        else:
            # No items given: label what each region means
            for membership, spot in region_spots.items():
                if len(membership) == 1:
                    text = "only " + sets[membership[0]][0]
                elif len(membership) == len(sets):
                    text = "all" if len(sets) == 3 else "both"
                else:
                    text = "both " + " & ".join(sets[i][0] for i in membership)
                label = Text(text, font_size=22)
                if label.width > region_width:
                    label.scale_to_fit_width(region_width)
                self.play(FadeIn(label.move_to(spot)), run_time=0.6)

        # The overlap of all the sets is what they have in common
        common = Intersection(*circles, color=HIGHLIGHT, fill_opacity=0.3, stroke_width=0)
        shared = regions.get(tuple(range(len(sets))), [])
        caption = Text(
            (("In both: " if len(sets) == 2 else "In all three: ") + ", ".join(shared))
            if shared
            else "The overlap: in every set at once",
            font_size=28,
            color=HIGHLIGHT,
        )
        if caption.width > 12:
            caption.scale_to_fit_width(12)
        caption.to_edge(DOWN, buff=0.3)
        self.play(FadeIn(common), Write(caption), run_time=1.5)
        self.wait(2)
"""

LAYOUT_TWO = """\
        # Two overlapping circles side by side
        radius = 2.1
        centers = [np.array([-1.5, -0.35, 0]), np.array([1.5, -0.35, 0])]
        name_directions = [UL, UR]
        region_spots = {
            (0,): np.array([-2.35, -0.35, 0]),
            (1,): np.array([2.35, -0.35, 0]),
            (0, 1): np.array([0.0, -0.35, 0]),
        }
        region_width, region_height = 1.3, 2.2"""

LAYOUT_THREE = """\
        # Three circles in a triangle
        radius = 1.7
        centers = [np.array([-1.1, 0.35, 0]), np.array([1.1, 0.35, 0]), np.array([0.0, -1.4, 0])]
        name_directions = [LEFT, RIGHT, normalize(RIGHT + 0.35 * DOWN)]
        region_spots = {
            (0,): np.array([-1.9, 0.75, 0]),
            (1,): np.array([1.9, 0.75, 0]),
            (2,): np.array([0.0, -2.25, 0]),
            (0, 1): np.array([0.0, 1.0, 0]),
            (0, 2): np.array([-1.1, -0.75, 0]),
            (1, 2): np.array([1.1, -0.75, 0]),
            (0, 1, 2): np.array([0.0, -0.2, 0]),
        }
        region_width, region_height = 1.0, 0.8"""


def regions(sets: list[tuple[str, list[str]]]) -> dict[tuple[int, ...], list[str]]:
    """Each item by the sets it is in (indexes), regions in the order the video shows them."""
    everything = list(dict.fromkeys(item for _, items in sets for item in items))
    found: dict[tuple[int, ...], list[str]] = {}
    for item in everything:
        membership = tuple(i for i, (_, items) in enumerate(sets) if item in items)
        found.setdefault(membership, []).append(item)
    return found


# The regions' order in the video's region_spots, for labels when there are no items
SPOTS = {
    2: [(0,), (1,), (0, 1)],
    3: [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)],
}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe(params: dict) -> list[str]:
    sets = [(s["name"], list(s["items"])) for s in params["sets"]]
    names = [name for name, _ in sets]
    count = len(sets)
    placed = regions(sets)
    circles = (
        "Two overlapping circles appear"
        if count == 2
        else "Three overlapping circles appear in a triangle"
    )
    sentences = ["The title reads: Venn diagram.", f"{circles}, named {_and(names)}."]
    for membership, items in placed.items():
        if len(membership) == count:
            where = "In both" if count == 2 else "In all three"
        else:
            where = f"In {_and([names[i] for i in membership])} only"
        sentences.append(f"{where}: {', '.join(items)}.")
    if not placed:
        labels = []
        for membership in SPOTS[count]:
            if len(membership) == 1:
                labels.append("only " + names[membership[0]])
            elif len(membership) == count:
                labels.append("all" if count == 3 else "both")
            else:
                labels.append("both " + " & ".join(names[i] for i in membership))
        sentences.append("The regions are labelled: " + ", ".join(labels) + ".")
    shared = placed.get(tuple(range(count)), [])
    caption = (
        ("In both: " if count == 2 else "In all three: ") + ", ".join(shared)
        if shared
        else "The overlap: in every set at once"
    )
    sentences.append(f"Where all the circles overlap is highlighted, with the caption: {caption}.")
    return sentences


def build(params: dict) -> str:
    sets = [(s["name"], list(s["items"])) for s in params["sets"]]
    return fill(
        SKELETON,
        fit_frame=codegen.fit_frame((-5.4, -3.8, 5.4, 3.7)),
        sets=codegen.block_literal(sets, 8, 7),
        layout=LAYOUT_TWO if len(sets) == 2 else LAYOUT_THREE,
    )


def narration(params: dict) -> list[str]:
    sets = [(s["name"], list(s["items"])) for s in params["sets"]]
    names = [name for name, _ in sets]
    count = len(sets)
    placed = regions(sets)
    said = []
    for membership, items in placed.items():
        if len(membership) == count:
            where = "in both" if count == 2 else "in all three"
        else:
            where = f"only in {_and([names[i] for i in membership])}"
        said.append(f"{_and(items)} {'is' if len(items) == 1 else 'are'} {where}")
    sorting = (
        "Each item goes where it belongs: " + "; ".join(said) + "."
        if said
        else "Each region means belonging to exactly those sets."
    )
    shared = placed.get(tuple(range(count)), [])
    overlap = (
        f"What they have in common sits in the overlap: {_and(shared)}."
        if shared
        else "The overlap is what is in every set at once."
    )
    return [
        "A Venn diagram.",
        f"One circle for each set: {_and(names)}.",
        sorting,
        overlap,
    ]

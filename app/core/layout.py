"""Layout check: objects that leave the frame, text that overlaps other text, text too small.

The sandbox (sandbox_entry.LayoutProbe) reports the bounding box of every object on screen
after each play() and at the end of the scene; this module turns those snapshots into short
sentences for the teacher and the repair loop. The snapshots come from inside the sandbox, so
they are treated as untrusted input: every field is type-checked and bounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# How far (in scene units; the frame is 8 high) an object may stick out before it counts.
FRAME_TOLERANCE = 0.05
# Overlap area as a share of the smaller text's box that counts as "overlapping".
OVERLAP_SHARE = 0.25
# A text whose capitals or digits stand lower than this (scene units, the frame's shorter side
# 8 long) is unreadably small: 0.12 is about 7 px in a 480p preview. It is a share of the
# shorter side, so a camera zoomed out (or a portrait frame) is judged by what it shows.
MIN_TEXT_HEIGHT = 0.12
FRAME_SHORT_SIDE = 8.0
MAX_WARNINGS = 8
MAX_SNAPSHOTS = 500
MAX_ITEMS = 200
# Backgrounds and planes are meant to fill the frame.
BACKGROUND_KINDS = frozenset({"NumberPlane", "ComplexPlane", "PolarPlane", "FullScreenRectangle"})


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0.05) * max(self.y1 - self.y0, 0.05)

    def intersection(self, other: Box) -> float:
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    name: str
    label: str
    text: bool
    top: int | None
    box: Box

    def describe(self) -> str:
        if self.text and self.label:
            return f"{self.kind} '{self.label}'"
        if self.name:
            return f"{self.kind} '{self.name}'"
        return self.kind


@dataclass(frozen=True)
class Snapshot:
    t: float
    line: int | None
    frame: Box
    items: list[Item]


@dataclass(frozen=True)
class LayoutIssue:
    kind: str  # "off_frame" | "overlap" | "small_text"; frame_checks.py adds "flash" | …
    message: str
    t: float
    line: int | None
    # For the layout fixer (app/core/layout_fix.py): the user's variable names of the objects
    # concerned ("" where the probe knew none), their measured boxes, and the frame.
    names: tuple[str, ...] = ()
    boxes: tuple[Box, ...] = ()
    frame: Box | None = None


LAYOUT_KINDS = frozenset({"off_frame", "overlap", "small_text"})


def finite_number(value: Any) -> float | None:
    """A number from the sandbox, if it is one and finite and not absurdly large."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and abs(value) < 1e6 else None


def _box(value: Any) -> Box | None:
    if not isinstance(value, list) or len(value) != 4:
        return None
    numbers = [finite_number(v) for v in value]
    if any(n is None for n in numbers):
        return None
    x0, y0, x1, y1 = (n for n in numbers if n is not None)
    return Box(x0, y0, x1, y1) if x0 <= x1 and y0 <= y1 else None


def clean_text(value: Any, limit: int) -> str:
    """A string from the sandbox, printable only, quotes tamed, at most `limit` characters."""
    if not isinstance(value, str):
        return ""
    printable = "".join(ch for ch in value if ch.isprintable())
    return printable.replace("'", "’")[:limit]


def parse_snapshots(messages: list[dict[str, object]]) -> list[Snapshot]:
    """Well-formed snapshots from the sandbox's `layout` messages; anything else is dropped."""
    snapshots: list[Snapshot] = []
    for message in messages[:MAX_SNAPSHOTS]:
        if not isinstance(message, dict) or message.get("event") != "layout":
            continue
        frame = _box(message.get("frame"))
        t = finite_number(message.get("t"))
        raw_items = message.get("items")
        if frame is None or t is None or not isinstance(raw_items, list):
            continue
        line = message.get("line")
        items = []
        for raw in raw_items[:MAX_ITEMS]:
            if not isinstance(raw, dict):
                continue
            box = _box(raw.get("box"))
            ident = raw.get("id")
            top = raw.get("top")
            if box is None or not isinstance(ident, int):
                continue
            items.append(
                Item(
                    id=ident,
                    kind=clean_text(raw.get("kind"), 40) or "object",
                    name=clean_text(raw.get("name"), 40),
                    label=clean_text(raw.get("label"), 40),
                    text=raw.get("text") is True,
                    top=top if isinstance(top, int) else None,
                    box=box,
                )
            )
        snapshots.append(
            Snapshot(
                t=t,
                line=line if isinstance(line, int) and 0 < line < 1_000_000 else None,
                frame=frame,
                items=items,
            )
        )
    return snapshots


def _sides_outside(box: Box, frame: Box) -> list[str]:
    tol = FRAME_TOLERANCE
    sides = []
    if box.x0 < frame.x0 - tol:
        sides.append("left")
    if box.x1 > frame.x1 + tol:
        sides.append("right")
    if box.y1 > frame.y1 + tol:
        sides.append("top")
    if box.y0 < frame.y0 - tol:
        sides.append("bottom")
    return sides


def _entirely_outside(box: Box, frame: Box) -> bool:
    return box.x0 > frame.x1 or box.x1 < frame.x0 or box.y0 > frame.y1 or box.y1 < frame.y0


def _is_background(item: Item, frame: Box) -> bool:
    """Planes, backdrops and side panels: shapes that span the whole frame in one direction."""
    if item.text:
        return False
    spans_width = item.box.x0 <= frame.x0 and item.box.x1 >= frame.x1
    spans_height = item.box.y0 <= frame.y0 and item.box.y1 >= frame.y1
    return item.kind in BACKGROUND_KINDS or spans_width or spans_height


def _when(snapshot: Snapshot) -> str:
    where = f" (line {snapshot.line})" if snapshot.line else ""
    return f"at {snapshot.t:.1f} s{where}"


def check_layout(messages: list[dict[str, object]]) -> list[LayoutIssue]:
    """Each problem once, at the first moment it is seen."""
    issues: list[LayoutIssue] = []
    seen: set[tuple[object, ...]] = set()
    reported_tops: set[tuple[int, str]] = set()
    for snapshot in parse_snapshots(messages):
        frame = snapshot.frame
        by_id = {item.id: item for item in snapshot.items}
        # Text first, so a group is reported only when none of its texts explains it.
        for item in sorted(snapshot.items, key=lambda i: (not i.text, i.top is None)):
            if item.top is not None and not item.text:
                continue
            if _is_background(item, frame):
                continue
            if _entirely_outside(item.box, frame):
                sides = ["all"]
                phrase = "is entirely outside the frame"
            else:
                sides = _sides_outside(item.box, frame)
                phrase = f"leaves the frame on the {' and '.join(sides)}"
            if not sides:
                continue
            if item.top is None and any((item.id, s) in reported_tops for s in sides):
                continue
            key = ("off", item.id, tuple(sides))
            if key in seen:
                continue
            seen.add(key)
            if item.top is not None:
                reported_tops.update((item.top, s) for s in sides)
            # The fixer moves the whole group a text is in when it can name it.
            top = by_id.get(item.top) if item.top is not None else None
            moved = top if top is not None and top.name else item
            issues.append(
                LayoutIssue(
                    "off_frame",
                    f"The {item.describe()} {phrase} {_when(snapshot)}.",
                    snapshot.t,
                    snapshot.line,
                    names=(moved.name,),
                    boxes=(moved.box,),
                    frame=frame,
                )
            )
        texts = [i for i in snapshot.items if i.text]
        for index, first in enumerate(texts):
            for second in texts[index + 1 :]:
                shared = first.box.intersection(second.box)
                if shared <= OVERLAP_SHARE * min(first.box.area, second.box.area):
                    continue
                pair = ("overlap", *sorted((first.id, second.id)))
                if pair in seen:
                    continue
                seen.add(pair)
                issues.append(
                    LayoutIssue(
                        "overlap",
                        f"The {first.describe()} overlaps the {second.describe()} "
                        f"{_when(snapshot)}.",
                        snapshot.t,
                        snapshot.line,
                        names=(first.name, second.name),
                        boxes=(first.box, second.box),
                        frame=frame,
                    )
                )
        for item in texts:
            if not _too_small(item, frame) or ("small", item.id) in seen:
                continue
            seen.add(("small", item.id))
            issues.append(
                LayoutIssue(
                    "small_text",
                    f"The {item.describe()} is too small to read {_when(snapshot)}.",
                    snapshot.t,
                    snapshot.line,
                    names=(item.name,),
                    boxes=(item.box,),
                    frame=frame,
                )
            )
    return issues[:MAX_WARNINGS]


def _too_small(item: Item, frame: Box) -> bool:
    """A text with capitals, digits or tall letters whose box is lower than MIN_TEXT_HEIGHT
    of a frame whose shorter side is 8 (a lone "x" or "-" is as low as it should be)."""
    tall = sum(ch.isupper() or ch.isdigit() or ch in "bdfhklt" for ch in item.label)
    short_side = min(frame.x1 - frame.x0, frame.y1 - frame.y0)
    least = MIN_TEXT_HEIGHT * short_side / FRAME_SHORT_SIDE
    return tall >= 1 and len(item.label) >= 2 and item.box.y1 - item.box.y0 < least


def layout_warnings(messages: list[dict[str, object]]) -> list[str]:
    return [issue.message for issue in check_layout(messages)]

"""How a template's parts share the frame: side by side in 16:9, stacked in 9:16, and in 1:1
whichever of the two (or the whole design scaled) draws them largest.

Templates are designed in a 16:9 frame (14.2 x 8 scene units). A narrower frame gets a real
arrangement instead of a zoomed-out copy of that design: each part (the diagram, the panel of
text and working beside it, ...) is scaled to fill its own share of the safe area, so text in
a 9:16 video is larger relative to the frame than in the 16:9 one, never smaller.

The code lives in the emitted scene (ARRANGE below), because the frame's shape is only known
when the scene runs: the same code renders in every aspect ratio. `codegen.fill` adds these
definitions to any scene that calls them.

How a template uses it
----------------------
Parts side by side (a diagram and a text panel, two diagrams, ...):

1. Design in 16:9 coordinates as usual; give each part its box [left, bottom, right, top]
   there (the title stays out of the boxes: it keeps the top 1 unit of every frame).
2. At the top of construct(), before anything is placed:
       diagram, panel = arrange_parts(self, [-7.0, -3.7, 2.4, 3.0], [2.6, -3.2, 7.0, 3.0])
   In 16:9 each part maps to itself, so the landscape video is the design exactly.
3. Place every top-level mobject of a part through its part, at its 16:9 design place:
       put(axes, diagram)                   # the axes, built at their design place
       put(formula, panel, 4.9, 2.1)        # instead of formula.move_to([4.9, 2.1, 0])
       dot.animate.move_to(at(diagram, x, y))   # a design point in this frame
   put() scales the mobject by its part's factor and moves it to where its design place
   lands. Whatever is later built from a placed mobject (axes.c2p(...), next_to(formula))
   is already in the right place and must not be put again; scale it with
       scaled(result, panel).next_to(formula, DOWN)
   so that it matches its part.
   A template that builds each part as one VGroup first passes the parts themselves and
   places each with one call:
       diagram, panel = arrange_parts(self, VGroup(axes, graph), VGroup(formula, working))
       put(diagram_group, diagram); put(panel_group, panel)
4. Fit the title to the frame's width: fit_title(self, title).

A single centred diagram needs none of this: `zoom_to_fit(self, [left, bottom, right, top])`
(the box of everything the scene shows, title included) frames that box in a narrower frame,
so the drawing is as large as the frame allows instead of shrunk to the 16:9 width.
"""

from __future__ import annotations

import re

# The width of the frame the templates are designed in (scene units; the frame is 8 high).
DESIGN_WIDTH = 14.2

ARRANGE = '''
def arrange_parts(view, *boxes, title_space=1.2, margin=0.2, gap=0.3, largest=1.5):
    """Where each part goes in this frame: as designed in 16:9; in a narrower frame stacked,
    side by side or the whole design scaled, whichever draws its smallest part largest.
    Each box is a part's [left, bottom, right, top] in the 16:9 design, or the part itself."""
    width, height = view.camera.frame_width, view.camera.frame_height
    if width >= 14.2 - 0.01:
        return [(1.0, (0.0, 0.0), (0.0, 0.0)) for box in boxes]
    # A part already built (a VGroup at its design place) is measured instead of described
    boxes = [
        [box.get_left()[0], box.get_bottom()[1], box.get_right()[0], box.get_top()[1]]
        if isinstance(box, Mobject)
        else box
        for box in boxes
    ]
    room = (width - 2 * margin, height - title_space - margin)
    middle = (0.0, (-height / 2 + margin + height / 2 - title_space) / 2)
    sizes = [(box[2] - box[0], box[3] - box[1]) for box in boxes]
    centres = [((box[0] + box[2]) / 2, (box[1] + box[3]) / 2) for box in boxes]
    whole = [min(b[0] for b in boxes), min(b[1] for b in boxes)]
    whole += [max(b[2] for b in boxes), max(b[3] for b in boxes)]
    scale = min(room[0] / (whole[2] - whole[0]), room[1] / (whole[3] - whole[1]), largest)
    centre = ((whole[0] + whole[2]) / 2, (whole[1] + whole[3]) / 2)
    options = [[(scale, centre, middle) for box in boxes]]
    for along in (1, 0):  # 1: stacked from the top down, 0: side by side from the left
        across = 1 - along
        limits = [min(largest, room[across] / size[across]) for size in sizes]
        free = room[along] - gap * (len(boxes) - 1)
        low, high = 0.0, max(limits)
        for _ in range(40):  # the largest common cap on the scales that still fits
            cap = (low + high) / 2
            used = sum(min(limit, cap) * size[along] for limit, size in zip(limits, sizes))
            low, high = (cap, high) if used <= free else (low, cap)
        scales = [min(limit, low) for limit in limits]
        used = sum(s * size[along] for s, size in zip(scales, sizes)) + gap * (len(boxes) - 1)
        start = middle[along] + (used / 2 if along else -used / 2)
        option = []
        for s, size, centre in zip(scales, sizes, centres):
            half = s * size[along] / 2
            spot = start - half if along else start + half
            start = spot - half - gap if along else spot + half + gap
            option.append((s, centre, (middle[0], spot) if along else (spot, middle[1])))
        options.append(option)
    tall = height > width
    return max(options, key=lambda o: (min(p[0] for p in o), tall == (o is options[1])))


def at(part, x, y):
    """The point of this frame where the design point (x, y) of a part lands."""
    scale, (from_x, from_y), (to_x, to_y) = part
    return [to_x + (x - from_x) * scale, to_y + (y - from_y) * scale, 0]


def put(mob, part, x=None, y=None):
    """Scale mob by its part's factor and move it to where its design place lands: (x, y),
    or where it was built."""
    if x is None:
        x, y = mob.get_x(), mob.get_y()
    return mob.scale(part[0]).move_to(at(part, x, y))


def scaled(mob, part):
    """Scale mob by its part's factor only: for one placed next to a mobject already put."""
    return mob.scale(part[0])


def fit_title(view, title, margin=0.3):
    """Shrink a title wider than the frame."""
    if title.width > view.camera.frame_width - 2 * margin:
        title.scale_to_fit_width(view.camera.frame_width - 2 * margin)
    return title


def zoom_to_fit(view, box, margin=0.2):
    """Frame a single drawing: as designed in 16:9; in a narrower frame the camera frames the
    box [left, bottom, right, top] of everything shown, as large as the frame allows."""
    width, height = view.camera.frame_width, view.camera.frame_height
    if width >= 14.2 - 0.01:
        return
    zoom = max((box[2] - box[0]) / (width - 2 * margin), (box[3] - box[1]) / (height - 2 * margin))
    view.camera.frame_width *= zoom
    view.camera.frame_height *= zoom
    view.camera.frame_center = RIGHT * (box[0] + box[2]) / 2 + UP * (box[1] + box[3]) / 2
'''

# What each definition in ARRANGE is called as, for adding only the ones a scene uses.
NAMES = ("arrange_parts", "at", "put", "scaled", "fit_title", "zoom_to_fit")


def with_arrangement(code: str) -> str:
    """The scene with the ARRANGE definitions it calls added above its first class."""
    calls = [name for name in NAMES if re.search(rf"(?<![\w.]){name}\(", code)]
    if not calls or "def arrange_parts(" in code or "def zoom_to_fit(" in code:
        return code
    if "put" in calls or "arrange_parts" in calls:
        calls.append("at")  # put() places through at()
    blocks = [block for block in ARRANGE.strip("\n").split("\n\n\n") if _defines(block, calls)]
    index = code.index("\nclass ")
    return code[:index].rstrip("\n") + "\n\n\n" + "\n\n\n".join(blocks) + "\n\n" + code[index:]


def _defines(block: str, names: list[str]) -> bool:
    return any(block.startswith(f"def {name}(") for name in names)

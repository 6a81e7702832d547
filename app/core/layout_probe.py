"""The layout probe: runs inside the sandbox, beside sandbox_entry.py, and measures the scene.

Chalk's layout check needs the bounding boxes of what is on screen after every play() (so also
at the end: frames are only drawn by play/wait). The probe sends them as `layout` messages
during the render's measuring pass; app/core/layout.py (outside the sandbox) turns them into
warnings. It only reads positions and must never fail a render.

Like sandbox_entry.py it imports nothing from `app` (only the standard library, NumPy and Manim
are visible in the sandbox), and it is loaded after Manim, so importing it costs nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
from manim import (
    DecimalNumber,
    Group,
    MarkupText,
    Mobject,
    Paragraph,
    SingleStringMathTex,
    Text,
    VGroup,
    VMobject,
)
from manim.camera.three_d_camera import ThreeDCamera

LAYOUT_MAX_SNAPSHOTS = 200
LAYOUT_MAX_CALLS = 2000
LAYOUT_MAX_ITEMS = 80
LABEL_MAX = 160


class LayoutProbe:
    """Wraps `scene_class.play` to snapshot the screen after every call, until remove().

    `scene_file` is the user's code (to name objects after its variables); `send` delivers a
    message to the supervisor.
    """

    def __init__(
        self, scene_class: type, scene_file: str, send: Callable[[dict[str, object]], None]
    ) -> None:
        self.scene_class = scene_class
        self.scene_file = scene_file
        self.send = send
        self.original_play = scene_class.play  # type: ignore[attr-defined]
        self.sent = self.calls = 0
        self.last: object = None
        probe = self

        def play(scene: object, *args: object, **kwargs: object) -> object:
            start = getattr(getattr(scene, "renderer", None), "time", None)
            result = probe.original_play(scene, *args, **kwargs)
            probe.snapshot(scene, sys._getframe(1), start, args)
            return result

        scene_class.play = play  # type: ignore[attr-defined]

    def remove(self) -> None:
        self.scene_class.play = self.original_play  # type: ignore[attr-defined]

    def snapshot(
        self, scene: object, caller: object, start: object = None, animations: tuple = ()
    ) -> None:
        self.calls += 1
        if self.sent >= LAYOUT_MAX_SNAPSHOTS or self.calls > LAYOUT_MAX_CALLS:
            return
        try:
            message = self._snapshot(scene, caller)
            if message is not None:
                message["start"] = round(float(start), 3) if start is not None else None  # type: ignore[arg-type]
                message["becomes"] = texts_transformed_into(animations)
        except Exception:
            return
        if message is None or (message["items"] == self.last and not message["becomes"]):
            return
        self.last = message["items"]
        self.sent += 1
        self.send(message)

    def _snapshot(self, scene: object, caller: object) -> dict[str, object] | None:
        camera = scene.renderer.camera  # type: ignore[attr-defined]
        if isinstance(camera, ThreeDCamera):
            return None  # a projection: 2D boxes would mislead
        frame = user_frame(caller, self.scene_file)
        names = names_in(frame)
        items: list[dict[str, object]] = []

        def add(mob: object, top: int | None) -> None:
            bounds = visible_box(mob)
            if bounds is not None and len(items) < LAYOUT_MAX_ITEMS:
                is_text = isinstance(mob, TEXT_TYPES)
                items.append(
                    {
                        "id": id(mob),
                        "kind": type(mob).__name__[:40],
                        "name": names.get(id(mob), "")[:40],
                        "label": text_label(mob) if is_text else "",
                        "text": is_text,
                        "top": top,
                        "box": bounds,
                    }
                )

        for mob, top in on_screen_with_texts(scene):
            add(mob, top)
        center = camera.frame_center
        half_w, half_h = camera.frame_width / 2, camera.frame_height / 2
        return {
            "event": "layout",
            "t": round(float(scene.renderer.time), 3),  # type: ignore[attr-defined]
            "line": frame.f_lineno if frame is not None else None,  # type: ignore[attr-defined]
            "frame": [
                round(float(v), 3)
                for v in (
                    center[0] - half_w,
                    center[1] - half_h,
                    center[0] + half_w,
                    center[1] + half_h,
                )
            ],
            "items": items,
        }


# --- what the probes share (app/core/frame_probe.py reads the same texts and boxes) ---------

TEXT_TYPES = (Text, MarkupText, Paragraph, SingleStringMathTex, DecimalNumber)


def user_frame(caller: object, scene_file: str) -> object:
    """The user's play()/wait() call: the first frame from `caller` up in the scene file."""
    frame = caller
    for _ in range(50):
        if frame is None or frame.f_code.co_filename == scene_file:  # type: ignore[attr-defined]
            break
        frame = frame.f_back  # type: ignore[attr-defined]
    return frame


def names_in(frame: object) -> dict[int, str]:
    """The user's variable names of the Mobjects that frame holds, by object id."""
    names: dict[int, str] = {}
    if frame is not None:
        for name, value in list(frame.f_locals.items()):  # type: ignore[attr-defined]
            if isinstance(value, Mobject):
                names.setdefault(id(value), str(name))
    return names


def visible_box(mob: object) -> list[float] | None:
    """[x0, y0, x1, y1] in scene units of the parts of `mob` that draw something."""
    parts = []
    for m in mob.get_family():  # type: ignore[attr-defined]
        if not isinstance(m, VMobject) or len(m.points) == 0:
            continue
        fill = float(np.max(m.get_fill_opacities(), initial=0))
        stroke = float(np.max(m.get_stroke_opacities(), initial=0))
        if fill > 0.01 or (stroke > 0.01 and m.get_stroke_width() > 0):
            parts.append(m.points[:, :2])
    if not parts:
        return None
    points = np.concatenate(parts)
    low, high = points.min(axis=0), points.max(axis=0)
    return [round(float(v), 3) for v in (low[0], low[1], high[0], high[1])]


def text_label(mob: object) -> str:
    """What a text or formula says, on one line (long enough for the video's description)."""
    for attribute in ("original_text", "tex_string", "number"):
        value = getattr(mob, attribute, None)
        if isinstance(value, str):
            return " ".join(value.split())[:LABEL_MAX]
        if isinstance(value, (int, float)):
            places = getattr(mob, "num_decimal_places", None)  # as DecimalNumber shows it
            return (
                f"{value:.{places}f}"
                if isinstance(places, int) and 0 <= places <= 8
                else f"{value:g}"
            )
    return ""


def texts_transformed_into(animations: tuple) -> list[str]:
    """What the texts a play() turns others into say (Transform(label, new_label)): the
    object on screen keeps its old string, so the new one is only seen here."""
    labels: list[str] = []
    for animation in animations[:LAYOUT_MAX_ITEMS]:
        target = getattr(animation, "target_mobject", None)
        source = getattr(animation, "mobject", None)
        if not isinstance(target, Mobject) or not isinstance(source, Mobject) or source is target:
            continue
        before = set(map(text_label, texts_of(source)))  # FadeOut, .animate: the same texts
        labels.extend(
            label for label in map(text_label, texts_of(target)) if label and label not in before
        )
    return labels[:LAYOUT_MAX_ITEMS]


def texts_of(mob: object) -> list[object]:
    return [mob] if isinstance(mob, TEXT_TYPES) else texts_inside(mob)[:LAYOUT_MAX_ITEMS]


def texts_inside(mob: object) -> list[object]:
    """The texts in a group (plain groups and the scene's own classes), not inside graphs."""
    found: list[object] = []
    for sub in mob.submobjects:  # type: ignore[attr-defined]
        if isinstance(sub, TEXT_TYPES):
            found.append(sub)
        elif type(sub) in (VGroup, Group) or type(sub).__module__ == "scene":
            found.extend(texts_inside(sub))
    return found


def on_screen_with_texts(scene: object) -> list[tuple[object, int | None]]:
    """Each object on screen (top None), then the texts inside it (top: the object's id)."""
    found: list[tuple[object, int | None]] = []
    on_screen = list(scene.mobjects) + list(scene.foreground_mobjects)  # type: ignore[attr-defined]
    for mob in on_screen:
        found.append((mob, None))
        if not isinstance(mob, TEXT_TYPES):
            found.extend((text, id(mob)) for text in texts_inside(mob))
    return found

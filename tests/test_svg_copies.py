"""Copies of glyphs share the parsed SVG path they were built from (sandbox_entry's
share_parsed_svg_paths): a copy or an animation draws exactly what it draws with Manim's full
deep copy, nothing a scene changes is shared, and every render runs with it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from manim import Mobject, Text, Transform, VGroup, tempconfig
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

from app.core.render import measure_code
from app.core.sandbox_entry import share_parsed_svg_paths
from app.settings import Settings


@pytest.fixture
def media(tmp_path: Path) -> Iterator[None]:
    with tempconfig({"media_dir": str(tmp_path)}):  # Text caches its SVGs there
        yield


@pytest.fixture
def share_paths(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Turns sharing on in this process; undone after the test."""
    monkeypatch.setattr(
        VMobjectFromSVGPath, "__deepcopy__", VMobjectFromSVGPath.__deepcopy__, raising=False
    )
    return share_parsed_svg_paths


def drawing(mobject: Mobject) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """What each member of the family draws: its points and colours."""
    return [
        (type(m).__name__, m.points.copy(), m.get_fill_rgbas().copy(), m.get_stroke_rgbas().copy())
        for m in mobject.get_family()
    ]


def assert_same_drawing(a: list, b: list) -> None:
    assert [kind for kind, *_ in a] == [kind for kind, *_ in b]
    for (_, *arrays_a), (_, *arrays_b) in zip(a, b, strict=True):
        for x, y in zip(arrays_a, arrays_b, strict=True):
            np.testing.assert_array_equal(x, y)


def glyphs(mobject: Mobject) -> list[VMobjectFromSVGPath]:
    return [m for m in mobject.get_family() if isinstance(m, VMobjectFromSVGPath)]


def test_a_copy_draws_what_a_deep_copy_draws_and_shares_only_the_path(media, share_paths):
    label = VGroup(Text("y = 2.5x + 1"), Text("slope")).arrange()
    deep = copy.deepcopy(label)
    share_paths()
    shared = label.copy()

    assert_same_drawing(drawing(shared), drawing(deep))
    assert_same_drawing(drawing(shared), drawing(label))
    pairs = list(zip(glyphs(label), glyphs(shared), glyphs(deep), strict=True))
    assert len(pairs) >= 10
    for original, with_sharing, without in pairs:
        assert with_sharing.path_obj is original.path_obj
        assert without.path_obj is not original.path_obj
        assert not np.shares_memory(with_sharing.points, original.points)

    before = drawing(label)
    shared.shift(np.array([1.0, 2.0, 0.0])).set_color("#ff0000")
    assert_same_drawing(drawing(label), before)
    # The shared path is as parsed: a glyph rebuilt from it is the one rebuilt from its own copy
    rebuilt, rebuilt_from_own = glyphs(shared)[0], glyphs(deep)[0]
    rebuilt.generate_points()
    rebuilt_from_own.generate_points()
    np.testing.assert_array_equal(rebuilt.points, rebuilt_from_own.points)


def test_a_transform_moves_the_same_points_with_shared_paths(media, share_paths):
    def halfway() -> list:
        start, end = Text("1.50"), Text("2.75").shift(np.array([0.0, 1.0, 0.0]))
        animation = Transform(start, end)
        animation.begin()
        animation.interpolate(0.5)
        return drawing(start)

    without = halfway()
    share_paths()
    assert_same_drawing(halfway(), without)


@pytest.mark.render
def test_every_render_shares_the_paths(warm_settings: Settings):
    code = (
        "from manim import *\n\n"
        "class Shared(Scene):\n"
        "    def construct(self):\n"
        "        word = Text('chalk')\n"
        "        twin = word.copy()\n"
        "        if twin[0].path_obj is not word[0].path_obj:\n"
        "            raise ValueError('the copy has a path of its own')\n"
        "        self.play(FadeIn(twin))\n"
    )
    assert measure_code(code, settings=warm_settings).duration_s == pytest.approx(1.0)

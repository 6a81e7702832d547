"""Every template renders in the sandbox at preview quality: its default and two other sets.

These go through the real render path (policy → sandbox → output gate), then compare video
metadata as Manim's own tests do, and check the layout probe found nothing off-screen or
overlapping. triangle_angle_sum has no parameters, so it is rendered in the other frame shapes.
"""

from __future__ import annotations

import pytest

from app.core.layout import layout_warnings
from app.core.render import render_code
from app.generators.offline import render_template
from app.generators.offline.catalogue import registry
from app.settings import Settings

pytestmark = pytest.mark.render

SIZES = {"16:9": (854, 480), "9:16": (480, 854), "1:1": (480, 480)}
# Preview's frame size at a third of its frame rate: what is tested here is each template's
# code, duration and layout, and Manim's time goes per frame (the preview rate itself is
# checked in tests/test_render.py). 83 renders take a third of the time.
FPS = 5


@pytest.fixture
def template_settings(settings: Settings) -> Settings:
    presets = dict(settings.quality_presets)
    presets["preview"] = presets["preview"].model_copy(update={"fps": FPS})
    return settings.model_copy(update={"quality_presets": presets})


def render_cases() -> list[tuple[str, int, dict | None, str]]:
    cases = []
    for template_id, template in registry().items():
        cases.append((template_id, 0, None, "16:9"))
        cases += [(template_id, i, params, "16:9") for i, params in enumerate(template.variants, 1)]
        if not template.variants:
            cases += [(template_id, 0, None, "9:16"), (template_id, 0, None, "1:1")]
    cases.append(("function_graph", 0, None, "9:16"))  # the zoom-out keeps wide layouts whole
    return cases


CASES = render_cases()


def test_every_template_has_three_render_cases():
    for template_id in registry():
        assert sum(case[0] == template_id for case in CASES) >= 3


@pytest.mark.parametrize(
    ("template_id", "index", "params", "aspect"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES],
)
def test_template_renders_at_preview(
    template_id, index, params, aspect, template_settings, tmp_path
):
    generation = render_template(template_id, params)
    result = render_code(
        generation.code,
        quality="preview",
        aspect=aspect,
        out=tmp_path / "v.mp4",
        settings=template_settings,
    )
    assert result.codec == "h264"
    assert (result.width, result.height) == SIZES[aspect]
    assert result.fps == pytest.approx(FPS)
    assert 5.0 <= result.duration_s <= 20.0  # a calm preview
    assert abs(result.frames - result.duration_s * FPS) <= 2
    assert layout_warnings(result.layout) == []

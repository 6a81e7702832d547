"""The palette is measured: its roles stay apart under each colour-vision deficiency and keep
WCAG contrast on their background, on the dark and the light background alike."""

from __future__ import annotations

import pytest

from app.core import palette
from tests.colour_vision import DEFICIENCIES, NAMES, closest_pair, distance

BACKGROUNDS = list(palette.BACKGROUNDS)
# The seven Okabe-Ito colours (black left out), which together are not enough on their own.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}


def roles(background: str, names: tuple[str, ...] | None = None) -> dict[str, str]:
    chosen = names or tuple(role.name for role in palette.ROLES)
    return {name: palette.BY_NAME[name].hex(background) for name in chosen}


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_every_two_chromatic_roles_stay_apart_under_each_deficiency(background, deficiency):
    gap, first, second = closest_pair(roles(background, palette.CHROMATIC), deficiency)
    assert gap >= palette.MIN_DISTANCE, (
        f"{first} and {second} are {gap:.1f} apart under {NAMES[deficiency]} on {background}"
    )


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_the_greys_stay_apart_from_every_colour_too(background, deficiency):
    # TEXT and MUTED sit beside the colours in every scene, so they are measured with them.
    gap, first, second = closest_pair(roles(background), deficiency)
    assert gap >= palette.MIN_DISTANCE, f"{first} and {second} are {gap:.1f} apart"


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_every_role_is_readable_as_text_on_its_background(background):
    # Text needs 4.5:1 (WCAG 1.4.3), so every role may colour text, and lines and shapes
    # (3:1, WCAG 1.4.11) get more than they need.
    behind = palette.BACKGROUNDS[background]
    for name, value in roles(background).items():
        ratio = palette.contrast_ratio(value, behind)
        assert ratio >= palette.TEXT_CONTRAST >= palette.SHAPE_CONTRAST, (name, ratio)


def test_background_role_is_the_background():
    for background, value in palette.BACKGROUNDS.items():
        assert palette.BACKGROUND.hex(background) == value
    # Manim's default background, which every Chalk video has.
    assert palette.BACKGROUNDS["dark"] == "#000000"


def test_the_measure_finds_what_the_okabe_ito_set_alone_misses():
    # All seven Okabe-Ito colours together: two pairs are too close for tritanopes, which is
    # why the palette leaves the dark blue out and darkens the reddish purple.
    close = sorted(
        (a, b)
        for a in OKABE_ITO
        for b in OKABE_ITO
        if a < b and distance(OKABE_ITO[a], OKABE_ITO[b], "tritanomaly") < palette.MIN_DISTANCE
    )
    assert close == [("blue", "bluish green"), ("orange", "reddish purple")]
    # And the example: GREEN beside RED, far apart for most, close for deuteranopes.
    assert distance("#83C167", "#FC6255", None) > 40
    assert distance("#83C167", "#FC6255", "deuteranomaly") < palette.MIN_DISTANCE


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes as text on white
        ("#777777", "#FFFFFF", 4.48),
        ("#0072B2", "#000000", 4.05),  # Okabe-Ito blue: too dark for text on black
    ],
)
def test_contrast_ratio_matches_wcag(first, second, ratio):
    assert palette.contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert palette.contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)


def test_constants_code_defines_the_roles_asked_for_in_palette_order():
    code = palette.constants_code(["NEGATIVE", "ACCENT"])
    namespace: dict = {}
    exec(code, namespace)
    assert namespace["ACCENT"] == palette.BY_NAME["ACCENT"].dark
    assert namespace["NEGATIVE"] == palette.BY_NAME["NEGATIVE"].dark
    assert code.index("ACCENT =") < code.index("NEGATIVE =")
    assert "POSITIVE" not in code
    assert all(len(line) <= 100 for line in code.splitlines())
    with pytest.raises(KeyError):
        palette.constants_code(["RED"])

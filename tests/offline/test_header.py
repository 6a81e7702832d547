"""Template code names its template and values in two header lines; read back as untrusted text."""

from __future__ import annotations

import json

import pytest

from app.generators.offline import origin, render_template
from app.generators.offline.header import MAX_HEADER_CHARS, read


def test_code_pasted_back_unchanged_is_the_templates_own():
    made = render_template("pendulum", {"length": 3})
    found = origin(made.code)
    assert found is not None and not found.edited
    assert (found.template, found.params) == ("pendulum", {"length": 3.0, "amplitude_deg": 30.0})


def test_an_edit_anywhere_in_the_code_is_seen():
    code = render_template("pendulum").code
    edited = code.replace("length = 2  #", "length = 5  #", 1)
    assert edited != code
    found = origin(edited)
    assert found is not None and found.edited and found.params["length"] == 2.0


def test_an_edited_header_with_valid_values_is_edited_code_not_the_new_values():
    code = render_template("pendulum").code
    forged = code.replace('"length": 2.0', '"length": 7.0', 1)
    found = origin(forged)
    assert found is not None and found.edited and found.params["length"] == 7.0


@pytest.mark.parametrize(
    "first_lines",
    [
        "",  # no header at all
        "from manim import *\n",
        "# Chalk template: no_such_template\n# Parameters: {}\n",
        '# Chalk template: pendulum\n# Parameters: {"length": 900}\n',  # refused by validate
        '# Chalk template: pendulum\n# Parameters: {"colour": 1}\n',  # unknown parameter
        "# Chalk template: pendulum\n# Parameters: [1, 2]\n",
        "# Chalk template: pendulum\n# Parameters: {not json}\n",
        "# Chalk template: ../../etc\n# Parameters: {}\n",
        '# Chalk template: pendulum\n# Parameters: {"length": NaN}\n',
    ],
)
def test_a_header_that_names_no_valid_template_is_no_origin(first_lines):
    assert origin(first_lines + "from manim import *\n") is None


def test_a_huge_header_is_not_parsed():
    padding = json.dumps({"length": 2.0, "x": "a" * MAX_HEADER_CHARS})
    assert (
        read(f"# Chalk template: pendulum\n# Parameters: {padding}\nfrom manim import *\n") is None
    )


def test_long_values_spread_over_lines_and_read_back():
    bullets = [f"Point number {i} says something worth a whole line of its own" for i in range(6)]
    made = render_template("title_bullets", {"bullets": bullets})
    header = made.code.split("from manim import *")[0]
    assert len(header.splitlines()) > 3
    assert max(len(line) for line in header.splitlines()) <= 100
    found = origin(made.code)
    assert found is not None and not found.edited and found.params["bullets"] == bullets

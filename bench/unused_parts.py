"""Does the template engine name the parts of a prompt it did not use, and only those?

False claims: over every template's example prompt and every planner phrasing that routes to a
template (tests/offline/prompts.py and bench/planner_accuracy.py), each of which the template
reads in full, any named phrase is a false claim (must stay 0). Then over prompts made of a
template's example prompt plus an ask no template draws, how many asks are named; a named
phrase outside the added ask counts as a false claim too. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.errors import ChalkError  # noqa: E402
from app.generators.offline.catalogue import registry  # noqa: E402
from app.generators.offline.planner import read  # noqa: E402
from bench.planner_accuracy import CASES as UNSEEN_CASES  # noqa: E402
from tests.offline.prompts import CASES as PLANNER_CASES  # noqa: E402

# (template whose example prompt it extends, the added ask: nothing in the catalogue draws it)
ADDED_ASKS = [
    ("function_graph", "and show the axis of symmetry"),
    ("derivative_tangent", "and the second derivative's concavity"),
    ("riemann_sum", "and compare with the trapezium rule"),
    ("integral_area", "with the antiderivative written underneath"),
    ("pythagorean_theorem", "and a proof by rearrangement"),
    ("unit_circle_trig", "and the cosecant"),
    ("quadratic_formula", "then complete the square"),
    ("number_line", "and explain absolute value as distance"),
    ("fractions", "and the equivalent percentages"),
    ("circle_area", "and its circumference"),
    ("triangle_angle_sum", "and the exterior angle theorem"),
    ("vector_addition", "and their dot product"),
    ("projectile_motion", "including air resistance"),
    ("pendulum", "with the energy transfer"),
    ("transverse_wave", "and its polarisation"),
    ("sorting_algorithm", "and compare with merge sort"),
    ("bar_chart", "with the mean and median marked"),
    ("ohms_law_circuit", "with two resistors in parallel"),
    ("atomic_structure", "and its isotopes"),
    ("linked_list", "then reverse it with pointers"),
    ("velocity_time_graph", "and the displacement"),
    ("similar_triangles", "and the enlargement centre"),
]


def named(prompt: str) -> tuple[str | None, list[str]]:
    try:
        reading = read(prompt)
    except ChalkError:
        return None, []  # refused: nothing is claimed
    return reading.template_id, reading.unused


def main() -> None:
    started = time.perf_counter()
    catalogue = registry()
    read_in_full = [t.example_prompt for t in catalogue.values()]
    read_in_full += [case.prompt for case in PLANNER_CASES]
    read_in_full += [case.prompt for case in UNSEEN_CASES if case.templates]
    false_claims = []
    for prompt in read_in_full:
        template_id, phrases = named(prompt)
        if phrases:
            false_claims.append({"prompt": prompt, "template": template_id, "named": phrases})

    asks_named = 0
    misses = []
    for template_id, ask in ADDED_ASKS:
        prompt = f"{catalogue[template_id].example_prompt.rstrip('. ')} {ask}"
        routed, phrases = named(prompt)
        inside = [phrase for phrase in phrases if phrase in ask.lower()]
        outside = [phrase for phrase in phrases if phrase not in ask.lower()]
        if outside:
            false_claims.append({"prompt": prompt, "template": routed, "named": outside})
        if inside:
            asks_named += 1
        else:
            misses.append({"prompt": prompt, "template": routed})

    print(
        json.dumps(
            {
                "prompts_read_in_full": len(read_in_full),
                "false_claims": len(false_claims),
                "false_claim_examples": false_claims[:10],
                "added_asks": len(ADDED_ASKS),
                "added_asks_named": asks_named,
                "added_asks_missed": misses,
                "seconds": round(time.perf_counter() - started, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

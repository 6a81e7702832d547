"""Refine by instruction: how often refine() does what an instruction asks, per template family.

Runs the suite in tests/offline/refine_cases.py: for each family, the instructions tried, those
changed correctly (exactly the asked values, and the aspect), those refused correctly (the
template cannot show them), those refused although the template could (missed: an honest
refusal, counted apart) and those wrong (a change that is not what was asked, or a change where
a refusal was due). Target: wrong = 0. The held-out instructions were written after the
refiner and are reported apart: the suite's cases were what it was built against. Prints one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.offline.refine_cases import (  # noqa: E402
    CHANGES,
    FAMILIES,
    HELD_OUT,
    REFUSALS,
    Change,
    Refusal,
    outcome,
)

COUNTS = ("tried", "changed_correctly", "refused_correctly", "missed", "wrong")


def score(
    cases: list[Change | Refusal], family_of: dict[str, str], problems: list[str]
) -> dict[str, dict[str, int]]:
    report = {family: dict.fromkeys(COUNTS, 0) for family in FAMILIES}
    for case in cases:
        counts = report[family_of[case.template]]
        counts["tried"] += 1
        verdict, detail = outcome(case)
        if verdict == "right":
            counts["changed_correctly" if isinstance(case, Change) else "refused_correctly"] += 1
        else:
            counts[verdict] += 1
            problems.append(f"{verdict}: {case.template}: {case.instruction!r}: {detail}")
    return report


def total(report: dict[str, dict[str, int]]) -> dict[str, int]:
    return {key: sum(family[key] for family in report.values()) for key in COUNTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list each wrong or missed case")
    args = parser.parse_args()
    family_of = {
        template: family for family, templates in FAMILIES.items() for template in templates
    }
    problems: list[str] = []
    started = time.perf_counter()
    suite = score([*CHANGES, *REFUSALS], family_of, problems)
    held_out = score(HELD_OUT, family_of, problems)
    count = len(CHANGES) + len(REFUSALS) + len(HELD_OUT)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if args.verbose:
        for line in problems:
            print(line, file=sys.stderr)
    print(
        json.dumps(
            {
                "families": suite,
                "total": total(suite),
                "held_out": {"families": held_out, "total": total(held_out)},
                "mean_ms_per_instruction": round(elapsed_ms / count, 2),
                "meets_target": total(suite)["wrong"] == 0 and total(held_out)["wrong"] == 0,
            }
        )
    )


if __name__ == "__main__":
    main()

"""How often the offline planner reads a prompt that asks for several things as that many
scenes with the right templates and values, and never cuts a prompt that asks for one thing.

Cases: tests/offline/ask_cases.py (written before the splitter was tuned). Prints one JSON
object: split cases right / wrong / not cut, one-ask cases kept / cut.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.generators.offline.asks import asks  # noqa: E402
from tests.offline.ask_cases import (  # noqa: E402
    HELD_OUT_ONE_ASK,
    HELD_OUT_TWO_ASKS,
    ONE_ASK,
    TWO_ASKS,
    TwoAsks,
)
from tests.offline.test_planner import matches  # noqa: E402


def score(two_asks: list[TwoAsks], one_ask: list[str]) -> dict:
    right, wrong, missed, failures = 0, 0, 0, []
    for case in two_asks:
        found = asks(case.prompt)
        if found is None:
            missed += 1
            failures.append({"prompt": case.prompt, "outcome": "not cut"})
            continue
        ok = len(found) == len(case.scenes) and all(
            ask.template_id in scene.templates and matches(scene.params, ask.params)
            for scene, ask in zip(case.scenes, found, strict=False)
        )
        right += ok
        wrong += not ok
        if not ok:
            failures.append(
                {
                    "prompt": case.prompt,
                    "outcome": "wrong",
                    "scenes": [[a.template_id, a.text, a.params] for a in found],
                }
            )
    cut = [prompt for prompt in one_ask if asks(prompt) is not None]
    kept = len(one_ask) - len(cut)
    return {
        "several_asks": len(two_asks),
        "split_right": right,
        "split_wrong": wrong,
        "not_split": missed,
        "one_ask": len(one_ask),
        "one_ask_kept": kept,
        "one_ask_cut": cut,
        "accuracy": round((right + kept) / (len(two_asks) + len(one_ask)), 3),
        "failures": failures,
    }


def main() -> None:
    result = {
        "tuned_on": score(TWO_ASKS, ONE_ASK),
        "held_out": score(HELD_OUT_TWO_ASKS, HELD_OUT_ONE_ASK),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

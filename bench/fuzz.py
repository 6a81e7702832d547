"""The long fuzzing run: every property of tests/fuzz with many more examples.

Prints one JSON object: per target, the examples tried (explicit ones and shrinking included),
seconds, and anything found (the shrunk failing example's error). `make test` runs the same
properties with a few dozen examples each.

    python bench/fuzz.py [EXAMPLES_PER_PROPERTY]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 500
os.environ["CHALK_FUZZ_EXAMPLES"] = str(EXAMPLES)
os.environ["CHALK_FUZZ_RESTORE_EXAMPLES"] = str(EXAMPLES)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The test modules read the environment above when they are imported.
from app.accounts import passwords  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.db_fixtures import throwaway_database  # noqa: E402
from tests.fuzz import test_code_fuzz as code  # noqa: E402
from tests.fuzz import test_form_fuzz as forms  # noqa: E402
from tests.fuzz import test_prompt_fuzz as prompts  # noqa: E402
from tests.fuzz import test_restore_fuzz as restores  # noqa: E402

PLAIN = {
    "policy_verdict": code.test_the_policy_gives_only_a_verdict,
    "fixer_returns_code": code.test_the_fixer_returns_code_and_never_hits_its_own_bug_path,
    "planner_plan_or_sentence": prompts.test_the_planner_gives_a_safe_plan_or_a_sentence,
    "template_parameters": prompts.test_template_parameters_give_safe_code_or_a_sentence,
    "analytics_date_range": forms.test_an_analytics_date_range_is_a_range,
}
ON_A_DATABASE = {
    "gallery_title": forms.test_a_title_is_stored_as_given_back_and_finds_its_video,
    "gallery_search": forms.test_a_search_gives_a_page,
    "gallery_lookups": forms.test_a_strange_id_or_share_token_finds_nothing,
    "feedback_comment": forms.test_a_feedback_comment_is_stored_as_given_back,
    "sign_up_fields": forms.test_sign_up_fields_make_an_account_or_a_sentence,
    "job_prompt": forms.test_a_prompt_is_queued_as_stored_or_refused,
    "job_code": forms.test_pasted_code_is_queued_as_stored_or_refused,
}


def run(call: Callable[[], None], owner: Any, name: str) -> dict[str, object]:
    """Run `call`, counting its calls of `owner.name`: one per example tried."""
    tried = 0
    body: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal tried
        tried += 1
        return body(*args, **kwargs)

    setattr(owner, name, counted)
    started = time.monotonic()
    found = None
    try:
        call()
    except Exception as exc:  # hypothesis re-raises the shrunk failing example
        found = f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        setattr(owner, name, body)
    return {"tried": tried, "seconds": round(time.monotonic() - started, 1), "found": found}


def run_property(prop: Any, **fixtures: Any) -> dict[str, object]:
    return run(lambda: prop(**fixtures), prop.hypothesis, "inner_test")


def main() -> None:
    passwords.BCRYPT_ROUNDS = 4  # sign-up examples hash a password each; as the tests do
    report: dict[str, Any] = {"examples_per_property": EXAMPLES, "targets": {}}
    for name, prop in PLAIN.items():
        report["targets"][name] = run_property(prop)
    with tempfile.TemporaryDirectory() as directory:
        for database in forms.open_forms("sqlite", Path(directory)):
            for name, prop in ON_A_DATABASE.items():
                report["targets"][name] = run_property(prop, forms=database)
        # `chalk restore` into a throwaway SQLite database, as its pytest fixtures give it.
        folder = Path(directory) / "restore"
        with throwaway_database(
            "sqlite", Settings(data_dir=folder / "data"), folder, migrate=True
        ) as target:
            # The restore property draws its archives inside; each example restores once.
            report["targets"]["restore_verdict"] = run(
                lambda: (
                    restores.test_restore_only_succeeds_or_refuses_and_a_refusal_changes_nothing(
                        target, folder
                    )
                ),
                restores,
                "restore",
            )
    report["examples_tried"] = sum(t["tried"] for t in report["targets"].values())
    report["found"] = sorted(n for n, t in report["targets"].items() if t["found"])
    print(json.dumps(report))


if __name__ == "__main__":
    main()

"""Each dashboard query against hand-made events with known answers (conftest.py), on SQLite and
PostgreSQL, through DuckDB's scanner and through the SQLAlchemy loader."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import analytics
from app.analytics import Snapshot
from tests.analytics.conftest import PRICE_PER_1K, rows

RATE_COLUMNS = ("finished", "succeeded", "failed", "cancelled", "success_rate")


def test_the_snapshot_holds_only_the_date_range(snap: Snapshot):
    # 8 finished jobs + 2 sign-ins + watched + help; not Feb 20 nor Mar 4 00:00.
    assert snap.row_counts["events"] == 12
    assert snap.row_counts["feedback"] == 5
    assert snap.row_counts["failed_jobs"] == 4  # J0 finished in February
    assert snap.row_counts["videos"] == 4  # storage is "now", whatever the range


def test_jobs_per_day_by_state(snap: Snapshot):
    assert rows(analytics.jobs_per_day(snap)) == [
        {"day": date(2026, 3, 1), "state": "failed", "jobs": 1},
        {"day": date(2026, 3, 1), "state": "succeeded", "jobs": 3},
        {"day": date(2026, 3, 2), "state": "cancelled", "jobs": 1},
        {"day": date(2026, 3, 2), "state": "failed", "jobs": 1},
        {"day": date(2026, 3, 2), "state": "succeeded", "jobs": 2},
    ]


def test_success_rate_overall_leaves_cancelled_jobs_out_of_the_rate(snap: Snapshot):
    assert rows(analytics.success_rate(snap)) == [
        {
            "finished": 8,
            "succeeded": 5,
            "failed": 2,
            "cancelled": 1,
            "success_rate": round(5 / 7, 6),
        }
    ]


def rates(table, group: str) -> list[tuple]:
    return [(r[group], *(r[c] for c in RATE_COLUMNS)) for r in rows(table)]


def test_success_rate_by_generator(snap: Snapshot):
    assert rates(analytics.success_rate(snap, by="generator"), "generator") == [
        ("offline", 4, 3, 1, 0, 0.75),
        ("llm", 3, 2, 1, 0, round(2 / 3, 6)),
        ("user", 1, 0, 0, 1, None),
    ]


def test_success_rate_by_template(snap: Snapshot):
    assert rates(analytics.success_rate(snap, by="template"), "template") == [
        ("circle_area", 2, 2, 0, 0, 1.0),
        ("riemann_sum", 2, 1, 1, 0, 0.5),
    ]


def test_success_rate_by_model_counts_llm_jobs_only(snap: Snapshot):
    assert rates(analytics.success_rate(snap, by="model"), "model") == [
        ("gpt-x", 2, 1, 1, 0, 0.5),
        ("model-b", 1, 1, 0, 0, 1.0),
    ]


def test_success_rate_refuses_an_unknown_grouping(snap: Snapshot):
    with pytest.raises(ValueError, match="generator, template or model"):
        analytics.success_rate(snap, by="prompt")  # type: ignore[arg-type]


def test_render_time_percentiles_by_quality_without_cache_hits(snap: Snapshot):
    # preview renders 2, 4, 6 s (the 0.1 s cache hit and the failure are left out).
    assert rows(analytics.render_time_percentiles(snap)) == [
        {"quality": "preview", "renders": 3, "p50_s": 4.0, "p90_s": 5.6, "p99_s": 5.96},
        {"quality": "standard", "renders": 1, "p50_s": 10.0, "p90_s": 10.0, "p99_s": 10.0},
    ]


def test_failures_by_kind_with_the_newest_distinct_messages(snap: Snapshot):
    assert rows(analytics.failures_by_kind(snap)) == [
        {
            "error_kind": "render",
            "failures": 1,
            "share": 0.5,
            "examples": ["The scene has no animation.", "The animation crashed at line 3."],
        },
        {
            "error_kind": "validation",
            "failures": 1,
            "share": 0.5,
            "examples": ["Use only the allowed imports."],
        },
    ]
    assert rows(analytics.failures_by_kind(snap, examples=1))[0]["examples"] == [
        "The scene has no animation."
    ]


def test_repair_attempts_distribution(snap: Snapshot):
    assert rows(analytics.repair_attempts(snap)) == [
        {"attempts": 1, "jobs": 5, "share": round(5 / 7, 6)},
        {"attempts": 2, "jobs": 1, "share": round(1 / 7, 6)},
        {"attempts": 3, "jobs": 1, "share": round(1 / 7, 6)},
    ]


def test_cache_hit_rate_over_succeeded_jobs(snap: Snapshot):
    assert rows(analytics.cache_hit_rate(snap)) == [
        {"succeeded": 5, "cache_hits": 1, "cache_hit_rate": 0.2}
    ]


def test_queue_wait_per_day(snap: Snapshot):
    assert rows(analytics.queue_wait(snap)) == [
        {"day": date(2026, 3, 1), "jobs": 4, "p50_s": 2.0, "p90_s": 4.4, "max_s": 5.0},
        {"day": date(2026, 3, 2), "jobs": 3, "p50_s": 2.0, "p90_s": 3.6, "max_s": 4.0},
    ]


def test_daily_active_teachers_count_those_who_made_a_video(snap: Snapshot):
    # Day 1: ada and bob made videos (bob's failure does not count twice). Day 2: cy and ada
    # (ada's cancelled job adds nothing). Day 3 has events, but nobody made a video.
    assert rows(analytics.daily_active_teachers(snap)) == [
        {"day": date(2026, 3, 1), "active_users": 2},
        {"day": date(2026, 3, 2), "active_users": 2},
    ]


def test_top_users(snap: Snapshot):
    table = rows(analytics.top_users(snap))
    assert [
        (r["username"], r["jobs"], r["succeeded"], r["failed"], r["tokens"]) for r in table
    ] == [
        ("ada", 4, 3, 0, 150),
        ("cy", 2, 1, 1, 300),
        ("bob", 2, 1, 1, 300),
    ]
    assert table[0]["last_active"] == datetime(2026, 3, 2, 12)
    assert [r["username"] for r in rows(analytics.top_users(snap, limit=1))] == ["ada"]


def test_feedback_share_of_thumbs_up_by_template(snap: Snapshot):
    assert rows(analytics.feedback_by_template(snap)) == [
        {"template": "circle_area", "votes": 2, "thumbs_up": 2, "thumbs_down": 0, "share_up": 1.0},
        {"template": "riemann_sum", "votes": 2, "thumbs_up": 1, "thumbs_down": 1, "share_up": 0.5},
        {"template": "(none)", "votes": 1, "thumbs_up": 0, "thumbs_down": 1, "share_up": 0.0},
    ]


def test_latest_comments_newest_first(snap: Snapshot):
    table = rows(analytics.latest_comments(snap))
    assert [(r["username"], r["rating"], r["comment"], r["video_id"]) for r in table] == [
        ("bob", 0, "Text overlaps the graph.", "VU"),
        ("cy", 0, "Too fast to follow.", "V8"),
        ("bob", 1, "Lovely, thanks!", "V1"),
    ]
    assert table[0]["at"] == datetime(2026, 3, 3, 8)
    assert len(rows(analytics.latest_comments(snap, limit=2))) == 2


def test_llm_tokens_and_estimated_cost(snap: Snapshot):
    assert rows(analytics.llm_usage(snap)) == [
        {"day": date(2026, 3, 1), "model": "gpt-x", "jobs": 2, "prompt_tokens": 300,
         "completion_tokens": 150, "tokens": 450, "estimated_cost": round(0.45 * PRICE_PER_1K, 6)},
        {"day": date(2026, 3, 2), "model": "model-b", "jobs": 1, "prompt_tokens": 300,
         "completion_tokens": 0, "tokens": 300, "estimated_cost": round(0.3 * PRICE_PER_1K, 6)},
    ]  # fmt: skip
    assert rows(analytics.llm_usage(snap, price_per_1k_tokens=1.0))[0]["estimated_cost"] == 0.45


def test_storage_counts_each_shared_file_once_and_versions_as_one_video(snap: Snapshot):
    assert rows(analytics.storage_used(snap)) == [
        {"videos": 3, "versions": 4, "stored_files": 3, "bytes": 4500, "megabytes": 0.0}
    ]


def test_event_counts(snap: Snapshot):
    assert rows(analytics.event_counts(snap)) == [
        {"kind": "job_finished", "events": 8, "users": 3},
        {"kind": "sign_in", "events": 2, "users": 2},
        {"kind": "help_opened", "events": 1, "users": 0},
        {"kind": "video_watched", "events": 1, "users": 1},
    ]


def test_run_all_gives_every_dashboard_table(snap: Snapshot):
    tables = analytics.run_all(snap)
    assert set(tables) == set(analytics.DASHBOARD)
    assert tables["success_rate"].num_rows == 1

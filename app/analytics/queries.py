"""The admin dashboard's tables: one function per table, each a DuckDB query on a Snapshot.

Every function takes a `Snapshot` (already limited to the chosen date range) and returns a
`pyarrow.Table` with the columns its docstring lists (`.to_pandas()` for a DataFrame).
Days are UTC dates. A rate is NULL when its denominator is zero. Which facts come from where:

- job facts (state, error kind, render and queue seconds, attempts, cache hit, tokens) are
  `job_finished` events, written when a job reaches its final state;
- "success rate" counts succeeded / (succeeded + failed): a cancelled job is the teacher's
  choice, not a failure;
- example failure messages come from the failed jobs themselves (events hold no text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pyarrow as pa

from app.analytics.snapshot import Snapshot

SuccessBy = Literal["generator", "template", "model"]

_QUALITY_ORDER = (
    "CASE quality WHEN 'preview' THEN 0 WHEN 'standard' THEN 1 WHEN 'high' THEN 2 ELSE 3 END"
)
_FINISHED = "kind = 'job_finished'"


def _query(snap: Snapshot, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
    return snap.con.execute(sql, params or {}).to_arrow_table()


def jobs_per_day(snap: Snapshot) -> pa.Table:
    """day, state, jobs: finished jobs per UTC day and final state."""
    return _query(
        snap,
        f"""
        SELECT CAST("at" AS DATE) AS day, state, count(*) AS jobs
        FROM events WHERE {_FINISHED}
        GROUP BY ALL ORDER BY day, state
        """,
    )


def success_rate(snap: Snapshot, by: SuccessBy | None = None) -> pa.Table:
    """[group], finished, succeeded, failed, cancelled, success_rate.

    `by=None` gives one overall row; "generator" groups by offline/llm/user, "template" by
    template (jobs without one left out), "model" by LLM model (LLM jobs only).
    """
    groups = {
        None: ("", ""),
        "generator": ("split_part(generator, ':', 1)", "generator IS NOT NULL"),
        "template": ("template", "template IS NOT NULL"),
        "model": ("substr(generator, 5)", "generator LIKE 'llm:%'"),
    }
    if by not in groups:
        raise ValueError(f"success_rate groups by generator, template or model, not {by!r}")
    expr, condition = groups[by]
    select_group = f"{expr} AS {by}, " if by else ""
    where = f"{_FINISHED}" + (f" AND {condition}" if condition else "")
    group = "GROUP BY 1 ORDER BY finished DESC, 1" if by else ""
    return _query(
        snap,
        f"""
        SELECT {select_group}
            count(*) AS finished,
            count(*) FILTER (state = 'succeeded') AS succeeded,
            count(*) FILTER (state = 'failed') AS failed,
            count(*) FILTER (state = 'cancelled') AS cancelled,
            CAST(count(*) FILTER (state = 'succeeded') AS DOUBLE)
                / NULLIF(count(*) FILTER (state IN ('succeeded', 'failed')), 0) AS success_rate
        FROM events WHERE {where}
        {group}
        """,
    )


def render_time_percentiles(snap: Snapshot) -> pa.Table:
    """quality, renders, p50_s, p90_s, p99_s: sandbox seconds of succeeded jobs that rendered
    (cache hits left out)."""
    return _query(
        snap,
        f"""
        SELECT quality, count(*) AS renders,
            quantile_cont(render_s, 0.5) AS p50_s,
            quantile_cont(render_s, 0.9) AS p90_s,
            quantile_cont(render_s, 0.99) AS p99_s
        FROM events
        WHERE {_FINISHED} AND state = 'succeeded' AND render_s IS NOT NULL
            AND NOT coalesce(cache_hit, false)
        GROUP BY quality ORDER BY {_QUALITY_ORDER}, quality
        """,
    )


def failures_by_kind(snap: Snapshot, examples: int = 3) -> pa.Table:
    """error_kind, failures, share, examples: failed jobs per error kind, the share of all
    failures, and up to `examples` of the newest distinct messages."""
    return _query(
        snap,
        """
        WITH counts AS (
            SELECT coalesce(error_kind, 'unknown') AS error_kind, count(*) AS failures
            FROM events WHERE kind = 'job_finished' AND state = 'failed' GROUP BY 1
        ),
        messages AS (
            SELECT error_kind, error_message, max(finished_at) AS latest
            FROM failed_jobs WHERE error_message IS NOT NULL GROUP BY ALL
        ),
        ranked AS (
            SELECT error_kind, error_message,
                row_number() OVER (PARTITION BY error_kind ORDER BY latest DESC, error_message)
                    AS n
            FROM messages
        )
        SELECT c.error_kind, c.failures,
            c.failures / sum(c.failures) OVER () AS share,
            coalesce(
                (SELECT list(r.error_message ORDER BY r.n) FROM ranked r
                 WHERE r.error_kind = c.error_kind AND r.n <= $examples),
                []::VARCHAR[]
            ) AS examples
        FROM counts c ORDER BY c.failures DESC, c.error_kind
        """,
        {"examples": examples},
    )


def repair_attempts(snap: Snapshot) -> pa.Table:
    """attempts, jobs, share: how many generate → render attempts finished jobs took."""
    return _query(
        snap,
        f"""
        SELECT attempts, count(*) AS jobs, count(*) / sum(count(*)) OVER () AS share
        FROM events WHERE {_FINISHED} AND attempts > 0
        GROUP BY attempts ORDER BY attempts
        """,
    )


def cache_hit_rate(snap: Snapshot) -> pa.Table:
    """succeeded, cache_hits, cache_hit_rate: one row over the succeeded jobs."""
    return _query(
        snap,
        f"""
        SELECT count(*) AS succeeded,
            count(*) FILTER (cache_hit) AS cache_hits,
            CAST(count(*) FILTER (cache_hit) AS DOUBLE) / NULLIF(count(*), 0) AS cache_hit_rate
        FROM events WHERE {_FINISHED} AND state = 'succeeded'
        """,
    )


def queue_wait(snap: Snapshot) -> pa.Table:
    """day, jobs, p50_s, p90_s, max_s: seconds from submit to a worker starting the job."""
    return _query(
        snap,
        f"""
        SELECT CAST("at" AS DATE) AS day, count(*) AS jobs,
            quantile_cont(queue_wait_s, 0.5) AS p50_s,
            quantile_cont(queue_wait_s, 0.9) AS p90_s,
            max(queue_wait_s) AS max_s
        FROM events WHERE {_FINISHED} AND queue_wait_s IS NOT NULL
        GROUP BY day ORDER BY day
        """,
    )


def daily_active_teachers(snap: Snapshot) -> pa.Table:
    """day, active_users: distinct teachers who made a video that day (a job that succeeded);
    signing in, browsing or a refused submit is not making something."""
    return _query(
        snap,
        f"""
        SELECT CAST("at" AS DATE) AS day, count(DISTINCT user_id) AS active_users
        FROM events WHERE user_id IS NOT NULL AND {_FINISHED} AND state = 'succeeded'
        GROUP BY day ORDER BY day
        """,
    )


def top_users(snap: Snapshot, limit: int = 10) -> pa.Table:
    """user_id, username, jobs, succeeded, failed, tokens, last_active: the busiest users."""
    return _query(
        snap,
        """
        SELECT e.user_id, u.username,
            count(*) FILTER (e.kind = 'job_finished') AS jobs,
            count(*) FILTER (e.kind = 'job_finished' AND e.state = 'succeeded') AS succeeded,
            count(*) FILTER (e.kind = 'job_finished' AND e.state = 'failed') AS failed,
            coalesce(sum(e.prompt_tokens + e.completion_tokens)
                FILTER (e.kind = 'job_finished'), 0) AS tokens,
            max(e."at") AS last_active
        FROM events e LEFT JOIN users u ON u.id = e.user_id
        WHERE e.user_id IS NOT NULL
        GROUP BY e.user_id, u.username
        ORDER BY jobs DESC, last_active DESC, e.user_id
        LIMIT $limit
        """,
        {"limit": limit},
    )


def feedback_by_template(snap: Snapshot) -> pa.Table:
    """template, votes, thumbs_up, thumbs_down, share_up ("(none)" for non-template videos)."""
    return _query(
        snap,
        """
        SELECT coalesce(template, '(none)') AS template, count(*) AS votes,
            count(*) FILTER (rating = 1) AS thumbs_up,
            count(*) FILTER (rating = 0) AS thumbs_down,
            CAST(count(*) FILTER (rating = 1) AS DOUBLE) / count(*) AS share_up
        FROM feedback GROUP BY 1 ORDER BY votes DESC, template
        """,
    )


def latest_comments(snap: Snapshot, limit: int = 20) -> pa.Table:
    """at, username, template, rating, comment, video_id: newest feedback with a comment."""
    return _query(
        snap,
        """
        SELECT f.updated_at AS "at", u.username, f.template, f.rating, f.comment, f.video_id
        FROM feedback f LEFT JOIN users u ON u.id = f.user_id
        WHERE f.comment IS NOT NULL AND trim(f.comment) <> ''
        ORDER BY f.updated_at DESC, f.id DESC
        LIMIT $limit
        """,
        {"limit": limit},
    )


def llm_usage(snap: Snapshot, price_per_1k_tokens: float | None = None) -> pa.Table:
    """day, model, jobs, prompt_tokens, completion_tokens, tokens, estimated_cost.

    The cost is tokens / 1000 × `price_per_1k_tokens` (default: CHALK_LLM_PRICE_PER_1K_TOKENS).
    """
    price = snap.llm_price_per_1k_tokens if price_per_1k_tokens is None else price_per_1k_tokens
    return _query(
        snap,
        f"""
        SELECT CAST("at" AS DATE) AS day,
            CASE WHEN generator LIKE 'llm:%' THEN substr(generator, 5)
                 ELSE coalesce(generator, 'unknown') END AS model,
            count(*) AS jobs,
            sum(prompt_tokens) AS prompt_tokens,
            sum(completion_tokens) AS completion_tokens,
            sum(prompt_tokens + completion_tokens) AS tokens,
            sum(prompt_tokens + completion_tokens) / 1000.0 * $price AS estimated_cost
        FROM events
        WHERE {_FINISHED} AND coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0) > 0
        GROUP BY ALL ORDER BY day, model
        """,
        {"price": float(price)},
    )


def storage_used(snap: Snapshot) -> pa.Table:
    """videos, versions, stored_files, bytes, megabytes: what the media store holds now.

    A video is a gallery item (its versions are one video to teachers, app/versions.py);
    identical renders share one stored file, so bytes count each file once.
    """
    return _query(
        snap,
        """
        WITH files AS (SELECT storage_key, max(size_bytes) AS size FROM videos GROUP BY 1)
        SELECT (SELECT count(DISTINCT coalesce(item_id, id)) FROM videos) AS videos,
            (SELECT count(*) FROM videos) AS versions,
            count(*) AS stored_files,
            coalesce(sum(size), 0) AS bytes,
            round(coalesce(sum(size), 0) / 1048576.0, 2) AS megabytes
        FROM files
        """,
    )


def event_counts(snap: Snapshot) -> pa.Table:
    """kind, events, users: how often each product event happened, and by how many users."""
    return _query(
        snap,
        """
        SELECT kind, count(*) AS events, count(DISTINCT user_id) AS users
        FROM events GROUP BY kind ORDER BY events DESC, kind
        """,
    )


DASHBOARD: dict[str, Callable[[Snapshot], pa.Table]] = {
    "jobs_per_day": jobs_per_day,
    "success_rate": success_rate,
    "success_by_generator": lambda snap: success_rate(snap, by="generator"),
    "success_by_template": lambda snap: success_rate(snap, by="template"),
    "success_by_model": lambda snap: success_rate(snap, by="model"),
    "render_time_percentiles": render_time_percentiles,
    "failures_by_kind": failures_by_kind,
    "repair_attempts": repair_attempts,
    "cache_hit_rate": cache_hit_rate,
    "queue_wait": queue_wait,
    "daily_active_teachers": daily_active_teachers,
    "top_users": top_users,
    "feedback_by_template": feedback_by_template,
    "latest_comments": latest_comments,
    "llm_usage": llm_usage,
    "storage_used": storage_used,
    "event_counts": event_counts,
}
"""Every table of the admin dashboard, by name (the bench and the page run them all)."""


def run_all(snap: Snapshot) -> dict[str, pa.Table]:
    """Every dashboard table for the snapshot's date range."""
    return {name: query(snap) for name, query in DASHBOARD.items()}

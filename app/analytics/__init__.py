"""Analytics for the admin page: DuckDB over Chalk's database (SQLite or PostgreSQL).

    with load_snapshot(settings, date_range=DateRange.last_days(30)) as snap:
        tables = run_all(snap)                  # every dashboard table, by name
        rate = success_rate(snap, by="model")   # or one table at a time
    csv_bytes, parquet_bytes = to_csv(rate), to_parquet(rate)

Snapshots and the choice of loader are in `snapshot.py`, the queries in `queries.py`.
Nothing here imports Streamlit.
"""

from app.analytics.export import CSV_MIME, PARQUET_MIME, download_name, to_csv, to_parquet
from app.analytics.queries import (
    DASHBOARD,
    cache_hit_rate,
    daily_active_teachers,
    event_counts,
    failures_by_kind,
    feedback_by_template,
    jobs_per_day,
    latest_comments,
    llm_usage,
    queue_wait,
    render_time_percentiles,
    repair_attempts,
    run_all,
    storage_used,
    success_rate,
    top_users,
)
from app.analytics.snapshot import AnalyticsError, DateRange, Snapshot, load_snapshot

__all__ = [
    "CSV_MIME",
    "DASHBOARD",
    "PARQUET_MIME",
    "AnalyticsError",
    "DateRange",
    "Snapshot",
    "cache_hit_rate",
    "daily_active_teachers",
    "download_name",
    "event_counts",
    "failures_by_kind",
    "feedback_by_template",
    "jobs_per_day",
    "latest_comments",
    "llm_usage",
    "load_snapshot",
    "queue_wait",
    "render_time_percentiles",
    "repair_attempts",
    "run_all",
    "storage_used",
    "success_rate",
    "to_csv",
    "to_parquet",
    "top_users",
]

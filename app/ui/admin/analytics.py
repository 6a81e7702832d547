"""The Admin page's Analytics tab: headline figures, tables and charts for a date range.

The numbers come from app.analytics (a DuckDB snapshot of the chosen date range, cached
briefly per range and database); each table can be downloaded as CSV or Parquet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pyarrow as pa
import streamlit as st

from app.analytics import (
    CSV_MIME,
    PARQUET_MIME,
    AnalyticsError,
    DateRange,
    download_name,
    load_snapshot,
    run_all,
    to_csv,
    to_parquet,
)
from app.settings import Settings
from app.ui.formatting import day, percent

DEFAULT_DAYS = 30
"""The analytics range the page opens with: the last 30 days, today included."""
CACHE_TTL_S = 120
"""How long one range's figures are reused before the database is read again."""

RATE_COLUMNS = frozenset({"success_rate", "share", "share_up", "cache_hit_rate"})
"""Columns holding a fraction, shown as percentages."""


def first_value(table: pa.Table, column: str) -> Any:
    """The first row's value of `column`, or None for an empty table."""
    if table.num_rows == 0:
        return None
    return table.column(column)[0].as_py()


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Reading the numbers…", max_entries=16)
def dashboard(_settings: Settings, database: str, first: date, last: date) -> dict[str, pa.Table]:
    """Every dashboard table for [first, last] (whole UTC days), cached per range and database.

    `database` (the settings as JSON) is the cache key for `_settings`, which is not hashed.
    """
    with load_snapshot(_settings, date_range=DateRange.from_dates(first, last)) as snap:
        return run_all(snap)


def downloads(name: str, table: pa.Table, first: date, last: date) -> None:
    """CSV and Parquet downloads of one table (made only when clicked)."""
    formats = (("CSV", "csv", to_csv, CSV_MIME), ("Parquet", "parquet", to_parquet, PARQUET_MIME))
    with st.container(horizontal=True, gap="small"):
        for label, extension, export, mime in formats:
            st.download_button(
                label,
                data=partial(export, table),
                file_name=download_name(name, extension, first, last),
                mime=mime,
                key=f"admin_{extension}_{name}",
                on_click="ignore",
                icon=":material/download:",
                type="tertiary",
            )


def table_section(
    title: str,
    name: str,
    tables: dict[str, pa.Table],
    first: date,
    last: date,
    *,
    chart: Callable[[Any], object] | None = None,
    empty: str = "Nothing in this date range.",
    caption: str | None = None,
) -> None:
    """A subheader, an optional chart, the table itself and its downloads."""
    table = tables[name]
    st.header(title, anchor=False)
    if caption:
        st.caption(caption)
    if table.num_rows == 0:
        st.caption(empty)
    else:
        if chart is not None:
            chart(table.to_pandas())
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                name: st.column_config.NumberColumn(format="percent")
                for name in table.column_names
                if name in RATE_COLUMNS
            },
        )
    downloads(name, table, first, last)


def headline(tables: dict[str, pa.Table], settings: Settings) -> None:
    finished = first_value(tables["success_rate"], "finished") or 0
    rate = first_value(tables["success_rate"], "success_rate")
    cache_rate = first_value(tables["cache_hit_rate"], "cache_hit_rate")
    active = tables["daily_active_teachers"]
    peak = max(active.column("active_users").to_pylist(), default=0)
    llm = tables["llm_usage"]
    tokens = sum(v or 0 for v in llm.column("tokens").to_pylist())
    cost = sum(v or 0 for v in llm.column("estimated_cost").to_pylist())
    feedback = tables["feedback_by_template"]
    votes = sum(feedback.column("votes").to_pylist())
    thumbs_up = sum(feedback.column("thumbs_up").to_pylist())
    megabytes = first_value(tables["storage_used"], "megabytes") or 0
    videos = first_value(tables["storage_used"], "videos") or 0

    row1 = st.columns(4)
    row1[0].metric("Jobs finished", f"{finished:,}")
    row1[1].metric("Success rate", percent(rate), help="Succeeded / (succeeded + failed)")
    row1[2].metric("Cache hit rate", percent(cache_rate), help="Of the succeeded jobs")
    row1[3].metric(
        "Most teachers active in a day",
        f"{peak:,}",
        help="Teachers who made at least one video that day",
    )
    row2 = st.columns(4)
    row2[0].metric(
        "Thumbs up",
        percent(thumbs_up / votes if votes else None),
        f"of {votes} vote{'s' if votes != 1 else ''}",
        delta_color="off",
        delta_arrow="off",
    )
    row2[1].metric("AI tokens", f"{tokens:,}")
    row2[2].metric(
        "Estimated AI cost",
        f"{cost:,.2f}",
        help=f"{settings.llm_price_per_1k_tokens} per 1,000 tokens (CHALK_LLM_PRICE_PER_1K_TOKENS)",
    )
    row2[3].metric(
        "Storage used",
        f"{megabytes:,.1f} MB",
        f"{videos} video{'s' if videos != 1 else ''}",
        delta_color="off",
        delta_arrow="off",
    )


def panel(settings: Settings) -> None:
    end = datetime.now(UTC).date()
    picked = st.date_input(
        "Date range (UTC days)",
        value=(end - timedelta(days=DEFAULT_DAYS - 1), end),
        max_value=end,
        key="admin_range",
        format="YYYY-MM-DD",
    )
    days = [d for d in (picked if isinstance(picked, tuple) else (picked,)) if d is not None]
    if len(days) < 2:
        st.info("Pick the last day of the range too.", icon=":material/date_range:")
        return
    first, last = days[0], days[-1]
    if st.button("Refresh", key="admin_refresh", icon=":material/refresh:", type="tertiary"):
        dashboard.clear()
    try:
        tables = dashboard(settings, settings.model_dump_json(), first, last)
    except AnalyticsError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.caption(
        f"{day(first)} – {day(last)} (UTC) · figures are at most {CACHE_TTL_S // 60} minutes "
        "old; press Refresh for the latest."
    )
    headline(tables, settings)

    jobs, quality, users, feedback, costs = st.tabs(
        ["Jobs", "Speed and failures", "Teachers", "Feedback", "AI and storage"]
    )
    with jobs:
        table_section(
            "Jobs per day",
            "jobs_per_day",
            tables,
            first,
            last,
            chart=lambda df: st.bar_chart(df, x="day", y="jobs", color="state", stack=True),
            empty="No job finished in this date range.",
        )
        table_section(
            "Success rate",
            "success_rate",
            tables,
            first,
            last,
            caption="A cancelled job is the teacher's choice, not a failure.",
        )
        table_section("Success by generator", "success_by_generator", tables, first, last)
        table_section("Success by template", "success_by_template", tables, first, last)
        table_section(
            "Success by AI model",
            "success_by_model",
            tables,
            first,
            last,
            empty="No AI-generated job in this date range.",
        )
    with quality:
        table_section(
            "Render time by quality (seconds)",
            "render_time_percentiles",
            tables,
            first,
            last,
            caption="Sandbox time of succeeded renders; cache hits left out.",
        )
        table_section(
            "Failures by error kind",
            "failures_by_kind",
            tables,
            first,
            last,
            empty="No failed job in this date range.",
        )
        table_section(
            "Attempts per job (repairs)",
            "repair_attempts",
            tables,
            first,
            last,
            chart=lambda df: st.bar_chart(df, x="attempts", y="jobs"),
        )
        table_section("Cache hit rate", "cache_hit_rate", tables, first, last)
        table_section(
            "Queue wait (seconds from submit to start)",
            "queue_wait",
            tables,
            first,
            last,
            chart=lambda df: st.line_chart(df, x="day", y=["p50_s", "p90_s"]),
        )
    with users:
        table_section(
            "Daily active teachers",
            "daily_active_teachers",
            tables,
            first,
            last,
            chart=lambda df: st.bar_chart(df, x="day", y="active_users"),
        )
        table_section("Top users", "top_users", tables, first, last)
        table_section("Product events", "event_counts", tables, first, last)
    with feedback:
        table_section(
            "Thumbs up by template",
            "feedback_by_template",
            tables,
            first,
            last,
            chart=lambda df: st.bar_chart(df, x="template", y="share_up"),
            empty="No feedback in this date range.",
        )
        table_section(
            "Latest comments",
            "latest_comments",
            tables,
            first,
            last,
            empty="No comments in this date range.",
        )
    with costs:
        table_section(
            "AI tokens and estimated cost",
            "llm_usage",
            tables,
            first,
            last,
            empty="No AI tokens used in this date range.",
            caption=f"Cost at {settings.llm_price_per_1k_tokens} per 1,000 tokens.",
        )
        table_section(
            "Storage used",
            "storage_used",
            tables,
            first,
            last,
            caption="What the media store holds now, whatever the date range.",
        )

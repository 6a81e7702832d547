"""The Admin page's sections: analytics (DuckDB), users and invites, and the job queue.

Each section is one function the page calls inside its tab. The numbers come from
app.analytics (a DuckDB snapshot of the chosen date range, cached briefly per range and
database), the accounts from app.accounts, the queue from app.jobs.overview.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyarrow as pa
import streamlit as st

from app.accounts import invites
from app.accounts import users as accounts
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
from app.db.models import ROLES
from app.errors import ChalkError
from app.jobs import overview, service
from app.settings import RoleQuota, Settings
from app.ui import layout
from app.ui.session import still_admin

DEFAULT_DAYS = 30
"""The analytics range the page opens with: the last 30 days, today included."""
CACHE_TTL_S = 120
"""How long one range's figures are reused before the database is read again."""
QUEUE_ROWS = 100
"""Jobs listed with a Cancel button; a longer queue is counted above the list."""

RATE_COLUMNS = frozenset({"success_rate", "share", "share_up", "cache_hit_rate"})
"""Columns holding a fraction, shown as percentages."""

QUOTA_LABELS = {
    "videos_per_day": "Videos per day",
    "render_minutes_per_month": "Render minutes per month",
    "concurrent_jobs": "Jobs at once",
    "llm_tokens_per_month": "AI tokens per month",
    "submits_per_minute": "Submits per minute",
}
"""RoleQuota fields as admins read them (the same order in the table and the form)."""


# --- small formatting helpers ---------------------------------------------------------------


def ago(seconds: float | None) -> str:
    """12 → "12 s", 150 → "2 min", 4000 → "1 h 6 min"; None → "—"."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60} min" if rest >= 60 else f"{hours} h"


def day(moment: date) -> str:
    """3 Mar 2026 (as layout.day, for a plain date)."""
    return f"{moment.day} {moment:%b %Y}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def first_value(table: pa.Table, column: str) -> Any:
    """The first row's value of `column`, or None for an empty table."""
    if table.num_rows == 0:
        return None
    return table.column(column)[0].as_py()


# --- Analytics ------------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Reading the numbers…", max_entries=16)
def dashboard(_settings: Settings, database: str, first: date, last: date) -> dict[str, pa.Table]:
    """Every dashboard table for [first, last] (whole UTC days), cached per range and database.

    `database` (the settings as JSON) is the cache key for `_settings`, which is not hashed.
    """
    with load_snapshot(_settings, date_range=DateRange.from_dates(first, last)) as snap:
        return run_all(snap)


def downloads(name: str, table: pa.Table, first: date, last: date) -> None:
    """CSV and Parquet downloads of one table (made only when clicked)."""
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "CSV",
            data=lambda: to_csv(table),
            file_name=download_name(name, "csv", first, last),
            mime=CSV_MIME,
            key=f"admin_csv_{name}",
            on_click="ignore",
            icon=":material/download:",
            type="tertiary",
        )
        st.download_button(
            "Parquet",
            data=lambda: to_parquet(table),
            file_name=download_name(name, "parquet", first, last),
            mime=PARQUET_MIME,
            key=f"admin_parquet_{name}",
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
    st.subheader(title, anchor=False)
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
    row1[3].metric("Most teachers active in a day", f"{peak:,}")
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


def analytics_panel(settings: Settings) -> None:
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


# --- Users ----------------------------------------------------------------------------------


NOT_ADMIN = "Only Chalk admins can do that."


def _report(settings: Settings, action: Callable[[], object], done: str) -> None:
    """Run an account change from a callback: a toast when done, the sentence when refused."""
    if not still_admin(settings):
        st.session_state["admin_users_error"] = NOT_ADMIN
        return
    try:
        action()
    except (ChalkError, accounts.AccountNotFound) as exc:
        message = exc.message if isinstance(exc, ChalkError) else "That account no longer exists."
        st.session_state["admin_users_error"] = message
        return
    st.session_state.pop("admin_users_error", None)
    layout.flash(done)


def _save_role(settings: Settings, username: str, key: str) -> None:
    role = st.session_state[key]
    _report(
        settings,
        lambda: accounts.set_role(settings=settings, username=username, role=role),
        f"{username} is now {'an admin' if role == 'admin' else 'a teacher'}.",
    )


def _set_disabled(settings: Settings, username: str, disabled: bool) -> None:
    _report(
        settings,
        lambda: accounts.set_disabled(settings=settings, username=username, disabled=disabled),
        f"{username} {'can no longer sign in' if disabled else 'can sign in again'}.",
    )


def _save_quotas(settings: Settings, user_id: int, username: str) -> None:
    values = {name: st.session_state.get(f"admin_quota_{name}_{user_id}") for name in QUOTA_LABELS}
    try:
        overrides = RoleQuota(**{k: (int(v) if v is not None else None) for k, v in values.items()})
    except ValueError:
        st.session_state["admin_users_error"] = (
            "A limit must be a whole number (jobs at once and submits per minute at least 1)."
        )
        return
    _report(
        settings,
        lambda: accounts.set_quota_overrides(
            settings=settings, user_id=user_id, overrides=overrides
        ),
        f"Limits saved for {username}.",
    )


def _make_invite(settings: Settings, admin_id: int) -> None:
    if not still_admin(settings):
        st.session_state["admin_users_error"] = NOT_ADMIN
        return
    try:
        code = invites.create_invite(
            settings=settings,
            created_by=admin_id,
            role=st.session_state.get("admin_invite_role", "teacher"),
            uses=int(st.session_state.get("admin_invite_uses") or 1),
        )
    except ChalkError as exc:
        st.session_state["admin_users_error"] = exc.message
        return
    st.session_state["admin_invite_code"] = code


def accounts_table(rows: list[accounts.Account]) -> None:
    st.dataframe(
        [
            {
                "username": a.username,
                "name": a.display_name,
                "role": a.role,
                "disabled": a.disabled,
                "last sign-in": a.last_login_at,
                **{label: getattr(a.overrides, name) for name, label in QUOTA_LABELS.items()},
            }
            for a in rows
        ],
        hide_index=True,
    )
    st.caption("An empty limit means the role's default from the settings.")


def account_actions(settings: Settings, account: accounts.Account) -> None:
    role_col, state_col = st.columns(2, vertical_alignment="bottom")
    role_key = f"admin_role_{account.id}"
    role_col.selectbox(
        "Role",
        ROLES,
        index=ROLES.index(account.role) if account.role in ROLES else 0,
        key=role_key,
        format_func=str.capitalize,
    )
    role_col.button(
        "Save role",
        key="admin_save_role",
        on_click=_save_role,
        args=(settings, account.username, role_key),
    )
    state_col.markdown(
        f"**{account.username}** {'is disabled' if account.disabled else 'can sign in'}."
    )
    state_col.button(
        "Enable account" if account.disabled else "Disable account",
        key="admin_toggle_disabled",
        icon=":material/lock_open:" if account.disabled else ":material/block:",
        on_click=_set_disabled,
        args=(settings, account.username, not account.disabled),
    )
    defaults = settings.quotas.get(account.role, RoleQuota())
    with st.form(f"admin_quota_form_{account.id}"):
        st.markdown(f"**Limits for {account.username}** (empty: the {account.role} default)")
        columns = st.columns(len(QUOTA_LABELS))
        for column, (name, label) in zip(columns, QUOTA_LABELS.items(), strict=True):
            default = getattr(defaults, name)
            column.number_input(
                label,
                value=getattr(account.overrides, name),
                min_value=1 if name in ("concurrent_jobs", "submits_per_minute") else 0,
                step=1,
                key=f"admin_quota_{name}_{account.id}",
                placeholder=f"{default:,}" if default is not None else "no limit",
            )
        st.form_submit_button(
            "Save limits",
            on_click=_save_quotas,
            args=(settings, account.id, account.username),
        )


def invites_section(settings: Settings, admin_id: int) -> None:
    st.subheader("Invite codes", anchor=False)
    if settings.registration != "invite":
        st.caption(
            f"Registration is {settings.registration}; invite codes are used when "
            "CHALK_REGISTRATION=invite."
        )
        return
    role_col, uses_col, button_col = st.columns([2, 2, 2], vertical_alignment="bottom")
    role_col.selectbox("Role", ROLES[::-1], key="admin_invite_role", format_func=str.capitalize)
    uses_col.number_input("Uses", min_value=1, max_value=1000, value=1, key="admin_invite_uses")
    button_col.button(
        "Create invite code",
        key="admin_make_invite",
        icon=":material/key:",
        on_click=_make_invite,
        args=(settings, admin_id),
    )
    code = st.session_state.pop("admin_invite_code", None)
    if code:
        st.success(
            f"Send this code to the new user; it is shown only once and works for "
            f"{settings.invite_ttl_days} days.",
            icon=":material/key:",
        )
        st.code(code, language=None)


def users_panel(settings: Settings, admin_id: int) -> None:
    error = st.session_state.pop("admin_users_error", None)
    if error:
        st.error(error, icon=":material/error:")
    rows = accounts.list_accounts(settings=settings)
    accounts_table(rows)
    by_name = {account.username: account for account in rows}
    if by_name:
        picked = st.selectbox(
            "Account",
            list(by_name),
            key="admin_user_pick",
            format_func=lambda name: (
                f"{name} — {by_name[name].display_name} ({by_name[name].role})"
            ),
        )
        if picked in by_name:
            account_actions(settings, by_name[picked])
    invites_section(settings, admin_id)


# --- Queue ----------------------------------------------------------------------------------


def _cancel(settings: Settings, job_id: str) -> None:
    if not still_admin(settings):
        st.session_state["admin_queue_message"] = NOT_ADMIN
        return
    try:
        outcome = service.cancel(settings=settings, job_id=job_id, owner_id=None)
        message = outcome.message
    except service.JobNotFound:
        message = "That job no longer exists."
    st.session_state["admin_queue_message"] = f"{job_id[:8]}: {message}"


def queue_body(settings: Settings) -> None:
    report = overview.queue_overview(settings=settings)
    message = st.session_state.pop("admin_queue_message", None)
    if message:
        st.info(message, icon=":material/stop_circle:")
    for problem in report.problems:
        st.warning(problem, icon=":material/warning:")
    stats = st.columns(4)
    stats[0].metric("Queued", report.queued)
    stats[1].metric("Running", report.running)
    stats[2].metric("Longest wait", ago(report.oldest_queued_s))
    stats[3].metric(
        "In Redis" if report.backend == "rq" else "Queue",
        report.queue_depth if report.queue_depth is not None else "inline",
    )

    st.subheader("Jobs", anchor=False)
    if not report.jobs:
        st.caption("No job is waiting or running.")
    if len(report.jobs) > QUEUE_ROWS:
        st.caption(f"The oldest {QUEUE_ROWS} of {len(report.jobs)} jobs:")
    for job in report.jobs[:QUEUE_ROWS]:
        words, action = st.columns([6, 1], vertical_alignment="center")
        stage = job.stage or ("waiting" if job.state == "queued" else "starting")
        beat = ""
        if job.state == "running":
            beat = f" · heartbeat {ago(job.heartbeat_age_s)} ago" + (
                " :red[(silent)]" if job.stale else ""
            )
        words.markdown(
            f"**{job.owner}** · {job.state} · {stage} · {job.quality} · "
            f"age {ago(job.age_s)}{beat}  \n:gray[{job.job_id} · {job.worker_id or 'no worker'}]"
        )
        action.button(
            "Cancel",
            key=f"admin_cancel_{job.job_id}",
            icon=":material/stop_circle:",
            disabled=job.cancel_requested,
            on_click=_cancel,
            args=(settings, job.job_id),
        )

    st.subheader("Workers", anchor=False)
    if not report.workers:
        st.caption(
            "No worker has reported: start `chalk worker`."
            if report.backend == "rq"
            else "The inline pool starts with the app's first job."
        )
        return
    st.dataframe(
        [
            {
                "worker": worker.name,
                "kind": worker.kind,
                "state": worker.state,
                "last heartbeat": ago(worker.heartbeat_age_s) + " ago",
                "silent": worker.stale,
                "current job": worker.current_job,
                "detail": worker.detail,
            }
            for worker in report.workers
        ],
        hide_index=True,
    )


def queue_panel(settings: Settings) -> None:
    live = st.toggle("Refresh every 5 seconds", key="admin_queue_live")
    st.fragment(queue_body, run_every=5 if live else None)(settings)

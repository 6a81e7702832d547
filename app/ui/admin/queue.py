"""The Admin page's Queue tab: waiting and running jobs (each with Cancel) and the workers,
from app.jobs.overview, optionally refreshed every few seconds."""

from __future__ import annotations

import streamlit as st

from app.jobs import overview, service
from app.jobs.dispatch import WAITING_WORDS
from app.settings import Settings
from app.ui import formatting
from app.ui.formatting import ago, shorten
from app.ui.session import NOT_ADMIN, still_admin

QUEUE_ROWS = 100
"""Jobs listed with a Cancel button; a longer queue is counted above the list."""


def _cancel(settings: Settings, job_id: str, label: str) -> None:
    if not still_admin(settings):
        st.session_state["admin_queue_message"] = NOT_ADMIN
        return
    try:
        outcome = service.cancel(settings=settings, job_id=job_id, owner_id=None)
        message = outcome.message
    except service.JobNotFound:
        message = "That job no longer exists."
    st.session_state["admin_queue_message"] = f"{label}: {message}"


def worker_name(worker_id: str | None) -> str:
    """ "inline:host:9/abcd1234" → "worker inline:host:9": the job's own id is noise here."""
    return f"worker {worker_id.split('/')[0]}" if worker_id else "no worker yet"


def queue_body(settings: Settings) -> None:
    report = overview.queue_overview(settings=settings)
    message = st.session_state.pop("admin_queue_message", None)
    if message:
        st.info(formatting.literal(message), icon=":material/stop_circle:")
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

    st.header("Jobs", anchor=False)
    if not report.jobs:
        st.caption("No job is waiting or running.")
    if len(report.jobs) > QUEUE_ROWS:
        st.caption(f"The oldest {QUEUE_ROWS} of {len(report.jobs)} jobs:")
    for job in report.jobs[:QUEUE_ROWS]:
        words, action = st.columns([6, 1], vertical_alignment="center")
        stage = job.stage or ("waiting" if job.state == "queued" else "starting")
        if job.awaiting_slot:
            stage = WAITING_WORDS
        beat = ""
        if job.state == "running":
            beat = f" · heartbeat {ago(job.heartbeat_age_s)} ago" + (
                " :red[(silent)]" if job.stale else ""
            )
        label = f"{job.owner}'s “{shorten(job.what, 60)}”"
        words.markdown(
            f"**{job.owner}** · {formatting.literal(shorten(job.what, 90))}  \n"
            f":gray[{job.state} · {stage} · {job.quality} · waiting or running for "
            f"{ago(job.age_s)}{beat} · {worker_name(job.worker_id)}]"
        )
        action.button(
            "Cancel",
            key=f"admin_cancel_{job.job_id}",
            icon=":material/stop_circle:",
            disabled=job.cancel_requested,
            on_click=_cancel,
            args=(settings, job.job_id, label),
        )

    st.header("Workers", anchor=False)
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


def panel(settings: Settings) -> None:
    live = st.toggle("Refresh every 5 seconds", key="admin_queue_live")
    st.fragment(queue_body, run_every=5 if live else None)(settings)

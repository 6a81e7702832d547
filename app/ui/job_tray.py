"""Create's tray: every job of this browser session, each with its stage, a way to watch it and,
while it runs, to cancel it. Several jobs run at once; one is watched, and a job that finishes
in the background never takes its place.

The page keeps the session's job ids in st.session_state[JOBS] (newest last) and the watched
one in "create_job"; watching another job puts its prompt back in the prompt box, so the box
and the video shown always belong together.
"""

from __future__ import annotations

import streamlit as st

from app.jobs import service
from app.jobs.dispatch import WAITING_WORDS
from app.jobs.service import JobView
from app.settings import Settings
from app.ui import formatting
from app.ui.session import may_change

JOBS = "create_jobs"
SHOWN = 8  # the newest jobs listed; older ones stay in the gallery
STATE_WORDS = {
    "queued": ":material/schedule: waiting",
    "running": ":material/autorenew: making",
    "succeeded": ":material/check_circle: ready",
    "failed": ":material/error: failed",
    "cancelled": ":material/stop_circle: cancelled",
}
WAITING_FOR_SLOT = f":material/hourglass_empty: {WAITING_WORDS}"
"""A job accepted while the teacher's other animations are being made (see app.jobs.dispatch)."""


def remember(job_id: str) -> None:
    """Add a new job to the tray and watch it."""
    jobs = st.session_state.setdefault(JOBS, [])
    if job_id not in jobs:
        jobs.append(job_id)
    st.session_state["create_job"] = job_id


def _watch(view: JobView) -> None:
    st.session_state["create_job"] = view.job_id
    st.session_state["create_prompt"] = view.prompt or ""
    st.session_state.pop("create_error", None)


def _cancel(settings: Settings, owner_id: int, job_id: str) -> None:
    if not may_change(settings, owner_id):  # a fragment's run skips the page's sign-in check
        return
    outcome = service.cancel(settings=settings, job_id=job_id, owner_id=owner_id)
    st.toast(outcome.message, icon=":material/stop_circle:")


def label_of(view: JobView) -> str:
    if view.prompt:
        return formatting.shorten(view.prompt, 60)
    titles = st.session_state.get("create_titles", {})
    return formatting.shorten(titles.get(view.job_id, "Your edited code"), 60)


def tray(settings: Settings, owner_id: int) -> None:
    """The tray, refreshed every 2 seconds while any of its jobs is still running."""
    jobs = st.session_state.get(JOBS, [])
    if len(jobs) < 2:
        return  # one job is the page itself; the tray is for several
    views = []
    for job_id in reversed(jobs[-SHOWN:]):
        try:
            views.append(service.status(settings=settings, job_id=job_id, owner_id=owner_id))
        except service.JobNotFound:
            continue  # deleted meanwhile
    live = any(not view.finished for view in views)

    @st.fragment(run_every=2.0 if live else None)
    def rows() -> None:
        watched = st.session_state.get("create_job")
        with st.container(border=True, key="create_tray"):
            st.markdown(f"**This session's videos** ({len(views)})")
            for view in views:
                fresh = service.status(settings=settings, job_id=view.job_id, owner_id=owner_id)
                label = label_of(fresh)
                words, watch, stop = st.columns([6, 2, 2], vertical_alignment="center")
                state = (
                    WAITING_FOR_SLOT
                    if fresh.awaiting_slot
                    else STATE_WORDS.get(fresh.state, fresh.state)
                )
                progress = f" {fresh.progress:.0%}" if fresh.state == "running" else ""
                words.markdown(
                    f"{formatting.literal(label)}  \n:gray[{state}{progress}]"
                    + (" · **watching**" if fresh.job_id == watched else "")
                )
                watch.button(
                    "Watch",
                    key=f"create_tray_watch_{fresh.job_id}",
                    icon=":material/visibility:",
                    disabled=fresh.job_id == watched,
                    on_click=_watch,
                    args=(fresh,),
                    width="stretch",
                )
                if not fresh.finished:
                    stop.button(
                        "Cancel",
                        key=f"create_tray_cancel_{fresh.job_id}",
                        icon=":material/stop_circle:",
                        disabled=fresh.cancel_requested,
                        on_click=_cancel,
                        args=(settings, owner_id, fresh.job_id),
                        width="stretch",
                    )

    rows()

"""RQ entry points, imported by dotted path in the worker ("jobs.tasks.render").

Kept thin: the job function lives in app.jobs.runner. The worker launcher calls `configure`
so jobs run with its settings and name; without it they use the environment's settings.
"""

from __future__ import annotations

from rq import get_current_job

from app.jobs.backends import RQBackend
from app.jobs.dispatch import dispatch_after
from app.jobs.runner import execute, worker_name
from app.logs import log_context
from app.settings import Settings, get_settings

_configured: dict[str, object] = {}


def configure(settings: Settings, worker_id: str) -> None:
    """The settings and worker name every job in this process runs with."""
    _configured["settings"] = settings
    _configured["worker_id"] = worker_id


def render(job_id: str) -> str | None:
    """Run Chalk job `job_id` (the RQ job's only argument); returns its final state."""
    settings = _configured.get("settings") or get_settings()
    assert isinstance(settings, Settings)
    worker_id = str(_configured.get("worker_id") or f"rq:{worker_name()}")
    rq_job = get_current_job()
    request_id = rq_job.meta.get("request_id") if rq_job is not None else None
    backend = RQBackend(settings)
    with log_context(request_id=request_id, job_id=job_id):
        try:
            return execute(job_id, settings, worker_id, enqueue=backend.enqueue)
        finally:
            dispatch_after(settings, backend, job_id)  # its slot may be free now

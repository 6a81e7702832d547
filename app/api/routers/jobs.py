"""Jobs: submit (202), status, list by state, cancel; the same service calls as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from app import api_jobs, webhooks
from app.api.deps import OwnerDep, SettingsDep
from app.api.errors import ApiProblem
from app.api.lanes import run_submit
from app.api.limits import refuse_oversized
from app.api.models import CancelOut, JobCreate, JobList, JobOut, JobSpec, JobState
from app.api.routers import problems
from app.jobs import service
from app.settings import Settings

router = APIRouter(prefix="/jobs", tags=["jobs"])


def job_request(spec: JobSpec) -> api_jobs.JobRequest:
    return api_jobs.JobRequest(
        prompt=spec.prompt,
        code=spec.code,
        generator=spec.generator,
        quality=spec.quality,
        aspect=spec.aspect,
    )


def checked_webhook(settings: Settings, url: str | None) -> str | None:
    """The webhook address if Chalk may POST to it; 422 naming `webhook_url` if not."""
    if url is None:
        return None
    try:
        return webhooks.check_url(url, allow_private=settings.webhook_allow_private)
    except webhooks.WebhookUrlRefused as exc:
        raise ApiProblem(422, "validation", exc.message, field="webhook_url") from None


def refused_input(exc: service.ChalkError, field: str) -> Exception:
    """A service's validation refusal, with the field it is about (other refusals as they are)."""
    if exc.kind == "validation":
        return ApiProblem(422, "validation", exc.message, field=field)
    return exc


@router.post(
    "",
    status_code=202,
    response_model=JobOut,
    summary="Queue an animation",
    responses=problems(400, 401, 413, 422, 429),
)
async def submit_job(
    body: JobCreate, owner: OwnerDep, settings: SettingsDep, request: Request
) -> dict[str, Any]:
    def submit() -> dict[str, Any]:
        refuse_oversized(settings, prompt=body.prompt, code=body.code)
        url = checked_webhook(settings, body.webhook_url)
        try:
            view = api_jobs.submit_job(
                settings=settings,
                owner_id=owner.user_id,
                api_key_id=owner.key_id,
                request=job_request(body),
                webhook_url=url,
            )
        except service.ChalkError as exc:
            raise refused_input(exc, "code" if body.code is not None else "prompt") from None
        return view.to_json()

    return await run_submit(request, submit)


@router.get("", response_model=JobList, summary="Your jobs, newest first", responses=problems(401))
def list_jobs(
    owner: OwnerDep,
    settings: SettingsDep,
    state: Annotated[list[JobState] | None, Query(description="Only jobs in these states.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    views = service.list_jobs(
        settings=settings, owner_id=owner.user_id, limit=limit, offset=offset, states=state
    )
    return {"jobs": [view.to_json() for view in views], "limit": limit, "offset": offset}


@router.get("/{job_id}", response_model=JobOut, responses=problems(401, 404))
def job_status(job_id: str, owner: OwnerDep, settings: SettingsDep) -> dict[str, Any]:
    return service.status(settings=settings, job_id=job_id[:64], owner_id=owner.user_id).to_json()


@router.post(
    "/{job_id}/cancel",
    status_code=202,
    response_model=CancelOut,
    summary="Cancel a queued or running job",
    responses=problems(401, 404, 409),
)
def cancel_job(job_id: str, owner: OwnerDep, settings: SettingsDep) -> Any:
    outcome = service.cancel(settings=settings, job_id=job_id[:64], owner_id=owner.user_id)
    if not outcome.accepted:
        raise ApiProblem(409, "validation", outcome.message)
    return JSONResponse(
        {
            "job_id": outcome.job_id,
            "state": outcome.state,
            "accepted": outcome.accepted,
            "message": outcome.message,
        },
        status_code=202,
    )

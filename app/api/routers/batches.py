"""Batches: up to 50 jobs accepted together, and their per-state counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app import api_jobs
from app.api.deps import OwnerDep, SettingsDep
from app.api.lanes import run_submit
from app.api.limits import refuse_oversized
from app.api.models import BatchCreate, BatchCreated, BatchOut
from app.api.routers import problems
from app.api.routers.jobs import checked_webhook, job_request, refused_input
from app.jobs import service

router = APIRouter(prefix="/batches", tags=["batches"])


@router.post(
    "",
    status_code=202,
    response_model=BatchCreated,
    summary="Queue up to 50 animations at once (all or none)",
    responses=problems(400, 401, 413, 422, 429),
)
async def submit_batch(
    body: BatchCreate, owner: OwnerDep, settings: SettingsDep, request: Request
) -> dict[str, Any]:
    def submit() -> dict[str, Any]:
        for index, spec in enumerate(body.jobs):
            refuse_oversized(
                settings, prompt=spec.prompt, code=spec.code, field_prefix=f"jobs[{index}]."
            )
        url = checked_webhook(settings, body.webhook_url)
        try:
            view = api_jobs.submit_batch(
                settings=settings,
                owner_id=owner.user_id,
                api_key_id=owner.key_id,
                requests=[job_request(spec) for spec in body.jobs],
                webhook_url=url,
            )
        except service.ChalkError as exc:
            raise refused_input(exc, "jobs") from None
        return {"batch_id": view.batch_id, "job_ids": view.job_ids}

    return await run_submit(request, submit)


@router.get("/{batch_id}", response_model=BatchOut, responses=problems(401, 404))
def batch_status(batch_id: str, owner: OwnerDep, settings: SettingsDep) -> dict[str, Any]:
    return api_jobs.batch_status(
        settings=settings, batch_id=batch_id, owner_id=owner.user_id
    ).to_json()

"""Health (no key), templates and code generation (no render)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app import quotas
from app.api.deps import OwnerDep, SettingsDep
from app.api.limits import refuse_oversized
from app.api.models import GenerateIn, GenerateOut, TemplatesOut
from app.api.routers import problems
from app.generators.offline import list_templates
from app.ops.health import run_health
from app.pipeline.generate import generate_code

router = APIRouter(tags=["system"])


@router.get(
    "/health",
    summary="The `chalk health` report (no key needed)",
    responses={503: {"description": "A check failed; the body says which."}},
)
def health(settings: SettingsDep) -> JSONResponse:
    report = run_health(settings)
    return JSONResponse(report.to_json(), status_code=200 if report.status == "ok" else 503)


@router.get("/templates", response_model=TemplatesOut, responses=problems(401))
def templates(owner: OwnerDep) -> dict[str, Any]:
    return {"templates": [template.to_json() for template in list_templates()]}


@router.post(
    "/generate",
    response_model=GenerateOut,
    summary="Write the code for a prompt without rendering it",
    responses=problems(400, 401, 413, 422, 429, 503),
)
def generate(body: GenerateIn, owner: OwnerDep, settings: SettingsDep) -> dict[str, Any]:
    refuse_oversized(settings, prompt=body.prompt, code=None)
    if body.generator != "offline":
        quotas.llm_tokens_left(settings=settings, user_id=owner.user_id)
    generation = generate_code(
        body.prompt, generator=body.generator, aspect=body.aspect, settings=settings
    )
    return {
        "code": generation.code,
        "generator": generation.generator,
        "template": generation.template,
        "params": generation.params,
        "notes": generation.notes,
    }

"""Errors as application/problem+json (RFC 9457), with Chalk's error `kind`.

Handlers raise `ApiProblem` (or let a service's ChalkError or not-found error through); one
set of exception handlers turns all of them into the same body:
`{type, title, status, detail, instance, kind, field?, errors?}`. Another user's resource is
"not found" (404), never "forbidden", so ids cannot be probed.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.accounts.api_keys import ApiKeyNotFound
from app.api import API_VERSION, VERSION_HEADER
from app.api.errors import ApiProblem
from app.errors import INTERNAL_MESSAGE, ChalkError
from app.gallery import VideoNotFound
from app.jobs.service import JobNotFound
from app.quotas import retry_after_s

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}
STATUS_OF_KIND = {
    "validation": 422,
    "no_template": 422,
    "generation": 422,
    "quota": 429,
    "llm_unavailable": 503,
    "internal": 500,
}
"""The HTTP status for a service's ChalkError kind (others: 422)."""


def problem_response(request: Request, problem: ApiProblem) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:chalk:problem:{problem.kind}",
        "title": TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.url.path,
        "kind": problem.kind,
    }
    if problem.field is not None:
        body["field"] = problem.field
    if problem.errors:
        body["errors"] = problem.errors
    # The version header here too: a 500 is answered outside the app's middleware.
    headers = {**problem.headers, VERSION_HEADER: API_VERSION}
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    # ("body", "jobs", 3, "quality") -> "jobs[3].quality"; the body/query prefix is dropped.
    parts = list(location[1:]) if location and location[0] in ("body", "query", "path") else []
    text = ""
    for part in parts or list(location):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def install_handlers(app: FastAPI) -> None:
    """Turn every error into a problem+json response."""

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(error.get("loc", ())), "message": str(error.get("msg", ""))}
            for error in exc.errors()
        ]
        first = errors[0] if errors else {"field": "body", "message": "invalid"}
        detail = f"{first['field']}: {first['message']}"
        return problem_response(
            request,
            ApiProblem(422, "validation", detail, field=first["field"], errors=errors),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {401: "unauthorized", 404: "not_found"}.get(exc.status_code, "validation")
        detail = "There is nothing at this address." if exc.status_code == 404 else str(exc.detail)
        return problem_response(
            request, ApiProblem(exc.status_code, kind, detail, headers=dict(exc.headers or {}))
        )

    @app.exception_handler(JobNotFound)
    @app.exception_handler(VideoNotFound)
    @app.exception_handler(ApiKeyNotFound)
    async def _not_found(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, ApiProblem(404, "not_found", str(exc)))

    @app.exception_handler(ChalkError)
    async def _chalk(request: Request, exc: ChalkError) -> JSONResponse:
        status = STATUS_OF_KIND.get(exc.kind, 422)
        if status >= 500:
            log.error("%s %s failed: %s %s", request.method, request.url.path, exc.kind, exc.detail)
        headers = {}
        user_id = getattr(request.state, "user_id", None)
        if status == 429 and user_id is not None:
            # Measured when it was refused if the refusal was undone since (a batch).
            wait = getattr(exc, "retry_after_s", None) or await run_in_threadpool(
                lambda: retry_after_s(settings=request.app.state.settings, user_id=user_id)
            )
            headers["Retry-After"] = str(wait)
        field = getattr(exc, "field", None)
        return problem_response(
            request, ApiProblem(status, exc.kind, exc.message, headers=headers, field=field)
        )

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return problem_response(request, ApiProblem(500, "internal", INTERNAL_MESSAGE))

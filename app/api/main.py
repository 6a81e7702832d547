"""The FastAPI app: /v1 routers, problem+json errors, version and security headers, CORS,
the request size limit, and docs at /docs served from the package (no CDN).

With no Redis configured the API process is also the worker (the inline pool), so it runs
the webhook dispatcher too; with Redis, `chalk worker` processes do.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline

from app.api import API_VERSION, VERSION_HEADER
from app.api.headers import HeadersAndLimits
from app.api.problems import PROBLEM_JSON, install_handlers
from app.api.routers import batches, jobs, system, videos
from app.settings import Settings, get_settings
from app.webhooks import WebhookDispatcher

log = logging.getLogger(__name__)

DESCRIPTION = """\
Chalk turns a teacher's prompt into a Manim animation. Send your API key as
`Authorization: Bearer <key>`; errors are `application/problem+json` with Chalk's error `kind`.
Webhooks are signed: `Chalk-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
"""


def problem_schema(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with its default 422 (a JSON body of its own) replaced by Chalk's
    problem+json, which is what every 422 really is (app/api/problems.py)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        problem = {"$ref": "#/components/schemas/Problem"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if "422" in responses:
                    responses["422"] = {
                        "description": "Invalid input; `field` names the field.",
                        "content": {PROBLEM_JSON: {"schema": problem}},
                    }
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


def request_threads(settings: Settings) -> tuple[int, int]:
    """(other requests, submits) one API process handles at once: together, as many as its
    connection pool can serve. Submits get their own few threads (app.api.lanes)."""
    total = max(3, (settings.database_pool_size + settings.database_max_overflow) // 2)
    submits = max(1, total // 3)
    return total - submits, submits


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for `settings` (default: the process settings; `chalk api` uses this)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Handlers run in anyio's threads (40 by default), and a request holds up to two
        # pooled connections at once (a session inside a session). With more threads than
        # connections, a burst drained the pool and requests failed with a 500 after the pool's
        # 30 s wait (the 150-teacher load test); with fewer, a burst waits its turn instead.
        to_thread.current_default_thread_limiter().total_tokens = request_threads(settings)[0]
        dispatcher = None
        if not settings.redis_url:
            dispatcher = WebhookDispatcher(settings)
            dispatcher.start()
        try:
            yield
        finally:
            if dispatcher is not None:
                dispatcher.stop()

    app = FastAPIOffline(
        title="Chalk API",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.submit_threads = request_threads(settings)[1]
    app.openapi = lambda: problem_schema(app)  # type: ignore[method-assign]
    install_handlers(app)
    for router in (system.router, jobs.router, batches.router, videos.router):
        app.include_router(router, prefix="/v1")

    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.api_cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=[VERSION_HEADER, "Retry-After"],
            max_age=600,
        )
    # Added last, so outermost: preflight answers and 413s get the headers too.
    app.add_middleware(
        HeadersAndLimits,
        max_body_kb=settings.api_max_body_kb,
        security_headers=dict(settings.api_security_headers),
    )
    return app

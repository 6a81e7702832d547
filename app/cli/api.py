"""`chalk api`: serve the HTTP API v1 with uvicorn."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, UsageError
from app.settings import get_settings

WORKER_HEALTHCHECK_S = 60
"""How long uvicorn's supervisor waits for a worker process to answer its ping before it kills
and restarts it. Uvicorn's default, 5 s, is shorter than a worker's start on a busy 2-core
host (importing the app took 22-51 s at load average 20), so every worker was killed before it
served and replaced in a loop."""


def cmd_api(args: argparse.Namespace) -> int:
    # Lazy: uvicorn and FastAPI cost start-up time no other command needs.
    import uvicorn

    from app.db.migrate import ensure_schema
    from app.ops.sentry import set_component

    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535.")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1.")
    settings = get_settings()
    if args.workers > 1 and not settings.redis_url:
        raise UsageError(
            "--workers above 1 needs a queue shared by the processes: set CHALK_REDIS_URL "
            "(without it each process would run jobs in its own inline pool)."
        )
    set_component("api")
    ensure_schema(settings)  # once here, not in each of the --workers processes
    uvicorn.run(
        "app.api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        proxy_headers=settings.trusted_proxy_hops > 0,
        log_config=None,  # Chalk's own logging (text or JSON lines) stays in charge
    )
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    api = sub.add_parser(
        "api",
        help="serve the HTTP API v1 (docs at /docs, schema at /openapi.json)",
        description="Serve the HTTP API v1 with uvicorn. Without CHALK_REDIS_URL this process "
        "also runs the jobs (inline pool) and delivers webhooks; with it, `chalk worker` does.",
    )
    api.add_argument("--host", default="127.0.0.1", help="address to listen on")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--workers", type=int, default=1, help="uvicorn processes (needs Redis)")
    api.set_defaults(func=cmd_api)

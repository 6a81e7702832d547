"""Every response's headers (the API version, the security headers, the docs page's CSP,
no caching under /v1) and the request size limit, as plain ASGI middleware.

Plain ASGI, not Starlette's `@app.middleware("http")`: that one wraps every request and its
body in streams and a task group, a cost each status poll paid under the load test.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api import API_VERSION, VERSION_HEADER
from app.api.errors import ApiProblem
from app.api.problems import problem_response

DOCS_PATHS = ("/docs", "/static-offline-docs", "/redoc")
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)
"""The docs page runs Swagger UI's own (bundled) scripts; API responses allow nothing."""


class HeadersAndLimits:
    """Refuses a body over `max_body_kb` (by its Content-Length) with a 413 problem; adds the
    headers to every answer, that 413 and CORS preflights included (it is the outermost)."""

    def __init__(self, app: ASGIApp, *, max_body_kb: int, security_headers: dict[str, str]):
        self.app = app
        self.max_body_kb = max_body_kb
        self.security_headers = security_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[VERSION_HEADER] = API_VERSION
                for name, value in self.security_headers.items():
                    headers.setdefault(name, value)
                if path.startswith(DOCS_PATHS):
                    headers["Content-Security-Policy"] = DOCS_CSP
                elif path.startswith("/v1"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_kb * 1024:
            too_large = ApiProblem(
                413, "validation", f"The request is larger than {self.max_body_kb} KB; send less."
            )
            await problem_response(Request(scope), too_large)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

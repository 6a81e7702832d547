"""The HTTP API v1 (FastAPI): the same services as the pages, behind API keys.

`create_app(settings)` builds it; `chalk api` serves it with uvicorn. One router per resource
under /v1; errors are application/problem+json (app/api/problems.py).
"""

from __future__ import annotations

API_VERSION = "1.0"
"""Sent as `Chalk-API-Version` on every response: the major version is the URL's /v1, the
minor grows with additions that break no client (README: deprecation policy)."""
VERSION_HEADER = "Chalk-API-Version"

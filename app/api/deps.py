"""What handlers depend on: the settings, and the key's owner (every /v1 route but health)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from app.accounts.api_keys import KeyOwner, authenticate
from app.api.errors import ApiProblem
from app.logs import update_log_context
from app.settings import Settings

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    description="An API key from the Account page or `chalk users api-key create`.",
)

NO_KEY = "Send your API key in the header 'Authorization: Bearer <key>'."
BAD_KEY = "This API key is not valid: it is wrong, revoked, or its account is disabled."


async def get_app_settings(request: Request) -> Settings:
    """Async, so that FastAPI does not hop to a thread for it (it does for a plain def)."""
    settings: Settings = request.app.state.settings
    return settings


async def current_owner(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    settings: Annotated[Settings, Depends(get_app_settings)],
) -> KeyOwner:
    """The owner of the request's key; 401 (with WWW-Authenticate) for none or a bad one."""
    challenge = {"WWW-Authenticate": 'Bearer realm="chalk"'}
    if credentials is None or not credentials.credentials:
        raise ApiProblem(401, "unauthorized", NO_KEY, headers=challenge)
    owner = await run_in_threadpool(authenticate, settings=settings, key=credentials.credentials)
    if owner is None:
        raise ApiProblem(401, "unauthorized", BAD_KEY, headers=challenge)
    request.state.user_id = owner.user_id
    update_log_context(user_id=owner.user_id)
    return owner


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
OwnerDep = Annotated[KeyOwner, Depends(current_owner)]

"""The sign-in cookie as streamlit-authenticator 0.4.2 keeps it, with Chalk's three changes.

1. Its signed token carries the account's session version (app/accounts/cookie.py), and a
   token whose version is out of date signs nobody in: sign-out, disabling and a new
   password end every cookie issued before.
2. Its attributes: SameSite=Lax, and Secure when CHALK_APP_URL is https. Not HttpOnly: the
   cookie is written by JavaScript in the browser (extra-streamlit-components'
   CookieManager), and a script cannot set HttpOnly.
3. No component that reads the browser's cookies (`RequestCookieManager`): the cookie is read
   from the request. The component that writes it is drawn on every run until the browser
   says it wrote it: a rerun that came first (the app opening after a sign-in) used to remove
   it before its script ran, and about one sign-in in three did not stick.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import extra_streamlit_components as stx
import jwt
import streamlit as st
from streamlit_authenticator.models import CookieModel
from streamlit_authenticator.models import cookie_model as authenticator_cookies

from app.accounts.cookie import token_claims, token_is_current
from app.settings import Settings

_COOKIE_COMPONENT = importlib.import_module(stx.CookieManager.__module__)._component_func
# The cookie this session still has to write: {"cookie", "value", "options"}.
PENDING_WRITE = "auth_cookie_pending"
# The container the cookie components are drawn in, at the same place on every run: a
# component that comes and goes outside it would shift every later element of the page, and
# during that run the page would show the stale copy of each beside the new one.
COOKIE_SLOT = "auth_cookie_slot"


class RequestCookieManager(stx.CookieManager):
    """extra-streamlit-components' CookieManager without the component that reports the
    browser's cookies: the authenticator reads its cookie from the request
    (st.context.cookies), so that component only cost a rerun of every new session. That
    rerun could start before the browser knew which page it was on, and a link opened in a
    new tab (a shared video's /watch) then landed on the home page. Setting and deleting the
    cookie still draw their own one-shot components.
    """

    def __init__(self, key: str = "init") -> None:
        self.cookie_manager = _COOKIE_COMPONENT
        self.cookies: dict[str, Any] = dict(st.context.cookies)  # what the component reported
        self.slot = st.container(key=COOKIE_SLOT)
        self.drawn = False
        pending = st.session_state.get(PENDING_WRITE)
        if pending:
            self._write(pending)

    def set(
        self,
        cookie: str,
        val: str,
        key: str = "set",
        path: str = "/",
        expires_at: datetime | None = None,
        max_age: float | None = None,
        domain: str | None = None,
        secure: bool | None = None,
        same_site: str | None = "strict",
    ) -> None:
        """Write the cookie in the browser, on this run and every later one until it is done."""
        if not cookie:
            return
        expires = expires_at or datetime.now() + timedelta(days=1)
        options = {
            "path": path,
            "expires": expires.isoformat(),
            "maxAge": max_age,
            "domain": domain,
            "secure": secure,
            "sameSite": same_site,
        }
        pending = {
            "cookie": cookie,
            "value": val,
            "options": {k: v for k, v in options.items() if v is not None},
        }
        st.session_state[PENDING_WRITE] = pending
        if not self.drawn:  # else the next run draws it (one component per key and run)
            self._write(pending)
        self.cookies[cookie] = val

    def _write(self, pending: dict[str, Any]) -> None:
        """Draw the writing component with the same key and arguments as on the last run, so
        the browser keeps the one it has; it reports True once the cookie is written."""
        self.drawn = True
        with self.slot:
            written = self.cookie_manager(method="set", **pending, key="set", default=False)
        if written:
            st.session_state.pop(PENDING_WRITE, None)

    def delete(self, cookie: str, key: str = "delete") -> None:
        if cookie:
            st.session_state.pop(PENDING_WRITE, None)
            with self.slot:
                self.cookie_manager(method="delete", cookie=cookie, key=key, default=False)
            self.cookies.pop(cookie, None)


# The authenticator's cookie model makes its manager as `stx.CookieManager()`: give it ours.
authenticator_cookies.stx = SimpleNamespace(CookieManager=RequestCookieManager)


class VersionedCookie(CookieModel):
    """streamlit-authenticator's cookie model with the session version and Chalk's attributes.

    It adopts the model the authenticator made instead of making another: a second one would
    add a second CookieManager component with the same key to the page.
    """

    def __init__(self, made: CookieModel, settings: Settings) -> None:
        self.__dict__.update(made.__dict__)
        self.settings = settings
        self.secure = bool(settings.app_url and settings.app_url.startswith("https://"))

    def get_cookie(self) -> Any:
        token = super().get_cookie()
        if token and not token_is_current(settings=self.settings, claims=token):
            return None
        return token

    def set_cookie(self) -> None:
        if self.cookie_expiry_days == 0:  # the authenticator's "no cookie"
            return
        self.exp_date = self._set_exp_date()
        self.cookie_manager.set(
            self.cookie_name,
            self._token_encode(),
            expires_at=datetime.now() + timedelta(days=self.cookie_expiry_days),
            same_site="lax",
            secure=self.secure or None,  # None leaves the attribute out (plain http)
        )

    def _token_encode(self) -> str:
        claims = token_claims(
            settings=self.settings,
            username=st.session_state["username"],
            expires=float(self.exp_date or 0),
        )
        return jwt.encode(claims, self.cookie_key, algorithm="HS256")

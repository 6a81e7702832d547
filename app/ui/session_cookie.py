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
# The cookie write this session still has to draw: the component's arguments.
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
        self.cookie_manager = self._draw  # the library's set/delete draw through it
        self.cookies: dict[str, Any] = dict(st.context.cookies)  # what the component reported
        self.slot = st.container(key=COOKIE_SLOT)
        self.drawn = False
        pending = st.session_state.get(PENDING_WRITE)
        if pending:
            self._draw(**pending)

    def _remove_extra_spacing(self) -> None:
        """Nothing: the library draws a style here, outside the slot, which would shift the
        page; app/ui/auth.py's HIDE_COOKIE_FRAMES hides the frames instead."""

    def _draw(self, *, method: str, key: str, default: Any = False, **arguments: Any) -> Any:
        """Draw the cookie component in the slot. A write is kept pending and drawn again, with
        the same key and arguments so the browser keeps the frame it has, on every run until
        the frame reports it done (True)."""
        if method == "delete":
            st.session_state.pop(PENDING_WRITE, None)
        if method == "set":
            st.session_state[PENDING_WRITE] = {"method": method, "key": key, **arguments}
            if self.drawn:  # the next run draws it (one component per key and run)
                return default
            self.drawn = True
        with self.slot:
            done = _COOKIE_COMPONENT(method=method, key=key, default=default, **arguments)
        if method == "set" and done:
            st.session_state.pop(PENDING_WRITE, None)
        return done

    def delete(self, cookie: str, key: str = "delete") -> None:
        if cookie:
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

"""Sign-in with streamlit-authenticator over the users in Chalk's database.

The database is the only store of accounts. On every run the entry file calls `gate()`,
which builds streamlit-authenticator's credentials dict from the database
(`app.accounts.users.authenticator_credentials`), lets the authenticator re-authenticate
from its cookie, and re-reads the signed-in user, so that a disabled account is signed out
and a role change applies at the next click. The authenticator's widgets (sign in,
register, forgot password/username, update details, change password) only ever change
that throw-away dict; their callbacks write each change to the database, never to YAML.

School sign-in (Streamlit's st.login, OpenID Connect) is the other way in: when nobody is
signed in with a password, `school_user` maps the browser's st.user identity to a Chalk
account on every run by app/accounts/sso.py's rules, so disabling, a role change and an
ended session apply to it the same way.

The cookie's settings and token claims are app/accounts/cookie.py's (its session version
is checked on every cookie sign-in, app/ui/session_cookie.py), and the production key rule
is a validator of the settings; what is here needs streamlit (streamlit-authenticator
imports it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import (
    CredentialsError,
    ForgotError,
    LoginError,
    LogoutError,
    RegisterError,
    ResetError,
    UpdateError,
)

from app.accounts import sso, throttle, users
from app.accounts.cookie import cookie_settings
from app.accounts.passwords import (
    PASSWORD_MAX_BYTES,
    PASSWORD_MIN_CHARS,
    password_problem,
    username_problem,
)
from app.accounts.throttle import SessionThrottle
from app.errors import ChalkError
from app.settings import Settings
from app.ui import formatting, frame
from app.ui.session import USER_KEY, SessionUser
from app.ui.session import settings as app_settings
from app.ui.session_cookie import COOKIE_SLOT, VersionedCookie

log = logging.getLogger(__name__)

NAME_MAX_CHARS = 100
PASSWORD_HELP = (
    f"At least {PASSWORD_MIN_CHARS} characters (at most {PASSWORD_MAX_BYTES} bytes), and not "
    "your username. A short sentence is easy to remember and hard to guess."
)
"""Chalk's password rule, shown beside the password fields instead of the authenticator's."""


# --- the authenticator's checks, with Chalk's rules (pure) --------------------------------


class ChalkValidator(stauth.Validator):
    """streamlit-authenticator's field checks, replaced by Chalk's account rules.

    A username or password Chalk refuses raises ChalkError with Chalk's own sentence (the
    authenticator would only say "not valid"). The widgets' callbacks are not given the
    password, so the validator keeps the last new password it approved: the register and
    change-password callbacks run right after that check, in the same run.
    """

    def __init__(self) -> None:
        super().__init__()
        self.last_password: str | None = None

    def validate_username(self, username: str) -> bool:
        problem = username_problem(username)
        if problem:
            raise ChalkError("validation", problem)
        return True

    def validate_password(self, password: str) -> bool:
        problem = password_problem(password)
        if problem:
            raise ChalkError("validation", problem)
        self.last_password = password
        return True

    def diagnose_password(self, password: str) -> str:
        return password_problem(password) or "Choose another password."

    def validate_name(self, name: str) -> bool:
        """Names are optional; when given, at most 100 printable characters."""
        return len(name) <= NAME_MAX_CHARS and name.isprintable()


# streamlit-authenticator's messages → sentences a teacher can act on.
FRIENDLY = {
    "Passwords do not match": "The two passwords differ; type the same password twice.",
    "Password/repeat password fields cannot be empty": "Type your password in both boxes.",
    "No new password provided": "Type a new password in both boxes.",
    "New and current passwords are the same": (
        "Choose a new password that differs from your current one."
    ),
    "Email is not valid": "That email address does not look right; check it and try again.",
    "Email already taken": "An account with this email exists; sign in or reset its password.",
    "Username/email already taken": "That username is taken; choose another.",
    "First name is not valid": "Use at most 100 letters, spaces, dots or dashes for the name.",
    "Last name is not valid": "Use at most 100 letters, spaces, dots or dashes for the name.",
    "Password is incorrect": "Your current password is not right; type it again.",
    "Username/password is incorrect": "Your current password is not right; type it again.",
    "Username not provided": "Type your username.",
    "Email not provided": "Type the email address of your account.",
    "New and current values are the same": "That is already saved; type a new value.",
}
TRY_AGAIN = "That did not work; check the fields and try again."
TAKEN_ERRORS = frozenset({"Email already taken", "Username/email already taken"})
"""The authenticator's own sign-up refusals for a username or email it already knows."""


def friendly(error: Exception) -> str:
    """One sentence for an error from the widgets (Chalk's own or the authenticator's)."""
    if isinstance(error, ChalkError):
        return error.message
    return FRIENDLY.get(str(error).strip(), TRY_AGAIN)


WIDGET_ERRORS: tuple[type[Exception], ...] = (
    ChalkError,
    CredentialsError,
    ForgotError,
    LoginError,
    RegisterError,
    ResetError,
    UpdateError,
)
"""What the authenticator's widgets (and our callbacks inside them) raise for bad input."""


# --- the gate (streamlit) -----------------------------------------------------------------

WRONG_PASSWORD = "The username or password is not right; try again, or use 'Forgot password'."
SIGNED_OUT = "You are signed out."
ACCOUNT_DISABLED = (
    "Your account has been disabled, so you were signed out; ask your Chalk admin to enable it."
)
ACCOUNT_GONE = "Your account no longer exists, so you were signed out; ask your Chalk admin."
PASSWORD_CHANGED = (
    "Your password was changed, so you were signed out here; sign in with the new password."
)
SINCE_KEY = "auth_signed_in_at"
"""Session-state key of when this session signed in (Unix time), to end it on a new password."""
# The authenticator's cookie components are invisible iframes (in their own slot,
# app/ui/session_cookie.py); their element containers would still take a row of space at the
# top of every page. A hidden frame still runs its script.
HIDE_COOKIE_FRAMES = f"""<style>
.stElementContainer:has(iframe[src*="CookieManager.cookie_manager"]) {{ display: none; }}
.st-key-{COOKIE_SLOT} {{ display: none; }}
</style>"""
RESET_THREAD = "chalk-reset-mail"
"""Name of the thread that looks up a forgotten-password account and mails it (pages/login)."""
NOTICE_KEY = "auth_notice"
"""Session-state key of a sentence for the sign-in page (signed out, disabled…)."""


@dataclass
class Gate:
    """This run's authenticator, over a credentials dict built from the database."""

    settings: Settings
    authenticator: stauth.Authenticate
    credentials: dict[str, Any]
    validator: ChalkValidator

    def failed_usernames(self) -> list[str]:
        """Known usernames whose password the authenticator refused on this run.

        The dict starts every run with 0 failures (authenticator_credentials), and the
        authenticator adds one to the account it checked a wrong password against.
        """
        return [
            name
            for name, entry in self.credentials["usernames"].items()
            if entry.get("failed_login_attempts", 0) > 0
        ]


_run = threading.local()


def gate(settings: Settings) -> SessionUser | None:
    """Set up this run's authenticator and return the signed-in SessionUser (or None)."""
    cookie = cookie_settings(settings)
    credentials = users.authenticator_credentials(settings=settings, client=client_address())
    st.html(HIDE_COOKIE_FRAMES)
    validator = ChalkValidator()
    authenticator = stauth.Authenticate(
        credentials,
        cookie.name,
        cookie.key,
        cookie.expiry_days,
        validator=validator,
        auto_hash=False,
        login_sleep_time=0,  # 0.4.2 reads the cookie from the request; no need to wait
        password_instructions=PASSWORD_HELP,
    )
    cookies = authenticator.cookie_controller
    cookies.cookie_model = VersionedCookie(cookies.cookie_model, settings)
    _run.gate = Gate(settings, authenticator, credentials, validator)
    # False is "the last attempt failed": that was shown on its run, this run starts afresh.
    if st.session_state.get("authentication_status") is False:
        st.session_state["authentication_status"] = None
    signing_out = st.session_state.pop("auth_sign_out", False)
    if signing_out and st.session_state.get("authentication_status"):
        # Every cookie of the account stops working, a copy taken from this browser included.
        users.end_sessions(settings=settings, username=st.session_state.get("username") or "")
        sign_out(SIGNED_OUT)
    was_signed_in = bool(st.session_state.get("authentication_status"))
    try:
        authenticator.login(location="unrendered")  # re-authenticates from the cookie
    except LoginError:  # a cookie for an account that was deleted
        authenticator.cookie_controller.delete_cookie()
    if st.session_state.get("authentication_status") and not was_signed_in:
        # Signed in from the cookie: the session dates from when the cookie was made.
        token = authenticator.cookie_controller.get_cookie()
        made = time.time()
        if isinstance(token, dict) and isinstance(token.get("exp_date"), int | float):
            made = float(token["exp_date"]) - cookie.expiry_days * 86400
        mark_signed_in(made)

    user: SessionUser | None = None
    if st.session_state.get("authentication_status"):
        account = users.find_account(
            settings=settings, username=st.session_state.get("username") or ""
        )
        if account is None or account.disabled:
            sign_out(ACCOUNT_GONE if account is None else ACCOUNT_DISABLED)
        elif signed_in_before(account.password_changed_at):
            sign_out(PASSWORD_CHANGED)
        else:
            user = session_user(account)
    if user is None and not st.session_state.get("authentication_status"):
        user = school_user(settings, signing_out=signing_out)
    else:
        st.session_state.pop(SCHOOL_KEY, None)
    if user is None:
        st.session_state.pop(USER_KEY, None)
    else:
        st.session_state[USER_KEY] = user
    return user


# --- school sign-in (OpenID Connect through st.login) ---------------------------------------

SCHOOL_KEY = "auth_school_sign_in"
"""Session-state key of the school identity this session signed in with (issuer, subject,
issued at), once its sign-in is recorded."""
SCHOOL_REFUSED_KEY = "auth_school_refused"
"""Session-state key: the browser holds a school sign-in that Chalk refused."""


def school_providers(settings: Settings) -> list[sso.Provider]:
    """The school sign-in buttons: none unless secrets.toml's [auth] table configures a
    provider and CHALK_SSO_ALLOWED_DOMAINS names a domain."""
    if not settings.sso_allowed_domains or not st.secrets.load_if_toml_exists():
        return []
    auth = st.secrets.get("auth")  # Streamlit's AttrDict: a Mapping, its tables too
    return sso.providers(auth if isinstance(auth, Mapping) else None)


def school_user(settings: Settings, *, signing_out: bool) -> SessionUser | None:
    """The Chalk user of this browser's school sign-in (st.user), checked on every run as a
    password sign-in is: refused, disabled or ended, nobody is signed in and the sign-in
    page says why."""
    if not school_providers(settings) or not st.user.get("is_logged_in"):
        st.session_state.pop(SCHOOL_KEY, None)
        st.session_state.pop(SCHOOL_REFUSED_KEY, None)
        return None
    previous = st.session_state.get(USER_KEY)
    if signing_out:
        # Every school sign-in of the account ends (other browsers at their next click), and
        # Streamlit's identity cookie goes; this opens a new session on the sign-in page.
        if isinstance(previous, SessionUser):
            users.end_sessions(settings=settings, username=previous.username)
        st.session_state.pop(SCHOOL_KEY, None)
        st.logout()
        return None
    who = sso.identity(st.user.to_dict())
    problem: str | None = None
    account: users.Account | None = None
    if who is None:
        log.warning("school sign-in without issuer or subject; refused")
        problem = sso.NO_EMAIL
    else:
        try:
            account = sso.sign_in(settings=settings, who=who)
        except ChalkError as exc:
            log.info("school sign-in refused (%s, %s): %s", who.issuer, who.domain, exc.message)
            problem = exc.message
    if account is not None and account.disabled:
        problem = ACCOUNT_DISABLED
    if problem is not None or account is None or who is None:
        st.session_state[NOTICE_KEY] = problem
        st.session_state[SCHOOL_REFUSED_KEY] = True
        st.session_state.pop(SCHOOL_KEY, None)
        return None
    st.session_state.pop(SCHOOL_REFUSED_KEY, None)
    this_sign_in = (who.issuer, who.subject, who.issued_at)
    if st.session_state.get(SCHOOL_KEY) != this_sign_in:
        st.session_state[SCHOOL_KEY] = this_sign_in
        st.session_state.pop(NOTICE_KEY, None)
        if sso.record_sign_in(settings=settings, who=who):  # not a reload or a new tab
            users.record_sign_in(settings=settings, user_id=account.id, client=client_address())
            name = formatting.literal(account.display_name)
            frame.flash(f"Welcome, {name}.", ":material/waving_hand:")
    return session_user(account)


def session_user(account: users.Account) -> SessionUser:
    """Who is signed in, as the pages see it, from the account as the database has it."""
    return SessionUser(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        email=account.email,
        preferences=dict(account.preferences),
    )


def signed_in_with_school() -> bool:
    """Whether this session's user signed in with a school account (no Chalk password)."""
    return st.session_state.get(SCHOOL_KEY) is not None


def mark_signed_in(moment: float | None = None) -> None:
    """Record when this session signed in (a Unix time; now by default)."""
    st.session_state[SINCE_KEY] = time.time() if moment is None else moment


def signed_in_before(password_changed_at: datetime | None) -> bool:
    """Whether this session signed in before the password last changed (so it must end).

    A session with no record (signed in before this check existed) counts from now.
    """
    since = st.session_state.setdefault(SINCE_KEY, time.time())
    return password_changed_at is not None and since < password_changed_at.timestamp()


def current_gate() -> Gate:
    """This run's authenticator (set up by `gate` in streamlit_app.py)."""
    found = getattr(_run, "gate", None)
    if not isinstance(found, Gate):
        raise RuntimeError("the sign-in gate has not run; pages run through streamlit_app.py")
    return found


def sign_out(notice: str) -> None:
    """Sign this session out (and delete the cookie); `notice` is shown on the sign-in page."""
    try:
        current_gate().authenticator.logout(location="unrendered")
    except LogoutError:
        pass
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(SINCE_KEY, None)
    st.session_state[NOTICE_KEY] = notice


def request_sign_out() -> None:
    """The Sign out button's callback: the gate signs out at the start of the run."""
    st.session_state["auth_sign_out"] = True


def user_menu(user: SessionUser) -> None:
    """Top-right: who is signed in, a link to the account page, and Sign out."""
    with (
        st.container(horizontal=True, horizontal_alignment="right"),
        st.popover(formatting.literal(user.display_name), icon=":material/account_circle:"),
    ):
        st.caption(f"Signed in as **{user.username}** · {user.role}")
        st.page_link("pages/account.py", label="Account", icon=":material/person:")
        st.button(
            "Sign out",
            key="auth_sign_out_button",
            on_click=request_sign_out,
            icon=":material/logout:",
        )


def rerun_soon(seconds: float = 0.8) -> None:
    """Rerun the whole app shortly, not at once.

    After signing in, the authenticator's cookie is set by a component in the browser; an
    immediate st.rerun would drop that component before it ran. The component reruns the
    app by itself once the cookie is set; this is the fallback if it does not.
    """
    st.session_state["auth_rerun_armed"] = True

    @st.fragment(run_every=seconds)
    def _later() -> None:
        if st.session_state.pop("auth_rerun_armed", False):
            return
        st.rerun()

    _later()


def signed_in(username: str, *, welcome: bool = True) -> None:
    """After a password sign-in or a sign-up: record it and open the app."""
    gate_ = current_gate()
    account = users.find_account(settings=gate_.settings, username=username)
    if account is None:
        return
    users.record_sign_in(settings=gate_.settings, user_id=account.id, client=client_address())
    mark_signed_in()
    session_throttle().reset()
    st.session_state.pop(NOTICE_KEY, None)
    if welcome:
        name = formatting.literal(account.display_name)
        frame.flash(f"Welcome, {name}.", ":material/waving_hand:")
    st.success(f"Signed in as {account.username}. Opening Chalk…", icon=":material/login:")
    rerun_soon()


def client_address() -> str:
    """Who is connecting, as the throttles count clients (see throttle.client_address).

    Streamlit gives None for a loopback connection (a developer's browser, or a proxy on this
    host): those share one client unless `trusted_proxy_hops` says which forwarded address to
    believe. (AppTest gives a mock instead of an address: also local.)
    """
    address = st.context.ip_address
    return throttle.client_address(
        address if isinstance(address, str) else None,
        st.context.headers.get("X-Forwarded-For"),
        app_settings().trusted_proxy_hops,
    )


def session_throttle() -> SessionThrottle:
    """This browser session's failed sign-in counter."""
    throttle = st.session_state.get("auth_throttle")
    if not isinstance(throttle, SessionThrottle):
        throttle = SessionThrottle()
        st.session_state["auth_throttle"] = throttle
    return throttle

"""Sign in: the visitor's home page, with sign-up and the forgotten password or username."""

from __future__ import annotations

import threading
from typing import Any

import streamlit as st

from app import gallery
from app.accounts import invites, resets, users
from app.accounts.passwords import spend_a_hash
from app.accounts.throttle import Lockout, record_failed_login, user_lockout
from app.generators.offline import list_templates
from app.ui import a11y, auth, formatting, frame, media
from app.ui.navigation import local_server
from app.ui.session import settings

frame.require_frame()

cfg = settings()
gate = auth.current_gate()
SHOWCASE = 3  # public videos shown to visitors
NEUTRAL_RESET = (
    "If that account exists and has an email address, we sent it a link to choose a new "
    "password; it works for {minutes} minutes. Check your inbox (and the spam folder)."
)
NEUTRAL_USERNAME = (
    "If an account uses that email address, we sent it the username. Check your inbox "
    "(and the spam folder)."
)


@st.fragment(run_every=1.0)
def session_locked(lockout: Lockout) -> None:
    """The lockout message, counting down; the form comes back when it ends."""
    if auth.session_throttle().lockout() is None:
        st.rerun()
    st.error(lockout.message(), icon=":material/lock_clock:")


def sign_in() -> None:
    throttle = auth.session_throttle()
    lockout = throttle.lockout()
    if lockout is not None:
        # Locked: no form at all until the time is up.
        session_locked(lockout)
        return
    try:
        gate.authenticator.login(
            location="main",
            key="login_form",
            fields={
                "Form name": "Sign in",
                "Username": "Username",
                "Password": "Password",
                "Login": "Sign in",
            },
        )
    except auth.WIDGET_ERRORS as exc:
        st.error(auth.friendly(exc), icon=":material/error:")
        return
    status = st.session_state.get("authentication_status")
    if status:
        auth.signed_in(st.session_state["username"])
    elif status is False:
        failed(gate.failed_usernames())


def school_sign_in() -> None:
    """The school account buttons (st.login: Google, Microsoft…), when secrets configure one."""
    choices = auth.school_providers(cfg)
    if not choices:
        return
    for provider in choices:
        if st.button(
            provider.label,
            key=f"login_school_{provider.name}",
            type="primary",
            icon=":material/school:",
        ):
            st.login(provider.login_name)
    if st.session_state.get(auth.SCHOOL_REFUSED_KEY) and st.button(
        "Sign out of that school account", key="login_school_sign_out", type="tertiary"
    ):
        st.logout()
    st.caption("Or sign in with a Chalk username and password:")


def failed(usernames: list[str]) -> None:
    """A wrong password (or an unknown name): count it for this client's attempts at the
    account, and for the session."""
    client = auth.client_address()
    lockout: Lockout | None = None
    for name in usernames:
        # A locked account's password always fails for this client (its hash is unusable):
        # say that it is locked, not that the password is wrong.
        lockout = user_lockout(settings=cfg, client=client, username=name) or record_failed_login(
            settings=cfg, client=client, username=name
        )
    session_lockout = auth.session_throttle().fail(cfg)
    if session_lockout is not None:
        st.rerun()  # the form goes away; the next run shows the lockout
    if lockout is not None:
        st.error(lockout.message(), icon=":material/lock_clock:")
    else:
        st.error(auth.WRONG_PASSWORD, icon=":material/error:")


def register_callback(invite_code: str | None) -> Any:
    def write(details: dict[str, Any]) -> None:
        name = f"{details.get('new_name', '')} {details.get('new_last_name', '')}".strip()
        account = users.register(
            settings=cfg,
            username=details["new_username"],
            password=gate.validator.last_password or "",
            email=details.get("new_email") or None,
            client=auth.client_address(),
            display_name=name or None,
            invite_code=invite_code,
        )
        st.session_state["login_registered"] = account.username

    return write


def invite_form() -> str | None:
    """In invite mode: the code first (kept for the session), then the sign-up form."""
    code = st.session_state.get("login_invite")
    if code:
        return str(code)
    st.caption("Sign-up on this Chalk needs an invite code from your Chalk admin.")
    with st.form("login_invite_form"):
        typed = st.text_input("Invite code", placeholder="ABCD-EFGH-JKMN", key="login_invite_code")
        submitted = st.form_submit_button("Continue", type="primary")
    if submitted:
        problem = invites.invite_problem(settings=cfg, code=typed or "")
        if problem:
            a11y.field_error("Invite code", problem)
        else:
            st.session_state["login_invite"] = typed.strip()
            st.rerun()
    return None


def create_account() -> None:
    invite_code: str | None = None
    if cfg.registration == "closed":
        st.info(users.SIGN_UP_CLOSED, icon=":material/lock:")
        return
    # At the limit no form at all: the same answer whatever name would have been typed.
    busy = users.sign_up_busy(settings=cfg, client=auth.client_address())
    if busy is not None:
        st.warning(busy, icon=":material/hourglass_top:")
        return
    if users.is_new_install(settings=cfg):
        st.info(
            "This Chalk has no accounts yet: the account you create now becomes its admin.",
            icon=":material/shield_person:",
        )
    elif cfg.registration == "invite":
        invite_code = invite_form()
        if invite_code is None:
            return
    try:
        registered = gate.authenticator.register_user(
            location="main",
            key="login_register",
            captcha=False,
            password_hint=False,
            fields={
                "Form name": "Create an account",
                "First name": "First name",
                "Last name": "Last name (optional)",
                "Email": "Email",
                "Username": "Username",
                "Password": "Password",
                "Repeat password": "Repeat password",
                "Register": "Create account",
            },
            callback=register_callback(invite_code),
        )
    except auth.WIDGET_ERRORS as exc:
        if str(exc) in auth.TAKEN_ERRORS:
            # The authenticator refused before Chalk hashed the password: hash one anyway and
            # answer as Chalk does for a taken name, so neither the words nor the time tell
            # whether it was the username or the email that has an account.
            spend_a_hash()
            st.error(users.TAKEN, icon=":material/error:")
        else:
            st.error(auth.friendly(exc), icon=":material/error:")
        return
    username = st.session_state.pop("login_registered", None)
    if registered and registered[0] and username:
        st.session_state.pop("login_invite", None)
        # Signed in at once, as if through the sign-in form (the cookie included).
        account = users.find_account(settings=cfg, username=username)
        assert account is not None
        st.session_state.update(
            authentication_status=True,
            username=account.username,
            name=account.display_name,
            email=account.email,
            roles=[account.role],
        )
        gate.authenticator.cookie_controller.set_cookie()
        auth.signed_in(account.username)


def forgot_password() -> None:
    # Chalk's own form: the authenticator's would hash a random password for known names only.
    with st.form("login_forgot_password"):
        st.subheader("Forgot password", anchor=False)
        wanted = st.text_input("Username or email", key="login_forgot_name")
        sent = st.form_submit_button("Send link")
    if not sent:
        return
    if not wanted.strip():
        a11y.field_error("Username or email", "Type your username or email address.")
        return
    # The lookup and the mail happen on a thread, so the same answer comes at once whether or
    # not the account exists: neither the words nor the time tell who has one.
    threading.Thread(
        target=resets.request_password_reset,
        kwargs={"settings": cfg, "username_or_email": wanted, "server": local_server()},
        name=auth.RESET_THREAD,
        daemon=True,
    ).start()
    st.success(NEUTRAL_RESET.format(minutes=cfg.password_reset_ttl_min), icon=":material/mail:")


def forgot_username() -> None:
    try:
        found, email = gate.authenticator.forgot_username(
            location="main",
            key="login_forgot_username",
            captcha=False,
            fields={"Form name": "Forgot username", "Email": "Email", "Submit": "Send username"},
        )
    except auth.WIDGET_ERRORS as exc:
        st.error(auth.friendly(exc), icon=":material/error:")
        return
    if found is None:
        return  # not submitted
    resets.send_username_reminder(settings=cfg, email=email or "")
    st.success(NEUTRAL_USERNAME, icon=":material/mail:")


def about() -> None:
    """What Chalk does, for a visitor deciding whether to sign up, and what others made."""
    st.header("What Chalk does", anchor=False)
    st.markdown(
        f"""
- **Type one sentence**, such as *show how the derivative is the slope of the tangent line*,
  and get a short animation in seconds.
- **{len(list_templates())} ready-made classroom topics** in maths, science and computing work
  with no setup; change any video's numbers with sliders, or edit its code.
- **Keep every video** in your gallery, download it, or share a link for the class board.
"""
    )
    videos = gallery.list_public(settings=cfg, limit=SHOWCASE)
    if not videos:
        return
    st.header("Made with Chalk", anchor=False)
    for column, item in zip(st.columns(len(videos)), videos, strict=True):
        with column:
            media.thumbnail(cfg, item.thumbnail_key, item.title)
            st.page_link(
                "pages/watch.py",
                label=formatting.literal(item.title),
                icon=":material/play_circle:",
                query_params={"v": item.share_token or ""},
            )


st.title("Welcome to Chalk", anchor=False)
st.caption("Chalk turns a sentence into a short maths or science animation for your class.")
notice = st.session_state.get(auth.NOTICE_KEY)  # kept until the next sign-in
if notice == auth.SIGNED_OUT:
    st.info(notice, icon=":material/logout:")
elif notice:
    st.warning(notice, icon=":material/person_off:")

left, right = st.columns([3, 2], gap="large")
with right:
    about()
with left:
    tab_sign_in, tab_register, tab_password, tab_username = st.tabs(
        ["Sign in", "Create account", "Forgot password", "Forgot username"]
    )
    with tab_sign_in:
        school_sign_in()
        sign_in()
    with tab_register:
        create_account()
    with tab_password:
        forgot_password()
    with tab_username:
        forgot_username()

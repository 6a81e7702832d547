"""Account: who you are, what you used this month against your limits, your Create defaults
and your password."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from app import quotas, webhooks
from app.accounts import api_keys, users
from app.accounts.throttle import record_failed_login, user_lockout
from app.accounts.users import PREFERENCE_CHOICES
from app.db.models import utcnow
from app.errors import ChalkError
from app.ui import auth, formatting, frame
from app.ui.session import require_user, settings

frame.require_frame()

cfg = settings()
user = require_user()
gate = auth.current_gate()
account = users.get_account(settings=cfg, user_id=user.id)

GENERATOR_LABELS = {
    "auto": "Automatic (AI when available, else a template)",
    "offline": "Template (offline)",
    "llm": "AI",
}
ROLE_LABELS = {"admin": "Admin", "teacher": "Teacher"}


def until(moment: datetime) -> str:
    minutes = max(1, int((moment - utcnow()).total_seconds() // 60))
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


def meter(label: str, used: float, limit: int | None, shown: str, note: str) -> None:
    """One usage line: used of limit with a bar, or "No limit"."""
    with st.container(border=True):
        if limit is None:
            st.markdown(f"**{label}:** {shown} · No limit")
        else:
            st.markdown(f"**{label}:** {shown} of {limit:,}")
            st.progress(min(used / limit, 1.0) if limit else 1.0)
        st.caption(note)


def profile() -> None:
    rows = {
        "Username": account.username,
        "Name": formatting.literal(account.display_name),
        "Email": formatting.literal(account.email)
        if account.email
        else "none (add one to be able to reset your password)",
        "Role": ROLE_LABELS.get(account.role, account.role),
        "Member since": formatting.day(account.created_at),
    }
    if account.last_login_at is not None:
        rows["Last sign-in"] = formatting.day(account.last_login_at)
    st.markdown("  \n".join(f"**{name}:** {value}" for name, value in rows.items()))
    if auth.signed_in_with_school():
        st.caption("Your name and email come from your school account.")
        return

    def save(details: dict[str, Any]) -> None:
        if details.get("field") == "email":
            users.update_profile(settings=cfg, user_id=user.id, email=details["new_value"])
        else:
            users.update_profile(settings=cfg, user_id=user.id, display_name=details["name"])

    try:
        if gate.authenticator.update_user_details(
            account.username,
            location="main",
            key="account_details",
            fields={
                "Form name": "Change your name or email",
                "Field": "What to change",
                "First name": "First name",
                "Last name": "Last name",
                "Email": "Email",
                "New value": "New value",
                "Update": "Save",
            },
            callback=save,
        ):
            frame.flash("Saved your details.")
            st.rerun()
    except auth.WIDGET_ERRORS as exc:
        st.error(auth.friendly(exc), icon=":material/error:")


def usage() -> None:
    used = quotas.usage(settings=cfg, user_id=user.id)
    limits = used.limits
    month_reset = f"Resets on {used.month_resets_at:%-d %B} (UTC)."
    meter(
        "Videos today",
        used.videos_today,
        limits.videos_per_day,
        f"{used.videos_today:,}",
        "Videos made today, and any still being made; failed or cancelled attempts do not "
        f"count. Resets at midnight UTC, in {until(used.day_resets_at)}.",
    )
    meter(
        "Render minutes this month",
        used.render_minutes_month,
        limits.render_minutes_per_month,
        f"{used.render_minutes_month:,.1f}",
        month_reset,
    )
    meter(
        "AI tokens this month",
        used.llm_tokens_month,
        limits.llm_tokens_per_month,
        f"{used.llm_tokens_month:,}",
        month_reset + " Templates use no tokens.",
    )
    at_once = (
        f" Chalk makes up to {limits.concurrent_jobs} at a time; the rest wait for a free slot."
        if limits.concurrent_jobs is not None
        else ""
    )
    meter(
        "Animations waiting or in progress",
        used.active_jobs,
        limits.queued_jobs,
        f"{used.active_jobs:,}",
        f"Accepted and not finished yet ({used.waiting_jobs:,} waiting for a free slot).{at_once}",
    )
    if limits.submits_per_minute is not None:
        st.caption(f"You can start up to {limits.submits_per_minute} animations a minute.")
    st.caption("Need more? Ask your Chalk admin, who can raise your limits.")


def defaults() -> None:
    st.caption("What the Create page selects for you; you can still change it for one video.")
    current = account.preferences
    choices = {name: list(options) for name, options in PREFERENCE_CHOICES.items()}

    def index(name: str, fallback: str) -> int:
        value = current.get(name, fallback)
        return choices[name].index(value) if value in choices[name] else 0

    with st.form("account_defaults"):
        quality = st.selectbox(
            "Quality",
            choices["quality"],
            index=index("quality", "preview"),
            format_func=lambda value: formatting.QUALITY_LABELS.get(value, value),
            key="account_quality",
        )
        aspect = st.selectbox(
            "Aspect",
            choices["aspect"],
            index=index("aspect", "16:9"),
            format_func=lambda value: formatting.ASPECT_LABELS.get(value, value),
            key="account_aspect",
        )
        generator = st.selectbox(
            "Generator",
            choices["generator"],
            index=index("generator", "auto"),
            format_func=lambda value: GENERATOR_LABELS.get(value, value),
            key="account_generator",
        )
        saved = st.form_submit_button("Save defaults", type="primary")
    if saved:
        users.set_preferences(
            settings=cfg, user_id=user.id, quality=quality, aspect=aspect, generator=generator
        )
        frame.flash("Saved your Create defaults.")
        st.rerun()


def password() -> None:
    if auth.signed_in_with_school():
        st.info(
            "You sign in with your school account, so its password is your school's to change.",
            icon=":material/school:",
        )
        return

    def save(_details: dict[str, Any]) -> None:
        # The widget checked the current password against the database's hash; the new one
        # is the one the validator just approved (the callback is not given it).
        users.change_password(
            settings=cfg, user_id=user.id, new_password=gate.validator.last_password or ""
        )

    try:
        if gate.authenticator.reset_password(
            account.username,
            location="main",
            key="account_password",
            clear_on_submit=True,
            fields={
                "Form name": "Change your password",
                "Current password": "Current password",
                "New password": "New password",
                "Repeat password": "Repeat the new password",
                "Reset": "Change password",
            },
            callback=save,
        ):
            # Other browsers signed in with the old password are signed out at their next
            # click; this one stays, with a fresh cookie.
            auth.mark_signed_in()
            gate.authenticator.cookie_controller.set_cookie()
            st.success(
                "Your password is changed. Other browsers signed in to your account are "
                "signed out.",
                icon=":material/check_circle:",
            )
    except auth.WIDGET_ERRORS as exc:
        # A wrong current password counts towards the account's sign-in lockout, so an
        # unattended session cannot be used to guess it (a locked account's always fails).
        lockout = None
        if account.username in gate.failed_usernames():
            client = auth.client_address()
            lockout = user_lockout(settings=cfg, client=client, username=account.username) or (
                record_failed_login(settings=cfg, client=client, username=account.username)
            )
        if lockout is not None:
            st.error(lockout.message(), icon=":material/lock_clock:")
        else:
            st.error(auth.friendly(exc), icon=":material/error:")


def api_keys_tab() -> None:
    st.caption(
        "Keys let other tools (your LMS, a script) use Chalk through its API as you. A key "
        "is shown once, when you make it; revoke any key you no longer use."
    )
    made = st.session_state.pop("account_new_key", None)
    if made is not None:
        st.success(
            "Your new key. Copy it now: Chalk shows it only this once.", icon=":material/key:"
        )
        st.code(made["key"], language=None)
        st.caption("Webhook secret (to check the Chalk-Signature of webhooks):")
        st.code(made["webhook_secret"], language=None)
    with st.form("account_new_key_form", clear_on_submit=True):
        label = st.text_input(
            "What the key is for", max_chars=api_keys.LABEL_MAX, key="account_key_label"
        )
        if st.form_submit_button("Create key", type="primary"):
            try:
                new = api_keys.create_key(settings=cfg, user_id=user.id, label=label)
            except ChalkError as exc:
                st.error(exc.message, icon=":material/error:")
            else:
                st.session_state["account_new_key"] = new.to_json()
                st.rerun()
    keys = api_keys.list_keys(settings=cfg, user_id=user.id)
    if not keys:
        st.caption("You have no API keys.")
    for key in keys:
        with st.container(border=True):
            used = formatting.day(key.last_used_at) if key.last_used_at else "never"
            state = "Active" if key.active else f"Revoked {formatting.day(key.revoked_at)}"
            st.markdown(
                f"**{formatting.literal(key.label or 'No label')}** · `{key.prefix}…` · {state}  \n"
                f"Created {formatting.day(key.created_at)} · last used {used}"
            )
            if key.active and st.button("Revoke", key=f"account_revoke_{key.id}"):
                api_keys.revoke_key(settings=cfg, user_id=user.id, key_id=key.id)
                frame.flash("The key is revoked; it no longer works.")
                st.rerun()
    st.subheader("Webhook deliveries", anchor=False)
    deliveries = webhooks.recent_deliveries(settings=cfg, user_id=user.id)
    if not deliveries:
        st.caption("No webhooks sent yet.")
    for delivery in deliveries:
        subject = f"job {delivery.job_id}" if delivery.job_id else f"batch {delivery.batch_id}"
        with st.expander(f"{delivery.event} · {subject} · {delivery.state}"):
            st.caption(f"To {formatting.literal(delivery.url)}")
            lines = [
                f"{attempt.at:%Y-%m-%d %H:%M:%S} UTC: "
                + (f"HTTP {attempt.status_code}" if attempt.status_code else "no answer")
                + (f" ({formatting.literal(attempt.error)})" if attempt.error else "")
                + f", {attempt.duration_ms} ms"
                for attempt in delivery.attempts
            ]
            st.markdown("\n".join(f"- {line}" for line in lines) or "Not tried yet.")
            if delivery.next_attempt_at is not None and delivery.attempts:
                st.caption(f"Next attempt at {delivery.next_attempt_at:%H:%M:%S} UTC.")


st.title("Account", anchor=False)
left, _ = st.columns([3, 2])
with left:
    tab_profile, tab_usage, tab_defaults, tab_password, tab_keys = st.tabs(
        ["Profile", "Usage", "Create defaults", "Password", "API keys"]
    )
    with tab_profile:
        profile()
    with tab_usage:
        usage()
    with tab_defaults:
        defaults()
    with tab_password:
        password()
    with tab_keys:
        api_keys_tab()

"""The Admin page's Users tab: the accounts table, role, enable/disable and per-user limits
of one account, and invite codes. Every change runs in a widget callback that first checks
the session's user is still an admin in the database."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.accounts import invites, resets
from app.accounts import users as accounts
from app.db.models import ROLES, utcnow
from app.errors import ChalkError
from app.settings import RoleQuota, Settings
from app.ui import formatting, frame, navigation
from app.ui.session import NOT_ADMIN, still_admin

QUOTA_LABELS = {
    "videos_per_day": "Videos per day",
    "render_minutes_per_month": "Render minutes per month",
    "concurrent_jobs": "Jobs at once",
    "queued_jobs": "Jobs waiting or in progress",
    "llm_tokens_per_month": "AI tokens per month",
    "submits_per_minute": "Submits per minute",
}
"""RoleQuota fields as admins read them (the same order in the table and the form)."""
AT_LEAST_ONE = ("concurrent_jobs", "queued_jobs", "submits_per_minute")
"""Limits that cannot be 0 (a user who may run no job at all is disabled instead)."""


def _report(settings: Settings, action: Callable[[], object], done: str) -> None:
    """Run an account change from a callback: a toast when done, the sentence when refused."""
    if not still_admin(settings):
        st.session_state["admin_users_error"] = NOT_ADMIN
        return
    try:
        action()
    except (ChalkError, accounts.AccountNotFound) as exc:
        message = exc.message if isinstance(exc, ChalkError) else "That account no longer exists."
        st.session_state["admin_users_error"] = message
        return
    st.session_state.pop("admin_users_error", None)
    frame.flash(done)


def _save_role(settings: Settings, username: str, key: str) -> None:
    role = st.session_state[key]
    _report(
        settings,
        lambda: accounts.set_role(settings=settings, username=username, role=role),
        f"{username} is now {'an admin' if role == 'admin' else 'a teacher'}.",
    )


def _set_disabled(settings: Settings, username: str, disabled: bool) -> None:
    _report(
        settings,
        lambda: accounts.set_disabled(settings=settings, username=username, disabled=disabled),
        f"{username} {'can no longer sign in' if disabled else 'can sign in again'}.",
    )


def _save_quotas(settings: Settings, user_id: int, username: str) -> None:
    values = {name: st.session_state.get(f"admin_quota_{name}_{user_id}") for name in QUOTA_LABELS}
    try:
        overrides = RoleQuota(**{k: (int(v) if v is not None else None) for k, v in values.items()})
    except ValueError:
        st.session_state["admin_users_error"] = (
            "A limit must be a whole number (jobs at once and submits per minute at least 1)."
        )
        return
    _report(
        settings,
        lambda: accounts.set_quota_overrides(
            settings=settings, user_id=user_id, overrides=overrides
        ),
        f"Limits saved for {username}.",
    )


def _make_invite(settings: Settings, admin_id: int) -> None:
    if not still_admin(settings):
        st.session_state["admin_users_error"] = NOT_ADMIN
        return
    try:
        code = invites.create_invite(
            settings=settings,
            created_by=admin_id,
            role=st.session_state.get("admin_invite_role", "teacher"),
            uses=int(st.session_state.get("admin_invite_uses") or 1),
        )
    except ChalkError as exc:
        st.session_state["admin_users_error"] = exc.message
        return
    st.session_state["admin_invite_code"] = code


def limit_in_words(settings: Settings, account: accounts.Account, name: str) -> str:
    """The account's own limit, or its role's default said as one: "20 (teacher default)"."""
    own = getattr(account.overrides, name)
    if own is not None:
        return formatting.limit(own)
    default = getattr(settings.quotas.get(account.role, RoleQuota()), name)
    return f"{formatting.limit(default)} ({account.role} default)"


def _add_user(settings: Settings) -> None:
    if not still_admin(settings):
        st.session_state["admin_users_error"] = NOT_ADMIN
        return
    state = st.session_state
    try:
        account, link = resets.add_user(
            settings=settings,
            username=state.get("admin_add_username") or "",
            display_name=state.get("admin_add_name") or None,
            email=state.get("admin_add_email") or None,
            role=state.get("admin_add_role") or "teacher",
            server=navigation.local_server(),
        )
    except ChalkError as exc:
        state["admin_users_error"] = exc.message
        return
    state.pop("admin_users_error", None)
    state["admin_added"] = (account.username, link)
    for key in ("admin_add_username", "admin_add_name", "admin_add_email"):
        state[key] = ""


def add_user_section(settings: Settings) -> None:
    """Any registration mode: the admin makes the account, the new user picks a password."""
    st.header("Add a user", anchor=False)
    with st.form("admin_add_form", border=True):
        name_col, display_col = st.columns(2)
        name_col.text_input("Username", key="admin_add_username", max_chars=64)
        display_col.text_input("Name (optional)", key="admin_add_name", max_chars=80)
        email_col, role_col = st.columns(2)
        email_col.text_input("Email (optional)", key="admin_add_email", max_chars=254)
        role_col.selectbox("Role", ROLES[::-1], key="admin_add_role", format_func=str.capitalize)
        st.form_submit_button(
            "Add user", icon=":material/person_add:", on_click=_add_user, args=(settings,)
        )
    added = st.session_state.pop("admin_added", None)
    if added:
        username, link = added
        st.success(
            f"{formatting.literal(username)} is added. Send them this link to choose their "
            f"password; it works once, for {settings.invite_ttl_days} days, and is shown only "
            "now.",
            icon=":material/person_add:",
        )
        st.code(link, language=None, wrap_lines=True)


def accounts_table(settings: Settings, rows: list[accounts.Account]) -> None:
    now = utcnow()
    st.dataframe(
        [
            {
                "username": a.username,
                "name": a.display_name,
                "role": a.role,
                "disabled": a.disabled,
                "last sign-in": formatting.since(a.last_login_at, now),
                **{
                    label: limit_in_words(settings, a, name) for name, label in QUOTA_LABELS.items()
                },
            }
            for a in rows
        ],
        hide_index=True,
    )


def account_actions(settings: Settings, account: accounts.Account) -> None:
    role_col, state_col = st.columns(2, vertical_alignment="bottom")
    role_key = f"admin_role_{account.id}"
    role_col.selectbox(
        "Role",
        ROLES,
        index=ROLES.index(account.role) if account.role in ROLES else 0,
        key=role_key,
        format_func=str.capitalize,
    )
    role_col.button(
        "Save role",
        key="admin_save_role",
        on_click=_save_role,
        args=(settings, account.username, role_key),
    )
    state_col.markdown(
        f"**{account.username}** {'is disabled' if account.disabled else 'can sign in'}."
    )
    state_col.button(
        "Enable account" if account.disabled else "Disable account",
        key="admin_toggle_disabled",
        icon=":material/lock_open:" if account.disabled else ":material/block:",
        on_click=_set_disabled,
        args=(settings, account.username, not account.disabled),
    )
    defaults = settings.quotas.get(account.role, RoleQuota())
    with st.form(f"admin_quota_form_{account.id}"):
        st.markdown(f"**Limits for {account.username}** (empty: the {account.role} default)")
        columns = st.columns(len(QUOTA_LABELS))
        for column, (name, label) in zip(columns, QUOTA_LABELS.items(), strict=True):
            default = getattr(defaults, name)
            column.number_input(
                label,
                value=getattr(account.overrides, name),
                min_value=1 if name in AT_LEAST_ONE else 0,
                step=1,
                key=f"admin_quota_{name}_{account.id}",
                placeholder=f"{default:,}" if default is not None else "no limit",
            )
        st.form_submit_button(
            "Save limits",
            on_click=_save_quotas,
            args=(settings, account.id, account.username),
        )


def invites_section(settings: Settings, admin_id: int) -> None:
    st.header("Invite codes", anchor=False)
    if settings.registration != "invite":
        st.caption(
            f"Registration is {settings.registration}; invite codes are used when "
            "CHALK_REGISTRATION=invite."
        )
        return
    role_col, uses_col, button_col = st.columns([2, 2, 2], vertical_alignment="bottom")
    role_col.selectbox("Role", ROLES[::-1], key="admin_invite_role", format_func=str.capitalize)
    uses_col.number_input("Uses", min_value=1, max_value=1000, value=1, key="admin_invite_uses")
    button_col.button(
        "Create invite code",
        key="admin_make_invite",
        icon=":material/key:",
        on_click=_make_invite,
        args=(settings, admin_id),
    )
    code = st.session_state.pop("admin_invite_code", None)
    if code:
        st.success(
            f"Send this code to the new user; it is shown only once and works for "
            f"{settings.invite_ttl_days} days.",
            icon=":material/key:",
        )
        st.code(code, language=None)


def panel(settings: Settings, admin_id: int) -> None:
    error = st.session_state.pop("admin_users_error", None)
    if error:
        st.error(error, icon=":material/error:")
    rows = accounts.list_accounts(settings=settings)
    accounts_table(settings, rows)
    by_name = {account.username: account for account in rows}
    if by_name:
        picked = st.selectbox(
            "Account",
            list(by_name),
            key="admin_user_pick",
            format_func=lambda name: (
                f"{name} — {by_name[name].display_name} ({by_name[name].role})"
            ),
        )
        if picked in by_name:
            account_actions(settings, by_name[picked])
    add_user_section(settings)
    invites_section(settings, admin_id)

"""Reset password: the page the emailed link opens (`?token=...`); no sign-in needed."""

from __future__ import annotations

import streamlit as st

from app.accounts import resets
from app.errors import ChalkError
from app.ui import a11y, frame
from app.ui.session import current_user, settings

frame.require_frame()

cfg = settings()
NO_TOKEN = (
    "This page needs the link from your password-reset email; open the link again, or ask "
    "for a new one with 'Forgot password' on the sign-in page."
)
DIFFERENT = "The two passwords differ; type the same password twice."


def back_link() -> None:
    if current_user() is None:
        st.page_link("pages/login.py", label="Back to sign in", icon=":material/login:")
    else:
        st.page_link("pages/create.py", label="Back to Chalk", icon=":material/movie_edit:")


st.title("Choose a new password", anchor=False)
token = st.query_params.get("token", "")
if token:
    st.session_state.pop("reset_done", None)  # a new link: a new reset
done = st.session_state.get("reset_done")

if done:
    st.success(
        f"Your password is changed; sign in as {done} with the new one.",
        icon=":material/check_circle:",
    )
    back_link()
elif not token:
    st.warning(NO_TOKEN, icon=":material/link_off:")
    back_link()
else:
    with st.form("reset_form"):
        first = st.text_input("New password", type="password", key="reset_password")
        second = st.text_input("Repeat the new password", type="password", key="reset_repeat")
        submitted = st.form_submit_button("Set new password", type="primary")
    if submitted:
        if first != second:
            a11y.field_error("Repeat the new password", DIFFERENT)
        else:
            try:
                account = resets.reset_password_with_token(
                    settings=cfg, token=token, new_password=first
                )
            except ChalkError as exc:
                st.error(exc.message, icon=":material/error:")
                if exc.message == resets.INVALID_LINK:
                    back_link()
            else:
                st.session_state["reset_done"] = account.username
                st.query_params.pop("token", None)  # the link is used up
                st.rerun()

"""Previous / "Page 2 of 5" / Next under a list of video cards (Gallery, Library)."""

from __future__ import annotations

import streamlit as st


def pager(page: int, pages: int, prefix: str) -> None:
    """The pager; a click stores the new page in st.session_state[f"{prefix}_page"] and
    reruns. Nothing when everything fits on one page."""
    if pages <= 1:
        return
    back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
    if back.button(
        "Previous", key=f"{prefix}_prev", disabled=page <= 1, icon=":material/chevron_left:"
    ):
        st.session_state[f"{prefix}_page"] = page - 1
        st.rerun()
    where.markdown(
        f"<div style='text-align:center'>Page {page} of {pages}</div>", unsafe_allow_html=True
    )
    if forward.button(
        "Next", key=f"{prefix}_next", disabled=page >= pages, icon=":material/chevron_right:"
    ):
        st.session_state[f"{prefix}_page"] = page + 1
        st.rerun()

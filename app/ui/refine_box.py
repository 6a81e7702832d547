""" "Change it": an instruction under a finished video makes a new version of the video.

Template-made code is re-planned offline (app.generators.offline.refine): the new code goes to
the page's submit as a new job with the same quality (and the new aspect when the instruction
asked for one), and the changes are shown above the new video. An instruction the template
cannot show is refused in one sentence; with an AI model connected, the box offers to ask it,
and the teacher sees the AI's change as a diff before rendering it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app import quotas
from app.errors import ChalkError
from app.generators.offline.refine import (
    EDITED,
    MAX_INSTRUCTION_CHARS,
    code_diff,
    options_for,
    refine,
)
from app.settings import Settings
from app.ui.formatting import literal

NewVersion = Callable[[str, str, list[str]], None]
"""The page's submit for a new version: (code, aspect, the changes in words)."""

CHANGES_KEY = "refine_changes"  # job id → the changes that made it (shown above its video)
PROPOSAL_KEY = "refine_proposal"  # job id → (instruction, code) the AI proposed, not rendered


def refine_box(
    *,
    user_id: int,
    job_id: str,
    code: str | None,
    aspect: str,
    layout_warnings: list[str],
    settings: Settings,
    ai_ready: bool,
    on_new_version: NewVersion,
    key_prefix: str = "create_refine",
) -> None:
    if not code:
        return
    made = st.session_state.get(CHANGES_KEY, {}).get(job_id)
    if made:
        st.success("Changed: " + "; ".join(literal(c) for c in made) + ".", icon=":material/edit:")
    with st.form(f"{key_prefix}_form", border=True):
        instruction = st.text_input(
            "Change it",
            key=f"{key_prefix}_instruction",
            max_chars=MAX_INSTRUCTION_CHARS,
            placeholder="e.g. make it faster, use 40 flips, portrait",
            help="Say what to change; Chalk makes a new version and keeps this one.",
        )
        options = options_for(code)
        if options:
            st.caption(options)
        pressed = st.form_submit_button(
            "Make the new version", icon=":material/edit:", key=f"{key_prefix}_apply"
        )
    refused_key = f"{key_prefix}_refused"
    if pressed:
        st.session_state.pop(refused_key, None)
        result = refine(code, instruction, aspect=aspect)
        if result.changed:
            on_new_version(result.code, result.aspect or aspect, result.changes + result.notes)
            st.rerun()
        # Code no template made as it is now (the AI's, or edited) goes to the AI model directly.
        straight_to_ai = ai_ready and (result.template is None or result.message == EDITED)
        st.session_state[refused_key] = (job_id, instruction, result.message, straight_to_ai)
    refused = st.session_state.get(refused_key)
    if refused and refused[0] == job_id:
        _, asked, message, straight_to_ai = refused
        if not straight_to_ai:
            st.warning(message, icon=":material/block:")
        if ai_ready:
            _offer_ai(
                user_id,
                job_id,
                code,
                asked,
                aspect,
                layout_warnings,
                settings,
                on_new_version,
                key_prefix,
                ask_now=pressed and straight_to_ai,
            )


def _offer_ai(
    user_id: int,
    job_id: str,
    code: str,
    instruction: str,
    aspect: str,
    layout_warnings: list[str],
    settings: Settings,
    on_new_version: NewVersion,
    key_prefix: str,
    *,
    ask_now: bool,
) -> None:
    """Ask the AI model for the change; show its diff; render it only when the teacher says so."""
    proposals = st.session_state.setdefault(PROPOSAL_KEY, {})
    asked_ai = ask_now or (
        job_id not in proposals
        and st.button(
            "Ask the AI model to make this change",
            key=f"{key_prefix}_ask_ai",
            icon=":material/auto_awesome:",
        )
    )
    if asked_ai:
        # Deferred: the LLM client imports openai (1-2 s), only when a teacher asks for it.
        from app.generators.llm import refine_code

        with st.spinner("Asking the AI model…"):
            try:
                quotas.llm_tokens_left(settings=settings, user_id=user_id)
                changed = refine_code(
                    code,
                    instruction,
                    aspect=aspect,
                    settings=settings,
                    layout_warnings=layout_warnings,
                )
            except ChalkError as exc:
                st.error(exc.message, icon=":material/error:")
                return
        proposals[job_id] = (instruction, changed)
    proposal = proposals.get(job_id)
    if not proposal:
        return
    asked, changed = proposal
    st.markdown(f"**The AI model's change** for “{literal(asked)}”:")
    st.code(code_diff(code, changed) or "(no change)", language="diff")
    if st.button("Render this version", key=f"{key_prefix}_render_ai", icon=":material/replay:"):
        proposals.pop(job_id, None)
        on_new_version(changed, aspect, [f"the AI model's change for “{asked}”"])
        st.rerun()


def remember_changes(job_id: str, changes: list[str]) -> None:
    """Keep the changes that made a job, to show above its video."""
    st.session_state.setdefault(CHANGES_KEY, {})[job_id] = list(changes)

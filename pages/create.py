"""Create: a prompt or a template becomes a video; the page follows the job while it renders."""

from __future__ import annotations

from functools import partial

import streamlit as st
from code_editor import code_editor

from app import events, gallery, quotas, versions
from app.core import code_hints
from app.errors import ChalkError
from app.generators.offline import list_templates, reading_of
from app.generators.offline.catalogue import SUBJECTS
from app.generators.select import llm_configured
from app.jobs import service
from app.jobs.service import JobView
from app.lessons import service as lessons
from app.pipeline.stages import GENERATING, RENDERING, STAGES, STORING, VALIDATING
from app.settings import ASPECTS, QUALITIES
from app.speech.options import (
    LANGUAGE_CHOICES,
    SPEEDS,
    VOICE_CHOICES,
    NarrationOptions,
    from_choices,
)
from app.ui import a11y, formatting, frame, job_tray, media, sharing, template_form
from app.ui import code_editor as local_editor
from app.ui.feedback import feedback_widget
from app.ui.lesson_mode import lesson_mode, open_lesson
from app.ui.refine_box import refine_box, remember_changes
from app.ui.session import may_change, require_user, settings

frame.require_frame()

STAGE_LABELS = {
    GENERATING: "Generating code",
    VALIDATING: "Validating",
    RENDERING: "Rendering",
    STORING: "Storing",
}
GENERATOR_LABELS = {"offline": "Template (offline)", "llm": "AI"}

cfg = settings()
user = require_user()
ai_ready = llm_configured(cfg)


def preferred(name: str, options: list[str] | tuple[str, ...], fallback: str) -> int:
    """Index of the user's default for `name` (Account page) among `options`."""
    value = user.preferences.get(name, fallback)
    if name == "generator" and value == "auto":
        value = "llm" if ai_ready else "offline"
    return list(options).index(value) if value in options else 0


def use_prompt(prompt: str) -> None:
    """Fill the prompt box (a callback, so it runs before the text area is drawn); a message
    about the earlier prompt no longer applies."""
    st.session_state["create_prompt"] = prompt
    st.session_state.pop("create_error", None)


def generate_clicked() -> None:
    """Generate (a callback, so an over-long prompt can be cut in its own box): a prompt over
    the limit is kept up to it, with a sentence saying where it was cut, and not sent yet."""
    state = st.session_state
    prompt = state.get("create_prompt") or ""
    limit = service.PROMPT_MAX_CHARS
    if len(prompt) > limit:
        kept = prompt[:limit]
        state["create_prompt"] = kept
        state["create_error"] = (
            "limit",
            f"Your prompt had {len(prompt):,} characters; Chalk reads up to {limit:,}, so it "
            f"now ends at “…{' '.join(kept[-40:].split())}”. Check the end, then press "
            "Generate again.",
        )
        return
    if state.get("create_generator", "offline") == "offline" and start_lesson(prompt):
        return
    submit(
        prompt=prompt,
        quality=state.get("create_quality", "preview"),
        aspect=state.get("create_aspect", "16:9"),
        generator=state.get("create_generator", "offline"),
        remixed_from=(state.get("create_remix") or {}).get("video_id"),
    )


def start_lesson(prompt: str) -> bool:
    """A prompt that asks for two or three things in turn becomes a lesson of a scene per ask
    (Lesson mode follows it); False when it asks for one thing."""
    state = st.session_state
    narration = narration_choice()
    try:
        started = lessons.start_from_prompt(
            settings=cfg,
            owner_id=user.id,
            prompt=prompt,
            quality=state.get("create_quality", "preview"),
            aspect=state.get("create_aspect", "16:9"),
            narration=narration.to_json() if narration else None,
        )
    except ChalkError as exc:
        state["create_error"] = (exc.kind, exc.message)
        return True
    if started is None:
        return False
    lesson, found = started
    open_lesson(
        lesson,
        f"Your prompt asks for {len(found)} things, so Chalk made it a lesson of "
        f"{len(found)} scenes, one per ask; change any scene and render it again.",
    )
    return True


def narration_choice() -> NarrationOptions | None:
    """The narration the Create form asks for (None: a silent video)."""
    state = st.session_state
    return from_choices(
        narrate=bool(state.get("create_narrate")),
        voice=state.get("create_voice", "joe"),
        language=state.get("create_language", "en"),
        speed=float(state.get("create_speed", 1.0)),
        burn_captions=bool(state.get("create_burn_captions")),
    )


def pick_template(template_id: str, prompt: str) -> None:
    """A template's "Use this prompt": fill the prompt box and count the pick."""
    use_prompt(prompt)
    if may_change(cfg, user.id):
        events.record("template_picked", settings=cfg, user_id=user.id, template=template_id)


def submit(
    *,
    prompt: str | None = None,
    code: str | None = None,
    quality: str,
    aspect: str,
    generator: str = "offline",
    title: str | None = None,
    remixed_from: str | None = None,
    version_of: JobView | None = None,
    change: str | None = None,
) -> None:
    """Submit a job; with `version_of` (the job whose video is shown) its video becomes a new
    version of that video's gallery item, `change` saying what changed."""
    try:
        view = service.submit(
            settings=cfg,
            owner_id=user.id,
            prompt=prompt,
            code=code,
            generator=generator,
            quality=quality,
            aspect=aspect,
            remixed_from=remixed_from,
            narration=narration_choice(),
            item_id=version_of.video_id or version_of.item_id if version_of else None,
            change=change,
        )
    except ChalkError as exc:
        st.session_state["create_error"] = (exc.kind, exc.message)
        return
    job_tray.remember(view.job_id)
    st.session_state.pop("create_error", None)
    if remixed_from:
        # The draft became a job of the teacher's own; the job's page shows its code.
        st.session_state.pop("create_remix", None)
    if title:
        # Code-only jobs are titled by their scene class; keep the teacher's title instead.
        st.session_state.setdefault("create_titles", {})[view.job_id] = title


def overall_progress(view: JobView) -> tuple[float, str]:
    """One bar for the whole job: each stage gets a slice, rendering the largest."""
    if view.awaiting_slot:
        return 0.0, "Waiting for a free slot: your earlier animations are made first…"
    if view.state == "queued":
        return 0.0, "Waiting for a free renderer…"
    if view.cancel_requested:
        return min(max(view.progress, 0.0), 1.0), "Cancelling…"
    slices = {
        GENERATING: (0.0, 0.1),
        VALIDATING: (0.1, 0.2),
        RENDERING: (0.2, 0.95),
        STORING: (0.95, 1.0),
    }
    start, end = slices.get(view.stage or GENERATING, (0.0, 0.1))
    inner = min(max(view.progress, 0.0), 1.0) if view.stage == RENDERING else 0.0
    label = STAGE_LABELS.get(view.stage or GENERATING, "Working")
    return start + (end - start) * inner, f"{label}…"


def stage_steps(view: JobView) -> str:
    current = STAGES.index(view.stage) if view.stage in STAGES else -1
    parts = []
    for index, label in enumerate(STAGE_LABELS[stage] for stage in STAGES):
        if index < current:
            parts.append(f":green[:material/check: {label}]")
        elif index == current:
            parts.append(f"**{label}**")
        else:
            parts.append(f":gray[{label}]")
    return " → ".join(parts)


def follow_every(view: JobView) -> float:
    """Seconds between two looks at a job the page follows. Each look is a run on the server,
    for every teacher who waits: a job waiting for a renderer changes only when it starts,
    so it is looked at every 3 s; a running one each second, for its progress bar."""
    return 3.0 if view.state == "queued" else 1.0


def follow_job(view: JobView) -> None:
    """Follow the job at its pace (follow_every); once it is final, or its pace changes,
    rerun the page (to show the result, or to follow at the new pace)."""
    every = follow_every(view)

    @st.fragment(run_every=every)
    def follow() -> None:
        with frame.friendly_errors("job progress"):
            fresh = service.status(settings=cfg, job_id=view.job_id, owner_id=user.id)
            if fresh.finished or follow_every(fresh) != every:
                st.rerun()
            show_progress(fresh)

    follow()


def show_progress(view: JobView) -> None:
    """The job's stages, its bar and its Cancel button."""
    value, text = overall_progress(view)
    a11y.announce(text)  # the stage, not the percentage: read once per stage
    with st.container(border=True):
        st.markdown(stage_steps(view))
        st.progress(value, text=text)
        if st.button(
            "Cancel",
            key="create_cancel",
            icon=":material/stop_circle:",
            disabled=view.cancel_requested,
        ) and may_change(cfg, user.id):  # a fragment's run skips the page's sign-in check
            outcome = service.cancel(settings=cfg, job_id=view.job_id, owner_id=user.id)
            st.toast(outcome.message, icon=":material/stop_circle:")


def show_attempts(view: JobView) -> None:
    if len(view.attempt_log) <= 1 and not view.layout_warnings:
        return
    with st.expander(f"How Chalk got there ({len(view.attempt_log)} attempts)"):
        for attempt in view.attempt_log:
            outcome = attempt.get("error") or "rendered"
            fixes = ", ".join(attempt.get("fixes") or []) or "none"
            st.markdown(
                f"**Attempt {attempt.get('attempt')}** — {formatting.literal(outcome)}  \n"
                f":gray[{attempt.get('seconds', 0):.1f} s · automatic fixes: {fixes}]"
            )


def editor(code: str, key: str) -> str:
    """A Python code editor holding `code`; the text as the teacher left it."""
    local_editor.use_local_frontend(cfg.data_dir / "frontend")  # no font from Google
    response = code_editor(
        code,
        lang="python",
        height=[12, 28],
        response_mode=["debounce", "blur"],
        options={"wrap": True, "showLineNumbers": True},
        key=key,
    )
    return (response or {}).get("text") or code


def show_code(view: JobView, problem: str | None = None) -> None:
    """The job's code in an editor; `problem` (edited code that failed) is said beside it, in
    view, with the technical detail one click away."""
    code = gallery.job_code(settings=cfg, job_id=view.job_id, owner_id=user.id)
    if not code:
        return
    st.header("Code", anchor=False)
    st.caption("Edit the Manim code and render it again; the same safety checks apply.")
    if problem:
        st.error(problem, icon=":material/error:")
        a11y.scroll_here(f"code_problem_{view.job_id}")
        detail = (view.attempt_log[-1] if view.attempt_log else {}).get("detail")
        if detail:
            with st.expander("Technical detail"):
                st.code(detail, language=None)
    for hint in code_hints.angle_hints(code):
        st.info(hint, icon=":material/rotate_right:")
    edited = editor(code, key=f"create_editor_{view.job_id}")
    if st.button("Render edited code", key="create_render_edited", icon=":material/replay:"):
        submit(
            code=edited,
            quality=view.quality,
            aspect=view.aspect,
            version_of=view,
            change="Code edited",
        )
        st.rerun()


def new_version(code: str, aspect: str, changes: list[str], *, view: JobView) -> None:
    """A "Change it" result: render the new code as a new version of this video, same
    quality, and remember the changes to show above it."""
    submit(
        code=code,
        quality=view.quality,
        aspect=aspect,
        version_of=view,
        change="Changed: " + "; ".join(changes),
    )
    job = st.session_state.get("create_job")
    if job and job != view.job_id:
        remember_changes(job, changes)


def show_result(view: JobView) -> None:
    if view.state == "cancelled":
        a11y.announce("Cancelled.")
        st.info(
            "Cancelled. Change the prompt if you like and press Generate again.",
            icon=":material/stop_circle:",
        )
        return
    if view.state == "failed":
        message = (view.error or {}).get("message") or "The animation could not be made; try again."
        a11y.announce(message)
        if view.generator == "user":  # edited code: the error goes beside the editor
            show_code(view, problem=message)
            return
        st.error(message, icon=":material/error:")
        if view.generator != "llm":
            offer_suggestions((view.error or {}).get("suggestions") or [], view.prompt)
        show_attempts(view)
        show_code(view)
        return
    if view.video_id is None:
        return
    pending = st.session_state.get("create_titles", {}).pop(view.job_id, None)
    if pending:
        gallery.rename(settings=cfg, video_id=view.video_id, owner_id=user.id, title=pending)
    item = gallery.get_video(settings=cfg, video_id=view.video_id, owner_id=user.id)
    a11y.announce(f"Your video is ready: {item.title}.")
    st.header(formatting.literal(item.title), anchor=False)
    media.video(cfg, item.storage_key, item.description, poster_key=item.thumbnail_key)
    st.caption(
        f"{formatting.QUALITY_LABELS.get(item.quality, item.quality)} · {item.aspect} · "
        f"{formatting.duration(item.duration_s)}"
        + (f" · version {item.version} of {item.versions}" if item.versions > 1 else "")
        + (" · from the render cache" if view.cache_hit else "")
    )
    for note in reading_notes(view):
        st.caption(f":material/info: {formatting.literal(note)}")
    if view.unused_note:  # what the prompt asked that this template does not show
        st.caption(f":material/info: {formatting.literal(view.unused_note)}")
    media.description_panel(item.description, item.title, widget_key="create_description")
    left, middle, right = st.columns(3)
    with left:
        media.download_button(
            cfg,
            item.storage_key,
            item.title,
            widget_key="create_download",
            on_click=partial(
                gallery.record_downloaded, settings=cfg, video_id=item.id, user_id=user.id
            ),
        )
    with middle:
        better = formatting.HIGHER_QUALITY.get(item.quality)
        if (
            better
            and item.code
            and st.button(
                "Render in higher quality",
                key="create_higher",
                icon=":material/high_quality:",
                width="stretch",
                help=formatting.QUALITY_LABELS[better],
            )
        ):
            submit(
                code=item.code,
                quality=better,
                aspect=item.aspect,
                version_of=view,
                change=f"Rendered in {formatting.QUALITY_LABELS[better]}",
            )
            st.rerun()
    with right:
        st.page_link("pages/gallery.py", label="Open the gallery", icon=":material/video_library:")
    share(item)
    if view.template:
        template_form.change_values(
            template_id=view.template,
            params=view.params,
            key=f"create_values_{view.job_id}",
            submit=lambda made: submit(
                code=made.code,
                quality=item.quality,
                aspect=item.aspect,
                version_of=view,
                change=versions.values_change(view.template or "", view.params, made.params),
            ),
        )
    refine_box(
        user_id=user.id,
        job_id=view.job_id,
        code=item.code,
        aspect=item.aspect,
        layout_warnings=view.layout_warnings,
        settings=cfg,
        ai_ready=ai_ready,
        on_new_version=partial(new_version, view=view),
    )
    feedback_widget(cfg, user, item.id, key_prefix="create_feedback")
    if view.layout_warnings:
        with st.expander(
            f"Layout and accessibility warnings ({len(view.layout_warnings)})", expanded=True
        ):
            for warning in view.layout_warnings:
                st.warning(warning, icon=":material/warning:")
    show_attempts(view)
    show_code(view)


def save_visibility(video_id: str) -> None:
    if not may_change(cfg, user.id):
        return
    try:
        gallery.set_visibility(
            settings=cfg,
            video_id=video_id,
            owner_id=user.id,
            visibility=st.session_state[f"create_visibility_{video_id}"],
        )
    except gallery.VideoNotFound:
        frame.flash("This video no longer exists; it may have been deleted in another tab.")


def share(item: gallery.VideoItem) -> None:
    """Who can watch the new video and, once it is shared, its link, QR code and embed code."""
    st.radio(
        "Who can watch",
        list(gallery.VISIBILITY_LABELS),
        index=list(gallery.VISIBILITY_LABELS).index(item.visibility),
        format_func=gallery.VISIBILITY_LABELS.__getitem__,
        key=f"create_visibility_{item.id}",
        on_change=save_visibility,
        args=(item.id,),
        horizontal=True,
    )
    if item.visibility == "private" or not item.share_token:
        st.caption("Only you can watch it. Choose who else can to get a link for your class.")
        return
    st.caption(gallery.VISIBILITY_HELP[item.visibility])
    sharing.link_text(item)
    sharing.link_actions(item, key="create_share")
    if item.visibility in gallery.VISITOR_VISIBILITIES:
        with st.expander("Embed on a web page", icon=":material/code_blocks:"):
            sharing.embed_code(item, key="create_share")


def discard_remix() -> None:
    st.session_state.pop("create_remix", None)


def remix_draft(remix: dict[str, str]) -> None:
    """A Library remix as the teacher's own unrendered draft: the original's code in an
    editor, credited, with "Render this draft"; the prompt box above holds its prompt."""
    with st.container(border=True):
        st.markdown(
            f":material/call_split: **Remixed from “{formatting.literal(remix['title'])}” "
            f"by {formatting.literal(remix['owner'])}**"
        )
        st.caption(
            "Your own draft: change the prompt and press Generate, or edit the code and render "
            "it. The original video is not changed, and your video will credit it."
        )
        code = remix.get("code") or ""
        edited = code
        if code:
            edited = editor(code, key=f"create_remix_editor_{remix['video_id']}")
        render, discard = st.columns(2)
        if code and render.button(
            "Render this draft",
            key="create_render_remix",
            type="primary",
            icon=":material/play_arrow:",
            width="stretch",
        ):
            submit(
                code=edited,
                quality=st.session_state.get("create_quality", "preview"),
                aspect=st.session_state.get("create_aspect", "16:9"),
                title=f"{remix['title']} (remix)"[: gallery.TITLE_MAX],
                remixed_from=remix["video_id"],
            )
            st.rerun()
        discard.button(
            "Discard the draft",
            key="create_discard_remix",
            icon=":material/close:",
            width="stretch",
            on_click=discard_remix,
        )


def reading_notes(view: JobView) -> list[str]:
    """How the template engine read this job's prompt (the defaults it used for what the
    prompt did not say, values it changed): read again, as the planner is deterministic."""
    if not view.prompt or not (view.generator_used or "").startswith("offline:"):
        return []
    reading = reading_of(view.prompt)
    return list(reading.notes) if reading and reading.template_id == view.template else []


def offer_suggestions(template_ids: list[str], prompt: str | None) -> None:
    """A prompt no template covers: the nearest templates, each filling the prompt box with its
    example wording to change, and the AI model when one is connected, instead of a dead end."""
    by_id = {template.id: template for template in list_templates()}
    suggested = [by_id[t] for t in template_ids if t in by_id]
    if suggested:
        st.markdown("**The closest templates** (each fills the prompt with an example to change):")
        for column, template in zip(st.columns(len(suggested)), suggested, strict=True):
            column.button(
                template.title,
                key=f"create_suggested_{template.id}",
                on_click=pick_template,
                args=(template.id, template.example_prompt),
                help=template.example_prompt,
                icon=":material/north_west:",
                width="stretch",
            )
            column.caption(f"“{formatting.literal(template.example_prompt)}”")
    if ai_ready and prompt:
        st.button(
            "Ask the AI model instead",
            key="create_ask_ai",
            on_click=ask_ai,
            args=(prompt,),
            icon=":material/auto_awesome:",
            help="The AI model writes the animation for any topic; check it before you share it.",
        )


def ask_ai(prompt: str) -> None:
    """The same prompt again, made by the AI model (the template engine had no template)."""
    st.session_state["create_generator"] = "llm"
    use_prompt(prompt)
    submit(
        prompt=prompt,
        quality=st.session_state.get("create_quality", "preview"),
        aspect=st.session_state.get("create_aspect", "16:9"),
        generator="llm",
    )


FIRST_EXAMPLE = "Show how the derivative is the slope of the tangent line to y = x^2 at x = 1"


def first_run_guide() -> None:
    """A teacher with no video yet: the first one in three steps, with an example to start."""
    with st.container(border=True):
        st.subheader("Your first video in three steps", anchor=False)
        st.markdown(
            "1. **Say what to show** in one sentence in the Prompt box, or press *Use this "
            "prompt* on a template.\n"
            "2. **Press Generate.** A preview takes a few seconds; you can keep working.\n"
            "3. **Watch it**, then change its values, download it or share it from your gallery."
        )
        st.button(
            "Fill in an example",
            key="create_first_example",
            on_click=use_prompt,
            args=(FIRST_EXAMPLE,),
            icon=":material/edit_note:",
        )


def template_picker() -> None:
    st.header("Start from a template", anchor=False)
    templates = list_templates()
    for subject, tab in zip(SUBJECTS, st.tabs(list(SUBJECTS)), strict=True):
        with tab, st.container(height=560, border=False):
            for template in (t for t in templates if t.subject == subject):
                with st.container(border=True):
                    picture, words = st.columns([1, 2], vertical_alignment="center")
                    picture.image(
                        str(template.thumbnail), width="stretch", alt=media.template_alt(template)
                    )
                    words.markdown(f"**{template.title}**  \n:gray[{template.example_prompt}]")
                    words.button(
                        "Use this prompt",
                        key=f"create_template_{template.id}",
                        on_click=pick_template,
                        args=(template.id, template.example_prompt),
                        icon=":material/north_west:",
                        type="secondary",
                    )


def recent() -> None:
    prompts = gallery.recent_prompts(settings=cfg, owner_id=user.id, limit=5)
    if not prompts:
        return
    st.markdown("**Your recent prompts**")
    for index, prompt in enumerate(prompts):
        short = prompt if len(prompt) <= 70 else prompt[:69] + "…"
        st.button(
            formatting.literal(short),
            key=f"create_recent_{index}",
            on_click=use_prompt,
            args=(prompt,),
            type="tertiary",
            icon=":material/history:",
            help=formatting.literal(prompt),
        )


st.title("Create an animation", anchor=False)
mode = st.radio(
    "Make",
    ["video", "lesson"],
    format_func={"video": "One video", "lesson": "A lesson (several scenes)"}.__getitem__,
    horizontal=True,
    key="create_mode",
    label_visibility="collapsed",
)
if mode == "lesson":
    lesson_generators = ["offline", "llm"] if ai_ready else ["offline"]
    lesson_mode(cfg, user.id, lesson_generators, GENERATOR_LABELS)
    st.stop()
main, side = st.columns([3, 2], gap="large")

with main:
    with st.form("create_form"):
        st.text_area(
            "Prompt",
            key="create_prompt",
            height=120,
            placeholder="e.g. Show how the derivative is the slope of the tangent line",
        )
        generator_col, quality_col, aspect_col = st.columns(3)
        generators = ["offline", "llm"] if ai_ready else ["offline"]
        generator_col.selectbox(
            "Generator",
            generators,
            index=preferred("generator", generators, "offline"),
            format_func=GENERATOR_LABELS.__getitem__,
            key="create_generator",
        )
        quality_col.selectbox(
            "Quality",
            QUALITIES,
            index=preferred("quality", QUALITIES, "preview"),
            format_func=formatting.QUALITY_LABELS.__getitem__,
            key="create_quality",
        )
        aspect_col.selectbox(
            "Aspect",
            ASPECTS,
            index=preferred("aspect", ASPECTS, "16:9"),
            format_func=formatting.ASPECT_LABELS.__getitem__,
            key="create_aspect",
        )
        narrate_col, voice_col, language_col, speed_col = st.columns([1, 2, 1, 1])
        narrate_col.toggle(
            "Narrate",
            key="create_narrate",
            help="A voice reads one sentence per step, in time with the animation, with captions",
        )
        voice_col.selectbox(
            "Voice",
            list(VOICE_CHOICES),
            format_func=lambda choice: VOICE_CHOICES[choice][2],
            key="create_voice",
        )
        language_col.selectbox(
            "Language",
            list(LANGUAGE_CHOICES),
            format_func=LANGUAGE_CHOICES.__getitem__,
            key="create_language",
        )
        speed_col.selectbox("Speech speed", SPEEDS, index=SPEEDS.index(1.0), key="create_speed")
        st.checkbox("Burn the captions into the video", key="create_burn_captions")
        st.form_submit_button(
            "Generate",
            type="primary",
            icon=":material/auto_awesome:",
            help="Ctrl+Enter in the prompt box does the same",
            on_click=generate_clicked,
        )
    if not ai_ready:
        st.caption(
            ":material/info: AI generation is off because no model is connected to this "
            f"Chalk; the template engine covers {len(list_templates())} classroom topics (ask your "
            "administrator to connect an AI model for free-form prompts)."
        )
    if st.session_state.get("create_error", ("",))[0] == "quota" and not quotas.refusal_stands(
        settings=cfg, user_id=user.id, uses_llm=st.session_state.get("create_generator") == "llm"
    ):
        st.session_state.pop("create_error")  # a job finished, or the minute or day passed
    if st.session_state.get("create_error"):
        kind, message = st.session_state["create_error"]
        if kind == "limit":
            st.warning(message, icon=":material/content_cut:")
        elif kind == "quota":
            # Over a limit: the sentence says when it resets; the Account page shows usage.
            st.error(message, icon=":material/hourglass_top:")
            st.page_link("pages/account.py", label="See your usage", icon=":material/person:")
        else:
            st.error(message, icon=":material/error:")

    if st.session_state.get("create_remix"):
        remix_draft(st.session_state["create_remix"])
    job_tray.tray(cfg, user.id)
    job_id = st.session_state.get("create_job")
    if job_id:
        try:
            current = service.status(settings=cfg, job_id=job_id, owner_id=user.id)
        except service.JobNotFound:
            st.session_state.pop("create_job", None)
            current = None
        if current is not None and not current.finished:
            follow_job(current)
        elif current is not None:
            show_result(current)
    elif not gallery.recent_prompts(settings=cfg, owner_id=user.id, limit=1):
        first_run_guide()
    else:
        st.info(
            "Describe one idea you want to show, or pick one of the templates to fill the "
            "prompt. A preview usually takes a few seconds, and the page never blocks "
            "while it renders.",
            icon=":material/lightbulb:",
        )

with side:
    recent()
    template_picker()

"""Page logic under AppTest: navigation, the Create flow, Gallery, Watch and Help.

The whole app runs (entry file, navigation, the page) with the inline queue and the offline
generator. Only the tests marked `render` render a video; the others seed the database.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import events, gallery
from app.db.engine import session_scope
from app.db.models import Job, UsageEvent, Video
from app.description import Description, Moment
from app.generators.offline.catalogue import SUBJECTS, registry
from app.jobs import service
from app.settings import get_settings
from app.ui import media
from app.ui.formatting import literal
from app.ui.frame import UNEXPECTED
from tests.ui.conftest import app_test, seed_job, seed_video, teacher_id, texts

GALLERY = "pages/gallery.py"
WATCH = "pages/watch.py"
HELP = "pages/help.py"


def no_traceback(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --- navigation ---------------------------------------------------------------------------


def test_create_is_the_home_page_with_its_prompt_and_generate_button(ui_settings):
    at = app_test()
    no_traceback(at)
    assert at.title[0].value == "Create an animation"
    assert at.text_area(key="create_prompt").label == "Prompt"
    assert [b.label for b in at.button if b.label == "Generate"] == ["Generate"]
    # No LLM is configured: the generator choice is templates only, and says why.
    assert at.selectbox(key="create_generator").options == ["Template (offline)"]
    assert any("AI generation is off" in c for c in texts(at.caption))


@pytest.mark.parametrize(
    ("page", "title"), [(GALLERY, "Gallery"), (WATCH, "Watch"), (HELP, "Help")]
)
def test_every_page_opens_without_errors(ui_settings, page, title):
    at = app_test(page)
    no_traceback(at)
    assert at.title[0].value == title


# --- Create -------------------------------------------------------------------------------


def test_a_first_time_teacher_gets_the_three_step_guide_until_a_first_video(ui_settings):
    at = app_test()
    no_traceback(at)
    assert "Your first video in three steps" in [h.value for h in at.subheader]
    at.button(key="create_first_example").click().run()
    example = at.text_area(key="create_prompt").value
    assert example.startswith("Show how the derivative")
    from app.generators.offline import plan

    assert plan(example)[0] == "derivative_tangent"  # the example makes a video offline
    seed_job(ui_settings, prompt="Plot y = x^2", state="succeeded")
    at = app_test()
    assert "Your first video in three steps" not in [h.value for h in at.subheader]


def test_a_template_fills_the_prompt(ui_settings):
    at = app_test()
    at.button(key="create_template_circle_area").click().run()
    assert "circle" in at.text_area(key="create_prompt").value.lower()


def test_every_subject_has_a_template_tab(ui_settings):
    # Chemistry (issue 16) joined the subjects: its tab lists its templates like the others
    at = app_test()
    assert [t.label for t in at.tabs if t.label in SUBJECTS] == list(SUBJECTS)
    at.button(key="create_template_balancing_chemical_equations").click().run()
    assert "CH4 + O2 -> CO2 + H2O" in at.text_area(key="create_prompt").value


def test_picking_a_template_is_counted_once_per_click(ui_settings):
    at = app_test()
    at.button(key="create_template_circle_area").click().run()
    at.button(key="create_template_circle_area").click().run()
    with session_scope(ui_settings) as session:
        picks = session.scalars(
            select(UsageEvent.template).where(UsageEvent.kind == "template_picked")
        ).all()
    assert picks == ["circle_area", "circle_area"]


def test_an_empty_prompt_shows_one_sentence_to_act_on(ui_settings):
    at = app_test()
    at.button[0]  # the tree is built
    at.text_area(key="create_prompt").input("   ")
    at.form_submit_button[0].click().run()
    no_traceback(at)
    assert texts(at.error) == ["The prompt is empty; describe the animation you want."]


def test_a_prompt_over_the_limit_is_cut_in_its_box_and_said_not_sent(ui_settings):
    at = app_test()
    words = "Plot y = x^2 - 4x + 3 and mark where it crosses the axis, please. "
    pasted = (words * 60)[:2600]
    at.text_area(key="create_prompt").input(pasted)
    at.form_submit_button[0].click().run()
    no_traceback(at)
    assert at.text_area(key="create_prompt").value == pasted[:2000]
    [message] = texts(at.warning)
    assert message.startswith("Your prompt had 2,600 characters; Chalk reads up to 2,000, so it")
    assert "Check the end, then press Generate again." in message
    assert not at.error and "create_job" not in at.session_state
    # The teacher checks the end and sends it: it is the cut prompt that runs.
    at.form_submit_button[0].click().run()
    no_traceback(at)
    assert "create_job" in at.session_state and not at.warning
    with session_scope(get_settings()) as session:
        assert session.get(Job, at.session_state["create_job"]).prompt == pasted[:2000].strip()


def test_a_message_goes_when_its_cause_does(ui_settings):
    at = app_test()
    at.text_area(key="create_prompt").input("   ")
    at.form_submit_button[0].click().run()
    assert texts(at.error) == ["The prompt is empty; describe the animation you want."]
    at.button(key="create_template_pendulum").click().run()  # a template fills the box
    no_traceback(at)
    assert not at.error


def test_the_quota_error_is_shown_and_no_job_is_started(ui_settings, monkeypatch):
    monkeypatch.setenv("CHALK_QUOTAS", '{"teacher": {"queued_jobs": 1}}')
    from app.settings import get_settings

    get_settings.cache_clear()
    busy = seed_job(get_settings(), prompt="busy", state="running", stage="rendering")
    at = app_test()
    at.text_area(key="create_prompt").input("Plot y = sin(x)")
    at.form_submit_button[0].click().run()
    no_traceback(at)
    assert "already have 1 animations waiting or in progress" in texts(at.error)[0]
    assert "create_job" not in at.session_state
    # The quota sentence comes with the way to see one's usage.
    assert "See your usage" in [link.label for link in at.get("page_link")]
    # The other job finishes: the cause is gone, and so is the sentence.
    with session_scope(get_settings()) as session:
        session.get(Job, busy).state = "succeeded"
    at.run()
    no_traceback(at)
    assert not at.error
    assert "See your usage" not in [link.label for link in at.get("page_link")]


def test_the_daily_quota_sentence_says_when_it_resets(ui_settings, monkeypatch):
    monkeypatch.setenv("CHALK_QUOTAS", '{"teacher": {"videos_per_day": 1}}')
    from app.settings import get_settings

    get_settings.cache_clear()
    seed_job(get_settings(), prompt="done", state="succeeded")
    at = app_test()
    at.text_area(key="create_prompt").input("Plot y = sin(x)")
    at.form_submit_button[0].click().run()
    no_traceback(at)
    [message] = texts(at.error)
    assert message.startswith("You have made 1 video today, your daily limit; it resets at")
    assert "create_job" not in at.session_state


def test_a_running_job_shows_its_stage_progress_and_cancel(ui_settings):
    job_id = seed_job(
        ui_settings,
        prompt="Plot y = x^2",
        state="running",
        stage="rendering",
        progress=0.5,
        started_at=datetime.now(UTC),
    )
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    no_traceback(at)
    bar = at.progress[0]
    assert bar.value == int((0.2 + 0.75 * 0.5) * 100)  # AppTest reports percent
    assert "Rendering" in " ".join(texts(at.markdown))
    at.button(key="create_cancel").click().run()
    no_traceback(at)
    assert "Cancel requested" in texts(at.toast)[0]
    with session_scope(ui_settings) as session:
        assert session.get(Job, job_id).cancel_requested


def test_the_tray_keeps_every_job_of_the_session_and_the_prompt_follows_the_watched_one(
    ui_settings,
):
    first = seed_job(
        ui_settings,
        prompt="Animate a 2 m pendulum",
        state="failed",
        error_kind="render",
        error_message="The renderer stopped.",
    )
    second = seed_job(
        ui_settings,
        prompt="Bubble sort 5, 1, 4",
        state="running",
        stage="rendering",
        progress=0.4,
        started_at=datetime.now(UTC),
    )
    at = app_test()
    at.session_state["create_jobs"] = [first, second]
    at.session_state["create_job"] = second
    at.session_state["create_prompt"] = "Bubble sort 5, 1, 4"
    at.run()
    no_traceback(at)
    tray = " ".join(texts(at.markdown))
    assert "This session's videos** (2)" in tray
    assert "Animate a 2 m pendulum" in tray and "failed" in tray
    [row] = [t for t in texts(at.markdown) if t.startswith(literal("Bubble sort 5, 1, 4"))]
    assert "making 40%" in row and row.endswith("· **watching**")
    # The finished-in-the-background job does not take the watched one's place.
    assert at.session_state["create_job"] == second and not at.error
    at.button(key=f"create_tray_watch_{first}").click().run()
    no_traceback(at)
    assert at.session_state["create_job"] == first
    assert at.text_area(key="create_prompt").value == "Animate a 2 m pendulum"
    assert texts(at.error) == ["The renderer stopped."]
    at.button(key=f"create_tray_cancel_{second}").click().run()
    no_traceback(at)
    with session_scope(ui_settings) as session:
        assert session.get(Job, second).cancel_requested


def test_one_job_needs_no_tray(ui_settings):
    job_id = seed_job(ui_settings, prompt="Plot y = x^2", state="queued")
    at = app_test()
    at.session_state["create_jobs"] = [job_id]
    at.session_state["create_job"] = job_id
    at.run()
    assert not any("This session's videos" in t for t in texts(at.markdown))


def test_a_queued_job_waits_for_a_renderer(ui_settings):
    job_id = seed_job(ui_settings, prompt="Plot y = x^2", state="queued")
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    assert at.progress[0].value == 0
    assert "Waiting for a free renderer" in at.progress[0].proto.text


def test_the_page_looks_at_a_waiting_job_less_often_than_at_a_running_one(ui_settings, monkeypatch):
    """Every look is a run on the server for each teacher who waits: a job waiting for a
    renderer is followed every 3 s, a running one each second (its bar moves)."""
    import streamlit as st

    paces: dict[str, list[float | None]] = {}
    fragment = st.fragment

    def recording_fragment(function=None, *, run_every=None):
        def decorate(body):
            paces.setdefault(body.__qualname__, []).append(run_every)
            return fragment(body, run_every=run_every)

        return decorate if function is None else decorate(function)

    monkeypatch.setattr(st, "fragment", recording_fragment)
    queued = seed_job(ui_settings, prompt="Plot y = x^2", state="queued")
    running = seed_job(ui_settings, prompt="Plot y = x^3", state="running", stage="rendering")
    for job_id in (queued, running):
        at = app_test()
        at.session_state["create_job"] = job_id
        at.run()
        no_traceback(at)
    assert paces["follow_job.<locals>.follow"] == [3.0, 1.0]


def test_jobs_waiting_for_a_slot_say_so_in_the_tray_and_on_the_page(ui_settings, monkeypatch):
    # One slot, taken by a running job: the teacher's next job waits in the database.
    monkeypatch.setenv("CHALK_QUOTAS", '{"teacher": {"concurrent_jobs": 1}}')
    get_settings.cache_clear()
    settings = get_settings()
    busy = seed_job(settings, prompt="Plot y = x^2", state="running", stage="rendering")
    waiting = seed_job(settings, prompt="Plot y = sin(x)", state="queued", awaiting_slot=True)
    at = app_test()
    at.session_state["create_jobs"] = [busy, waiting]
    at.session_state["create_job"] = waiting
    at.run()
    no_traceback(at)
    [row] = [t for t in texts(at.markdown) if t.startswith(literal("Plot y = sin(x)"))]
    assert "waiting for a free slot" in row
    assert "Waiting for a free slot: your earlier animations are made first" in (
        at.progress[0].proto.text
    )
    # It can be cancelled while it waits.
    at.button(key=f"create_tray_cancel_{waiting}").click().run()
    no_traceback(at)
    assert service.status(settings=settings, job_id=waiting).state == "cancelled"


def test_a_failed_job_shows_its_message_and_its_attempts(ui_settings):
    job_id = seed_job(
        ui_settings,
        prompt="Teach me everything",
        state="failed",
        error_kind="no_template",
        error_message="No template fits this prompt; try one of the examples on the Create page.",
        attempts=[
            {"attempt": 1, "code": "from manim import *", "error": "bad", "seconds": 0.1},
            {"attempt": 2, "code": "from manim import *", "error": "worse", "seconds": 0.1},
        ],
    )
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    no_traceback(at)
    assert texts(at.error) == [
        "No template fits this prompt; try one of the examples on the Create page."
    ]
    assert any("2 attempts" in e.label for e in at.expander)


def in_order(block):
    """Every element under `block`, depth first, in the order the page shows them."""
    for child in block.children.values():
        yield child
        if hasattr(child, "children"):
            yield from in_order(child)


def test_edited_code_that_failed_says_why_beside_the_editor_with_the_detail_a_click_away(
    ui_settings,
):
    code = (
        "from manim import *\n\nclass Spin(Scene):\n    def construct(self):\n"
        "        s = Sqaure()\n        self.play(Rotate(s, 90))\n"
    )
    sentence = (
        "Line 5: 'Sqaure' is not a name Manim or your code knows; perhaps you meant 'Square'."
    )
    detail = (
        'Traceback (most recent call last):\n  File "scene.py", line 5, in construct\n'
        "    s = Sqaure()\nNameError: name 'Sqaure' is not defined"
    )
    job_id = seed_job(
        ui_settings,
        code=code,
        generator="user",
        state="failed",
        error_kind="render",
        error_message=sentence,
        attempts=[{"attempt": 1, "code": code, "error": sentence, "detail": detail}],
    )
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    no_traceback(at)
    assert texts(at.error) == [sentence]
    # The sentence comes after the Code heading, beside the editor, not above the page.
    order = [(e.type, e.value) for e in in_order(at.main) if e.type in ("header", "error")]
    assert order.index(("header", "Code")) < order.index(("error", sentence))
    [expander] = [e for e in at.expander if e.label == "Technical detail"]
    assert [c.value for c in expander.code] == [detail]
    # A bare 90 where Manim reads radians gets the degrees fix, beside the code too.
    assert texts(at.info) == [
        "Line 6: 90 is read as radians (about 5,157°); for 90° write 90*DEGREES."
    ]


def test_a_prompt_no_template_covers_offers_the_closest_templates(ui_settings):
    job_id = seed_job(
        ui_settings,
        prompt="Newton's second law with a cart",
        state="failed",
        error_kind="no_template",
        error_message="None of Chalk's built-in templates covers this prompt.",
        error_suggestions=["projectile_motion", "vector_addition", "not_a_template_any_more"],
    )
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    no_traceback(at)
    offered = [b for b in at.button if b.key.startswith("create_suggested_")]
    assert [b.label for b in offered] == ["Projectile motion", "Adding vectors tip to tail"]
    # Each button says its example wording, the words it puts in the prompt box.
    example = registry()["vector_addition"].example_prompt
    assert f"“{literal(example)}”" in texts(at.caption)
    assert not [b for b in at.button if b.key == "create_ask_ai"]  # no AI model connected
    offered[1].click().run()
    assert at.session_state["create_prompt"] == example


def test_with_an_ai_model_a_prompt_no_template_covers_offers_the_ai_path(ui_settings, monkeypatch):
    monkeypatch.setenv("CHALK_LLM_MODEL", "tutor-1")
    monkeypatch.setenv("CHALK_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    get_settings.cache_clear()
    prompt = "Show the carbon cycle in a forest"
    job_id = seed_job(
        ui_settings,
        prompt=prompt,
        generator="offline",
        state="failed",
        error_kind="no_template",
        error_message="None of Chalk's built-in templates covers this prompt.",
        error_suggestions=["title_bullets"],
    )
    asked: list[dict] = []

    def submitted(**kwargs):
        asked.append(kwargs)
        return service.status(settings=ui_settings, job_id=job_id)

    monkeypatch.setattr(service, "submit", submitted)
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    no_traceback(at)
    at.button(key="create_ask_ai").click().run()
    no_traceback(at)
    assert [(a["prompt"], a["generator"]) for a in asked] == [(prompt, "llm")]
    assert at.session_state["create_generator"] == "llm"


def test_a_cancelled_job_says_so(ui_settings):
    job_id = seed_job(
        ui_settings,
        prompt="p",
        state="cancelled",
        error_kind="cancelled",
        error_message="Cancelled.",
    )
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    assert texts(at.info)[0].startswith("Cancelled.")


def test_recent_prompts_refill_the_prompt(ui_settings):
    seed_job(ui_settings, prompt="Bubble sort 5, 1, 4, 2", state="succeeded")
    at = app_test()
    at.button(key="create_recent_0").click().run()
    assert at.text_area(key="create_prompt").value == "Bubble sort 5, 1, 4, 2"


def test_an_unexpected_error_is_one_sentence_never_a_traceback(ui_settings, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(gallery, "list_videos", broken)
    at = app_test(GALLERY)
    no_traceback(at)
    assert texts(at.error) == [UNEXPECTED]
    assert "database on fire" not in str(at.main)


@pytest.mark.render
def test_generate_renders_then_shows_video_code_and_actions(ui_settings):
    at = app_test()
    at.text_area(key="create_prompt").input("Show the limit of sin(x)/x as x approaches 0")
    at.form_submit_button[0].click().run()
    no_traceback(at)
    job_id = at.session_state["create_job"]
    # The page never blocks: it shows progress while the job runs, then the result.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        view = service.status(settings=ui_settings, job_id=job_id)
        if view.finished:
            break
        time.sleep(0.5)
    assert view.state == "succeeded", view.error
    at.run()
    no_traceback(at)
    assert at.header[0].value.startswith("Show the limit")
    assert at.get("video"), "no video player"
    downloads = [b.proto.label for b in at.download_button]
    assert downloads == ["Download the description", "Download"]  # text alternative, video
    described = service.status(settings=ui_settings, job_id=job_id).description
    assert described is not None and described.source == "template"
    labels = [b.label for b in at.button]
    assert "Render edited code" in labels and "Render in higher quality" in labels
    # Thumbs up/down under the finished video, stored for the admin page.
    at.feedback[0].set_value(1).run()
    video_id = service.status(settings=ui_settings, job_id=job_id).video_id
    assert events.get_feedback(
        settings=ui_settings, video_id=video_id, user_id=teacher_id(ui_settings)
    ).thumbs_up

    # Higher quality re-renders the same code at standard and keeps the title.
    at.button(key="create_higher").click().run()
    higher = at.session_state["create_job"]
    assert higher != job_id
    assert service.status(settings=ui_settings, job_id=higher).quality == "standard"
    service.cancel(settings=ui_settings, job_id=higher)


# --- Gallery ------------------------------------------------------------------------------


def card_titles(at) -> list[str]:
    return [t.strip("*") for t in texts(at.markdown) if t.startswith("**") and t.endswith("**")]


def test_an_empty_gallery_teaches_what_to_try(ui_settings):
    at = app_test(GALLERY)
    assert texts(at.info)[0] == "No videos yet — try one of these:"
    assert [b.label for b in at.button if b.label == "Try it"] == ["Try it"] * 3


def test_gallery_search_and_filters(ui_settings):
    seed_video(
        ui_settings,
        title="Area of a circle",
        template="circle_area",
        created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    seed_video(
        ui_settings,
        title="Pendulum swing",
        template="pendulum",
        created_at=datetime(2026, 3, 5, 9, tzinfo=UTC),
    )
    seed_video(
        ui_settings,
        title="Bubble sort",
        template="sorting_algorithm",
        created_at=datetime(2026, 3, 9, 9, tzinfo=UTC),
    )
    at = app_test(GALLERY)
    no_traceback(at)
    assert card_titles(at) == ["Bubble sort", "Pendulum swing", "Area of a circle"]
    assert "3 videos" in texts(at.caption)

    at.text_input(key="gallery_search").input("circle").run()
    assert card_titles(at) == ["Area of a circle"]
    at.text_input(key="gallery_search").input("").run()

    at.selectbox(key="gallery_subject").set_value("Physics").run()
    assert card_titles(at) == ["Pendulum swing"]
    at.selectbox(key="gallery_subject").set_value("").run()

    at.selectbox(key="gallery_template").set_value("sorting_algorithm").run()
    assert card_titles(at) == ["Bubble sort"]
    at.selectbox(key="gallery_template").set_value("").run()

    at.date_input(key="gallery_dates").set_value((date(2026, 3, 4), date(2026, 3, 10))).run()
    assert card_titles(at) == ["Bubble sort", "Pendulum swing"]

    at.text_input(key="gallery_search").input("nothing like this").run()
    assert texts(at.info) == [
        "No videos match this search; check the spelling, try fewer words, or clear it."
    ]
    at.text_input(key="gallery_search").input("").run()
    at.date_input(key="gallery_dates").set_value((date(2020, 1, 1), date(2020, 1, 2))).run()
    assert texts(at.info) == ["No videos match these filters; clear the search or widen the dates."]
    at.date_input(key="gallery_dates").set_value(()).run()
    at.text_input(key="gallery_search").input("pendulums").run()
    assert card_titles(at) == ["Pendulum swing"]
    at.text_input(key="gallery_search").input("circel").run()
    assert card_titles(at) == ["Area of a circle"]
    assert "1 video · including near spellings of your words" in texts(at.caption)


def test_a_card_cuts_a_long_prompt_to_one_line_with_the_whole_in_its_tooltip(ui_settings):
    pasted = "Plot y = x^2 from -3 to 3 and mark the vertex. " * 40  # a page of text
    seed_video(ui_settings, title="Graph of a function", prompt=pasted)
    seed_video(ui_settings, title="Circle", prompt="Area of a circle, for a class of 14")
    at = app_test(GALLERY)
    no_traceback(at)
    # Shown literally: punctuation escaped for Markdown (app/ui/formatting.literal).
    captions = {c.value.replace("\\", ""): c.proto.help for c in at.caption}
    cut = [value for value in captions if value.startswith("Plot y")]
    assert len(cut) == 1 and len(cut[0]) < 160 and cut[0].endswith("…"), cut
    assert "vertex" in captions[cut[0]] and len(captions[cut[0]]) > len(pasted)  # escaped
    assert captions["Area of a circle, for a class of 14"] == ""  # short: shown whole


def test_gallery_pages_through_many_videos(ui_settings):
    for number in range(gallery.PER_PAGE + 2):
        seed_video(
            ui_settings,
            title=f"Video {number:02d}",
            created_at=datetime(2026, 1, 1 + number, tzinfo=UTC),
        )
    at = app_test(GALLERY)
    assert len(card_titles(at)) == gallery.PER_PAGE
    assert at.button(key="gallery_prev").disabled
    at.button(key="gallery_next").click().run()
    assert card_titles(at) == ["Video 01", "Video 00"]
    assert "Page 2 of 2" in " ".join(texts(at.markdown))


def test_delete_asks_for_confirmation_first(ui_settings):
    video_id = seed_video(ui_settings, title="Doomed lesson")
    at = app_test(GALLERY)
    at.button(key=f"gallery_delete_{video_id}").click().run()
    no_traceback(at)
    # The dialog is open; nothing is deleted yet, and "Keep it" keeps it.
    assert "Doomed lesson" in " ".join(texts(at.markdown))
    at.button(key="gallery_cancel_delete").click().run()
    with session_scope(ui_settings) as session:
        assert session.get(Video, video_id) is not None

    at.button(key=f"gallery_delete_{video_id}").click().run()
    at.button(key="gallery_confirm_delete").click().run()
    no_traceback(at)
    with session_scope(ui_settings) as session:
        assert session.get(Video, video_id) is None
    assert texts(at.toast) == ["Deleted “Doomed lesson”."]
    assert texts(at.info)[0] == "No videos yet — try one of these:"


def test_rename_saves_and_toasts(ui_settings):
    video_id = seed_video(ui_settings, title="Untitled")
    at = app_test(GALLERY)
    at.text_input(key=f"gallery_title_{video_id}").input("Circles for 7B").run()
    no_traceback(at)
    assert texts(at.toast) == ["Title saved."]
    assert "Circles for 7B" in card_titles(at)


def test_sharing_by_link_shows_a_watch_link_and_private_removes_it(ui_settings):
    video_id = seed_video(ui_settings, title="Shared lesson")
    at = app_test(GALLERY)
    assert not at.code
    at.radio(key=f"gallery_visibility_{video_id}").set_value("link").run()
    no_traceback(at)
    with session_scope(ui_settings) as session:
        video = session.get(Video, video_id)
        token, visibility = video.share_token, video.visibility
    assert visibility == "link" and token
    link, embed = (c.value for c in at.code)
    assert link == f"http://localhost:8501/watch?v={token}"
    assert embed.startswith(f'<iframe src="http://localhost:8501/embed?v={token}"')
    assert texts(at.toast) == ["Sharing: Anyone with the link."]

    at.radio(key=f"gallery_visibility_{video_id}").set_value("private").run()
    assert not at.code
    assert gallery.find_shared(settings=ui_settings, token=token) is None


# --- Watch --------------------------------------------------------------------------------


def test_watch_plays_a_link_shared_video_with_prompt_and_code(ui_settings):
    seed_video(
        ui_settings,
        title="Pythagoras",
        prompt="Prove a^2 + b^2 = c^2",
        visibility="link",
        share_token="tok-link",
        code="from manim import *  # proof",
    )
    at = app_test(WATCH, v="tok-link")
    no_traceback(at)
    assert at.title[0].value == "Pythagoras"
    assert at.get("video")
    assert f"> {literal('Prove a^2 + b^2 = c^2')}" in texts(at.markdown)
    assert "from manim import *  # proof" in [c.value for c in at.code]


def test_watch_shows_the_videos_description_offers_it_as_text_and_as_a_track(ui_settings):
    described = Description(
        ["The circle has radius 2.", "Its area is about 12.57."],
        [Moment(0.0, "Appears: “r = 2”."), Moment(1.5, "Appears: a circle.")],
        3.0,
        "template",
    )
    seed_video(
        ui_settings,
        title="Circle area",
        visibility="link",
        share_token="tok-described",
        description=described.to_json(),
    )
    at = app_test(WATCH, v="tok-described")
    no_traceback(at)
    shown = texts(at.markdown)
    assert [literal("The circle has radius 2."), literal("Its area is about 12.57.")] == [
        t for t in shown if "circle has" in t or "area is" in t
    ]
    assert (
        "\n".join(
            f"- {when} {literal(said)}"
            for when, said in (("0:00", "Appears: “r = 2”."), ("0:01", "Appears: a circle."))
        )
        in shown
    )
    player = at.get("video")[0].proto
    assert not player.autoplay
    # The text is under the player, so the track starts off.
    assert [t.label for t in player.subtitles] == ["Off", media.DESCRIPTION_TRACK]
    assert player.alt == "The circle has radius 2. Its area is about 12.57."
    download = [b for b in at.get("download_button") if "description" in b.proto.label]
    assert download and download[0].proto.label == "Download the description"


def test_a_video_made_before_descriptions_says_how_to_get_one(ui_settings):
    seed_video(ui_settings, title="Old", visibility="link", share_token="tok-old")
    at = app_test(WATCH, v="tok-old")
    no_traceback(at)
    assert any("made before Chalk wrote descriptions" in t for t in texts(at.markdown))
    assert not at.get("video")[0].proto.subtitles


def test_watch_never_shows_a_private_video(ui_settings):
    seed_video(ui_settings, title="Secret", visibility="private", share_token="tok-private")
    at = app_test(WATCH, v="tok-private")
    no_traceback(at)
    assert "Secret" not in str(at.main)
    assert "isn't shared" in texts(at.warning)[0]
    assert not at.get("video")


def test_watch_without_a_link_lists_public_videos(ui_settings):
    seed_video(
        ui_settings,
        title="Public waves",
        template="transverse_wave",
        visibility="public",
        share_token="tok-public",
    )
    seed_video(ui_settings, title="Only by link", visibility="link", share_token="tok-link")
    at = app_test(WATCH)
    names = card_titles(at)
    assert "Public waves" in names and "Only by link" not in names


def test_watch_works_for_a_session_that_never_signed_in(ui_settings):
    """A fresh visitor: no sign-in is needed to watch a shared video."""
    seed_video(ui_settings, title="Open lesson", visibility="public", share_token="tok-open")
    at = app_test(WATCH, user=None, v="tok-open")
    no_traceback(at)
    assert at.session_state["authentication_status"] is None
    assert at.title[0].value == "Open lesson"
    assert at.get("video")


# --- Help ---------------------------------------------------------------------------------


def test_help_lists_every_template_shortcuts_and_faq(ui_settings):
    at = app_test(HELP)
    body = " ".join(texts(at.markdown))
    from app.generators.offline import list_templates

    for template in list_templates():
        assert template.title in body
    assert "Ctrl+Enter" in body
    assert len(at.expander) >= 5


def test_teacher_id_is_the_session_user(ui_settings):
    at = app_test()
    assert at.session_state["session_user"].id == teacher_id(ui_settings)


# A teacher's view never names a setting: the administrator knows those, the teacher cannot
# act on them.
TEACHER_PAGES = [None, GALLERY, WATCH, HELP, "pages/account.py"]


@pytest.mark.parametrize("page", TEACHER_PAGES)
def test_no_setting_or_variable_name_in_a_teachers_view(ui_settings, page):
    at = app_test(page)
    no_traceback(at)
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
    shown = [text for kind in kinds for text in texts(getattr(at, kind))]
    shown += [w.label for w in at.button] + [w.help or "" for w in at.button]
    assert shown, "the page showed no text"
    assert [text for text in shown if re.search(r"\bCHALK_[A-Z_]+", text)] == []

"""Under a template-made video, its values as a form: Render makes a new version (issue 16).

The finished job is seeded (its code is exactly what the template makes from its values), and
new jobs go to a recording backend, so nothing renders.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from app.db.engine import session_scope
from app.db.models import Job, Video
from app.generators.offline import origin, render_template
from app.generators.offline.catalogue import registry
from app.jobs import service
from app.ui.formatting import literal
from app.ui.template_form import SAME_VALUES
from tests.jobs.recording import RecordingBackend
from tests.ui.conftest import app_test, seed_video, texts


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> RecordingBackend:
    """New jobs are recorded, not run."""
    recording = RecordingBackend()
    monkeypatch.setattr(service, "get_backend", lambda settings: recording)
    return recording


def finished_template_job(settings, template_id: str, params: dict, **fields) -> str:
    """A succeeded job of `template_id` with `params`, and its video; returns the job id."""
    made = render_template(template_id, params)
    video_id = seed_video(
        settings, title="My video", template=template_id, code=made.code, **fields
    )
    with session_scope(settings) as session:
        job = session.get(Job, session.get(Video, video_id).job_id)
        job.params = made.params
        return job.id


def on_create(job_id: str):
    at = app_test()
    at.session_state["create_job"] = job_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def job_count(settings) -> int:
    with session_scope(settings) as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_the_form_shows_the_videos_values_and_render_queues_the_new_version(ui_settings, backend):
    job_id = finished_template_job(
        ui_settings, "pendulum", {"length": 2.5, "amplitude_deg": 20}, quality="standard"
    )
    at = on_create(job_id)
    assert "Change the values" in texts(at.header)
    length = at.slider(key=f"create_values_{job_id}_length")
    assert length.label == "Length (m)" and length.value == 2.5
    assert "From 0.1 to 20 m." in length.help
    assert at.slider(key=f"create_values_{job_id}_amplitude_deg").value == 20

    length.set_value(3.5)
    at.button(key=f"FormSubmitter:create_values_{job_id}-Render").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new_job = at.session_state["create_job"]
    assert new_job != job_id and backend.queued == [(new_job, 0)]
    with session_scope(ui_settings) as session:
        code = session.get(Job, new_job).code
    made = origin(code)
    assert made is not None and not made.edited
    assert (made.template, made.params) == ("pendulum", {"length": 3.5, "amplitude_deg": 20.0})
    view = service.status(settings=ui_settings, job_id=new_job)
    assert (view.quality, view.aspect) == ("standard", "16:9")
    # A new version of the shown video's gallery item, saying what changed.
    with session_scope(ui_settings) as session:
        shown = session.scalar(select(Video.id).join(Job).where(Job.id == job_id))
        version = session.get(Job, new_job)
        assert (version.item_id, version.change_note) == (shown, "Changed the values: Length (m)")


def test_a_value_the_template_refuses_shows_its_sentence_and_queues_nothing(ui_settings, backend):
    job_id = finished_template_job(ui_settings, "binary_search", {})
    at = on_create(job_id)
    values = at.text_input(key=f"create_values_{job_id}_values")
    assert values.value == "2, 5, 8, 12, 16, 23, 38, 56, 72, 91"
    before = job_count(ui_settings)

    values.set_value("2, 5, 99999")
    at.button(key=f"FormSubmitter:create_values_{job_id}-Render").click().run()
    assert texts(at.error) == [literal("'values' must be between -9999 and 9999.")]
    assert at.session_state["create_job"] == job_id
    assert job_count(ui_settings) == before and backend.queued == []


def test_render_with_unchanged_values_says_so_and_queues_nothing(ui_settings, backend):
    job_id = finished_template_job(ui_settings, "function_graph", {"expression": "x^3"})
    at = on_create(job_id)
    expression = at.text_input(key=f"create_values_{job_id}_expression")
    assert expression.value == "x**3"
    at.button(key=f"FormSubmitter:create_values_{job_id}-Render").click().run()
    assert SAME_VALUES in texts(at.info)
    assert at.session_state["create_job"] == job_id and backend.queued == []


def test_a_video_not_made_from_a_template_has_no_form(ui_settings, backend):
    video_id = seed_video(ui_settings, title="Hand-written", template=None)
    with session_scope(ui_settings) as session:
        job_id = session.get(Video, video_id).job_id
    at = on_create(job_id)
    assert "Change the values" not in texts(at.header)


def form_alone(template_id: str, params: dict) -> None:
    """The form by itself (no app, no database): a submit records the new values."""
    import streamlit as st

    from app.ui import template_form

    template_form.change_values(
        template_id=template_id,
        params=params,
        key="form",
        submit=lambda made: st.session_state.setdefault("submitted", []).append(made.params),
    )


FORMS = [
    (template_id, index, render_template(template_id, values).params)
    for template_id, template in registry().items()
    if template.controls
    for index, values in enumerate([{}, *template.variants])
]


@pytest.mark.parametrize(
    ("template_id", "params"),
    [(t, p) for t, _, p in FORMS],
    ids=[f"{t}-{i}" for t, i, _ in FORMS],
)
def test_every_templates_form_gives_back_the_values_it_shows(template_id, params):
    at = AppTest.from_function(form_alone, args=(template_id, params)).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="FormSubmitter:form-Render").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, texts(at.error)
    assert SAME_VALUES in texts(at.info)
    assert "submitted" not in at.session_state


def test_values_beyond_the_controls_limits_still_show_and_render_as_they_are():
    # A prompt may give legs the sliders do not reach (both long, so still drawable).
    params = render_template("pythagorean_theorem", {"a": 100, "b": 120}).params
    at = AppTest.from_function(form_alone, args=("pythagorean_theorem", params)).run()
    assert at.slider(key="form_a").value == 100
    at.button(key="FormSubmitter:form-Render").click().run()
    assert SAME_VALUES in texts(at.info)


def test_a_third_vector_and_a_changed_set_are_read_from_their_boxes():
    at = AppTest.from_function(form_alone, args=("vector_addition", {})).run()
    assert at.text_input(key="form_vectors_0").value == "3, 1"
    at.text_input(key="form_vectors_2").set_value("(-2, 1)")
    at.button(key="FormSubmitter:form-Render").click().run()
    assert at.session_state["submitted"] == [{"vectors": [[3.0, 1.0], [1.0, 2.0], [-2.0, 1.0]]}]

    at = AppTest.from_function(form_alone, args=("venn_diagram", {})).run()
    at.text_input(key="form_sets_1_items").set_value("3, 6, 9")
    at.text_input(key="form_sets_2_name").set_value("Evens")
    at.button(key="FormSubmitter:form-Render").click().run()
    sets = at.session_state["submitted"][0]["sets"]
    assert sets[1] == {"name": "Multiples of 3", "items": ["3", "6", "9"]}
    assert sets[2] == {"name": "Evens", "items": []}


def test_the_gallery_opens_a_template_video_on_create_with_its_form(ui_settings, backend):
    job_id = finished_template_job(ui_settings, "circle_area", {"radius": 3})
    seed_video(ui_settings, title="Hand-written", template=None)
    at = app_test("pages/gallery.py")
    offered = [b for b in at.button if b.key.startswith("gallery_change_")]
    assert len(offered) == 1  # the hand-written video has no values to change
    offered[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["create_job"] == job_id
    assert at.number_input(key=f"create_values_{job_id}_radius").value == 3


def test_listed_numbers_are_shown_exactly_so_an_unchanged_form_changes_nothing():
    params = render_template(
        "bar_chart", {"labels": ["A", "B"], "values": [123456.78, 0.00001]}
    ).params
    at = AppTest.from_function(form_alone, args=("bar_chart", params)).run()
    assert at.text_input(key="form_values").value == "123456.78, 0.00001"
    at.button(key="FormSubmitter:form-Render").click().run()
    assert SAME_VALUES in texts(at.info)


def test_create_says_which_values_the_prompt_left_to_the_template(ui_settings, backend):
    plain = seed_video(
        ui_settings, title="Pendulum", prompt="Animate a pendulum", template="pendulum"
    )
    given = seed_video(
        ui_settings,
        title="Mine",
        prompt="Animate a 3 m pendulum from 20 degrees",
        template="pendulum",
    )
    for video_id, expected in ((plain, True), (given, False)):
        with session_scope(ui_settings) as session:
            job_id = session.get(Video, video_id).job_id
        at = on_create(job_id)
        note = literal("defaults were used: Length (m): 2; Release angle (°): 30")
        said = any(note in c for c in texts(at.caption))
        assert said is expected


def test_create_names_what_the_prompt_asked_that_the_template_does_not_show(ui_settings, backend):
    asked = seed_video(
        ui_settings,
        title="Parabola",
        prompt="Plot y = x^2 - 4x + 3 from -1 to 5 and show the axis of symmetry",
        template="function_graph",
    )
    plain = seed_video(
        ui_settings,
        title="Parabola",
        prompt="Plot y = x^2 - 4x + 3 from -1 to 5",
        template="function_graph",
    )
    sentence = literal(
        "I used the function of x and the range of x; "
        "'the axis of symmetry' is not something this template shows."
    )
    for video_id, expected in ((asked, True), (plain, False)):
        with session_scope(ui_settings) as session:
            job_id = session.get(Video, video_id).job_id
        view = service.status(settings=ui_settings, job_id=job_id)
        assert view.to_json()["unused"] == (["the axis of symmetry"] if expected else [])
        at = on_create(job_id)
        # Beside the defaults sentence when there is one; gone for a prompt read in full.
        assert any(sentence in c for c in texts(at.caption)) is expected


def test_the_unused_parts_belong_to_the_prompts_own_template_job(ui_settings, backend):
    # Code the teacher edited (generator "user") is not the template's reading of the prompt.
    edited = seed_video(
        ui_settings,
        title="Mine",
        prompt="Plot y = x^2 - 4x + 3 from -1 to 5 and show the axis of symmetry",
        template=None,
    )
    with session_scope(ui_settings) as session:
        job_id = session.get(Video, edited).job_id
    view = service.status(settings=ui_settings, job_id=job_id)
    assert view.unused == [] and view.unused_note is None

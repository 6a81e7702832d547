"""The feedback widget (app/ui/feedback.py) under AppTest: a vote is stored and shown again,
a comment goes with it, another user's private video cannot be rated, visitors get nothing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app import events
from app.db.engine import session_scope
from app.db.models import Feedback
from app.ui import feedback
from tests.ui.conftest import seed_video, teacher_id, texts


def widget_page(video_id: str, user_id: int | None) -> None:
    """A page with nothing but the widget (and the toasts the app frame would show)."""
    from types import SimpleNamespace

    from app.settings import get_settings
    from app.ui import frame
    from app.ui.feedback import feedback_widget

    user = SimpleNamespace(id=user_id) if user_id is not None else None
    feedback_widget(get_settings(), user, video_id, key_prefix="test")
    frame.show_flashes()


def open_widget(video_id: str, user_id: int | None) -> AppTest:
    at = AppTest.from_function(
        widget_page, kwargs={"video_id": video_id, "user_id": user_id}, default_timeout=30
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def votes(settings) -> list[tuple[int, int, str | None]]:
    with session_scope(settings) as session:
        return [(row.user_id, row.rating, row.comment) for row in session.query(Feedback).all()]


def test_a_vote_is_stored_and_shown_again_next_time(ui_settings):
    video_id = seed_video(ui_settings, title="Circles")
    me = teacher_id(ui_settings)
    at = open_widget(video_id, me)
    assert at.feedback[0].value is None
    at.feedback[0].set_value(1).run()
    assert votes(ui_settings) == [(me, 1, None)]
    assert texts(at.toast) == [feedback.THANKS]

    again = open_widget(video_id, me)  # a new session starts from the stored vote
    assert again.feedback[0].value == 1
    again.feedback[0].set_value(0).run()
    assert votes(ui_settings) == [(me, 0, None)]  # replaced, not added


def test_a_comment_needs_a_vote_first_then_is_stored_with_it(ui_settings):
    video_id = seed_video(ui_settings, title="Circles")
    me = teacher_id(ui_settings)
    at = open_widget(video_id, me)
    assert feedback.VOTE_FIRST in texts(at.caption)
    assert not at.text_area

    at.feedback[0].set_value(1).run()
    at.text_area(key=f"test_{video_id}_comment").input("The labels overlap at the end")
    at.button(key=f"FormSubmitter:test_{video_id}_form-Send").click().run()
    assert not at.exception
    assert votes(ui_settings) == [(me, 1, "The labels overlap at the end")]
    assert "Your comment: “The labels overlap at the end”" in texts(at.caption)
    stored = events.get_feedback(settings=ui_settings, video_id=video_id, user_id=me)
    assert stored is not None and stored.thumbs_up

    # Changing the thumb keeps the comment.
    at.feedback[0].set_value(0).run()
    assert votes(ui_settings) == [(me, 0, "The labels overlap at the end")]


def test_clearing_the_thumbs_keeps_the_stored_vote(ui_settings):
    video_id = seed_video(ui_settings, title="Circles")
    me = teacher_id(ui_settings)
    at = open_widget(video_id, me)
    at.feedback[0].set_value(1).run()
    at.feedback[0].set_value(None).run()
    assert votes(ui_settings) == [(me, 1, None)]
    assert at.feedback[0].value == 1
    assert "Your vote is kept; choose the other thumb to change it." in texts(at.toast)


def test_another_users_private_video_cannot_be_rated(ui_settings):
    video_id = seed_video(ui_settings, title="Mine only", owner="someone_else")
    me = teacher_id(ui_settings)
    at = open_widget(video_id, me)
    at.feedback[0].set_value(1).run()
    assert votes(ui_settings) == []
    assert texts(at.toast) == [feedback.NOT_ALLOWED]
    assert at.feedback[0].value is None


def test_a_shared_video_can_be_rated_by_another_teacher(ui_settings):
    video_id = seed_video(
        ui_settings, title="For all", owner="someone_else", visibility="link", share_token="t1"
    )
    me = teacher_id(ui_settings)
    at = open_widget(video_id, me)
    at.feedback[0].set_value(1).run()
    assert votes(ui_settings) == [(me, 1, None)]


def test_a_visitor_who_is_not_signed_in_gets_no_widget(ui_settings):
    video_id = seed_video(ui_settings, title="Public", visibility="public", share_token="t2")
    at = open_widget(video_id, None)
    assert not at.feedback and not at.caption

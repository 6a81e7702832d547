"""Widget callbacks run before the sign-in gate: an account disabled between the page's run
and the click gets nothing written through them, and a sentence saying so."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts import users
from app.db.engine import session_scope
from app.db.models import UsageEvent, Video
from app.ui.session import NOT_ACTIVE
from tests.helpers import make_account
from tests.ui.conftest import app_test, seed_video, teacher_id, texts
from tests.ui.test_feedback import open_widget, votes


@pytest.fixture
def disable_teacher(ui_settings):
    """Disables the teacher when called (an admin exists, so the teacher can be disabled)."""
    make_account(ui_settings, "boss", role="admin")
    teacher_id(ui_settings)
    return lambda: users.set_disabled(settings=ui_settings, username="teacher", disabled=True)


def test_rename_share_and_delete_are_refused_once_the_account_is_disabled(
    ui_settings, disable_teacher
):
    video_id = seed_video(ui_settings, title="Kept")
    at = app_test("pages/gallery.py")
    at.button(key=f"gallery_delete_{video_id}").click().run()  # the dialog asks
    disable_teacher()
    at.text_input(key=f"gallery_title_{video_id}").input("Renamed")
    at.radio(key=f"gallery_visibility_{video_id}").set_value("public")
    at.button(key="gallery_confirm_delete").click().run()
    assert not at.exception
    with session_scope(ui_settings) as session:
        video = session.get(Video, video_id)
        assert video is not None
        assert (video.title, video.visibility, video.share_token) == ("Kept", "private", None)
    assert texts(at.toast) == [NOT_ACTIVE] * 3


def test_a_vote_is_refused_once_the_account_is_disabled(ui_settings, disable_teacher):
    video_id = seed_video(ui_settings, title="Circles")
    at = open_widget(video_id, teacher_id(ui_settings))
    disable_teacher()
    at.feedback[0].set_value(1).run()
    assert votes(ui_settings) == []
    assert texts(at.toast) == [NOT_ACTIVE]
    assert at.feedback[0].value is None


def test_a_template_pick_is_not_counted_once_the_account_is_disabled(ui_settings, disable_teacher):
    at = app_test()
    disable_teacher()
    at.button(key="create_template_circle_area").click().run()
    with session_scope(ui_settings) as session:
        picks = session.scalar(select(func.count()).where(UsageEvent.kind == "template_picked"))
    assert picks == 0
    assert NOT_ACTIVE in texts(at.toast)

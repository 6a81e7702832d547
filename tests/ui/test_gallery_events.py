"""Product events from the gallery, watch and help flows (recorded once, by the services), and
scoping: a teacher never sees, renames, re-shares or deletes another user's video, through the
services or the pages; an admin can, with "Everyone's videos"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import gallery
from app.accounts import users as accounts
from app.db.engine import session_scope
from app.db.models import UsageEvent, Video
from app.jobs import service
from tests.helpers import make_account
from tests.ui.conftest import app_test, seed_video, texts

GALLERY = "pages/gallery.py"
WATCH = "pages/watch.py"
HELP = "pages/help.py"


def no_traceback(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def page_text(at) -> str:
    """Everything the page says: headings, text, captions and the title boxes' values."""
    parts = [t.value for t in at.title] + texts(at.markdown) + texts(at.caption)
    parts += [str(box.value) for box in at.text_input]
    return "\n".join(parts)


def events_of(settings, kind: str) -> list[tuple[int | None, str | None, str | None]]:
    with session_scope(settings) as session:
        rows = session.scalars(
            select(UsageEvent).where(UsageEvent.kind == kind).order_by(UsageEvent.id)
        ).all()
        return [(row.user_id, row.video_id, row.template) for row in rows]


def video_row(settings, video_id: str) -> Video | None:
    with session_scope(settings) as session:
        video = session.get(Video, video_id)
        if video is not None:
            session.expunge(video)
        return video


# --- services -------------------------------------------------------------------------------


@pytest.fixture
def two_teachers(db_settings):
    """Alice's private video, and Bob who is not Alice."""
    alice = make_account(db_settings, "alice")
    bob = make_account(db_settings, "bob")
    video_id = seed_video(db_settings, title="Alice's lesson", owner="alice", template="pendulum")
    return db_settings, alice, bob, video_id


def test_a_teacher_cannot_reach_another_teachers_video_through_the_services(two_teachers):
    settings, alice, bob, video_id = two_teachers
    job_id = video_row(settings, video_id).job_id
    assert gallery.list_videos(settings=settings, owner_id=bob.id).total == 0
    assert gallery.used_templates(settings=settings, owner_id=bob.id) == []
    assert gallery.job_code(settings=settings, job_id=job_id, owner_id=bob.id) is None
    with pytest.raises(gallery.VideoNotFound):
        gallery.get_video(settings=settings, video_id=video_id, owner_id=bob.id)
    with pytest.raises(gallery.VideoNotFound):
        gallery.rename(settings=settings, video_id=video_id, owner_id=bob.id, title="Mine now")
    with pytest.raises(gallery.VideoNotFound):
        gallery.set_visibility(
            settings=settings, video_id=video_id, owner_id=bob.id, visibility="public"
        )
    with pytest.raises(service.JobNotFound):
        service.delete_video(settings=settings, video_id=video_id, owner_id=bob.id)
    with pytest.raises(service.JobNotFound):
        service.status(settings=settings, job_id=job_id, owner_id=bob.id)
    with pytest.raises(service.JobNotFound):
        service.cancel(settings=settings, job_id=job_id, owner_id=bob.id)

    video = video_row(settings, video_id)
    assert (video.title, video.visibility, video.share_token) == ("Alice's lesson", "private", None)
    assert events_of(settings, "video_shared") == []
    assert events_of(settings, "video_deleted") == []
    # Alice herself, and an admin (any owner), still find it.
    assert gallery.get_video(settings=settings, video_id=video_id, owner_id=alice.id)
    assert gallery.list_videos(settings=settings, owner_id=None).total == 1


def test_sharing_records_video_shared_in_the_same_change(two_teachers):
    settings, alice, _bob, video_id = two_teachers
    gallery.set_visibility(
        settings=settings, video_id=video_id, owner_id=alice.id, visibility="link"
    )
    assert events_of(settings, "video_shared") == [(alice.id, video_id, "pendulum")]
    # Saving the same choice again is no new share; going public is.
    gallery.set_visibility(
        settings=settings, video_id=video_id, owner_id=alice.id, visibility="link"
    )
    gallery.set_visibility(
        settings=settings, video_id=video_id, owner_id=alice.id, visibility="public"
    )
    gallery.set_visibility(
        settings=settings, video_id=video_id, owner_id=alice.id, visibility="private"
    )
    assert len(events_of(settings, "video_shared")) == 2


def test_watched_and_downloaded_are_recorded_for_real_videos_only(two_teachers):
    settings, alice, bob, video_id = two_teachers
    assert gallery.record_watched(settings=settings, video_id=video_id, user_id=alice.id)
    assert gallery.record_downloaded(settings=settings, video_id=video_id, user_id=None)
    assert not gallery.record_watched(settings=settings, video_id="no-such-video", user_id=bob.id)
    assert events_of(settings, "video_watched") == [(alice.id, video_id, "pendulum")]
    assert events_of(settings, "video_downloaded") == [(None, video_id, "pendulum")]


# --- pages: scoping -------------------------------------------------------------------------


def test_a_teachers_gallery_never_shows_or_changes_anyone_elses_video(ui_settings):
    make_account(ui_settings, "alice")
    theirs = seed_video(ui_settings, title="Alice's lesson", owner="alice")
    mine = seed_video(ui_settings, title="My lesson")
    at = app_test(GALLERY)
    no_traceback(at)
    assert "Alice's lesson" not in page_text(at)
    assert "My lesson" in page_text(at)
    assert not [t for t in at.toggle if t.key == "gallery_everyone"]  # admins only

    # Forged requests for Alice's video (as if its card were on the page) change nothing.
    at.session_state["gallery_deleting"] = (theirs, "Alice's lesson")
    at.run()
    at.button(key="gallery_confirm_delete").click().run()
    no_traceback(at)
    assert video_row(ui_settings, theirs) is not None

    at.text_input(key=f"gallery_title_{mine}").input("Renamed").run()
    assert video_row(ui_settings, mine).title == "Renamed"
    assert video_row(ui_settings, theirs).title == "Alice's lesson"
    video = video_row(ui_settings, theirs)
    assert (video.visibility, video.share_token) == ("private", None)


def test_an_admin_sees_everyones_videos_only_when_asking(ui_settings):
    make_account(ui_settings, "ada", role="admin")
    make_account(ui_settings, "alice")
    theirs = seed_video(ui_settings, title="Alice's lesson", owner="alice")
    seed_video(ui_settings, title="Ada's own", owner="ada")
    at = app_test(GALLERY, user="ada")
    no_traceback(at)
    assert "Alice's lesson" not in page_text(at) and "Ada's own" in page_text(at)

    at.toggle(key="gallery_everyone").set_value(True).run()
    no_traceback(at)
    assert "Alice's lesson" in page_text(at)
    assert any(":material/person: alice" in c for c in texts(at.caption))
    at.radio(key=f"gallery_visibility_{theirs}").set_value("link").run()
    no_traceback(at)
    assert video_row(ui_settings, theirs).visibility == "link"
    assert texts(at.toast) == ["Sharing: Anyone with the link."]

    # Demoted meanwhile, her next click (a callback, before the gate runs) is hers only.
    make_account(ui_settings, "boss", role="admin")
    accounts.set_role(settings=ui_settings, username="ada", role="teacher")
    at.radio(key=f"gallery_visibility_{theirs}").set_value("public").run()
    no_traceback(at)
    assert video_row(ui_settings, theirs).visibility == "link"
    assert "Alice's lesson" not in page_text(at)


# --- pages: events, once --------------------------------------------------------------------


def test_opening_a_gallery_player_records_one_watch_per_session(ui_settings):
    video_id = seed_video(ui_settings, title="Waves", template="transverse_wave")
    at = app_test(GALLERY)
    assert not at.get("video")  # nothing plays (or counts) until the player is opened
    assert events_of(ui_settings, "video_watched") == []
    at.session_state[f"gallery_watch_{video_id}"] = True
    at.run()
    no_traceback(at)
    assert at.get("video")
    at.run()
    at.text_input(key="gallery_search").input("wav").run()
    teacher = make_account(ui_settings, "teacher")
    assert events_of(ui_settings, "video_watched") == [(teacher.id, video_id, "transverse_wave")]


def test_a_download_is_recorded_when_pressed(ui_settings):
    video_id = seed_video(ui_settings, title="Waves", template="transverse_wave")
    at = app_test(GALLERY)
    assert events_of(ui_settings, "video_downloaded") == []
    at.get("download_button")[0].click().run()
    no_traceback(at)
    teacher = make_account(ui_settings, "teacher")
    assert events_of(ui_settings, "video_downloaded") == [(teacher.id, video_id, "transverse_wave")]


def test_feedback_under_a_gallery_card_is_stored(ui_settings):
    video_id = seed_video(ui_settings, title="Waves")
    at = app_test(GALLERY)
    at.feedback(key=f"gallery_feedback_{video_id}").set_value(1).run()
    no_traceback(at)
    from app.events import get_feedback

    teacher = make_account(ui_settings, "teacher")
    vote = get_feedback(settings=ui_settings, video_id=video_id, user_id=teacher.id)
    assert vote is not None and vote.rating == 1


def test_the_watch_page_records_one_watch_and_offers_feedback_to_signed_in_viewers(ui_settings):
    make_account(ui_settings, "alice")
    video_id = seed_video(
        ui_settings, title="Shared", owner="alice", visibility="link", share_token="tok-1"
    )
    at = app_test(WATCH, v="tok-1")
    no_traceback(at)
    at.run()
    at.run()
    teacher = make_account(ui_settings, "teacher")
    assert events_of(ui_settings, "video_watched") == [(teacher.id, video_id, "function_graph")]
    at.feedback(key=f"watch_feedback_{video_id}").set_value(0).run()
    no_traceback(at)
    from app.events import get_feedback

    assert get_feedback(settings=ui_settings, video_id=video_id, user_id=teacher.id).rating == 0


def test_a_visitor_watches_without_feedback_and_counts_as_an_anonymous_view(ui_settings):
    video_id = seed_video(ui_settings, title="Public", visibility="public", share_token="tok-2")
    at = app_test(WATCH, user=None, v="tok-2")
    no_traceback(at)
    assert at.title[0].value == "Public"
    assert not at.feedback
    at.get("download_button")[0].click().run()
    assert events_of(ui_settings, "video_watched") == [(None, video_id, "function_graph")]
    assert events_of(ui_settings, "video_downloaded") == [(None, video_id, "function_graph")]


def test_help_opened_is_recorded_once_per_session(ui_settings):
    at = app_test(HELP)
    no_traceback(at)
    at.run()
    at.switch_page(GALLERY).run()
    at.switch_page(HELP).run()
    teacher = make_account(ui_settings, "teacher")
    assert events_of(ui_settings, "help_opened") == [(teacher.id, None, None)]

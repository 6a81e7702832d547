"""School sharing in the services, on SQLite and PostgreSQL: the Library lists school and public
videos only (and searches only those), a school video's link opens for signed-in viewers and
never for visitors, Remix reaches only what the Library lists, the remix credit names the
original only to those who may see it, and a job records the video it remixes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app import gallery
from app.db.engine import session_scope
from app.db.models import Job, Video
from app.jobs import service
from app.settings import Settings
from tests.helpers import make_account
from tests.ui.conftest import seed_video, teacher_id


class NoQueue:
    """A backend that queues nothing: these tests look at the job row, not a render."""

    name = "none"

    def enqueue(self, job_id: str, requeues: int, quality: str) -> None:
        pass

    def holds(self, jobs: Sequence[tuple[str, int]]) -> set[str]:
        return set()

    def discard(self, job_id: str, requeues: int) -> None:
        pass


@pytest.fixture
def school(db_settings: Settings) -> dict[str, str]:
    """A colleague's videos in every visibility, and one of the teacher's own."""
    ids = {
        visibility: seed_video(
            db_settings,
            title=f"Pendulum ({visibility})",
            prompt="a weight swinging on a string",
            template="pendulum",
            owner="colleague",
            visibility=visibility,
            share_token=None if visibility == "private" else f"tok-{visibility}",
        )
        for visibility in ("private", "school", "link", "public")
    }
    ids["own"] = seed_video(
        db_settings,
        title="Bubble sort",
        prompt="five numbers in order",
        template="sorting_algorithm",
        visibility="school",
        share_token="tok-own",
    )
    return ids


def library_titles(settings: Settings, text: str = "") -> set[str]:
    return {item.title for item in gallery.list_library(settings=settings, text=text).items}


def test_the_library_lists_school_and_public_videos_only(
    db_settings: Settings, school: dict[str, str]
) -> None:
    assert library_titles(db_settings) == {"Pendulum (school)", "Pendulum (public)", "Bubble sort"}
    page = gallery.list_library(settings=db_settings)
    assert [item.created_at for item in page.items] == sorted(
        (item.created_at for item in page.items), reverse=True
    )
    names = {item.title: item.owner_name for item in page.items}
    assert names["Pendulum (school)"] == "colleague"


def test_the_library_search_stays_in_its_scope(
    db_settings: Settings, school: dict[str, str]
) -> None:
    assert library_titles(db_settings, "pendulums") == {"Pendulum (school)", "Pendulum (public)"}
    assert library_titles(db_settings, "physics") == {"Pendulum (school)", "Pendulum (public)"}
    assert library_titles(db_settings, "sorting") == {"Bubble sort"}
    assert library_titles(db_settings, "link") == set()
    assert library_titles(db_settings, "private") == set()


def test_a_school_video_opens_for_signed_in_viewers_never_for_visitors(
    db_settings: Settings, school: dict[str, str]
) -> None:
    viewer = teacher_id(db_settings)
    assert gallery.find_shared(settings=db_settings, token="tok-school") is None
    found = gallery.find_shared(settings=db_settings, token="tok-school", viewer_id=viewer)
    assert found is not None and found.id == school["school"]
    assert gallery.needs_sign_in(settings=db_settings, token="tok-school")
    for token in ("tok-link", "tok-public", "nope", ""):
        assert not gallery.needs_sign_in(settings=db_settings, token=token)
    assert gallery.find_shared(settings=db_settings, token="tok-link") is not None


def test_sharing_with_the_school_makes_a_link_and_private_drops_it(
    db_settings: Settings,
) -> None:
    video_id = seed_video(db_settings, title="Fractions")
    owner = teacher_id(db_settings)
    token = gallery.set_visibility(
        settings=db_settings, video_id=video_id, owner_id=owner, visibility="school"
    )
    assert token
    assert gallery.find_shared(settings=db_settings, token=token) is None
    assert "Fractions" in library_titles(db_settings)
    gallery.set_visibility(
        settings=db_settings, video_id=video_id, owner_id=owner, visibility="private"
    )
    assert gallery.needs_sign_in(settings=db_settings, token=token) is False
    assert "Fractions" not in library_titles(db_settings)


def test_remix_reaches_only_what_the_library_lists_or_ones_own(
    db_settings: Settings, school: dict[str, str]
) -> None:
    viewer = teacher_id(db_settings)
    for visibility in ("school", "public"):
        item = gallery.remix_source(
            settings=db_settings, video_id=school[visibility], viewer_id=viewer
        )
        assert item.code and item.prompt == "a weight swinging on a string"
    for visibility in ("private", "link"):
        with pytest.raises(gallery.VideoNotFound):
            gallery.remix_source(
                settings=db_settings, video_id=school[visibility], viewer_id=viewer
            )
    assert gallery.remix_source(settings=db_settings, video_id=school["own"], viewer_id=viewer)


def test_a_job_records_the_video_it_remixes_only_if_the_owner_may_see_it(
    db_settings: Settings, school: dict[str, str]
) -> None:
    viewer = teacher_id(db_settings)

    def remixed_from(video_id: str) -> str | None:
        view = service.submit(
            settings=db_settings,
            owner_id=viewer,
            code="from manim import *\n\nclass Demo(Scene):\n    pass\n",
            backend=NoQueue(),
            remixed_from=video_id,
        )
        with session_scope(db_settings) as session:
            job = session.get(Job, view.job_id)
            assert job is not None
            job.state = "cancelled"  # out of the way of the per-user limit of active jobs
            return job.remixed_from

    assert remixed_from(school["school"]) == school["school"]
    assert remixed_from(school["public"]) == school["public"]
    assert remixed_from(school["private"]) is None
    assert remixed_from(school["link"]) is None
    assert remixed_from("x" * 500) is None


def test_the_credit_names_the_original_only_to_who_may_see_it(
    db_settings: Settings, school: dict[str, str]
) -> None:
    viewer = teacher_id(db_settings)
    colleague = make_account(db_settings, "colleague").id
    remix_id = seed_video(db_settings, title="My pendulum", visibility="public", share_token="r")
    with session_scope(db_settings) as session:
        video = session.get(Video, remix_id)
        assert video is not None
        job = session.get(Job, video.job_id)
        assert job is not None
        job.remixed_from = school["school"]
    item = gallery.get_video(settings=db_settings, video_id=remix_id, owner_id=viewer)
    credit = "Remixed from “Pendulum (school)” by colleague."
    assert gallery.remix_credit(settings=db_settings, item=item, viewer_id=viewer) == credit
    assert gallery.remix_credit(settings=db_settings, item=item, viewer_id=colleague) == credit
    # A visitor on the remix's public link may not see a school video: no title, no name.
    assert (
        gallery.remix_credit(settings=db_settings, item=item, viewer_id=None)
        == "Remixed from another teacher's video."
    )
    gallery.set_visibility(
        settings=db_settings, video_id=school["school"], owner_id=colleague, visibility="private"
    )
    assert (
        gallery.remix_credit(settings=db_settings, item=item, viewer_id=viewer)
        == "Remixed from another teacher's video."
    )

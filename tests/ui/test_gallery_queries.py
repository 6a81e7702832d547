"""app.gallery without the UI: search, filters, pages, rename, sharing, recent prompts.

Runs on SQLite and PostgreSQL (LIKE escaping and case-insensitive search differ there).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

import pytest

from app import gallery
from app.db.engine import session_scope
from app.db.models import Video
from app.errors import ChalkError
from app.gallery import VideoFilters
from tests.ui.conftest import seed_job, seed_video, teacher_id


def titles(page: gallery.VideoPage) -> list[str]:
    return [item.title for item in page.items]


@pytest.fixture
def library(db_settings):
    """Five videos of the teacher (different subjects, days, sharing) and one of someone else."""
    seed_video(
        db_settings,
        title="Area of a circle",
        template="circle_area",
        created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    seed_video(
        db_settings,
        title="Parabola",
        prompt="Plot y = x^2 - 4x + 3",
        template="function_graph",
        created_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    seed_video(
        db_settings,
        title="Pendulum swing",
        template="pendulum",
        created_at=datetime(2026, 3, 5, 9, tzinfo=UTC),
        visibility="public",
        share_token="tok-public",
    )
    seed_video(
        db_settings,
        title="Bubble sort 100%_done",
        template="sorting_algorithm",
        created_at=datetime(2026, 3, 9, 9, tzinfo=UTC),
    )
    seed_video(
        db_settings,
        title="My own scene",
        template=None,
        created_at=datetime(2026, 3, 10, 9, tzinfo=UTC),
    )
    seed_video(db_settings, title="Someone else's circle", owner="other", template="circle_area")
    return db_settings


def test_lists_only_the_owners_videos_newest_first(library):
    page = gallery.list_videos(settings=library, owner_id=teacher_id(library))
    assert titles(page) == [
        "My own scene",
        "Bubble sort 100%_done",
        "Pendulum swing",
        "Parabola",
        "Area of a circle",
    ]
    assert page.total == 5 and page.pages == 1


def test_text_search_matches_title_or_prompt_case_insensitively(library):
    owner = teacher_id(library)
    assert titles(
        gallery.list_videos(settings=library, owner_id=owner, filters=VideoFilters(text="CIRCLE"))
    ) == ["Area of a circle"]
    assert titles(
        gallery.list_videos(settings=library, owner_id=owner, filters=VideoFilters(text="4x + 3"))
    ) == ["Parabola"]


def test_search_treats_like_wildcards_literally(library):
    owner = teacher_id(library)
    found = gallery.list_videos(settings=library, owner_id=owner, filters=VideoFilters(text="%_"))
    assert titles(found) == ["Bubble sort 100%_done"]


def test_filters_by_subject_template_sharing_and_dates(library):
    owner = teacher_id(library)

    def search(**kwargs):
        return titles(
            gallery.list_videos(settings=library, owner_id=owner, filters=VideoFilters(**kwargs))
        )

    assert search(subject="Physics") == ["Pendulum swing"]
    assert search(subject="CS") == ["Bubble sort 100%_done"]
    assert search(template="function_graph") == ["Parabola"]
    assert search(visibility="public") == ["Pendulum swing"]
    assert search(created_from=date(2026, 3, 2), created_to=date(2026, 3, 5)) == [
        "Pendulum swing",
        "Parabola",
    ]


def test_pagination_counts_all_matches_and_clamps_the_page(library):
    owner = teacher_id(library)
    second = gallery.list_videos(settings=library, owner_id=owner, page=2, per_page=2)
    assert titles(second) == ["Pendulum swing", "Parabola"]
    assert (second.total, second.page, second.pages) == (5, 2, 3)
    beyond = gallery.list_videos(settings=library, owner_id=owner, page=99, per_page=2)
    assert beyond.page == 3 and titles(beyond) == ["Area of a circle"]


def test_rename_collapses_whitespace_and_refuses_empty_titles(library):
    owner = teacher_id(library)
    video_id = gallery.list_videos(settings=library, owner_id=owner).items[0].id
    assert (
        gallery.rename(settings=library, video_id=video_id, owner_id=owner, title="  Lesson   one ")
        == "Lesson one"
    )
    with pytest.raises(ChalkError) as refused:
        gallery.rename(settings=library, video_id=video_id, owner_id=owner, title="   ")
    assert refused.value.kind == "validation"


def test_only_the_owner_can_rename_or_share(library):
    other_video = seed_video(library, title="Not yours", owner="other")
    owner = teacher_id(library)
    with pytest.raises(gallery.VideoNotFound):
        gallery.rename(settings=library, video_id=other_video, owner_id=owner, title="Mine")
    with pytest.raises(gallery.VideoNotFound):
        gallery.set_visibility(
            settings=library, video_id=other_video, owner_id=owner, visibility="public"
        )


def test_sharing_makes_an_unguessable_token_and_private_kills_it_for_good(library):
    owner = teacher_id(library)
    video_id = seed_video(library, title="Shared lesson")
    token = gallery.set_visibility(
        settings=library, video_id=video_id, owner_id=owner, visibility="link"
    )
    assert token is not None and len(token) >= 20
    assert gallery.find_shared(settings=library, token=token).id == video_id
    # Link-only videos are not listed publicly.
    assert video_id not in [v.id for v in gallery.list_public(settings=library)]

    share = partial(gallery.set_visibility, settings=library, video_id=video_id, owner_id=owner)
    assert share(visibility="public") == token  # from link to public: the same link
    assert share(visibility="private") is None
    assert gallery.find_shared(settings=library, token=token) is None

    # Shared again: a new link; the one sent before stays dead.
    new_token = share(visibility="link")
    assert new_token is not None and new_token != token
    assert gallery.find_shared(settings=library, token=token) is None
    assert gallery.find_shared(settings=library, token=new_token).id == video_id
    assert share(visibility="public") == new_token
    assert video_id in [v.id for v in gallery.list_public(settings=library)]
    other = seed_video(library, title="Another")
    other_token = gallery.set_visibility(
        settings=library, video_id=other, owner_id=owner, visibility="link"
    )
    assert other_token != token


def test_find_shared_refuses_unknown_and_oversized_tokens(library):
    assert gallery.find_shared(settings=library, token="nope") is None
    assert gallery.find_shared(settings=library, token="") is None
    assert gallery.find_shared(settings=library, token="x" * 500) is None


def test_unknown_visibility_is_refused(library):
    owner = teacher_id(library)
    video_id = gallery.list_videos(settings=library, owner_id=owner).items[0].id
    with pytest.raises(ChalkError):
        gallery.set_visibility(
            settings=library, video_id=video_id, owner_id=owner, visibility="everyone"
        )
    with session_scope(library) as session:
        assert session.get(Video, video_id).visibility == "private"


def test_recent_prompts_are_distinct_and_newest_first(library):
    owner = teacher_id(library)
    seed_job(library, prompt="Plot y = x^2 - 4x + 3", state="failed")
    prompts = gallery.recent_prompts(settings=library, owner_id=owner, limit=3)
    assert prompts[0] == "Plot y = x^2 - 4x + 3"
    assert len(prompts) == len(set(prompts)) == 3


def test_job_code_falls_back_to_the_last_attempt(library):
    owner = teacher_id(library)
    job_id = seed_job(
        library,
        prompt="p",
        state="failed",
        attempts=[{"attempt": 1, "code": "first"}, {"attempt": 2, "code": "second"}],
    )
    assert gallery.job_code(settings=library, job_id=job_id, owner_id=owner) == "second"
    assert gallery.job_code(settings=library, job_id=job_id, owner_id=owner + 1000) is None

"""Versions (app/versions.py): refinements, edits, re-renders and new values are versions of
one gallery item, with history, revert, a share link that shows the chosen version, and
copies that keep their prompt, subject and template.

Jobs go through the real service and runner (submit → execute) with a fake render (random
bytes with a layout), so no sandbox runs: versions are the subject, not rendering.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import gallery, versions, views
from app.api.routers.videos import video_json
from app.cli import main
from app.db.engine import session_scope
from app.db.models import GalleryItem, Job, Video
from app.errors import ChalkError
from app.generators.offline import render_template
from app.generators.offline.refine import refine
from app.jobs import service
from app.jobs.runner import execute
from app.settings import Settings, get_settings
from tests.helpers import make_user
from tests.jobs.recording import RecordingBackend
from tests.test_cache import fake_render

PROMPT = "Plot y = x^2 - 4x + 3"
SCENE = (
    "from manim import *\n\n\nclass Mine(Scene):\n    def construct(self):\n        self.wait()\n"
)


@pytest.fixture
def fake_renders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every render is a fake one (each its own files); returns the code of each render."""
    rendered: list[str] = []

    def render(code: str, **_: Any) -> Any:
        rendered.append(code)
        return fake_render(tmp_path / f"render{len(rendered)}")

    monkeypatch.setattr("app.pipeline.cached_render.render_code", render)
    return rendered


def run(settings: Settings, owner: int, **submitted: Any) -> service.JobView:
    """Submit a job and run it here, as a worker would; the finished job's view."""
    view = service.submit(
        settings=settings, owner_id=owner, backend=RecordingBackend(), **submitted
    )
    assert execute(view.job_id, settings, "test-worker", enqueue=lambda *a: None) == "succeeded"
    return service.status(settings=settings, job_id=view.job_id)


def cards(settings: Settings, owner: int | None) -> list[gallery.VideoItem]:
    return gallery.list_videos(settings=settings, owner_id=owner).items


def test_refine_edit_quality_aspect_and_values_are_versions_of_one_item(
    job_settings: Settings, fake_renders: list[str]
):
    settings, owner = job_settings, make_user(job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    gallery.rename(settings=settings, video_id=first.video_id, owner_id=owner, title="Parabola")
    portrait = refine(first.attempt_log[0]["code"], "portrait", aspect="16:9")
    assert portrait.changed
    refined = run(
        settings,
        owner,
        code=portrait.code,
        aspect="9:16",
        item_id=first.video_id,
        change="Changed: " + "; ".join(portrait.changes),
    )
    edited = run(
        settings,
        owner,
        code=portrait.code + "\n# my note\n",
        aspect="9:16",
        item_id=refined.video_id,
        change="Code edited",
    )
    higher = run(
        settings,
        owner,
        code=portrait.code + "\n# my note\n",
        quality="standard",
        aspect="9:16",
        item_id=edited.video_id,
        change="Rendered in Standard",
    )
    made = render_template("function_graph", {**first.params, "expression": "x**2 - 1"})
    values = run(
        settings,
        owner,
        code=made.code,
        item_id=higher.video_id,
        change=versions.values_change("function_graph", first.params, made.params),
    )

    (card,) = cards(settings, owner)
    assert (card.id, card.version, card.versions) == (values.video_id, 5, 5)
    assert card.title == "Parabola"  # the item's title, whatever the version's code says
    assert card.item_id == first.video_id == values.item_id
    history = versions.history(settings=settings, video_id=first.video_id, owner_id=owner)
    assert [(v.version, v.current) for v in history] == [
        (5, True),
        (4, False),
        (3, False),
        (2, False),
        (1, False),
    ]
    assert [v.change for v in history] == [
        "Changed the values: Function of x",
        "Rendered in Standard",
        "Code edited",
        "Changed: aspect: landscape (16:9) → portrait (9:16)",
        versions.FIRST_CHANGE,
    ]
    assert [(v.quality, v.aspect) for v in history][1:3] == [
        ("standard", "9:16"),
        ("preview", "9:16"),
    ]
    # The API lists the item once, with its versions as fields.
    assert {k: video_json(card)[k] for k in ("item_id", "version", "versions")} == {
        "item_id": first.video_id,
        "version": 5,
        "versions": 5,
    }


def test_copies_keep_their_prompt_subject_and_template(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    # Code a template made, then changed by hand: the code alone no longer names a template.
    with session_scope(settings) as session:
        job = session.get(Job, first.job_id)
        job.code = "from manim import *\n\nclass Parabola(Scene):\n    pass\n"
    code = gallery.job_code(settings=settings, job_id=first.job_id, owner_id=owner)
    copy = run(
        settings, owner, code=code, quality="standard", item_id=first.video_id, change="Higher"
    )
    again = run(settings, owner, code=code, quality="standard", item_id=copy.video_id)
    assert again.cache_hit  # the same render: served from the cache, the same version
    assert again.video_id == copy.video_id
    for view in (copy, again):
        item = gallery.get_video(settings=settings, video_id=view.video_id, owner_id=owner)
        assert (item.prompt, item.template, item.subject) == (PROMPT, "function_graph", "Math")
        assert item.generator == "offline:function_graph"
    found = gallery.list_videos(
        settings=settings, owner_id=owner, filters=gallery.VideoFilters(subject="Math")
    )
    assert [item.id for item in found.items] == [again.video_id]


def test_revert_makes_an_earlier_version_the_card(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    second = run(
        settings, owner, code=first.attempt_log[0]["code"] + "\n# 2\n", item_id=first.video_id
    )
    assert [card.id for card in cards(settings, owner)] == [second.video_id]
    assert versions.make_current(settings=settings, video_id=first.video_id, owner_id=owner) == 1
    (card,) = cards(settings, owner)
    assert (card.id, card.version, card.versions) == (first.video_id, 1, 2)
    # A new version made from the reverted one is the third, and current.
    third = run(settings, owner, code=SCENE, item_id=card.id)
    (card,) = cards(settings, owner)
    assert (card.id, card.version) == (third.video_id, 3)
    assert third.version == 3


def test_the_share_link_shows_the_chosen_version_and_keeps_working(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    token = gallery.set_visibility(
        settings=settings, video_id=first.video_id, owner_id=owner, visibility="link"
    )
    second = run(
        settings, owner, code=first.attempt_log[0]["code"] + "\n# 2\n", item_id=first.video_id
    )

    def shown() -> str | None:
        found = gallery.find_shared(settings=settings, token=token or "")
        return found.id if found else None

    # A new version does not change what the class sees until the owner says so.
    assert shown() == first.video_id
    (card,) = cards(settings, owner)
    assert (card.id, card.visibility, card.share_token, card.shared_version) == (
        second.video_id,
        "link",
        token,
        1,
    )
    assert versions.share_version(settings=settings, video_id=second.video_id, owner_id=owner)
    assert shown() == second.video_id  # the same link, the chosen version
    versions.make_current(settings=settings, video_id=first.video_id, owner_id=owner)
    assert shown() == second.video_id  # reverting does not move the link
    # Views of every version count for the item.
    assert views.count_view(settings=settings, video_id=second.video_id, viewer_id=None)
    assert views.view_counts(settings=settings, owner_id=owner, video_ids=[first.video_id]) == {
        first.video_id: 1
    }
    # Private again: no version keeps the link.
    gallery.set_visibility(
        settings=settings, video_id=first.video_id, owner_id=owner, visibility="private"
    )
    assert shown() is None
    with pytest.raises(ChalkError):
        versions.share_version(settings=settings, video_id=first.video_id, owner_id=owner)


def test_the_library_shows_one_card_per_shared_item(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    gallery.set_visibility(
        settings=settings, video_id=first.video_id, owner_id=owner, visibility="school"
    )
    second = run(settings, owner, code=SCENE, item_id=first.video_id)
    assert second.item_id == first.video_id
    library = gallery.list_library(settings=settings)
    assert [item.id for item in library.items] == [first.video_id]


def test_a_colleague_cannot_see_change_or_version_anothers_item(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings = sqlite_job_settings
    owner, colleague = make_user(settings, "ada"), make_user(settings, "bob")
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    run(settings, owner, code=SCENE, item_id=first.video_id)
    assert cards(settings, colleague) == []
    for action in (versions.history, versions.make_current, versions.share_version):
        with pytest.raises(versions.VersionNotFound):
            action(settings=settings, video_id=first.video_id, owner_id=colleague)
    with pytest.raises(ChalkError) as refused:
        service.submit(
            settings=settings,
            owner_id=colleague,
            code=SCENE,
            item_id=first.video_id,
            backend=RecordingBackend(),
        )
    assert refused.value.kind == "validation"
    assert versions.history(settings=settings, video_id=first.video_id, owner_id=owner)[0].current


def test_deleting_an_item_deletes_every_version(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    second = run(settings, owner, code=SCENE, item_id=first.video_id)
    # A job making a third version while the item is deleted starts an item of its own.
    pending = service.submit(
        settings=settings,
        owner_id=owner,
        code=SCENE + "# 3\n",
        item_id=second.video_id,
        backend=RecordingBackend(),
    )
    service.delete_video(settings=settings, video_id=second.video_id, owner_id=owner)
    with session_scope(settings) as session:
        assert session.scalar(select(func.count()).select_from(Video)) == 0
        assert session.scalar(select(func.count()).select_from(GalleryItem)) == 0
    assert cards(settings, owner) == []
    assert execute(pending.job_id, settings, "w", enqueue=lambda *a: None) == "succeeded"
    (card,) = cards(settings, owner)
    assert (card.job_id, card.version, card.versions, card.item_id) == (
        pending.job_id,
        1,
        1,
        card.id,
    )


def test_the_cli_lists_an_items_versions_and_deletes_one(
    sqlite_job_settings: Settings,
    fake_renders: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings, "ada")
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    second = run(settings, owner, code=SCENE, item_id=first.video_id, change="Code edited")
    monkeypatch.setenv("CHALK_DATABASE_URL", str(settings.database_url))
    monkeypatch.setenv("CHALK_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        assert main(["versions", first.video_id, "--user", "ada", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)["versions"]
        assert [(v["video_id"], v["version"], v["change"], v["current"]) for v in listed] == [
            (second.video_id, 2, "Code edited", True),
            (first.video_id, 1, versions.FIRST_CHANGE, False),
        ]
        # Another user's video is not found: a usage error, nothing listed or deleted.
        assert main(["versions", first.video_id, "--user", "bob", "--json"]) == 2
        assert main(["versions", second.video_id, "--user", "bob", "--delete", "--json"]) == 2
        assert capsys.readouterr().out == ""
        # One version deleted: the versions left are listed.
        assert main(["versions", second.video_id, "--user", "ada", "--delete", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert listed["deleted"] == 2
        assert [(v["video_id"], v["current"]) for v in listed["versions"]] == [
            (first.video_id, True)
        ]
    finally:
        get_settings.cache_clear()


def versions_of_card(settings: Settings, owner: int) -> list[tuple[int, bool]]:
    """The one card's versions, newest first: (number, current)."""
    (card,) = cards(settings, owner)
    found = versions.history(settings=settings, video_id=card.id, owner_id=owner)
    return [(version.version, version.current) for version in found]


def test_generating_the_same_prompt_again_adds_a_version_not_a_card(
    job_settings: Settings, fake_renders: list[str]
):
    settings, owner = job_settings, make_user(job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    again = run(settings, owner, prompt="  plot Y = X^2 -  4x + 3 ".upper(), quality="standard")
    assert again.item_id == first.video_id and again.version == 2
    assert versions_of_card(settings, owner) == [(2, True), (1, False)]
    history = versions.history(settings=settings, video_id=first.video_id, owner_id=owner)
    assert history[0].change == versions.AGAIN_CHANGE
    # Code follows the same rule: the same code twice is one item; other code is another.
    mine = run(settings, owner, code=SCENE)
    run(settings, owner, code=SCENE, quality="standard")
    run(settings, owner, code=SCENE + "# other\n")
    assert [card.versions for card in cards(settings, owner)] == [1, 2, 2]
    assert versions.history(settings=settings, video_id=mine.video_id, owner_id=owner)[0].current


def test_the_same_video_again_makes_its_version_current_without_a_copy(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    cached = run(settings, owner, prompt=PROMPT, generator="offline")
    assert cached.cache_hit and len(fake_renders) == 1
    # No second card and no second version: the job shows the video it repeats.
    assert (cached.video_id, cached.version) == (first.video_id, 1)
    assert versions_of_card(settings, owner) == [(1, True)]
    higher = run(settings, owner, prompt=PROMPT, generator="offline", quality="standard")
    assert versions_of_card(settings, owner) == [(2, True), (1, False)]
    # The preview again, as the cache serves it: version 1 is current, nothing is added.
    repeat = run(settings, owner, prompt=PROMPT, generator="offline")
    assert repeat.cache_hit and repeat.video_id == first.video_id
    assert versions_of_card(settings, owner) == [(2, False), (1, True)]
    # An explicit copy identical to a version does the same.
    code = code_of(settings, higher)
    copy = run(settings, owner, code=code, quality="standard", item_id=first.video_id)
    assert copy.video_id == higher.video_id
    assert versions_of_card(settings, owner) == [(2, True), (1, False)]
    jobs = service.list_jobs(settings=settings, owner_id=owner)
    assert {job.video_id for job in jobs} == {first.video_id, higher.video_id}


def code_of(settings: Settings, view: service.JobView) -> str:
    with session_scope(settings) as session:
        return session.get(Job, view.job_id).code


def test_a_batch_with_the_same_prompt_twice_ends_as_one_item(
    job_settings: Settings, fake_renders: list[str], monkeypatch: pytest.MonkeyPatch
):
    from app.accounts.api_keys import create_key
    from app.api_jobs import JobRequest, submit_batch

    # Queued where only this test runs them, one after another: the inline pool would run
    # them too, at the same time as this test (the assert then raced its threads).
    monkeypatch.setattr(service, "get_backend", lambda settings: RecordingBackend())
    settings, owner = job_settings, make_user(job_settings)
    key = create_key(settings=settings, user_id=owner)
    batch = submit_batch(
        settings=settings,
        owner_id=owner,
        api_key_id=key.view.id,
        requests=[
            JobRequest(prompt=PROMPT, generator="offline"),
            JobRequest(prompt=PROMPT, generator="offline", quality="standard"),
            JobRequest(prompt=PROMPT.lower(), generator="offline", quality="standard"),
        ],
    )
    for job_id in batch.job_ids:  # as workers would, one after another
        assert execute(job_id, settings, "w", enqueue=lambda *a: None) == "succeeded"
    assert versions_of_card(settings, owner) == [(2, True), (1, False)]


def test_only_the_owners_living_items_take_the_same_prompt(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings = sqlite_job_settings
    owner, colleague = make_user(settings, "ada"), make_user(settings, "bob")
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    theirs = run(settings, colleague, prompt=PROMPT, generator="offline")
    assert theirs.item_id == theirs.video_id != first.video_id
    assert [card.id for card in cards(settings, colleague)] == [theirs.video_id]
    assert versions_of_card(settings, owner) == [(1, True)]
    # A deleted item is gone for good: the same prompt again starts a new one.
    service.delete_video(settings=settings, video_id=first.video_id, owner_id=owner)
    anew = run(settings, owner, prompt=PROMPT, generator="offline")
    (card,) = cards(settings, owner)
    assert (card.id, card.versions) == (anew.video_id, 1)


def three_versions(settings: Settings, owner: int) -> list[service.JobView]:
    """An item with versions 1 (shared on a link), 2 and 3 (current)."""
    first = run(settings, owner, prompt=PROMPT, generator="offline")
    gallery.set_visibility(
        settings=settings, video_id=first.video_id, owner_id=owner, visibility="link"
    )
    second = run(settings, owner, code=SCENE, item_id=first.video_id)
    third = run(settings, owner, code=SCENE + "# 3\n", item_id=first.video_id)
    return [first, second, third]


def stored(settings: Settings, view: service.JobView) -> bool:
    return (settings.data_dir / "media" / (view.video or "")).exists()


def test_deleting_one_version_keeps_the_others(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    first, second, third = three_versions(settings, owner)
    token = cards(settings, owner)[0].share_token
    assert stored(settings, second)

    def deleted(view: service.JobView) -> int:
        return versions.delete_version(settings=settings, video_id=view.video_id, owner_id=owner)

    assert deleted(second) == 2  # not current: nothing else moves
    assert versions_of_card(settings, owner) == [(3, True), (1, False)]
    assert not stored(settings, second) and stored(settings, third)
    assert deleted(third) == 3  # current: the newest left is current
    assert versions_of_card(settings, owner) == [(1, True)]
    # A version made after a deletion is numbered on.
    fourth = run(settings, owner, code=SCENE + "# 4\n", item_id=first.video_id)
    assert fourth.version == 4
    # The link's version: the link stays and shows the current version.
    assert deleted(first) == 1
    found = gallery.find_shared(settings=settings, token=token or "")
    assert found is not None and found.id == fourth.video_id
    (card,) = cards(settings, owner)
    assert (card.id, card.versions, card.share_token) == (fourth.video_id, 1, token)
    # The last version takes the item with it.
    assert deleted(fourth) == 4
    assert cards(settings, owner) == []
    with session_scope(settings) as session:
        assert session.scalar(select(func.count()).select_from(GalleryItem)) == 0
        assert session.scalar(select(func.count()).select_from(Video)) == 0


def test_deleting_a_version_keeps_media_other_videos_share(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings, owner = sqlite_job_settings, make_user(sqlite_job_settings)
    colleague = make_user(settings, "bob")
    mine = run(settings, owner, code=SCENE)
    run(settings, owner, code=SCENE + "# 2\n", item_id=mine.video_id)
    theirs = run(settings, colleague, code=SCENE)  # the same render, served from the cache
    assert theirs.cache_hit and theirs.video == mine.video
    versions.delete_version(settings=settings, video_id=mine.video_id, owner_id=owner)
    assert stored(settings, theirs)


def test_another_owner_cannot_delete_a_version_an_admin_can(
    sqlite_job_settings: Settings, fake_renders: list[str]
):
    settings = sqlite_job_settings
    owner, colleague = make_user(settings, "ada"), make_user(settings, "bob")
    first, second, _ = three_versions(settings, owner)
    with pytest.raises(versions.VersionNotFound):
        versions.delete_version(settings=settings, video_id=second.video_id, owner_id=colleague)
    assert len(versions.history(settings=settings, video_id=first.video_id, owner_id=owner)) == 3
    versions.delete_version(settings=settings, video_id=second.video_id, owner_id=None)
    assert versions_of_card(settings, owner) == [(3, True), (1, False)]

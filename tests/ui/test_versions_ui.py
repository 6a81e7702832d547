"""The Gallery's versions of an item (one card, history, revert, the version the link shows,
compare) and the Watch page showing the chosen version, under AppTest with seeded videos."""

from __future__ import annotations

from datetime import UTC, datetime

from app import gallery
from app.db.engine import session_scope
from app.db.models import GalleryItem, Job, Video
from tests.ui.conftest import app_test, seed_video, texts

GALLERY = "pages/gallery.py"
WATCH = "pages/watch.py"
FIRST_CODE = "from manim import *\n\nclass Demo(Scene):\n    pass\n"
SECOND_CODE = "from manim import *\n\nclass Demo(Scene):\n    def construct(self):\n        pass\n"


def two_versions(settings, **shared) -> tuple[str, str]:
    """A video and a second version of it (current), as the runner leaves them."""
    first = seed_video(
        settings,
        title="Parabola",
        code=FIRST_CODE,
        created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
        **shared,
    )
    second = seed_video(
        settings,
        title="Parabola",
        code=SECOND_CODE,
        quality="standard",
        created_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        visibility=shared.get("visibility", "private"),
    )
    with session_scope(settings) as session:
        video = session.get(Video, second)
        session.get(Job, video.job_id).change_note = "Changed: slower"
        session.get(Video, first).item_id = first
        video.item_id, video.version = first, 2
        session.add(
            GalleryItem(id=first, owner_id=video.owner_id, current_video_id=second, versions=2)
        )
    return first, second


def all_text(at) -> str:
    return " ".join(texts(at.markdown) + texts(at.caption))


def test_the_gallery_shows_one_card_with_its_history_revert_and_link(ui_settings):
    first, second = two_versions(ui_settings, visibility="link", share_token="tok-v")
    at = app_test(GALLERY)
    assert not at.exception, [e.value for e in at.exception]
    assert "1 video" in texts(at.caption)
    shown = all_text(at)
    assert "version 2 of 2" in shown
    assert "**Version 2 · current**" in texts(at.markdown)
    assert "**Version 1 · on the link**" in texts(at.markdown)
    assert "slower" in shown and "First version" in shown
    assert "Share link (it shows version 1):" in texts(at.caption)

    # Revert: the first version is the card again; the link still shows it.
    at.button(key=f"gallery_history_{second}_current_{first}").click().run()
    assert not at.exception
    assert "version 1 of 2" in all_text(at)
    assert gallery.list_videos(settings=ui_settings, owner_id=None).items[0].id == first

    # The link shows the second version from now on; the link is the same.
    at.button(key=f"gallery_history_{first}_share_{second}").click().run()
    assert not at.exception
    found = gallery.find_shared(settings=ui_settings, token="tok-v")
    assert found is not None and found.id == second
    assert "**Version 2 · on the link**" in texts(at.markdown)


def test_compare_shows_both_versions_and_the_code_diff(ui_settings):
    _, second = two_versions(ui_settings)
    at = app_test(GALLERY)
    at.button(key=f"gallery_compare_{second}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "**How the code changed**" in texts(at.markdown)
    (diff,) = [code.value for code in at.code if code.language == "diff"]
    assert "--- version 1" in diff and "+++ version 2" in diff
    assert "+    def construct(self):" in diff


def test_the_watch_page_shows_the_version_on_the_link(ui_settings):
    two_versions(ui_settings, visibility="link", share_token="tok-w")
    visitor = app_test(WATCH, user=None, v="tok-w")
    assert not visitor.exception
    assert visitor.code[0].value.strip() == FIRST_CODE.strip()  # not the current version's
    assert "Your link shows" not in all_text(visitor)  # only the owner learns of versions
    owner = app_test(WATCH, v="tok-w")
    assert "Your link shows version 1 of 2" in all_text(owner)


def test_one_version_is_deleted_after_the_teacher_confirms(ui_settings):
    first, second = two_versions(ui_settings, visibility="link", share_token="tok-d")
    at = app_test(GALLERY)
    at.button(key=f"gallery_history_{second}_delete_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("**Version 1** will be removed" in text for text in texts(at.markdown))
    assert "Your share link will show the current version instead." in all_text(at)
    at.button(key="gallery_cancel_delete").click().run()  # kept: nothing changes
    assert "version 2 of 2" in all_text(at)

    at.button(key=f"gallery_history_{second}_delete_{first}").click().run()
    at.button(key="gallery_confirm_delete").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at.toast) == ["Deleted version 1."]
    (card,) = gallery.list_videos(settings=ui_settings, owner_id=None).items
    assert (card.id, card.versions) == (second, 1)
    found = gallery.find_shared(settings=ui_settings, token="tok-d")
    assert found is not None and found.id == second  # the class's link still works
    assert "version 2 of 2" not in all_text(at)

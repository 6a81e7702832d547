"""The Library, Remix and school links under AppTest: colleagues' school and public videos with
search, Remix filling Create with a credited draft whose render records the original, the
"My school" choice in the gallery, and a school video's link for visitors and for colleagues.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.db.engine import session_scope
from app.db.models import Job, Video
from app.ui import navigation
from tests.ui.conftest import app_test, seed_video, texts

LIBRARY = "pages/library.py"
WATCH = "pages/watch.py"
CODE = "from manim import *\n\nclass Swing(Scene):\n    pass\n"


def no_error(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, texts(at.error)


def seed_school(settings) -> dict[str, str]:
    return {
        visibility: seed_video(
            settings,
            title=f"Pendulum {visibility}",
            prompt="a weight swinging on a string",
            template="pendulum",
            owner="colleague",
            visibility=visibility,
            share_token=None if visibility == "private" else f"tok-{visibility}",
            code=CODE,
        )
        for visibility in ("private", "school", "link", "public")
    }


def card_titles(at: AppTest) -> set[str]:
    return {m.value.strip("*") for m in at.markdown if m.value.startswith("**Pendulum")}


def test_the_library_lists_colleagues_shared_videos_and_searches_them(ui_settings):
    seed_school(ui_settings)
    seed_video(ui_settings, title="Bubble sort", template="sorting_algorithm", visibility="school")
    at = app_test(LIBRARY)
    no_error(at)
    assert card_titles(at) == {"Pendulum school", "Pendulum public"}
    captions = " ".join(texts(at.caption))
    assert "colleague" in captions and "You" in captions
    assert "My school" in captions and "Physics" in captions
    at.text_input(key="library_search").input("sorting").run()
    no_error(at)
    assert card_titles(at) == set()
    assert any("Bubble sort" in m.value for m in at.markdown)
    at.text_input(key="library_search").input("pendulums").run()
    assert card_titles(at) == {"Pendulum school", "Pendulum public"}


def test_the_library_is_in_the_menu_after_the_gallery_and_not_for_visitors(
    ui_settings, monkeypatch
):
    menus: list[list[Any]] = []
    real = navigation.build_pages

    def record(user, requested=""):
        pages = real(user, requested)
        menus.append([page.title for page in pages if page.visibility == "visible"])
        return pages

    monkeypatch.setattr(navigation, "build_pages", record)
    app_test(user=None)
    assert "Library" not in menus[-1]
    app_test()
    assert menus[-1].index("Library") == menus[-1].index("Gallery") + 1
    # A visitor at /library gets the sign-in form there, and the Library after signing in.
    assert navigation.LIBRARY in navigation.SIGNED_IN_ONLY


def test_remix_opens_create_with_the_prompt_and_a_credited_draft(ui_settings):
    ids = seed_school(ui_settings)
    at = app_test(LIBRARY)
    at.button(key=f"library_remix_{ids['school']}").click().run()
    no_error(at)
    # AppTest keeps running the page it was told to; follow the app's switch to Create.
    at.switch_page("pages/create.py").run()
    no_error(at)
    assert at.text_area(key="create_prompt").value == "a weight swinging on a string"
    credit = [m.value for m in at.markdown if "Remixed from" in m.value]
    assert credit and "Pendulum school" in credit[0] and "colleague" in credit[0]
    assert at.button(key="create_render_remix").label == "Render this draft"
    at.button(key="create_render_remix").click().run()
    no_error(at)
    with session_scope(ui_settings) as session:
        job = session.scalars(select(Job).where(Job.generator == "user")).one()
        assert job.remixed_from == ids["school"]
        assert job.code == CODE
        job.state = "cancelled"  # no render needed here
    assert "create_remix" not in at.session_state


def test_the_gallery_offers_my_school_with_who_can_see_it(ui_settings):
    video_id = seed_video(ui_settings, title="Fractions")
    at = app_test("pages/gallery.py")
    radio = at.radio(key=f"gallery_visibility_{video_id}")
    assert "My school" in radio.options
    assert any("find it in the Library" in c for c in radio.proto.captions)
    radio.set_value("school").run()
    no_error(at)
    assert any("Colleagues open it after signing in" in c for c in texts(at.caption))
    colleague = app_test(LIBRARY, user="colleague")
    assert any("Fractions" in m.value for m in colleague.markdown)


def test_a_school_link_asks_a_visitor_to_sign_in_and_opens_for_a_colleague(ui_settings):
    seed_school(ui_settings)
    visitor = app_test(WATCH, user=None)
    visitor.query_params["v"] = "tok-school"
    visitor.run()
    no_error(visitor)
    assert any("sign in with your school account" in i.value for i in visitor.info)
    assert not any("Pendulum" in t.value for t in visitor.title)
    colleague = app_test(WATCH, user="teacher")
    colleague.query_params["v"] = "tok-school"
    colleague.run()
    no_error(colleague)
    assert [t.value for t in colleague.title] == ["Pendulum school"]


def test_a_remix_credits_its_original_on_watch_and_in_the_gallery(ui_settings):
    ids = seed_school(ui_settings)
    remix_id = seed_video(
        ui_settings, title="My swing", visibility="public", share_token="tok-remix"
    )
    with session_scope(ui_settings) as session:
        job = session.scalars(select(Job).join(Video).where(Video.id == remix_id)).one()
        job.remixed_from = ids["school"]
    colleague = app_test(WATCH, user="teacher", v="tok-remix")
    no_error(colleague)
    credited = " ".join(texts(colleague.caption))
    assert "Remixed from “Pendulum school” by colleague" in credited
    visitor = app_test(WATCH, user=None, v="tok-remix")
    no_error(visitor)
    credited = " ".join(texts(visitor.caption))
    assert "Remixed from another teacher" in credited and "Pendulum school" not in credited
    own = app_test("pages/gallery.py")
    assert "Remixed from “Pendulum school”" in " ".join(texts(own.caption))


def test_generating_from_a_remixed_prompt_records_the_original_too(ui_settings):
    ids = seed_school(ui_settings)
    at = app_test(LIBRARY)
    at.button(key=f"library_remix_{ids['public']}").click().run()
    at.switch_page("pages/create.py").run()
    at.text_area(key="create_prompt").input("a longer string, a slower swing")
    at.button(key="FormSubmitter:create_form-Generate").click().run()
    no_error(at)
    with session_scope(ui_settings) as session:
        job = session.scalars(
            select(Job).where(Job.prompt == "a longer string, a slower swing")
        ).one()
        assert job.remixed_from == ids["public"]
    assert "create_remix" not in at.session_state

"""Sharing on a phone (390 px) in a real browser: the gallery's filters are folded so the first
video shows, "Copy link" is on screen without hovering and copies, the players show the
thumbnail as their poster (served by the app), and the embed page is the player alone.
Nothing is loaded from another host."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app import gallery
from app.db.engine import session_scope
from app.db.models import Job, User
from app.generators.offline import list_templates
from app.settings import Settings
from tests.e2e.conftest import (
    DATA_DIRS,
    DESKTOP,
    MOBILE,
    NO_RENDERS,
    assert_accessible,
    assert_accessible_in_both_themes,
    idle,
    in_scheme,
    loaded,
    outside_requests,
    photographed_on_failure,
    seeded_app,
    shoot,
    sign_in,
)
from tests.ui.conftest import seed_video

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The video here is seeded, not rendered: the app without its warm render pool."""
    yield from seeded_app(tmp_path_factory, NO_RENDERS)


TOKEN = "e2e-share-token-0123456"


def poster_of(video) -> str:
    return video.evaluate("element => element.poster")


def test_sharing_on_a_phone(app_url: str, browser: Browser) -> None:
    started = time.monotonic()
    settings = Settings(data_dir=DATA_DIRS[app_url], database_url=None, redis_url=None)
    seed_video(settings, title="Area of a circle", visibility="link", share_token=TOKEN)
    # Real media: a second of black video (what a Manim video's first frame looks like) and a
    # template's still as its thumbnail.
    item = gallery.find_shared(settings=settings, token=TOKEN)
    assert item is not None
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=320x180:d=1"]
        + ["-pix_fmt", "yuv420p", str(settings.media_root / item.storage_key)],
        check=True,
    )
    shutil.copyfile(list_templates()[0].thumbnail, settings.media_root / item.thumbnail_key)
    context = browser.new_context(
        viewport=MOBILE, permissions=["clipboard-read", "clipboard-write"]
    )
    outside = outside_requests(context, app_url)
    with photographed_on_failure(context, name="sharing-phone"):
        page = sign_in(context, app_url, "teacher")
        page.goto(f"{app_url}/gallery")
        expect(page.get_by_role("heading", name="Gallery")).to_be_visible(timeout=30_000)
        loaded(page)

        # The filters fold behind one button; the first video is on the first screen.
        filters = page.get_by_role("button", name="Filters")
        expect(filters).to_be_visible()
        expect(page.get_by_label("Subject")).to_be_hidden()
        still = page.get_by_role("img", name="Still from the video “Area of a circle”")
        expect(still).to_be_in_viewport()

        # "Copy link" is there without hovering (the mouse never moved) and copies the link.
        copy = page.get_by_role("button", name="Copy link")
        expect(copy).to_be_visible()
        assert copy.evaluate("element => getComputedStyle(element).opacity") == "1"
        shoot(page, "sharing-gallery-phone")
        copy.click()
        expect(page.locator(f'button.copy[data-copy-text$="watch?v={TOKEN}"]')).to_have_text(
            "Link copied"
        )
        link = page.evaluate("navigator.clipboard.readText()")
        assert link.endswith(f"/watch?v={TOKEN}")
        assert_accessible_in_both_themes(page, "Gallery on a phone, a shared video")

        # The QR code for the board opens in a dialog, with its downloads.
        page.get_by_role("button", name="QR code").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_role("img", name="QR code of the link")).to_be_visible()
        expect(dialog.get_by_role("button", name="Download SVG")).to_be_visible()
        shoot(page, "sharing-qr-phone")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()

        # The card's player shows the thumbnail, served by the app, until it plays.
        page.locator("summary").filter(has=page.get_by_text("Watch", exact=True)).click()
        idle(page)
        video = page.locator("video").first
        page.wait_for_function(
            "() => { const v = document.querySelector('video'); return v && v.poster; }",
            timeout=15_000,
        )
        poster = poster_of(video)
        assert poster.startswith(f"{app_url}/media/"), poster
        reply = page.request.get(poster)
        assert reply.ok and reply.headers["content-type"] == "image/png"
        video.scroll_into_view_if_needed()
        shoot(page, "sharing-gallery-player-phone")

        snippet = page.locator('button.copy[data-copy-text^="<iframe"]').get_attribute(
            "data-copy-text"
        )
        assert snippet and f"/embed?v={TOKEN}" in snippet

        # The embed page: the player alone, with its poster, staying at /embed.
        page.goto(f"{app_url}/embed?v={TOKEN}")
        page.wait_for_function(
            "() => { const v = document.querySelector('video'); return v && v.poster; }",
            timeout=30_000,
        )
        loaded(page)
        assert poster_of(page.locator("video").first).startswith(f"{app_url}/media/")
        expect(page.get_by_test_id("stTopNav")).to_have_count(0)
        expect(page.get_by_test_id("stHeader")).to_be_hidden()
        assert page.url.split("?")[0].endswith("/embed")
        assert_accessible(page, "Embed page")
        shoot(page, "sharing-embed-phone")

        # The snippet works where it is meant to go: another site's page (here one with no
        # origin at all) framing the player.
        page.set_content(f"<title>Class site</title><main><h1>Circles</h1>{snippet}</main>")
        framed = page.frame_locator("iframe").locator("video")
        expect(framed).to_be_visible(timeout=30_000)
        expect(framed).to_have_attribute("poster", re.compile("/media/"), timeout=15_000)
        shoot(page, "sharing-embed-framed")
    assert outside == []
    print(f"sharing flow: {time.monotonic() - started:.1f} s")


# A colleague's videos, one per way of sharing; only "school" and "public" reach the Library.
COLLEAGUE_VIDEOS = {
    "school": "Pendulum for the school",
    "public": "Pendulum for everyone",
    "link": "Pendulum by link",
    "private": "Pendulum kept private",
}
REMIX_CODE = (
    "from manim import *\n\nclass Swing(Scene):\n    def construct(self):\n"
    "        self.play(Create(Circle()))\n"
)


def library_card(page, title: str):
    """The Library's card of the video called `title`."""
    return (
        page.get_by_test_id("stVerticalBlock")
        .filter(has=page.get_by_text(title, exact=True))
        .filter(has=page.get_by_role("button", name="Remix"))
        .last
    )


def remixed_job(settings: Settings) -> Job | None:
    """The teacher's job from edited code, once it exists."""
    with session_scope(settings) as session:
        return session.scalars(
            select(Job)
            .join(User, User.id == Job.owner_id)
            .where(Job.generator == "user", User.username == "teacher")
        ).one_or_none()


def open_library(page, app_url: str) -> None:
    page.goto(f"{app_url}/library")
    expect(page.get_by_role("heading", name="Library")).to_be_visible(timeout=30_000)
    loaded(page)


def test_the_library_lists_school_videos_and_remix_makes_a_credited_draft(
    app_url: str, browser: Browser
) -> None:
    """Desktop in the light theme, then the same teacher on a 390 px phone in the dark one:
    the Library lists colleagues' school and public videos only, its search finds a near
    spelling, and Remix opens the video's prompt and code on Create as a credited draft whose
    render is recorded as a remix of the original (`jobs.remixed_from`); the draft's edited
    code that fails says why beside the editor."""
    started = time.monotonic()
    settings = Settings(data_dir=DATA_DIRS[app_url], database_url=None, redis_url=None)
    ids = {
        visibility: seed_video(
            settings,
            title=title,
            prompt=f"A weight swinging on a string ({visibility})",
            template="pendulum",
            owner="colleague",
            visibility=visibility,
            share_token=None if visibility == "private" else f"library-{visibility}-0123456",
            code=REMIX_CODE,
        )
        for visibility, title in COLLEAGUE_VIDEOS.items()
    }
    seed_video(
        settings,
        title="Bubble sort",
        template="sorting_algorithm",
        visibility="school",
        owner="colleague",
        share_token="library-sort-0123456",
    )
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    outside = outside_requests(context, app_url)
    with photographed_on_failure(context, name="library"):
        page = sign_in(context, app_url, "teacher")
        open_library(page, app_url)
        expect(page.get_by_text("3 videos", exact=True)).to_be_visible()
        for visibility, title in COLLEAGUE_VIDEOS.items():
            shown = page.get_by_text(title, exact=True)
            expect(shown).to_have_count(1 if visibility in ("school", "public") else 0)
        assert_accessible(page, "Library (light)")
        shoot(page, "library-desktop-light")

        # The gallery's search: a misspelt, plural word finds the pendulums, not the sort.
        page.get_by_label("Search").fill("pendulms")
        page.get_by_label("Search").press("Enter")
        expect(page.get_by_text("Bubble sort", exact=True)).to_have_count(0)
        expect(page.get_by_text(re.compile(r"^2 videos"))).to_be_visible()

        # Remix: Create holds the prompt and the code as the teacher's draft, crediting it.
        library_card(page, COLLEAGUE_VIDEOS["school"]).get_by_role("button", name="Remix").click()
        expect(page.get_by_role("heading", name="Create an animation").first).to_be_visible(
            timeout=30_000
        )
        loaded(page)
        expect(page.get_by_label("Prompt")).to_have_value("A weight swinging on a string (school)")
        credit = page.get_by_text(f"Remixed from “{COLLEAGUE_VIDEOS['school']}” by ")
        expect(credit).to_be_visible()
        editor = page.frame_locator('iframe[title*="code_editor"]').first
        expect(editor.get_by_text("class Swing(Scene):")).to_be_visible()
        shoot(page, "remix-draft-desktop-light")

        # The teacher edits the draft (a power written as 2x) and renders it: the job is
        # theirs, recorded as a remix of the school video, and its error sits by the editor.
        editor.locator(".ace_content").click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\nself.wait(2x)")
        idle(page)  # the editor's blur reruns the page; a click during that run is dropped
        page.get_by_role("button", name="Render this draft").click()
        deadline = time.monotonic() + 30
        while (job := remixed_job(settings)) is None and time.monotonic() < deadline:
            time.sleep(0.3)
        assert job is not None, "Render this draft made no job"
        assert job.remixed_from == ids["school"] and "2x" in (job.code or "")
        problem = page.get_by_test_id("stAlert").filter(has_text="write 2*x")
        expect(problem).to_be_visible(timeout=30_000)
        expect(problem).to_be_in_viewport()
        shoot(page, "remix-error-desktop-light")

        # The same teacher on a phone, in the dark theme.
        page.set_viewport_size(MOBILE)
        in_scheme(page, "dark")
        open_library(page, app_url)
        card = library_card(page, COLLEAGUE_VIDEOS["school"])
        expect(card.get_by_role("button", name="Remix")).to_be_visible()
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the Library scrolls sideways by {overflow}px at 390 px"
        assert_accessible(page, "Library on a phone (dark)", contrast_only=True)
        shoot(page, "library-phone-dark")
        card.get_by_role("button", name="Remix").click()
        expect(page.get_by_text(f"Remixed from “{COLLEAGUE_VIDEOS['school']}” by ")).to_be_visible(
            timeout=30_000
        )
        loaded(page)
        assert_accessible(page, "Remix draft on a phone (dark)", contrast_only=True)
        shoot(page, "remix-draft-phone-dark")
        page.get_by_role("button", name="Discard the draft").click()
        expect(page.get_by_text("Remixed from “")).to_have_count(0)
    # Nothing from another host, the code editor included (its bundle's Google font import is
    # removed by app/ui/code_editor.py; without that, 4 requests to fonts.googleapis.com).
    assert outside == [], f"requests to other hosts: {outside}"
    print(f"library and remix flow: {time.monotonic() - started:.1f} s")

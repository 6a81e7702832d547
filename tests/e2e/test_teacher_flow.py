"""A teacher's whole day in a real browser: sign in, generate from a template, watch, find the
video in the gallery, share it, open the link as a stranger (not signed in), delete it; every
page photographed in light and dark themes and at phone width.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    MOBILE,
    choose,
    go_to,
    loaded,
    photographed_on_failure,
    shoot,
    sign_in,
)

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.render]

RENDER_TIMEOUT_MS = 180_000


def open_app(context: BrowserContext, url: str, heading: str) -> Page:
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=30_000)
    loaded(page)
    return page


def luminance(css_colour: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def theme_colours(page: Page) -> tuple[float, float]:
    """Luminance of the app's background and of its heading text."""
    background = page.locator('[data-testid="stApp"]').evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    text = page.locator("h1").first.evaluate("el => getComputedStyle(el).color")
    return luminance(background), luminance(text)


def test_teacher_generates_watches_shares_and_deletes(browser: Browser, app_url: str):
    teacher = browser.new_context(viewport=DESKTOP, color_scheme="light")
    stranger = browser.new_context(viewport=DESKTOP, color_scheme="light")
    with photographed_on_failure(teacher, stranger, name="failure"):
        sign_in(teacher, app_url, "teacher").close()
        page = open_app(teacher, app_url, "Create an animation")
        expect(page.get_by_text("AI generation is off")).to_be_visible()
        shoot(page, "01-create")

        # A template fills the prompt; Ctrl+Enter in the prompt generates.
        # The first template of the Math tab is "Graph of a function".
        expect(page.get_by_text("Graph of a function")).to_be_visible()
        page.get_by_role("button", name="Use this prompt").first.click()
        prompt = page.get_by_label("Prompt")
        expect(prompt).to_have_value(re.compile(r"^Plot y = x\^2"))
        example = prompt.input_value()
        prompt.click()
        prompt.press("Control+Enter")

        # Progress while it renders, and the page stays usable.
        expect(page.get_by_role("button", name="Cancel")).to_be_visible(timeout=20_000)
        expect(page.locator('[data-testid="stProgress"]')).to_be_visible()
        shoot(page, "02-create-progress")

        # The result: player, download, code editor, higher quality.
        expect(page.get_by_role("button", name="Render edited code")).to_be_visible(
            timeout=RENDER_TIMEOUT_MS
        )
        video = page.locator("video").first
        expect(video).to_be_visible()
        src = video.get_attribute("src")
        assert src, "the player has no source"
        media = page.request.get(src if src.startswith("http") else app_url + src)
        assert media.ok and media.headers["content-type"].startswith("video/mp4")
        assert len(media.body()) > 1000
        expect(page.get_by_role("button", name="Download")).to_be_visible()
        expect(page.get_by_role("button", name="Render in higher quality")).to_be_visible()
        expect(page.get_by_role("heading", name=example)).to_be_visible()
        expect(page.get_by_text("Your recent prompts")).to_be_visible()
        page.get_by_role("heading", name=example).scroll_into_view_if_needed()
        shoot(page, "03-create-result")

        # The gallery has it.
        go_to(page, "Gallery")
        expect(page.get_by_role("heading", name="Gallery")).to_be_visible()
        expect(page.get_by_text("1 video", exact=True)).to_be_visible()
        expect(page.get_by_text(example, exact=True)).to_be_visible()
        shoot(page, "04-gallery")

        # Share it with a link.
        page.get_by_text("Title and sharing").click()
        choose(page, "Anyone with the link")
        expect(page.get_by_text("Sharing: Anyone with the link.")).to_be_visible()
        link_box = page.locator('[data-testid="stCode"]').filter(has_text="watch?v=")
        expect(link_box).to_be_visible()
        link = link_box.inner_text().strip()
        assert link.startswith(f"{app_url}/watch?v="), link
        shoot(page, "05-gallery-shared")

        # A stranger (fresh browser context, no session) opens the link.
        watcher = stranger.new_page()
        watcher.goto(link)
        expect(watcher.get_by_role("heading", name=example)).to_be_visible(timeout=30_000)
        expect(watcher.locator("video")).to_be_visible()
        expect(watcher.get_by_text("Prompt", exact=True)).to_be_visible()
        watcher.get_by_text("Manim code").click()
        expect(watcher.get_by_text("from manim import").first).to_be_visible()
        shoot(watcher, "06-watch-shared")

        # Delete asks first, then the gallery is empty and teaches what to try.
        page.get_by_role("button", name="Delete").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text("This cannot be undone")).to_be_visible()
        shoot(page, "07-gallery-delete-dialog")
        dialog.get_by_role("button", name="Delete").click()
        expect(page.get_by_text(re.compile("^Deleted “"))).to_be_visible()
        expect(page.get_by_text("No videos yet — try one of these:")).to_be_visible()
        shoot(page, "08-gallery-empty")

        # The link is dead now, and says so in a sentence.
        watcher.goto(link)
        expect(watcher.get_by_text("isn't shared, or the link is mistyped")).to_be_visible(
            timeout=30_000
        )
        shoot(watcher, "09-watch-gone")

        help_page = open_app(teacher, f"{app_url}/help", "Help")
        expect(help_page.get_by_text("One idea per video.")).to_be_visible()
        shoot(help_page, "10-help")

        # No page ever showed a traceback.
        for open_page in (*teacher.pages, *stranger.pages):
            assert open_page.locator('[data-testid="stException"]').count() == 0
            assert "Traceback" not in open_page.content()
    teacher.close()
    stranger.close()


# Whether the app's background is the scheme's yet (a switch redraws the theme).
APP_BACKGROUND_FOLLOWS = """scheme => {
    const app = document.querySelector('[data-testid="stApp"]');
    const [r, g, b] = getComputedStyle(app).backgroundColor.match(/\\d+/g).map(Number);
    const dark = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5;
    return dark === (scheme === "dark");
}"""


def test_every_page_is_readable_in_both_themes(browser: Browser, app_url: str):
    """Each page in the light theme, then (the browser switching its colour scheme, which
    Streamlit's system theme follows) in the dark one."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    with photographed_on_failure(context, name="failure"):
        sign_in(context, app_url, "teacher").close()
        for path, heading in [
            ("", "Create an animation"),
            ("/gallery", "Gallery"),
            ("/watch", "Watch"),
            ("/help", "Help"),
        ]:
            page = open_app(context, app_url + path, heading)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.wait_for_function(APP_BACKGROUND_FOLLOWS, arg=scheme, timeout=10_000)
                background, text = theme_colours(page)
                if scheme == "dark":
                    assert background < 0.2 and text > 0.7, (scheme, path, background, text)
                else:
                    assert background > 0.9 and text < 0.3, (scheme, path, background, text)
                shoot(page, f"theme-{scheme}-{heading.split()[0].lower()}")
            page.close()
    context.close()


def test_pages_fit_a_phone_screen(browser: Browser, app_url: str):
    context = browser.new_context(
        viewport=MOBILE, color_scheme="light", is_mobile=True, has_touch=True
    )
    with photographed_on_failure(context, name="failure"):
        sign_in(context, app_url, "teacher").close()
        for path, heading in [
            ("", "Create an animation"),
            ("/gallery", "Gallery"),
            ("/watch", "Watch"),
            ("/help", "Help"),
        ]:
            page = open_app(context, app_url + path, heading)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path or '/'} scrolls sideways by {overflow}px on a phone"
            shoot(page, f"mobile-{heading.split()[0].lower()}")
            page.close()
    context.close()

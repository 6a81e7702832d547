"""A teacher's whole day in a real browser: sign in, generate from a template, watch, find the
video in the gallery, share it, open the link as a stranger (not signed in), delete it; every
page photographed in light and dark themes and at phone width.

From sign-in to the shared video's player the teacher uses the keyboard alone (Tab, Enter,
arrow keys), and every page on the way has no serious or critical axe-core violation.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    PASSWORD,
    assert_accessible,
    assert_accessible_in_both_themes,
    in_scheme,
    loaded,
    photographed_on_failure,
    shoot,
    shows_sign_in_form,
    sign_in,
    tab_to,
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


def sign_in_with_the_keyboard(context: BrowserContext, app_url: str, username: str) -> Page:
    """Sign in with Tab, typing and Enter (Enter in a form's field submits the form)."""
    page = context.new_page()
    page.goto(app_url)
    form = shows_sign_in_form(page)
    loaded(page)
    assert_accessible_in_both_themes(page, "sign-in page, signed out")
    tab_to(page, form.get_by_label("Username"))
    page.keyboard.type(username)
    tab_to(page, form.get_by_label("Password", exact=True))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    created = page.get_by_role("heading", name="Create an animation")
    try:
        expect(created).to_be_visible(timeout=15_000)
    except AssertionError:
        # A fresh server can drop the first submit of a new session (see conftest.sign_in):
        # the field still has the focus and its text; Enter again, as a person would.
        if form.get_by_label("Password", exact=True).is_visible():
            form.get_by_label("Password", exact=True).press("Enter")
        expect(created).to_be_visible(timeout=30_000)
    loaded(page)
    return page


def test_teacher_generates_watches_shares_and_deletes(browser: Browser, app_url: str):
    teacher = browser.new_context(viewport=DESKTOP, color_scheme="light")
    stranger = browser.new_context(viewport=DESKTOP, color_scheme="light")
    with photographed_on_failure(teacher, stranger, name="failure"):
        page = sign_in_with_the_keyboard(teacher, app_url, "teacher")
        expect(page.get_by_text("AI generation is off")).to_be_visible()
        shoot(page, "01-create")

        # A template fills the prompt; Ctrl+Enter in the prompt generates.
        # The first template of the Math tab is "Graph of a function".
        expect(page.get_by_text("Graph of a function")).to_be_visible()
        tab_to(page, page.get_by_role("button", name="Use this prompt").first)
        page.keyboard.press("Enter")
        prompt = page.get_by_label("Prompt")
        expect(prompt).to_have_value(re.compile(r"^Plot y = x\^2"))
        example = prompt.input_value()
        tab_to(page, prompt, backwards=True)
        page.keyboard.press("Control+Enter")

        # Progress while it renders, and the page stays usable; screen readers hear the
        # stage through the polite live region, then that the video is ready.
        live = page.locator("#chalk-live")
        expect(live).to_have_attribute("aria-live", "polite")
        expect(page.get_by_role("button", name="Cancel")).to_be_visible(timeout=20_000)
        expect(page.locator('[data-testid="stProgress"]')).to_be_visible()
        shoot(page, "02-create-progress")

        # The result: player, download, code editor, higher quality.
        expect(page.get_by_role("button", name="Render edited code")).to_be_visible(
            timeout=RENDER_TIMEOUT_MS
        )
        expect(live).to_have_text(f"Your video is ready: {example}.")
        video = page.locator("video").first
        expect(video).to_be_visible()
        assert video.get_attribute("autoplay") is None, "the player must not start by itself"
        assert video.get_attribute("controls") is not None, "the player needs its controls"
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
        assert_accessible(page, "Create with a result (light)")

        # The gallery has it: up to the menu with Shift+Tab.
        tab_to(
            page,
            page.get_by_test_id("stTopNav").get_by_role("link", name="Gallery"),
            backwards=True,
        )
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Gallery")).to_be_visible(timeout=30_000)
        loaded(page)
        expect(page.get_by_text("1 video", exact=True)).to_be_visible()
        expect(page.get_by_text(example, exact=True)).to_be_visible()
        shoot(page, "04-gallery")
        assert_accessible_in_both_themes(page, "Gallery with a video")

        # Share it with a link: open the expander, then the arrow keys pick the option after
        # "My school".
        tab_to(page, page.locator("summary").filter(has_text="Title and sharing"))
        page.keyboard.press("Enter")
        tab_to(page, page.get_by_role("radio", name="Private", exact=True))
        page.keyboard.press("ArrowDown")
        expect(page.get_by_text("Sharing: My school.")).to_be_visible(timeout=30_000)
        tab_to(page, page.get_by_role("radio", name="My school", exact=True))
        page.keyboard.press("ArrowDown")
        expect(page.get_by_text("Sharing: Anyone with the link.")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("radio", name="Anyone with the link")).to_be_checked()
        link_box = page.locator('[data-testid="stCode"]').filter(has_text="watch?v=")
        expect(link_box).to_be_visible()
        link = link_box.inner_text().strip()
        assert link.startswith(f"{app_url}/watch?v="), link
        shoot(page, "05-gallery-shared")
        assert_accessible(page, "Gallery, sharing open (light)")

        # A stranger (fresh browser context, no session) opens the link and reaches the
        # player with Tab.
        watcher = stranger.new_page()
        watcher.goto(link)
        expect(watcher.get_by_role("heading", name=example)).to_be_visible(timeout=30_000)
        expect(watcher.locator("video")).to_be_visible(timeout=30_000)
        loaded(watcher)
        tab_to(watcher, watcher.locator("video"))
        expect(watcher.get_by_text("Prompt", exact=True)).to_be_visible()
        assert_accessible_in_both_themes(watcher, "Watch, shared video, signed out")
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


def test_every_page_is_readable_in_both_themes(browser: Browser, app_url: str):
    """Each page in the light theme, then (the browser switching its colour scheme, which
    Streamlit's system theme follows) in the dark one; in both, no serious or critical
    axe-core violation."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    with photographed_on_failure(context, name="failure"):
        sign_in(context, app_url, "teacher").close()
        for path, heading in [
            ("", "Create an animation"),
            ("/gallery", "Gallery"),
            ("/watch", "Watch"),
            ("/help", "Help"),
            ("/account", "Account"),
        ]:
            page = open_app(context, app_url + path, heading)
            for scheme in ("light", "dark"):
                in_scheme(page, scheme)
                background, text = theme_colours(page)
                if scheme == "dark":
                    assert background < 0.2 and text > 0.7, (scheme, path, background, text)
                else:
                    assert background > 0.9 and text < 0.3, (scheme, path, background, text)
                shoot(page, f"theme-{scheme}-{heading.split()[0].lower()}")
                # All of axe in light; contrast again in dark (a theme changes colours only).
                assert_accessible(page, f"{heading} ({scheme})", contrast_only=scheme == "dark")
            page.close()
    context.close()


# WCAG 1.4.10 (reflow): 320 CSS px wide, and a 1280 px window at 200 % zoom (640 CSS px).
REFLOW_WIDTHS = (320, 640)

# Visible elements that end past the right edge of the window, outside any box that scrolls
# sideways on its own (a code block or a table may scroll; the page must not).
CUT_OFF = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = element => {
        for (let box = element.parentElement; box; box = box.parentElement) {
            const overflow = getComputedStyle(box).overflowX;
            if (overflow === "auto" || overflow === "scroll") return true;
        }
        return false;
    };
    return Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
        .filter(element => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && box.right > width + 1
                && element.checkVisibility() && !scrolls(element);
        })
        .slice(0, 5)
        .map(element => element.outerHTML.slice(0, 120));
}"""


def test_pages_reflow_on_a_phone_and_at_200_percent_zoom(browser: Browser, app_url: str):
    context = browser.new_context(
        viewport={"width": REFLOW_WIDTHS[0], "height": 800},
        color_scheme="light",
        is_mobile=True,
        has_touch=True,
    )
    with photographed_on_failure(context, name="failure"):
        sign_in(context, app_url, "teacher").close()
        for path, heading in [
            ("", "Create an animation"),
            ("/gallery", "Gallery"),
            ("/watch", "Watch"),
            ("/help", "Help"),
            ("/account", "Account"),
        ]:
            page = open_app(context, app_url + path, heading)
            for width in REFLOW_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.wait_for_timeout(300)
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                where = f"{path or '/'} at {width} px"
                assert overflow <= 1, f"{where} scrolls sideways by {overflow}px"
                cut = page.evaluate(CUT_OFF)
                assert not cut, f"{where} cuts off: {cut}"
            shoot(page, f"reflow-{heading.split()[0].lower()}")  # at 640 px
            page.close()
    context.close()

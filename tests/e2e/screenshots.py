"""Screenshots of every screen issue 17 changed, on a desktop in the light theme and on a 390 px
phone in the dark one, for a person to review (overlap, text off the screen, contrast).

An opt-in tool, not part of the suite (pytest collects only test_*.py):

    .venv/bin/python -m tests.e2e.screenshots [OUT_DIR]    # default test-artifacts/screens-17

It seeds a throwaway data dir (a colleague's school and public videos with real media, the
teacher's own shared video), starts the app as the browser tests do, renders two previews for
the job tray, and writes NAME-desktop-light.png and NAME-phone-dark.png per screen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from app.db.engine import session_scope
from app.db.models import Video
from app.generators.offline import list_templates
from app.settings import Settings
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    MOBILE,
    PASSWORD,
    ROOT,
    go_to,
    in_scheme,
    loaded,
    seeded_data_dir,
    settle,
    shows_sign_in_form,
    sign_in,
    streamlit_server,
)
from tests.helpers import free_port, make_account
from tests.ui.conftest import seed_video

# The phone is photographed 390 px wide but tall: Streamlit scrolls inside the page, so a
# full-page screenshot holds only the viewport, and what a screen changed is often lower down.
PHONE_TALL = {**MOBILE, "height": 2000}
MODES = {"desktop-light": (DESKTOP, "light"), "phone-dark": (PHONE_TALL, "dark")}
CODE = (
    "from manim import *\n\nclass Swing(Scene):\n    def construct(self):\n"
    "        self.play(Create(Circle()))\n"
)
LONG_PROMPT = "Plot y = x^2 from -3 to 3 and mark the vertex. " * 60
UNUSED_PROMPT = "Plot y = x^2 from -3 to 3 and show the axis of symmetry"
OWN_TOKEN = "screens-own-video-0123456"


def real_media(settings: Settings, video_id_key: str, template_id: str) -> None:
    """A template's still as the thumbnail and a one-second video of it (not a black box)."""
    still = next(t.thumbnail for t in list_templates() if t.id == template_id)
    media = settings.media_root
    shutil.copyfile(still, media / f"{video_id_key}.png")
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(still), "-t", "1"]
        + ["-vf", "scale=426:240,format=yuv420p", str(media / f"{video_id_key}.mp4")],
        check=True,
    )


def seed(data: Path) -> None:
    settings = seeded_data_dir(data)
    make_account(settings, "newcomer", password=PASSWORD)
    videos = [
        ("colleague", "Pendulum for the school", "pendulum", "school", "screens-school-0123456"),
        (
            "colleague",
            "Bubble sort, step by step",
            "sorting_algorithm",
            "public",
            "screens-public-0123456",
        ),
        ("teacher", "Area of a circle", "function_graph", "public", OWN_TOKEN),
    ]
    for owner, title, template, visibility, token in videos:
        video_id = seed_video(
            settings,
            title=title,
            prompt=f"{title}, for a class of 14 year olds",
            template=template,
            owner=owner,
            visibility=visibility,
            share_token=token,
            code=CODE,
        )
        with session_scope(settings) as session:
            video = session.get(Video, video_id)
            assert video is not None
            key = video.storage_key.removesuffix(".mp4")
        real_media(settings, key, template)


def shoot_both(page: Page, out: Path, name: str) -> None:
    """`name` as a desktop in light and a 390 px phone in dark; the page is left as a desktop
    in light."""
    for mode, (viewport, scheme) in MODES.items():
        page.set_viewport_size(viewport)
        in_scheme(page, scheme)
        try:
            settle(page)
        except Exception:
            pass
        page.screenshot(path=str(out / f"{name}-{mode}.png"), full_page=True)
        print(out / f"{name}-{mode}.png")
    page.set_viewport_size(DESKTOP)
    in_scheme(page, "light")


def open_player(page: Page, address: str) -> None:
    page.goto(address)
    page.locator("video").wait_for(timeout=60_000)
    loaded(page)


def visitor(context: BrowserContext, url: str, out: Path) -> None:
    page = context.new_page()
    page.goto(url)
    shows_sign_in_form(page)
    loaded(page)
    shoot_both(page, out, "landing")
    page.goto(f"{url}/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(timeout=30_000)
    loaded(page)
    shoot_both(page, out, "not-found")
    open_player(page, f"{url}/embed?v={OWN_TOKEN}")
    shoot_both(page, out, "embed")


def newcomer(context: BrowserContext, url: str, out: Path) -> None:
    page = sign_in(context, url, "newcomer")
    loaded(page)
    expect(page.get_by_text("Your first video in three steps")).to_be_visible()
    shoot_both(page, out, "first-run-guide")


def teacher(context: BrowserContext, url: str, out: Path) -> None:
    page = sign_in(context, url, "teacher")
    loaded(page)
    prompt = page.get_by_label("Prompt")
    # Over the limit: kept up to it, with the sentence saying so.
    prompt.fill(LONG_PROMPT)
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text("Chalk reads up to")).to_be_visible(timeout=30_000)
    shoot_both(page, out, "create-limit-message")
    # Two jobs at once: the tray.
    page.get_by_role("button", name="Generate").click()
    loaded(page)
    prompt.fill(UNUSED_PROMPT)
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text("This session's videos")).to_be_visible(timeout=30_000)
    shoot_both(page, out, "create-tray-making")
    expect(page.get_by_role("button", name="Render edited code")).to_be_visible(timeout=300_000)
    loaded(page)
    shoot_both(page, out, "create-tray-result")

    go_to(page, "Gallery")
    shoot_both(page, out, "gallery")

    go_to(page, "Library")
    shoot_both(page, out, "library")
    page.get_by_role("button", name="Remix").first.click()
    expect(page.get_by_text("Remixed from “")).to_be_visible(timeout=30_000)
    loaded(page)
    shoot_both(page, out, "remix-draft")
    editor = page.frame_locator('iframe[title*="code_editor"]').first
    editor.locator(".ace_content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nself.wait(2x)")
    page.get_by_role("button", name="Render this draft").click()
    expect(page.get_by_role("alert").filter(has_text="2*x")).to_be_visible(timeout=60_000)
    loaded(page)
    shoot_both(page, out, "edited-code-error")

    open_player(page, f"{url}/watch?v={OWN_TOKEN}")
    shoot_both(page, out, "watch-own")
    page.get_by_text("Embed on a web page").click()
    shoot_both(page, out, "watch-embed-code")
    page.get_by_role("button", name="QR code").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    shoot_both(page, out, "watch-qr")
    page.keyboard.press("Escape")

    go_to(page, "Account")
    page.get_by_role("tab", name="Usage").click()
    loaded(page)
    shoot_both(page, out, "account-usage")


def admin(context: BrowserContext, url: str, out: Path) -> None:
    page = sign_in(context, url, "principal")
    go_to(page, "Admin")
    page.get_by_role("tab", name="Users").click()
    page.get_by_label("Username", exact=True).fill("new.teacher")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("new.teacher is added")).to_be_visible(timeout=30_000)
    shoot_both(page, out, "admin-add-user")
    page.get_by_role("tab", name="Queue").click()
    loaded(page)
    shoot_both(page, out, "admin-queue")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chalk-screens-") as folder:
        data = Path(folder)
        seed(data)
        with streamlit_server(data, free_port()) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for step in (visitor, newcomer, teacher, admin):
                context = browser.new_context(viewport=DESKTOP, color_scheme="light")
                try:
                    step(context, url, out)
                except Exception as exc:  # the other screens are still worth taking
                    print(f"{step.__name__}: stopped: {exc}", file=sys.stderr)
                    for index, page in enumerate(context.pages):
                        page.screenshot(path=str(out / f"stopped-{step.__name__}-{index}.png"))
                finally:
                    context.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "screens-17")

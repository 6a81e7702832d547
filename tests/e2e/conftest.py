"""Browser tests: `streamlit run` on a free port with a throwaway data dir, driven by Debian's
chromium through Playwright. Screenshots go to test-artifacts/screenshots/.

The data dir starts with two accounts made through the accounts service, an admin and a
teacher (`ACCOUNTS`); tests sign in through the real form, and the sign-in cookie keeps the
browser context signed in for its other pages.

A missing chromium fails the test with the reason (it is never skipped).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Request,
    expect,
    sync_playwright,
)

from app.accounts.users import create_account
from app.db.migrate import ensure_schema
from app.settings import Settings
from tests.helpers import free_port, with_tex_format

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Small previews keep the flow quick; the flow, not the picture, is under test here.
FAST_PRESETS = {"preview": {"width": 426, "height": 240, "fps": 10, "timeout_s": 120}}
DESKTOP = {"width": 1400, "height": 1600}
MOBILE = {"width": 390, "height": 844}
PASSWORD = "e2e-password-123"
ACCOUNTS = {"principal": "admin", "teacher": "teacher", "lockable": "teacher"}
"""Accounts in every e2e data dir (username → role), all with PASSWORD."""
# Playwright waits 5 s by default; a 2-core CI machine rendering beside the browser can take
# longer to draw a rerun. A longer wait costs nothing when the page is quick.
expect.set_options(timeout=15_000)
DATA_DIRS: dict[str, Path] = {}
"""The data dir of each running app, by its URL (a test seeds videos straight into it)."""


def seeded_data_dir(data: Path) -> Settings:
    """A data dir at the schema's head with the `ACCOUNTS`, as the server will find it."""
    # Explicit values: the accounts go where the server will look, whatever the test's env.
    settings = Settings(data_dir=with_tex_format(data), database_url=None, redis_url=None)
    ensure_schema(settings)  # what the app does at start; the accounts come first here
    for username, role in ACCOUNTS.items():
        create_account(
            settings=settings,
            username=username,
            password=PASSWORD,
            email=f"{username}@school.example",
            display_name=username.title(),
            role=role,
        )
    return settings


@contextmanager
def streamlit_server(
    data: Path,
    port: int,
    *,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """The app under `streamlit run`, as `make run` starts it, on `port` over `data`; its
    address while the block runs. `args` and `env` add options (a secrets file, settings)."""
    environment = {
        **os.environ,
        "CHALK_DATA_DIR": str(data),
        "CHALK_QUALITY_PRESETS": json.dumps(FAST_PRESETS),
        "CHALK_INLINE_WORKERS": "2",
    }
    for name in (
        "CHALK_REDIS_URL",
        "CHALK_DATABASE_URL",
        "CHALK_S3_BUCKET",
        "CHALK_LLM_MODEL",
        "CHALK_ENVIRONMENT",
        "CHALK_REGISTRATION",
        "CHALK_AUTH_COOKIE_KEY",
        "CHALK_SSO_ALLOWED_DOMAINS",
    ):
        environment.pop(name, None)
    environment.update(env or {})
    log_path = data / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "streamlit"),
                "run",
                "streamlit_app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *args,
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited early:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        DATA_DIRS[url] = data
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        tail = log_path.read_text(errors="replace")
        # The app never shows a traceback; it must not hide one from the log either.
        print(tail[-5000:])


def seeded_app(
    tmp_path_factory: pytest.TempPathFactory, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """A fresh seeded data dir, and the app under `streamlit run` over it on a free port."""
    data = tmp_path_factory.mktemp("e2e-data")
    seeded_data_dir(data)
    with streamlit_server(data, free_port(), env=env) as url:
        yield url


# For a module where nothing renders: without the warm render pool the app starts no sandbox
# (bubblewrap, the Manim import and a warm-up render) to compete for the CPU with its pages.
NO_RENDERS = {"CHALK_WARM_POOL": "false"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under `streamlit run`, as `make run` starts it, on a free port. A module whose
    tests render nothing overrides it with `seeded_app(tmp_path_factory, NO_RENDERS)`."""
    yield from seeded_app(tmp_path_factory)


# One chromium per test process: each test opens its own contexts (cookies, storage, viewport
# apart), so a browser launch per module bought no isolation.
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _contexts_closed(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every context a test opened is closed after it: the browser outlives the test, and a
    page left open keeps running (a Streamlit page whose server has stopped spins as it
    reconnects, about a third of a core for the rest of the run)."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
    && Array.from(document.images).every(image => image.complete)"""
"""No skeletons left, every image loaded."""


def settle(page: Page) -> None:
    """Wait until Streamlit finished running and drawing: no skeletons, images loaded."""
    page.wait_for_function(DRAWN, timeout=15_000)
    page.wait_for_timeout(400)


def idle(page: Page) -> None:
    """Wait until the app finished the run a click started (the click reaches it first)."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=30_000)


def loaded(page: Page) -> None:
    """Wait until a page that just opened has finished its runs (a component on it, such as
    the one writing the sign-in cookie, reruns the page when it reports); a form submitted
    during a run can be dropped, which a person never types fast enough to notice but a test
    does.
    """
    page.wait_for_timeout(1000)
    idle(page)


def go_to(page: Page, link: str, heading: str | None = None) -> Page:
    """Open a page from the top navigation and wait until its first run has finished: a click
    on a widget while that run (or a component's rerun) is still going can be
    dropped, which a person never clicks fast enough to notice but a test does."""
    page.get_by_test_id("stTopNav").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=heading or link).first).to_be_visible(timeout=30_000)
    loaded(page)
    return page


def choose(page: Page, option: str) -> None:
    """Pick a radio option by its label. On a loaded machine the first click can land while the
    page is still being redrawn and be lost; a person would click again, and so does this (a
    choice that really does not stick fails the second time too)."""
    radio = page.get_by_role("radio", name=option, exact=True)
    page.get_by_text(option, exact=True).click()
    try:
        expect(radio).to_be_checked(timeout=5_000)
    except AssertionError:
        idle(page)
        page.get_by_text(option, exact=True).click()
        expect(radio).to_be_checked()


def shoot(page: Page, name: str) -> Path:
    """Save a screenshot of what the page shows once it has settled."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        settle(page)
    except Exception:
        pass  # a screenshot of an unsettled page still helps (failure shots especially)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_form(page: Page) -> Locator:
    """The Sign in tab's form (the other tabs have forms with a Username field too)."""
    return page.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Sign in", exact=True)
    )


def shows_sign_in_form(page: Page, timeout: float = 30_000) -> Locator:
    """Wait until the page shows one sign-in form, and return it. While a rerun draws, the
    form of the run before can still be on the page next to the new one (Streamlit removes
    stale elements when the run ends); a form that stays doubled fails here."""
    form = sign_in_form(page)
    deadline = time.monotonic() + timeout / 1000
    while True:
        # A run can start drawing again (e.g. after the cookie changes) just after the count
        # fell to one: wait for a single visible form, again while time is left.
        left = max(deadline - time.monotonic(), 0.5) * 1000
        try:
            expect(form).to_have_count(1, timeout=left)
            expect(form).to_be_visible(timeout=min(left, 5_000))
            return form
        except AssertionError:
            if time.monotonic() >= deadline:
                raise


def sign_in(context: BrowserContext, app_url: str, username: str, password: str = PASSWORD):
    """Sign the browser context in through the form; its cookie keeps later pages signed in."""
    page = context.new_page()
    page.goto(app_url)
    form = shows_sign_in_form(page)
    loaded(page)
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password", exact=True).fill(password)
    button = form.get_by_role("button", name="Sign in", exact=True)
    button.click()
    created = page.get_by_role("heading", name="Create an animation")
    try:
        expect(created).to_be_visible(timeout=15_000)
    except AssertionError:
        # A fresh server can still drop the first submit of a new session (the cookie
        # component's rerun; see `loaded`): the form is still there, filled. Click again once,
        # as a person would; a sign-in that really fails fails the second time too.
        idle(page)
        if button.is_visible():
            button.click()
        expect(created).to_be_visible(timeout=30_000)
    # The cookie is written by a component in the browser after the app opened, and its report
    # reruns the page: a tab closed or a link clicked before both would test the machine's
    # speed, not the sign-in (test_auth_flow.py proves the write itself).
    assert cookie_written(context, COOKIE_NAME), "the sign-in cookie was never written"
    loaded(page)
    return page


# The app under test keeps the default cookie name.
COOKIE_NAME = Settings.model_fields["auth_cookie_name"].default


def cookie_written(context: BrowserContext, name: str, seconds: float = 20.0) -> bool:
    """Whether the browser holds the sign-in cookie within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(cookie["name"] == name for cookie in context.cookies()):
            return True
        time.sleep(0.2)
    return False


def outside_requests(context: BrowserContext, app_url: str) -> list[str]:
    """Every request the context's pages make to another host than the app's, as they come:
    schools' privacy rules and offline classrooms both need a page that loads nothing else."""
    host = urlsplit(app_url).netloc
    found: list[str] = []

    def seen(request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            found.append(request.url)

    context.on("request", seen)
    return found


@contextmanager
def photographed_on_failure(*contexts: BrowserContext, name: str) -> Iterator[None]:
    """A screenshot of every open page (as `name`-N-M) when the block fails, then the error."""
    try:
        yield
    except BaseException:
        for number, context in enumerate(contexts):
            for index, page in enumerate(context.pages):
                try:
                    shoot(page, f"{name}-{number}-{index}")
                except Exception:
                    pass
        raise


def menu(page: Page) -> list[str]:
    """The page names in the top navigation."""
    nav = page.get_by_test_id("stTopNav")
    expect(nav).to_be_visible()
    return [text.split("\n")[-1].strip() for text in nav.get_by_role("link").all_inner_texts()]


# Accessibility: axe-core (axe-playwright-python ships it) on the page as it is drawn.
AXE = Axe()
SEVERE = ("serious", "critical")
"""The impacts that fail a test; moderate and minor ones are printed, not failed."""
CONTRAST_ONLY = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
"""A theme switch changes colours only, so the second theme of a page needs only this rule."""


def axe_violations(page: Page, where: str, *, contrast_only: bool = False) -> list[str]:
    """axe-core's serious and critical violations on `page` now, one line each (rule, element,
    help); the others are printed for the record."""
    page.wait_for_function(DRAWN, timeout=15_000)
    options = {**CONTRAST_ONLY, "resultTypes": ["violations"]} if contrast_only else None
    started = time.monotonic()
    results = AXE.run(page, options=options) if options else AXE.run(page)
    print(f"axe-core on {where}: {time.monotonic() - started:.1f} s")
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            line = (
                f"{where}: {violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{violation['help']}"
            )
            if violation["impact"] in SEVERE:
                lines.append(line)
            else:
                print("axe, not failed:", line)
    return lines


def assert_accessible(page: Page, where: str, *, contrast_only: bool = False) -> None:
    """No serious or critical axe-core violation on `page` (see `axe_violations`)."""
    found = axe_violations(page, where, contrast_only=contrast_only)
    assert not found, "axe-core found:\n" + "\n".join(found)


def in_scheme(page: Page, scheme: str) -> None:
    """Switch the browser's colour scheme and wait until the app has redrawn in it."""
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.wait_for_function(APP_BACKGROUND_FOLLOWS, arg=scheme, timeout=10_000)


def assert_accessible_in_both_themes(page: Page, where: str) -> None:
    """All of axe in the light theme, then colour contrast in the dark one; back to light."""
    in_scheme(page, "light")
    assert_accessible(page, f"{where} (light)")
    in_scheme(page, "dark")
    assert_accessible(page, f"{where} (dark)", contrast_only=True)
    in_scheme(page, "light")


# Whether the app's background is the scheme's yet (a switch redraws the theme).
APP_BACKGROUND_FOLLOWS = """scheme => {
    const app = document.querySelector('[data-testid="stApp"]');
    const [r, g, b] = getComputedStyle(app).backgroundColor.match(/\\d+/g).map(Number);
    const dark = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5;
    return dark === (scheme === "dark");
}"""

# The focused element, and whether something shows it has focus (an outline, or a ring drawn
# as a box shadow or border that differs from the unfocused look is hard to compare, so a
# visible outline or any box shadow counts).
FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow && style.boxShadow !== "none";
    return {
        text: (element.getAttribute("aria-label") || element.innerText || "").trim(),
        tag: element.tagName.toLowerCase(),
        shown: Boolean(outline || ring),
    };
}"""


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `target` has the keyboard focus, as a keyboard user
    would; every stop on the way must show that it has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    # Already there (an arrow key in a radio group moves the focus with the choice): a keyboard
    # user presses nothing, and a Tab would only send the focus round the page and back.
    if target.evaluate("element => element === document.activeElement"):
        focus = page.evaluate(FOCUS)
        assert focus and focus["shown"], f"no visible focus indicator on {focus}"
        return
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            focus = page.evaluate(FOCUS)
            assert focus and focus["shown"], f"no visible focus indicator on {focus}"
            return
        focus = page.evaluate(FOCUS)
        assert focus is None or focus["shown"], f"no visible focus indicator on {focus}"
    raise AssertionError(f"{limit} presses of {key} never reached {target}")

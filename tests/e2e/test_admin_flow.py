"""The Admin page in a real browser: a teacher makes a video and rates it, then the admin finds
real figures (jobs, success rate, feedback, the comment), the users table and the queue; the
teacher has no Admin entry and gets nothing of it at its address.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    assert_accessible,
    assert_accessible_in_both_themes,
    go_to,
    idle,
    menu,
    photographed_on_failure,
    shoot,
    sign_in,
)

pytestmark = [pytest.mark.xdist_group("e2e"), pytest.mark.render]

RENDER_TIMEOUT_MS = 180_000
COMMENT = "Clear, but the axis labels are small"


def metric(page: Page, label: str):
    """The value element of the metric called `label`."""
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return box.get_by_test_id("stMetricValue")


def no_traceback(*contexts: BrowserContext) -> None:
    for context in contexts:
        for page in context.pages:
            assert page.locator('[data-testid="stException"]').count() == 0
            assert "Traceback" not in page.content()


def test_admin_sees_real_figures_after_a_teachers_job(browser: Browser, app_url: str):
    teacher = browser.new_context(viewport=DESKTOP)
    admin = browser.new_context(viewport=DESKTOP)
    with photographed_on_failure(teacher, admin, name="admin-failure"):
        # The teacher: no Admin in the menu, nothing of it at /admin.
        page = sign_in(teacher, app_url, "teacher")
        assert "Admin" not in menu(page)
        forbidden = teacher.new_page()
        forbidden.goto(f"{app_url}/admin")
        expect(forbidden.get_by_role("heading", name="Page not found")).to_be_visible(
            timeout=30_000
        )
        expect(forbidden.get_by_role("heading", name="Admin")).to_have_count(0)
        expect(forbidden.get_by_text("Jobs finished")).to_have_count(0)
        shoot(forbidden, "admin-01-teacher-at-admin-url")
        forbidden.close()

        # One video from a template, then a thumbs up with a comment under it in the gallery.
        page.get_by_role("button", name="Use this prompt").first.click()
        prompt = page.get_by_label("Prompt")
        expect(prompt).to_have_value(re.compile(r"^Plot y = x\^2"))
        prompt.click()
        prompt.press("Control+Enter")
        expect(page.get_by_role("button", name="Render edited code")).to_be_visible(
            timeout=RENDER_TIMEOUT_MS
        )
        go_to(page, "Gallery")
        expect(page.get_by_text("1 video", exact=True)).to_be_visible(timeout=30_000)
        page.get_by_label("Thumbs up").first.click()
        expect(page.get_by_text("Thanks for your feedback.")).to_be_visible(timeout=30_000)
        idle(page)
        page.get_by_role("button", name="Comment").click()
        page.get_by_label("What worked, and what should be better?").fill(COMMENT)
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text(f"Your comment: “{COMMENT}”")).to_be_visible(timeout=30_000)
        shoot(page, "admin-02-teacher-feedback")

        # The admin: the Admin page with the figures of that job.
        desk = sign_in(admin, app_url, "principal")
        assert menu(desk)[-1] == "Admin"
        go_to(desk, "Admin")
        expect(desk).to_have_url(re.compile(r"/admin$"))
        expect(desk.get_by_role("heading", name="Admin")).to_be_visible(timeout=30_000)
        expect(metric(desk, "Jobs finished")).to_have_text("1", timeout=30_000)
        expect(metric(desk, "Success rate")).to_have_text("100%", timeout=30_000)
        expect(metric(desk, "Thumbs up")).to_have_text("100%", timeout=30_000)
        # Only the teacher made a video: the admin signing in is not "active".
        expect(metric(desk, "Most teachers active in a day")).to_have_text("1", timeout=30_000)
        expect(desk.get_by_role("heading", name="Jobs per day")).to_be_visible(timeout=30_000)
        expect(desk.get_by_role("button", name="CSV").first).to_be_visible(timeout=30_000)
        shoot(desk, "admin-03-analytics")
        assert_accessible_in_both_themes(desk, "Admin, analytics")
        desk.get_by_role("tab", name="Feedback").click()
        expect(desk.get_by_role("heading", name="Latest comments")).to_be_visible(timeout=30_000)
        shoot(desk, "admin-04-feedback")
        assert_accessible(desk, "Admin, feedback (light)")

        desk.get_by_role("tab", name="Users").click()
        expect(desk.get_by_label("Account")).to_be_visible(timeout=30_000)
        shoot(desk, "admin-05-users")
        assert_accessible(desk, "Admin, users (light)")
        desk.get_by_role("tab", name="Queue").click()
        expect(desk.get_by_text("No job is waiting or running.")).to_be_visible(timeout=30_000)
        shoot(desk, "admin-06-queue")
        assert_accessible(desk, "Admin, queue (light)")
        no_traceback(teacher, admin)
    teacher.close()
    admin.close()

"""The Admin page under AppTest: real figures from seeded jobs and events, the users table and
its actions, invite codes, the queue panel's Cancel, and a teacher who gets nothing of it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from app import events
from app.accounts import resets
from app.accounts import users as accounts
from app.accounts.passwords import verify_password
from app.db.engine import session_scope
from app.db.models import Job, User, utcnow
from app.errors import ChalkError
from app.events import add_event
from app.settings import get_settings
from app.ui.admin import analytics
from app.ui.formatting import ago, limit, literal, since
from app.ui.session import ADMINS_ONLY
from tests.helpers import make_account
from tests.ui.conftest import ENTRY, seed_video, sign_in, texts

ADMIN_PAGE = "pages/admin.py"


def make_user(settings, username: str, role: str):
    return make_account(settings, username, role=role)


def open_as(user, page: str | None = ADMIN_PAGE) -> AppTest:
    """The whole app with `user` signed in, on `page`."""
    at = sign_in(AppTest.from_file(str(ENTRY), default_timeout=60), user.username)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture(autouse=True)
def fresh_figures():
    """Each test reads its own database, never figures cached by an earlier test."""
    analytics.dashboard.clear()
    yield
    analytics.dashboard.clear()


def no_traceback(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def table(at, *columns: str):
    """The first table on the page with these columns (as a DataFrame)."""
    for frame in at.dataframe:
        value = frame.value
        if set(columns) <= set(value.columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def finished(settings, owner_id: int, state: str, **fields) -> None:
    with session_scope(settings) as session:
        add_event(session, "job_finished", user_id=owner_id, state=state, **fields)


def seed_activity(settings, teacher) -> str:
    """4 succeeded jobs (one from the cache), 1 failed, 1 cancelled; a thumbs up with a
    comment. Returns the failed job's message."""
    for render_s in (2.0, 4.0, 6.0):
        finished(
            settings,
            teacher.id,
            "succeeded",
            generator="offline:circle_area",
            template="circle_area",
            quality="preview",
            render_s=render_s,
            attempts=1,
            cache_hit=False,
            queue_wait_s=1.0,
        )
    finished(
        settings,
        teacher.id,
        "succeeded",
        generator="offline:circle_area",
        template="circle_area",
        quality="preview",
        attempts=1,
        cache_hit=True,
    )
    finished(
        settings,
        teacher.id,
        "failed",
        generator="llm:gpt-test",
        error_kind="render",
        quality="preview",
        attempts=3,
        prompt_tokens=1500,
        completion_tokens=500,
    )
    finished(settings, teacher.id, "cancelled", error_kind="cancelled", quality="preview")
    message = "The animation ran past its time limit; make it shorter."
    with session_scope(settings) as session:
        session.add(
            Job(
                owner_id=teacher.id,
                prompt="x",
                state="failed",
                error_kind="render",
                error_message=message,
                finished_at=utcnow(),
            )
        )
    video_id = seed_video(settings, title="Circle", template="circle_area", owner=teacher.username)
    events.record_feedback(
        settings=settings,
        video_id=video_id,
        user_id=teacher.id,
        rating=1,
        comment="Clear and quick",
    )
    return message


@pytest.fixture
def price(monkeypatch):
    monkeypatch.setenv("CHALK_LLM_PRICE_PER_1K_TOKENS", "0.5")


def test_an_admin_sees_real_figures_after_a_few_jobs(price, ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    teacher = make_user(settings, "teacher", "teacher")
    message = seed_activity(settings, teacher)

    at = open_as(admin)
    no_traceback(at)
    assert at.title[0].value == "Admin"
    shown = metrics(at)
    assert shown["Jobs finished"] == "6"
    assert shown["Success rate"] == "80%"  # 4 of 5; the cancelled job is no failure
    assert shown["Cache hit rate"] == "25%"  # 1 of 4 succeeded
    assert shown["Most teachers active in a day"] == "1"
    assert shown["Thumbs up"] == "100%"
    assert shown["AI tokens"] == "2,000"
    assert shown["Estimated AI cost"] == "1.00"  # 2,000 tokens at 0.5 per 1k
    assert shown["Storage used"].endswith(" MB")

    per_day = table(at, "day", "state", "jobs")
    assert dict(zip(per_day["state"], per_day["jobs"], strict=True)) == {
        "cancelled": 1,
        "failed": 1,
        "succeeded": 4,
    }
    times = table(at, "quality", "p50_s", "p99_s")
    assert list(times["quality"]) == ["preview"] and list(times["p50_s"]) == [4.0]
    failures = table(at, "error_kind", "examples")
    assert list(failures["error_kind"]) == ["render"]
    assert list(failures["examples"][0]) == [message]
    attempts = table(at, "attempts", "jobs", "share")
    assert dict(zip(attempts["attempts"], attempts["jobs"], strict=True)) == {1: 4, 3: 1}
    by_model = table(at, "model", "success_rate")
    assert list(by_model["model"]) == ["gpt-test"]
    comments = table(at, "comment", "rating")
    assert list(comments["comment"]) == ["Clear and quick"]
    assert list(comments["username"]) == ["teacher"]
    top = table(at, "username", "jobs", "tokens")
    assert list(top["username"]) == ["teacher"] and list(top["jobs"]) == [6]

    # Every table can be downloaded as CSV and as Parquet.
    keys = {button.key for button in at.get("download_button")}
    for name in (
        "jobs_per_day",
        "success_rate",
        "failures_by_kind",
        "top_users",
        "latest_comments",
        "llm_usage",
        "storage_used",
    ):
        assert {f"admin_csv_{name}", f"admin_parquet_{name}"} <= keys


def test_the_date_range_filters_the_figures(ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    long_ago = utcnow() - timedelta(days=60)
    finished(settings, admin.id, "succeeded", quality="preview", at=long_ago)
    finished(settings, admin.id, "failed", quality="preview", error_kind="render")

    at = open_as(admin)
    assert metrics(at)["Jobs finished"] == "1"  # the last 30 days: only the failure
    assert metrics(at)["Success rate"] == "0%"
    start = (long_ago - timedelta(days=1)).date()
    at.date_input(key="admin_range").set_value((start, utcnow().date())).run()
    no_traceback(at)
    assert metrics(at)["Jobs finished"] == "2"
    assert metrics(at)["Success rate"] == "50%"


def test_refresh_reads_events_recorded_after_the_page_opened(ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    at = open_as(admin)
    assert metrics(at)["Jobs finished"] == "0"
    assert metrics(at)["Success rate"] == "—"
    finished(settings, admin.id, "succeeded", quality="preview")
    at.button(key="admin_refresh").click().run()
    assert metrics(at)["Jobs finished"] == "1"


# --- a teacher gets nothing -----------------------------------------------------------------


def test_a_teacher_gets_nothing_of_the_admin_page_even_by_url(ui_settings):
    settings = get_settings()
    teacher = make_user(settings, "teacher", "teacher")
    make_user(settings, "ada", "admin")
    seed_activity(settings, teacher)
    at = open_as(teacher, page=None)
    no_traceback(at)
    # The page does not exist for a teacher: not in the menu, and not reachable by its path.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(ADMIN_PAGE)
    assert "Admin" not in [t.value for t in at.title]
    assert not at.metric and "Jobs finished" not in str(at.main)


def test_the_page_itself_refuses_a_teacher_when_navigation_lets_one_through(
    ui_settings, monkeypatch
):
    """Defence in depth: even if the navigation listed Admin for everyone, the page stops."""
    import streamlit as st

    from app.ui import navigation

    listed_for = navigation.build_pages

    def admin_for_everyone(user, requested=""):
        pages = listed_for(user, requested)
        if not any(str(page._page).endswith("admin.py") for page in pages):
            pages.append(st.Page(ADMIN_PAGE, title="Admin", url_path="admin"))
        return pages

    monkeypatch.setattr(navigation, "build_pages", admin_for_everyone)
    settings = get_settings()
    teacher = make_user(settings, "teacher", "teacher")
    seed_activity(settings, teacher)
    at = open_as(teacher)
    no_traceback(at)
    assert texts(at.error) == [ADMINS_ONLY]
    assert not at.title and not at.metric and not at.tabs and not at.dataframe
    assert [b.key for b in at.button] == ["auth_sign_out_button"]  # the frame's user menu only
    assert not at.get("download_button") and not at.selectbox


# --- users ----------------------------------------------------------------------------------


def test_the_users_table_lists_accounts_with_roles_and_limits(ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    make_user(settings, "bea", "teacher")
    with session_scope(settings) as session:
        bea = session.query(User).filter_by(username="bea").one()
        bea.daily_job_quota = 7
    at = open_as(admin)
    accounts_table = table(at, "username", "role", "disabled")
    rows = {row["username"]: row for row in accounts_table.to_dict("records")}
    assert rows["ada"]["role"] == "admin" and rows["bea"]["role"] == "teacher"
    # Limits and times in words: her own limit, else the role's default, or "no limit".
    assert rows["bea"]["Videos per day"] == "7"
    default = settings.quotas["teacher"].render_minutes_per_month
    assert rows["bea"]["Render minutes per month"] == f"{limit(default)} (teacher default)"
    assert rows["ada"]["Videos per day"] == "no limit (admin default)"
    assert rows["bea"]["last sign-in"] == "never"
    assert not rows["bea"]["disabled"]
    assert admin.id  # the admin is in the table too


def pick(at, username: str) -> None:
    at.selectbox(key="admin_user_pick").set_value(username).run()


def test_an_admin_changes_a_role_disables_and_sets_limits(ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    bea = make_user(settings, "bea", "teacher")
    at = open_as(admin)
    pick(at, "bea")

    at.selectbox(key=f"admin_role_{bea.id}").set_value("admin")
    at.button(key="admin_save_role").click().run()
    no_traceback(at)
    assert accounts.get_account(settings=settings, user_id=bea.id).role == "admin"
    assert "bea is now an admin." in texts(at.toast)

    at.button(key="admin_toggle_disabled").click().run()
    assert accounts.get_account(settings=settings, user_id=bea.id).disabled
    assert "bea can no longer sign in." in texts(at.toast)
    assert at.button(key="admin_toggle_disabled").label == "Enable account"
    at.button(key="admin_toggle_disabled").click().run()
    assert not accounts.get_account(settings=settings, user_id=bea.id).disabled

    at.number_input(key=f"admin_quota_videos_per_day_{bea.id}").set_value(5)
    at.number_input(key=f"admin_quota_concurrent_jobs_{bea.id}").set_value(2)
    at.button(key=f"FormSubmitter:admin_quota_form_{bea.id}-Save limits").click().run()
    no_traceback(at)
    overrides = accounts.get_account(settings=settings, user_id=bea.id).overrides
    assert (overrides.videos_per_day, overrides.concurrent_jobs) == (5, 2)
    assert overrides.render_minutes_per_month is None
    assert "Limits saved for bea." in texts(at.toast)


def test_refusing_to_demote_the_last_admin_is_one_sentence(ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    make_user(settings, "bea", "teacher")
    at = open_as(admin)
    pick(at, "ada")
    at.selectbox(key=f"admin_role_{admin.id}").set_value("teacher")
    at.button(key="admin_save_role").click().run()
    no_traceback(at)
    assert texts(at.error) == ["ada is the only admin; make someone else admin first."]
    assert accounts.get_account(settings=settings, user_id=admin.id).role == "admin"

    at.button(key="admin_toggle_disabled").click().run()
    assert texts(at.error) == ["ada is the only admin; make someone else admin first."]
    assert not accounts.get_account(settings=settings, user_id=admin.id).disabled


def test_an_admin_demoted_meanwhile_gets_no_last_action_through_old_buttons(ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    make_user(settings, "boss", "admin")
    bea = make_user(settings, "bea", "teacher")
    at = open_as(admin)
    pick(at, "bea")
    # Another admin demotes ada while her Admin page is open; her next click runs the
    # button's callback before the page (and the sign-in gate) run again.
    accounts.set_role(settings=settings, username="ada", role="teacher")
    at.button(key="admin_toggle_disabled").click().run()
    no_traceback(at)
    assert not accounts.get_account(settings=settings, user_id=bea.id).disabled
    # ...and the Admin page is gone for her from that click on.
    assert "Admin" not in [t.value for t in at.title]
    assert not [b for b in at.button if b.key == "admin_toggle_disabled"]


def test_an_invite_code_is_shown_once_and_works(monkeypatch, ui_settings):
    monkeypatch.setenv("CHALK_REGISTRATION", "invite")
    get_settings.cache_clear()
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    at = open_as(admin)
    at.button(key="admin_make_invite").click().run()
    no_traceback(at)
    codes = [c.value for c in at.code]
    assert len(codes) == 1
    from app.accounts.invites import invite_problem

    assert invite_problem(settings=settings, code=codes[0]) is None
    at.run()  # any other click: the code is gone from the page
    assert not at.code


@pytest.mark.parametrize("registration", ["closed", "open"])
def test_an_admin_adds_a_user_who_then_chooses_a_password(registration, monkeypatch, ui_settings):
    monkeypatch.setenv("CHALK_REGISTRATION", registration)
    get_settings.cache_clear()
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    at = open_as(admin)
    at.text_input(key="admin_add_username").input("cat")
    at.text_input(key="admin_add_name").input("Cat Jones")
    at.selectbox(key="admin_add_role").set_value("admin")
    at.button(key="FormSubmitter:admin_add_form-Add user").click().run()
    no_traceback(at)
    added = accounts.find_account(settings=settings, username="cat")
    assert added is not None and (added.display_name, added.role) == ("Cat Jones", "admin")
    assert any(s.startswith("cat is added.") for s in texts(at.success))
    (link,) = [c.value for c in at.code]
    assert link.startswith("http") and "/reset_password?token=" in link
    assert at.text_input(key="admin_add_username").value == ""  # ready for the next one

    # The link lets cat choose a password, once; nobody ever saw the first one.
    token = link.split("token=", 1)[1]
    resets.reset_password_with_token(settings=settings, token=token, new_password="chalk-cat-2026")
    with session_scope(settings) as session:
        cat = session.query(User).filter_by(username="cat").one()
        assert verify_password("chalk-cat-2026", cat.password_hash)
    with pytest.raises(ChalkError):
        resets.reset_password_with_token(settings=settings, token=token, new_password="again-2026x")

    at.run()  # the link is shown once
    assert not at.code
    # A taken name is refused in one sentence, and nothing else changes.
    at.text_input(key="admin_add_username").input("cat")
    at.button(key="FormSubmitter:admin_add_form-Add user").click().run()
    assert len(texts(at.error)) == 1 and not at.code


def test_without_invite_registration_the_page_says_how_to_turn_it_on(ui_settings):
    settings = get_settings()
    at = open_as(make_user(settings, "ada", "admin"))
    assert not [b for b in at.button if b.key == "admin_make_invite"]
    assert any("CHALK_REGISTRATION=invite" in c for c in texts(at.caption))


# --- queue ----------------------------------------------------------------------------------


@pytest.fixture
def patient_reconciler(monkeypatch):
    """The app's own reconciler leaves the seeded jobs alone (no stale worker, no lost job)."""
    monkeypatch.setenv("CHALK_STALE_AFTER_S", "3600")


PROMPT = "Plot y = x^2 from -3 to 3"


def test_the_queue_panel_lists_everyones_jobs_and_cancels_one(patient_reconciler, ui_settings):
    settings = get_settings()
    admin = make_user(settings, "ada", "admin")
    bea = make_user(settings, "bea", "teacher")
    with session_scope(settings) as session:
        queued = Job(
            owner_id=bea.id,
            prompt=PROMPT,
            state="queued",
            created_at=utcnow() - timedelta(minutes=4),
        )
        running = Job(
            owner_id=admin.id,
            code="from manim import *\n\nclass Demo(Scene):\n    pass\n",
            state="running",
            stage="rendering",
            created_at=utcnow() - timedelta(minutes=1),
            started_at=utcnow(),
            worker_id="inline:elsewhere:9/abcd1234",
            heartbeat_at=utcnow() - timedelta(seconds=2),
        )
        session.add_all([queued, running])
        session.flush()
        queued_id, running_id = queued.id, running.id

    at = open_as(admin)
    no_traceback(at)
    shown = metrics(at)
    assert (shown["Queued"], shown["Running"], shown["Longest wait"]) == ("1", "1", "4 min")
    body = " ".join(texts(at.markdown))
    # By owner and prompt (code jobs by their scene), never by job id.
    assert f"**bea** · {literal(PROMPT)}" in body
    assert f"**ada** · {literal('their own code (Demo)')}" in body
    assert ":gray[queued · waiting · preview · waiting or running for 4 min" in body
    assert re.search(r"running · rendering · preview · .* heartbeat \d s ago", body)
    assert "worker inline:elsewhere:9]" in body
    assert queued_id not in body and running_id not in body
    workers = table(at, "worker", "last heartbeat")
    kinds = dict(zip(workers["worker"], workers["kind"], strict=True))
    # The app's own pool (this process) and the other process known through its job.
    assert kinds.pop("inline:elsewhere:9") == "execution"
    assert list(kinds.values()) == ["inline"]

    at.button(key=f"admin_cancel_{queued_id}").click().run()
    no_traceback(at)
    with session_scope(settings) as session:
        assert session.get(Job, queued_id).state == "cancelled"
        assert session.get(Job, running_id).state == "running"
    assert literal(f"bea's “{PROMPT}”: The job was cancelled.") in texts(at.info)
    assert metrics(at)["Queued"] == "0"
    assert not [b for b in at.button if b.key == f"admin_cancel_{queued_id}"]

    # Live refresh runs the same panel on a timer.
    at.toggle(key="admin_queue_live").set_value(True).run()
    no_traceback(at)
    assert metrics(at)["Running"] == "1"


def test_moments_read_as_people_say_them():
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    before = [None, timedelta(seconds=20), timedelta(minutes=1), timedelta(minutes=59),
              timedelta(hours=3), timedelta(days=1, hours=5), timedelta(days=29),
              timedelta(days=45)]  # fmt: skip
    assert [since(now - d if d is not None else None, now) for d in before] == [
        "never",
        "just now",
        "1 minute ago",
        "59 minutes ago",
        "3 hours ago",
        "1 day ago",
        "29 days ago",
        "20 Oct 2026",
    ]
    assert [limit(v) for v in (None, 0, 1500)] == ["no limit", "0", "1,500"]


def test_ages_read_as_people_say_them():
    assert [ago(s) for s in (None, 0, 59, 60, 150, 3600, 4000)] == [
        "—",
        "0 s",
        "59 s",
        "1 min",
        "2 min",
        "1 h",
        "1 h 6 min",
    ]

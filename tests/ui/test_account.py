"""The Account page under AppTest: profile, usage against quota, details and password through
streamlit-authenticator's widgets (written to the database), and the Create defaults."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from app.accounts import resets, throttle, users
from app.accounts.passwords import verify_password
from app.db.models import utcnow
from app.settings import get_settings
from app.ui import auth
from app.ui.formatting import literal
from tests.helpers import PASSWORD, make_account
from tests.ui.conftest import app_test, seed_job, texts

ACCOUNT = "pages/account.py"


def no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def tab(at: AppTest, label: str):
    [found] = [t for t in at.tabs if t.label == label]
    return found


def stored_hash(username: str) -> str:
    credentials = users.authenticator_credentials(
        settings=get_settings(), client=throttle.LOCAL_CLIENT
    )
    return credentials["usernames"][username]["password"]


def test_profile_shows_who_you_are(ui_settings):
    make_account(ui_settings, "teacher", email="t@school.example")
    at = app_test(ACCOUNT)
    no_traceback(at)
    assert at.title[0].value == "Account"
    profile = " ".join(texts(tab(at, "Profile").markdown))
    for expected in (
        "**Username:** teacher",
        "**Name:** Teacher",
        f"**Email:** {literal('t@school.example')}",
        "**Role:** Teacher",
        "**Member since:**",
    ):
        assert expected in profile


def test_usage_against_quota(ui_settings, monkeypatch):
    monkeypatch.setenv(
        "CHALK_QUOTAS",
        '{"teacher": {"videos_per_day": 6, "render_minutes_per_month": 10, '
        '"llm_tokens_per_month": null, "concurrent_jobs": 1, "queued_jobs": 4}}',
    )
    get_settings.cache_clear()
    settings = get_settings()
    started = utcnow() - timedelta(minutes=5)
    seed_job(
        settings,
        prompt="done",
        state="succeeded",
        started_at=started,
        finished_at=started + timedelta(minutes=3),
    )
    seed_job(settings, prompt="running", state="running", stage="rendering", started_at=started)
    seed_job(settings, prompt="broken", state="failed", started_at=started)  # no video made
    seed_job(settings, prompt="next", state="queued", awaiting_slot=True)  # its one slot is taken
    at = app_test(ACCOUNT)
    no_traceback(at)
    usage = tab(at, "Usage")
    lines = texts(usage.markdown)
    assert "**Videos today:** 3 of 6" in lines
    assert "**Render minutes this month:** 3.0 of 10" in lines
    assert "**AI tokens this month:** 0 · No limit" in lines
    assert "**Animations waiting or in progress:** 2 of 4" in lines
    assert [bar.value for bar in usage.progress] == [50, 30, 50]  # AppTest reports percent
    captions = texts(usage.caption)
    assert any(
        c.startswith(
            "Videos made today, and any still being made; failed or cancelled attempts do not "
            "count. Resets at midnight UTC, in "
        )
        for c in captions
    )
    assert any(c.startswith("Resets on ") and "(UTC)" in c for c in captions)
    assert (
        "Accepted and not finished yet (1 waiting for a free slot). Chalk makes up to 1 at a "
        "time; the rest wait for a free slot." in captions
    )


def test_change_name_and_email_through_the_details_widget(ui_settings):
    account = make_account(ui_settings, "teacher")
    at = app_test(ACCOUNT)
    profile = tab(at, "Profile")
    profile.selectbox[0].set_value("Email")
    profile.text_input[0].input("new@school.example")
    profile.button[0].click().run()
    no_traceback(at)
    assert users.get_account(settings=ui_settings, user_id=account.id).email == (
        "new@school.example"
    )
    profile_text = " ".join(texts(tab(at, "Profile").markdown))
    assert f"**Email:** {literal('new@school.example')}" in profile_text

    profile = tab(at, "Profile")
    profile.selectbox[0].set_value("First name")
    profile.text_input[0].input("Ada Lovelace")
    profile.button[0].click().run()
    no_traceback(at)
    assert users.get_account(settings=ui_settings, user_id=account.id).display_name == (
        "Ada Lovelace"
    )
    assert at.session_state["session_user"].display_name == "Ada Lovelace"


def test_an_email_in_use_is_refused_with_a_sentence(ui_settings):
    make_account(ui_settings, "other", email="taken@school.example")
    make_account(ui_settings, "teacher")
    at = app_test(ACCOUNT)
    profile = tab(at, "Profile")
    profile.selectbox[0].set_value("Email")
    profile.text_input[0].input("taken@school.example")
    profile.button[0].click().run()
    no_traceback(at)
    assert texts(at.error) == ["An account with this email exists; sign in or reset its password."]


def change_password(at: AppTest, current: str, new: str, repeat: str | None = None) -> None:
    form = tab(at, "Password")
    form.text_input[0].input(current)
    form.text_input[1].input(new)
    form.text_input[2].input(repeat if repeat is not None else new)
    form.button[0].click().run()
    no_traceback(at)


def test_change_password_through_the_widget(ui_settings):
    make_account(ui_settings, "teacher")
    at = app_test(ACCOUNT)
    change_password(at, "not my password", "a brand new one")
    assert texts(at.error) == ["Your current password is not right; type it again."]
    assert verify_password(PASSWORD, stored_hash("teacher"))

    change_password(at, PASSWORD, "a brand new one", "a different one")
    assert texts(at.error) == ["The two passwords differ; type the same password twice."]

    change_password(at, PASSWORD, "short")
    assert texts(at.error) == ["Choose a password of at least 8 characters."]

    change_password(at, PASSWORD, "a brand new one")
    assert texts(at.success) == [
        "Your password is changed. Other browsers signed in to your account are signed out."
    ]
    assert verify_password("a brand new one", stored_hash("teacher"))
    assert not verify_password(PASSWORD, stored_hash("teacher"))


def test_a_new_password_signs_out_other_browsers_but_not_this_one(ui_settings):
    make_account(ui_settings, "teacher")
    here = app_test(ACCOUNT)
    elsewhere = app_test(ACCOUNT)  # the same account in another browser
    change_password(here, PASSWORD, "a brand new one")
    assert here.session_state["session_user"].username == "teacher"
    here.run()
    assert here.title[0].value == "Account"

    elsewhere.run()
    no_traceback(elsewhere)
    assert elsewhere.title[0].value == "Welcome to Chalk"
    assert texts(elsewhere.warning) == [auth.PASSWORD_CHANGED]
    assert "session_user" not in elsewhere.session_state


def test_a_password_reset_by_mail_signs_out_every_browser(ui_settings):
    account = make_account(ui_settings, "teacher", email="t@school.org")
    at = app_test(ACCOUNT)
    outbox: list[str] = []

    class Keep:
        def send(self, *, to: str, subject: str, body: str) -> None:
            outbox.append(body)

    resets.request_password_reset(settings=ui_settings, username_or_email="teacher", mailer=Keep())
    token = outbox[0].split("?token=")[1].split()[0]
    resets.reset_password_with_token(settings=ui_settings, token=token, new_password="new one!")
    at.run()
    assert texts(at.warning) == [auth.PASSWORD_CHANGED]
    assert users.get_account(settings=ui_settings, user_id=account.id).password_changed_at


def test_guessing_the_current_password_locks_the_account(ui_settings):
    make_account(ui_settings, "teacher")
    at = app_test(ACCOUNT)
    for _ in range(ui_settings.login_max_failures - 1):
        change_password(at, "a wrong guess", "a brand new one")
        assert texts(at.error) == ["Your current password is not right; type it again."]
    change_password(at, "a wrong guess", "a brand new one")
    [locked] = texts(at.error)
    assert locked.startswith("Too many failed sign-ins; sign-in is locked for")
    # While locked even the right current password changes nothing.
    change_password(at, PASSWORD, "a brand new one")
    assert texts(at.error)[0].startswith("Too many failed sign-ins")
    assert verify_password(PASSWORD, users_hash("teacher"))


def users_hash(username: str) -> str:
    from app.db.engine import session_scope
    from app.db.models import User

    with session_scope(get_settings()) as session:
        return session.query(User).filter_by(username=username).one().password_hash


def test_personal_defaults_change_the_create_page(ui_settings):
    account = make_account(ui_settings, "teacher")
    at = app_test(ACCOUNT)
    defaults = tab(at, "Create defaults")
    defaults.selectbox(key="account_quality").set_value("high")
    defaults.selectbox(key="account_aspect").set_value("9:16")
    defaults.selectbox(key="account_generator").set_value("offline")
    defaults.button[0].click().run()
    no_traceback(at)
    assert users.get_account(settings=ui_settings, user_id=account.id).preferences == {
        "quality": "high",
        "aspect": "9:16",
        "generator": "offline",
    }

    create = app_test()
    no_traceback(create)
    assert create.selectbox(key="create_quality").value == "high"
    assert create.selectbox(key="create_aspect").value == "9:16"
    assert create.selectbox(key="create_generator").value == "offline"


def test_without_defaults_create_selects_preview_landscape(ui_settings):
    create = app_test()
    assert create.selectbox(key="create_quality").value == "preview"
    assert create.selectbox(key="create_aspect").value == "16:9"


def test_the_account_page_is_not_there_for_a_visitor(ui_settings):
    at = app_test(user=None)
    with_account = [p for p in at.get("page_link") if p.label == "Account"]
    assert with_account == []
    assert at.title[0].value == "Welcome to Chalk"


def test_api_keys_tab_creates_shows_once_revokes_and_lists_webhooks(ui_settings):
    from app import webhooks
    from app.accounts import api_keys
    from app.db.engine import session_scope
    from app.db.models import WebhookAttempt, WebhookDelivery

    account = make_account(ui_settings, "teacher")
    at = app_test(ACCOUNT)
    keys = tab(at, "API keys")
    keys.text_input(key="account_key_label").input("Moodle")
    keys.button[0].click().run()
    no_traceback(at)
    [made] = api_keys.list_keys(settings=ui_settings, user_id=account.id)
    shown = texts(tab(at, "API keys").code)
    assert len(shown) == 2 and shown[0].startswith("chalk_") and shown[1] == made.webhook_secret
    assert api_keys.authenticate(settings=ui_settings, key=shown[0]).user_id == account.id
    at.run()  # the next run no longer shows the key
    assert not any(text.startswith("chalk_") for text in texts(tab(at, "API keys").code))
    assert "**Moodle**" in " ".join(texts(tab(at, "API keys").markdown))

    with session_scope(ui_settings) as session:
        session.add(
            WebhookDelivery(
                id="d1",
                owner_id=account.id,
                api_key_id=made.id,
                event="job.failed",
                job_id="j1",
                url="https://lms.example.org/hook",
                body="{}",
                attempts=1,
            )
        )
        session.flush()
        session.add(WebhookAttempt(delivery_id="d1", status_code=500, error="HTTP 500"))
    assert webhooks.recent_deliveries(settings=ui_settings, user_id=account.id)
    at.run()
    [revoke] = [b for b in tab(at, "API keys").button if b.label == "Revoke"]
    expander = " ".join(e.label for e in tab(at, "API keys").expander)
    assert "job.failed · job j1 · pending" in expander
    assert "HTTP 500" in " ".join(texts(tab(at, "API keys").markdown))
    revoke.click().run()
    no_traceback(at)
    [revoked] = api_keys.list_keys(settings=ui_settings, user_id=account.id)
    assert not revoked.active

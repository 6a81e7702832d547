"""Sign-in under AppTest: the gate, navigation by role, sign-up modes, throttling, sign-out,
disabled accounts, forgotten passwords and usernames, the app refusing production without a
cookie key; and the authenticator's validator and messages. (The cookie key's own tests are
in tests/accounts/test_cookie.py and tests/test_settings.py.)

Accounts live in the database; streamlit-authenticator's widgets are driven as a visitor
would drive them (type, press the button), so the tests go through its real code.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import bcrypt
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app.accounts import invites, resets, throttle, users
from app.accounts.passwords import verify_password
from app.db.models import utcnow
from app.errors import ChalkError
from app.generators.offline import list_templates
from app.settings import Settings, get_settings
from app.ui import auth, navigation
from app.ui.session_cookie import RequestCookieManager
from tests.helpers import PASSWORD, make_account
from tests.ui.conftest import ENTRY, app_test, seed_video, texts

WATCH = "pages/watch.py"
ADMIN = "pages/admin.py"
RESET = "pages/reset_password.py"


def no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def menus(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """The page lists the app handed to st.navigation, one per run."""
    seen: list[list[Any]] = []
    real = navigation.build_pages

    def record(user, requested=""):
        pages = real(user, requested)
        seen.append(pages)
        return pages

    monkeypatch.setattr(navigation, "build_pages", record)
    return seen


def visible(pages: list[Any]) -> list[str]:
    return [page.title for page in pages if page.visibility == "visible"]


def visitor() -> AppTest:
    """A fresh browser session that has not signed in, on the home page."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.run()
    no_traceback(at)
    return at


def tab(at: AppTest, label: str):
    [found] = [t for t in at.tabs if t.label == label]
    return found


def submit_sign_in(at: AppTest, username: str, password: str) -> AppTest:
    form = tab(at, "Sign in")
    form.text_input[0].input(username)
    form.text_input[1].input(password)
    form.button[0].click().run()
    no_traceback(at)
    return at


def register(at: AppTest, username: str, *, email: str | None = None, password=PASSWORD):
    form = tab(at, "Create account")
    fields = {t.label: t for t in form.text_input}
    fields["First name"].input(username.title())
    fields["Email"].input(email or f"{username}@school.example")
    fields["Username"].input(username)
    fields["Password"].input(password)
    fields["Repeat password"].input(password)
    [button] = [b for b in form.button if b.label == "Create account"]
    button.click().run()
    no_traceback(at)
    return at


def reconfigure(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return get_settings()


class Outbox:
    """A mailer that keeps what it sends."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, *, to: str, subject: str, body: str) -> None:
        self.sent.append({"to": to, "subject": subject, "body": body})


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Outbox:
    box = Outbox()
    monkeypatch.setattr(resets, "get_mailer", lambda settings: box)
    return box


# --- navigation ---------------------------------------------------------------------------


def test_a_visitor_sees_only_sign_in_watch_and_help(ui_settings, menus):
    at = visitor()
    assert visible(menus[-1]) == ["Sign in", "Watch", "Help"]
    assert at.title[0].value == "Welcome to Chalk"
    assert [t.label for t in at.tabs] == [
        "Sign in",
        "Create account",
        "Forgot password",
        "Forgot username",
    ]
    # No school sign-in unless secrets.toml and CHALK_SSO_ALLOWED_DOMAINS configure it.
    assert not [b for b in at.button if "school account" in str(b.label)]
    # Nothing of the signed-in pages runs for a visitor.
    assert "create_prompt" not in at.session_state
    assert "session_user" not in at.session_state


def test_the_visitors_home_says_what_chalk_does_and_shows_public_videos_only(ui_settings):
    seed_video(ui_settings, title="Pendulum period", visibility="public", share_token="tok-pub")
    seed_video(ui_settings, title="My private draft")
    seed_video(ui_settings, title="Sent by link", visibility="link", share_token="tok-link")
    at = visitor()
    no_traceback(at)
    headings = [h.value for h in at.header]
    assert headings.index("What Chalk does") < headings.index("Made with Chalk")
    pitch = " ".join(texts(at.markdown))
    assert f"{len(list_templates())} ready-made classroom topics" in pitch
    links = {link.label: link for link in at.get("page_link")}
    assert "Pendulum period" in links
    assert "My private draft" not in links and "Sent by link" not in links


def test_navigation_differs_by_role(ui_settings, menus):
    make_account(ui_settings, "boss", role="admin")
    make_account(ui_settings, "teacher")
    at = app_test(user="teacher")
    no_traceback(at)
    assert visible(menus[-1]) == ["Create", "Gallery", "Library", "Account", "Help", "Watch"]
    at = app_test(user="boss")
    no_traceback(at)
    assert visible(menus[-1]) == [
        "Create",
        "Gallery",
        "Library",
        "Account",
        "Help",
        "Watch",
        "Admin",
    ]
    admin_page = next(p for p in menus[-1] if p.title == "Admin")
    assert admin_page.url_path == "admin"
    assert admin_page.icon == ":material/admin_panel_settings:"


def test_a_teacher_cannot_switch_to_the_admin_page(ui_settings):
    make_account(ui_settings, "boss", role="admin")
    at = app_test(user="teacher")
    with pytest.raises(ValueError, match=r"admin\.py"):
        at.switch_page(ADMIN)  # not registered for a teacher: there is no such page


def test_a_demoted_admin_on_the_admin_page_gets_nothing_of_it(ui_settings, menus):
    make_account(ui_settings, "boss", role="admin")
    make_account(ui_settings, "former", role="admin")
    at = app_test(ADMIN, user="former")
    no_traceback(at)
    assert at.title[0].value == "Admin"

    users.set_role(settings=ui_settings, username="former", role="teacher")
    at.switch_page(ADMIN).run()  # the Admin tab still open, clicked again
    no_traceback(at)
    assert "Admin" not in visible(menus[-1])
    assert at.title[0].value == "Create an animation"  # the home page instead
    assert "Admin" not in [t.value for t in at.title]
    assert at.session_state["session_user"].role == "teacher"


def test_a_role_change_applies_at_the_next_click(ui_settings, menus):
    make_account(ui_settings, "boss", role="admin")
    at = app_test(user="teacher")
    assert "Admin" not in visible(menus[-1])
    users.set_role(settings=ui_settings, username="teacher", role="admin")
    at.run()
    assert "Admin" in visible(menus[-1])
    assert at.session_state["session_user"].is_admin


def test_signed_in_addresses_show_a_visitor_the_sign_in_form(ui_settings, menus):
    visitor()
    hidden = {p.url_path: p.title for p in menus[-1] if p.visibility == "hidden"}
    assert hidden == {
        "gallery": "Sign in",
        "library": "Sign in",
        "account": "Sign in",
        "admin": "Sign in",
        "reset_password": "Reset password",
    }
    # Sign in is the visitor's home under the address that is Create after sign-in.
    home = [p for p in menus[-1] if p._default]
    assert [(p.title, p._url_path) for p in home] == [("Sign in", "create")]


# --- signing in ---------------------------------------------------------------------------


def test_sign_in_with_the_right_password_opens_create(ui_settings, menus):
    make_account(ui_settings, "ada")
    at = submit_sign_in(visitor(), "ada", PASSWORD)
    assert any("Signed in as ada" in s for s in texts(at.success))
    assert at.session_state["authentication_status"] is True
    at.run()
    no_traceback(at)
    assert at.title[0].value == "Create an animation"
    assert visible(menus[-1])[0] == "Create"
    assert at.session_state["session_user"].username == "ada"
    assert users.find_account(settings=ui_settings, username="ada").last_login_at is not None
    # Usernames are not case-sensitive.
    at = submit_sign_in(visitor(), "ADA", PASSWORD)
    assert at.session_state["authentication_status"] is True


def test_a_wrong_password_says_so_in_a_sentence(ui_settings):
    make_account(ui_settings, "ada")
    at = submit_sign_in(visitor(), "ada", "not the password")
    assert texts(at.error) == [auth.WRONG_PASSWORD]
    assert at.session_state["authentication_status"] is False
    at = submit_sign_in(visitor(), "nobody", PASSWORD)
    assert texts(at.error) == [auth.WRONG_PASSWORD]  # the same words: no name is revealed


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The address Streamlit reports for new runs: set `client["ip"]` to change computers."""
    address = {"ip": "203.0.113.9"}
    monkeypatch.setattr(type(st.context), "ip_address", property(lambda self: address["ip"]))
    return address


def test_a_strangers_wrong_passwords_do_not_lock_the_teacher_out(ui_settings, client, monkeypatch):
    make_account(ui_settings, "ada")
    stranger = visitor()
    for _attempt in range(ui_settings.login_max_failures - 1):
        submit_sign_in(stranger, "ada", "wrong password")
        assert texts(stranger.error) == [auth.WRONG_PASSWORD]
    submit_sign_in(stranger, "ada", "wrong password")
    # Locked: a clear message with the time left, and no form at all.
    [message] = texts(stranger.error)
    assert re.match(r"Too many failed sign-ins; sign-in is locked for \d+ seconds\.", message)
    assert not tab(stranger, "Sign in").text_input

    # A new session from the stranger's computer is locked out of the account too...
    again = submit_sign_in(visitor(), "ada", PASSWORD)
    assert again.session_state["authentication_status"] is not True
    assert texts(again.error)[0].startswith("Too many failed sign-ins")
    # ...but the teacher, at another computer, signs in.
    client["ip"] = "198.51.100.7"
    teacher = submit_sign_in(visitor(), "ada", PASSWORD)
    assert teacher.session_state["authentication_status"] is True

    # Once the lock is over, one right password from a new session signs in.
    client["ip"] = "203.0.113.9"
    later = utcnow() + timedelta(seconds=ui_settings.login_lockout_s + 1)
    monkeypatch.setattr(throttle, "utcnow", lambda: later)
    at = submit_sign_in(visitor(), "ada", PASSWORD)
    assert at.session_state["authentication_status"] is True


def test_guessing_many_usernames_locks_the_session(ui_settings):
    at = visitor()
    for number in range(ui_settings.login_max_failures):
        submit_sign_in(at, f"guess{number}", "whatever123")
    assert texts(at.error)[0].startswith("Too many failed sign-ins")
    assert not tab(at, "Sign in").button


def test_a_disabled_account_cannot_sign_in(ui_settings):
    make_account(ui_settings, "boss", role="admin")
    make_account(ui_settings, "ada")
    users.set_disabled(settings=ui_settings, username="ada", disabled=True)
    at = submit_sign_in(visitor(), "ada", PASSWORD)
    assert at.session_state["authentication_status"] is False
    assert texts(at.error) == [auth.WRONG_PASSWORD]


def test_a_disabled_user_is_signed_out_at_the_next_click(ui_settings, menus):
    make_account(ui_settings, "boss", role="admin")
    at = app_test(user="teacher")
    assert at.title[0].value == "Create an animation"
    users.set_disabled(settings=ui_settings, username="teacher", disabled=True)
    at.run()
    no_traceback(at)
    assert at.title[0].value == "Welcome to Chalk"
    assert texts(at.warning) == [auth.ACCOUNT_DISABLED]
    assert visible(menus[-1]) == ["Sign in", "Watch", "Help"]
    assert at.session_state["authentication_status"] is None
    assert "session_user" not in at.session_state


def test_a_deleted_user_is_signed_out_at_the_next_click(ui_settings):
    from app.db.engine import session_scope
    from app.db.models import User

    gone = make_account(ui_settings, "shortlived")
    at = app_test(user="shortlived")
    assert at.session_state["session_user"].id == gone.id
    with session_scope(ui_settings) as session:
        session.delete(session.get(User, gone.id))
    at.run()
    no_traceback(at)
    assert texts(at.warning) == [auth.ACCOUNT_GONE]
    assert at.title[0].value == "Welcome to Chalk"
    assert "session_user" not in at.session_state


def test_sign_out(ui_settings, menus):
    at = app_test(user="teacher")
    assert at.session_state["session_user"].username == "teacher"
    at.button(key="auth_sign_out_button").click().run()
    no_traceback(at)
    assert at.title[0].value == "Welcome to Chalk"
    assert texts(at.info)[0] == auth.SIGNED_OUT
    assert visible(menus[-1]) == ["Sign in", "Watch", "Help"]
    assert at.session_state["authentication_status"] is None
    assert at.session_state["logout"] is True  # the cookie is not used again in this session
    at.run()
    assert at.title[0].value == "Welcome to Chalk"


def test_signing_out_on_the_gallery_keeps_the_address_and_shows_the_form(ui_settings):
    at = app_test("pages/gallery.py", user="teacher")
    assert at.title[0].value == "Gallery"
    at.button(key="auth_sign_out_button").click().run()
    no_traceback(at)
    assert at.title[0].value == "Welcome to Chalk"
    submit_sign_in(at, "teacher", PASSWORD)
    at.run()
    assert at.title[0].value == "Gallery"  # back where the teacher was


def test_a_cookie_copied_before_sign_out_no_longer_signs_in(ui_settings, monkeypatch):
    """(Disabling and new passwords: tests/accounts/test_cookie.py.)"""
    made: list[tuple[str, str, dict[str, Any]]] = []
    real_set = RequestCookieManager.set

    def keep(self, cookie, val, *args, **kwargs):
        made.append((cookie, val, kwargs))
        return real_set(self, cookie, val, *args, **kwargs)

    monkeypatch.setattr(RequestCookieManager, "set", keep)
    browser: dict[str, str] = {}  # the cookies every new session's request carries
    monkeypatch.setattr(type(st.context), "cookies", property(lambda self: dict(browser)))

    def cookie_signs_in() -> bool:
        at = visitor()  # a new browser session sending `browser`'s cookies
        return at.session_state["authentication_status"] is True

    make_account(ui_settings, "teacher")
    at = submit_sign_in(visitor(), "teacher", PASSWORD)
    [(name, token, attributes)] = made
    assert (attributes["same_site"], attributes.get("secure")) == ("lax", None)  # http here
    browser[name] = token
    assert cookie_signs_in()  # the copy works until...
    at.run().button(key="auth_sign_out_button").click().run()  # ...the teacher signs out
    assert not cookie_signs_in()


def test_a_new_session_draws_no_cookie_component_until_the_cookie_changes(ui_settings, monkeypatch):
    """The cookie is read from the request. A component reporting the browser's cookies was
    drawn before the page was chosen, and its report reran the new session before the browser
    knew its page: a /watch link opened in a new tab could land on Create."""
    browser: dict[str, str] = {}
    monkeypatch.setattr(type(st.context), "cookies", property(lambda self: dict(browser)))
    made: list[tuple[str, str]] = []
    real_set = RequestCookieManager.set

    def keep(self, cookie, val, *args, **kwargs):
        made.append((cookie, val))
        return real_set(self, cookie, val, *args, **kwargs)

    monkeypatch.setattr(RequestCookieManager, "set", keep)
    make_account(ui_settings, "teacher")
    at = visitor()
    assert at.get("component_instance") == []
    submit_sign_in(at, "teacher", PASSWORD)
    assert len(at.get("component_instance")) == 1  # the one that writes the cookie
    # Until the browser reports the cookie written, every run draws it again, so a rerun
    # that comes first (the app opening) cannot remove it before it ran.
    at.run()
    assert len(at.get("component_instance")) == 1
    assert len(made) == 1  # drawn again, not a second cookie
    browser.update(made)
    at = visitor()  # a new tab sending the cookie
    assert at.session_state["authentication_status"] is True
    assert at.get("component_instance") == []


# --- signing up ---------------------------------------------------------------------------


def test_open_sign_up_makes_the_first_user_admin_and_the_next_a_teacher(ui_settings, menus):
    at = visitor()
    assert "becomes its admin" in texts(at.info)[0]
    register(at, "first")
    assert any("Signed in as first" in s for s in texts(at.success))
    at.run()
    assert at.title[0].value == "Create an animation"
    assert "Admin" in visible(menus[-1])
    assert users.find_account(settings=ui_settings, username="first").role == "admin"

    at = register(visitor(), "second")
    at.run()
    assert users.find_account(settings=ui_settings, username="second").role == "teacher"
    assert "Admin" not in visible(menus[-1])
    assert at.session_state["session_user"].username == "second"


def test_the_password_help_states_chalks_rule(ui_settings):
    form = tab(visitor(), "Create account")
    [password] = [t for t in form.text_input if t.label == "Password"]
    assert password.help == auth.PASSWORD_HELP
    assert "uppercase" not in password.help  # not the authenticator's own rule


def test_sign_up_refusals_are_sentences(ui_settings):
    make_account(ui_settings, "taken")
    at = register(visitor(), "taken", email="new@school.example")
    assert texts(at.error) == [users.TAKEN]
    at = register(visitor(), "x", email="x@school.example")
    assert texts(at.error)[0].startswith("Choose a username of 3 to 32 characters")
    at = register(visitor(), "newbie", password="short")
    assert texts(at.error) == ["Choose a password of at least 8 characters."]
    assert users.find_account(settings=ui_settings, username="newbie") is None


def test_sign_ups_past_the_limit_get_a_sentence_and_no_form(ui_settings, client, monkeypatch):
    settings = reconfigure(monkeypatch, CHALK_SIGNUPS_PER_CLIENT="1")
    make_account(settings, "boss", role="admin")
    register(visitor(), "first")
    at = visitor()  # the same computer again
    [busy] = texts(at.warning)
    assert busy.startswith("Chalk has had too many sign-ups recently; try again in 60 minutes")
    assert not tab(at, "Create account").text_input
    client["ip"] = "198.51.100.7"
    register(visitor(), "second")
    assert users.find_account(settings=settings, username="second") is not None


def test_invite_mode_needs_a_valid_code(ui_settings, monkeypatch):
    settings = reconfigure(monkeypatch, CHALK_REGISTRATION="invite")
    boss = make_account(settings, "boss", role="admin")
    at = visitor()
    sign_up = tab(at, "Create account")
    assert [t.label for t in sign_up.text_input] == ["Invite code"]  # no sign-up form yet

    sign_up.text_input[0].input("WRONG-CODE-0000")
    sign_up.button[0].click().run()
    assert texts(at.error) == [invites.INVALID_INVITE]
    assert "Username" not in [t.label for t in tab(at, "Create account").text_input]

    code = invites.create_invite(settings=settings, created_by=boss.id)
    tab(at, "Create account").text_input[0].input(code)
    tab(at, "Create account").button[0].click().run()
    assert "Username" in [t.label for t in tab(at, "Create account").text_input]
    register(at, "invited")
    assert users.find_account(settings=settings, username="invited").role == "teacher"
    assert invites.invite_problem(settings=settings, code=code) is not None  # used up


def test_closed_mode_refuses_sign_up_even_on_a_new_install(ui_settings, monkeypatch):
    reconfigure(monkeypatch, CHALK_REGISTRATION="closed")
    at = visitor()
    sign_up = tab(at, "Create account")
    assert "Sign-up is closed on this Chalk; ask your Chalk admin for an account." in texts(
        sign_up.info
    )
    assert not sign_up.text_input


# --- forgotten password and username ------------------------------------------------------


def forgot_password(at: AppTest, username: str) -> AppTest:
    form = tab(at, "Forgot password")
    form.text_input[0].input(username)
    form.button[0].click().run()
    no_traceback(at)
    for thread in threading.enumerate():  # the lookup and the mail run on a thread
        if thread.name == auth.RESET_THREAD:
            thread.join(timeout=10)
    return at


def test_forgot_password_mails_a_link_and_says_the_same_for_anyone(ui_settings, outbox):
    make_account(ui_settings, "ada", email="ada@school.example")
    known = texts(forgot_password(visitor(), "ada").success)
    unknown = texts(forgot_password(visitor(), "nobody").success)
    assert known == unknown and "If that account exists" in known[0]
    [mail] = outbox.sent
    assert mail["to"] == "ada@school.example"
    assert re.search(r"/reset_password\?token=\S+", mail["body"])
    # The widget's random password was never written back: the old password still works.
    at = submit_sign_in(visitor(), "ada", PASSWORD)
    assert at.session_state["authentication_status"] is True


def test_a_taken_username_and_a_taken_email_get_the_same_answer_and_work(ui_settings, monkeypatch):
    """The authenticator refuses a name or email it knows before Chalk hashes anything; the
    answer and the hashing must still be those of a refusal from Chalk's own check."""
    make_account(ui_settings, "ada", email="ada@school.example")
    hashed: list[int] = []
    real_hashpw = bcrypt.hashpw
    monkeypatch.setattr(bcrypt, "hashpw", lambda *a: hashed.append(1) or real_hashpw(*a))
    work = []
    for username, email in (("ada", "new@school.example"), ("newbie", "ada@school.example")):
        hashed.clear()
        at = register(visitor(), username, email=email)
        work.append((texts(at.error), len(hashed)))
    assert work[0] == work[1] == ([users.TAKEN], 1)
    assert users.find_account(settings=ui_settings, username="newbie") is None


def test_forgot_password_does_the_same_work_for_known_and_unknown_names(ui_settings, monkeypatch):
    make_account(ui_settings, "ada", email="ada@school.example")
    hashed: list[int] = []
    real_hashpw = bcrypt.hashpw
    monkeypatch.setattr(bcrypt, "hashpw", lambda *a: hashed.append(1) or real_hashpw(*a))
    asked: list[str] = []
    monkeypatch.setattr(
        resets, "request_password_reset", lambda **kw: asked.append(kw["username_or_email"])
    )
    work = []
    for name in ("ada", "nobody"):
        hashed.clear()
        answer = texts(forgot_password(visitor(), name).success)
        work.append((answer, len(hashed)))
    assert work[0] == work[1]  # the same words, the same number of password hashes
    assert asked == ["ada", "nobody"]  # each looked up (and mailed) off the answer's path


def test_the_mailed_link_sets_a_new_password_once(ui_settings, outbox):
    make_account(ui_settings, "ada", email="ada@school.example")
    forgot_password(visitor(), "ada")
    token = re.search(r"token=(\S+)", outbox.sent[0]["body"]).group(1)

    page = app_test(RESET, user=None, token=token)
    no_traceback(page)
    assert page.title[0].value == "Choose a new password"
    page.text_input(key="reset_password").input("brand new secret")
    page.text_input(key="reset_repeat").input("brand new secret")
    page.button[0].click().run()
    no_traceback(page)
    assert "Your password is changed" in texts(page.success)[0]

    assert submit_sign_in(visitor(), "ada", "brand new secret").session_state[
        "authentication_status"
    ]
    assert not submit_sign_in(visitor(), "ada", PASSWORD).session_state["authentication_status"]

    again = app_test(RESET, user=None, token=token)
    again.text_input(key="reset_password").input("another secret 1")
    again.text_input(key="reset_repeat").input("another secret 1")
    again.button[0].click().run()
    assert texts(again.error) == [resets.INVALID_LINK]
    assert [link.label for link in again.get("page_link")] == ["Back to sign in"]


def test_the_reset_page_without_a_token_explains_itself(ui_settings):
    at = app_test(RESET, user=None)
    no_traceback(at)
    assert "needs the link from your password-reset email" in texts(at.warning)[0]


def test_forgot_username_mails_it(ui_settings, outbox):
    make_account(ui_settings, "ada", email="ada@school.example")
    at = visitor()
    form = tab(at, "Forgot username")
    form.text_input[0].input("ada@school.example")
    form.button[0].click().run()
    no_traceback(at)
    assert "If an account uses that email address" in texts(at.success)[0]
    [mail] = outbox.sent
    assert "ada" in mail["body"] and mail["to"] == "ada@school.example"


# --- the production cookie key, the validator, the credentials ---------------------------


def test_production_without_a_key_stops_the_app_with_a_sentence(ui_settings, monkeypatch):
    monkeypatch.setenv("CHALK_ENVIRONMENT", "production")
    monkeypatch.delenv("CHALK_AUTH_COOKIE_KEY", raising=False)
    get_settings.cache_clear()  # the settings now refuse to load: the app must say why
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.run()
    no_traceback(at)
    [message] = texts(at.error)
    assert "CHALK_AUTH_COOKIE_KEY" in message and "production" in message
    assert not at.tabs  # no sign-in form, no pages


def test_the_validator_uses_chalks_rules_and_keeps_the_new_password():
    validator = auth.ChalkValidator()
    with pytest.raises(ChalkError, match="at least 8 characters"):
        validator.validate_password("short")
    assert validator.validate_password("long enough") is True
    assert validator.last_password == "long enough"
    with pytest.raises(ChalkError, match="Choose a username"):
        validator.validate_username("no spaces allowed")
    assert validator.validate_username("ada.l")
    assert validator.validate_name("") and validator.validate_name("Ada Lovelace")
    assert not validator.validate_name("x" * 101)


def test_authenticator_errors_become_sentences():
    from streamlit_authenticator.utilities import CredentialsError, RegisterError

    assert auth.friendly(RegisterError("Passwords do not match")).startswith("The two passwords")
    assert auth.friendly(CredentialsError("password")).startswith("Your current password")
    assert auth.friendly(ChalkError("validation", "Exactly this.")) == "Exactly this."
    assert auth.friendly(RegisterError("something new")) == auth.TRY_AGAIN


def test_credentials_come_from_the_database_only(ui_settings):
    make_account(ui_settings, "ada")
    credentials = users.authenticator_credentials(
        settings=ui_settings, client=throttle.LOCAL_CLIENT
    )
    assert verify_password(PASSWORD, credentials["usernames"]["ada"]["password"])
    assert not list(ui_settings.data_dir.rglob("*.yaml"))

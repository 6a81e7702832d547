"""Accounts: creation, the first admin, registration modes, roles, disabling, profile,
preferences, and the credentials streamlit-authenticator gets."""

from __future__ import annotations

import threading
from functools import partial

import pytest

from app.accounts import users
from app.accounts.invites import create_invite, invite_problem
from app.accounts.passwords import (
    UNUSABLE_PASSWORD_HASH,
    hash_password,
    password_problem,
    username_problem,
    verify_password,
)
from app.db.engine import session_scope
from app.db.models import UsageEvent, User
from app.errors import ChalkError
from app.settings import Settings

PASSWORD = "correct horse"
CLIENT = "192.0.2.1"


def add(settings: Settings, name: str, role: str | None = None, **extra: str) -> users.Account:
    return users.create_account(
        settings=settings, username=name, password=PASSWORD, role=role, **extra
    )


def stored_hash(settings: Settings, name: str) -> str:
    with session_scope(settings) as session:
        user = session.query(User).filter_by(username=name).one()
        return user.password_hash


def test_passwords_are_bcrypt_hashed_and_checked():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$2b$") and PASSWORD not in hashed
    assert verify_password(PASSWORD, hashed)
    assert not verify_password("wrong horse", hashed)
    assert not verify_password(PASSWORD, "not a hash")
    assert not verify_password(PASSWORD, UNUSABLE_PASSWORD_HASH)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 8 characters"),
        ("x" * 73, "at most 72 bytes"),
        ("        ", "not only spaces"),
        ("Ada.Lovelace", "not your username"),
    ],
)
def test_weak_passwords_are_refused_with_a_sentence(password, problem):
    message = password_problem(password, "ada.lovelace")
    assert message is not None and problem in message and message.endswith(".")
    assert password_problem("a long enough one", "ada") is None


@pytest.mark.parametrize("name", ["ab", "-ada", "Ada Lovelace", "ada/../x", "a" * 33, "ädä"])
def test_bad_usernames_are_refused(name):
    assert username_problem(name) is not None


def test_the_first_account_is_admin_and_the_next_are_teachers(db_settings):
    first = add(db_settings, "Ada", email="Ada@Example.org", display_name="  Ada   Lovelace ")
    second = add(db_settings, "bob")
    assert (first.username, first.role, first.is_admin) == ("ada", "admin", True)
    assert (first.email, first.display_name) == ("ada@example.org", "Ada Lovelace")
    assert (second.role, second.is_admin, second.display_name) == ("teacher", False, "bob")
    assert verify_password(PASSWORD, stored_hash(db_settings, "ada"))
    assert [a.username for a in users.list_accounts(settings=db_settings)] == ["ada", "bob"]


def test_names_and_emails_are_unique_regardless_of_case(db_settings):
    add(db_settings, "ada", email="ada@example.org")
    with pytest.raises(ChalkError, match="already in use"):
        add(db_settings, "ADA")
    with pytest.raises(ChalkError, match="already in use"):
        add(db_settings, "other", email="ADA@example.org")


def test_only_one_of_two_simultaneous_first_sign_ups_becomes_admin(db_settings):
    barrier = threading.Barrier(4)
    made: list[users.Account] = []

    def sign_up(i: int) -> None:
        barrier.wait(timeout=30)
        made.append(
            users.register(
                settings=db_settings,
                username=f"t{i}x",
                password=PASSWORD,
                email=None,
                client=CLIENT,
            )
        )

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.role for a in made) == ["admin", "teacher", "teacher", "teacher"]


def test_closed_registration_refuses_everyone_even_with_no_active_admin(db_settings):
    closed = db_settings.model_copy(update={"registration": "closed"})
    with pytest.raises(ChalkError, match="Sign-up is closed") as refused:
        users.register(
            settings=closed, username="first", password=PASSWORD, email=None, client=CLIENT
        )
    assert refused.value.kind == "validation"
    add(closed, "ada")  # the operator's first account (`chalk users add`): the admin
    with session_scope(closed) as session:  # no active admin left (disabled by hand)
        session.query(User).filter_by(username="ada").one().disabled = True
    with pytest.raises(ChalkError, match="Sign-up is closed"):
        users.register(
            settings=closed, username="bob", password=PASSWORD, email=None, client=CLIENT
        )
    assert users.find_account(settings=closed, username="bob") is None
    opened = closed.model_copy(update={"registration": "open"})
    late = users.register(
        settings=opened, username="cyd", password=PASSWORD, email=None, client=CLIENT
    )
    assert late.role == "teacher"  # the first-admin rule is for an empty install only


@pytest.mark.parametrize("mode", ["open", "invite"])
def test_the_first_account_of_an_empty_install_is_admin(sqlite_settings, mode):
    settings = sqlite_settings.model_copy(update={"registration": mode})
    assert users.is_new_install(settings=settings)
    first = users.register(
        settings=settings, username="ada", password=PASSWORD, email=None, client=CLIENT
    )
    assert first.is_admin and not users.is_new_install(settings=settings)


def test_invite_registration_needs_a_valid_code_and_uses_it_up(db_settings):
    invite_only = db_settings.model_copy(update={"registration": "invite"})
    admin = users.register(
        settings=invite_only, username="ada", password=PASSWORD, email=None, client=CLIENT
    )
    code = create_invite(settings=invite_only, created_by=admin.id, uses=1)
    assert invite_problem(settings=invite_only, code=code) is None
    assert invite_problem(settings=invite_only, code="NOPE-NOPE-NOPE") is not None
    with pytest.raises(ChalkError, match="invite code is not valid"):
        users.register(
            settings=invite_only, username="bob", password=PASSWORD, email=None, client=CLIENT
        )
    # Case and dashes do not matter.
    bob = users.register(
        settings=invite_only,
        username="bob",
        password=PASSWORD,
        email=None,
        client=CLIENT,
        invite_code=code.lower().replace("-", ""),
    )
    assert bob.role == "teacher"
    with pytest.raises(ChalkError, match="used up or expired"):
        users.register(
            settings=invite_only,
            username="cy",
            password=PASSWORD,
            email=None,
            client=CLIENT,
            invite_code=code,
        )
    assert invite_problem(settings=invite_only, code=code) is not None


def test_an_admin_invite_makes_an_admin(db_settings):
    invite_only = db_settings.model_copy(update={"registration": "invite"})
    add(invite_only, "ada")
    code = create_invite(settings=invite_only, role="admin", uses=2)
    made = users.register(
        settings=invite_only,
        username="bea",
        password=PASSWORD,
        email=None,
        client=CLIENT,
        invite_code=code,
    )
    assert made.is_admin


def test_the_last_admin_can_be_neither_demoted_nor_disabled(db_settings):
    add(db_settings, "ada")
    add(db_settings, "bob")
    with pytest.raises(ChalkError, match="only admin"):
        users.set_role(settings=db_settings, username="ada", role="teacher")
    with pytest.raises(ChalkError, match="only admin"):
        users.set_disabled(settings=db_settings, username="ada", disabled=True)
    users.set_role(settings=db_settings, username="bob", role="admin")
    assert users.set_role(settings=db_settings, username="ada", role="teacher").role == "teacher"
    with pytest.raises(users.AccountNotFound):
        users.set_role(settings=db_settings, username="nobody", role="admin")


def test_disabled_accounts_get_an_unusable_hash(db_settings):
    add(db_settings, "ada")
    add(db_settings, "bob")
    users.set_disabled(settings=db_settings, username="bob", disabled=True)
    creds = users.authenticator_credentials(settings=db_settings, client=CLIENT)["usernames"]
    assert creds["ada"]["password"] == stored_hash(db_settings, "ada")
    assert creds["ada"]["roles"] == ["admin"]
    assert creds["bob"]["password"] == UNUSABLE_PASSWORD_HASH
    assert not verify_password(PASSWORD, creds["bob"]["password"])
    users.set_disabled(settings=db_settings, username="bob", disabled=False)
    creds = users.authenticator_credentials(settings=db_settings, client=CLIENT)["usernames"]
    assert verify_password(PASSWORD, creds["bob"]["password"])


def test_change_password_checks_the_current_one(db_settings):
    ada = add(db_settings, "ada")
    with pytest.raises(ChalkError, match="current password is not right"):
        users.change_password(
            settings=db_settings, user_id=ada.id, new_password="new password", current_password="x"
        )
    with pytest.raises(ChalkError, match="at least 8"):
        users.change_password(settings=db_settings, user_id=ada.id, new_password="short")
    users.change_password(
        settings=db_settings, user_id=ada.id, new_password="new password", current_password=PASSWORD
    )
    assert verify_password("new password", stored_hash(db_settings, "ada"))


def test_profile_and_preferences(db_settings):
    ada = add(db_settings, "ada")
    add(db_settings, "bob", email="bob@example.org")
    updated = users.update_profile(
        settings=db_settings, user_id=ada.id, display_name="Ada L", email="ada@example.org"
    )
    assert (updated.display_name, updated.email) == ("Ada L", "ada@example.org")
    with pytest.raises(ChalkError, match="Another account uses this email"):
        users.update_profile(settings=db_settings, user_id=ada.id, email="bob@example.org")
    with pytest.raises(ChalkError, match="not an email address"):
        users.update_profile(settings=db_settings, user_id=ada.id, email="not-an-email")
    prefs = users.set_preferences(settings=db_settings, user_id=ada.id, quality="high")
    prefs = users.set_preferences(settings=db_settings, user_id=ada.id, aspect="9:16")
    assert prefs == {"quality": "high", "aspect": "9:16"}
    assert users.get_account(settings=db_settings, user_id=ada.id).preferences == prefs
    with pytest.raises(ChalkError, match="Unknown quality 'ultra'"):
        users.set_preferences(settings=db_settings, user_id=ada.id, quality="ultra")


def test_sign_in_is_recorded_as_an_event(db_settings):
    ada = add(db_settings, "ada")
    users.record_sign_in(settings=db_settings, user_id=ada.id, client=CLIENT)
    account = users.get_account(settings=db_settings, user_id=ada.id)
    assert account.last_login_at is not None
    with session_scope(db_settings) as session:
        kinds = [e.kind for e in session.query(UsageEvent).filter_by(user_id=ada.id)]
    assert kinds == ["sign_in"]


def test_sign_up_hashes_the_password_whether_or_not_the_email_is_taken(db_settings, monkeypatch):
    add(db_settings, "ada", email="ada@school.example")
    hashed: list[str] = []
    real_hash = users.hash_password
    monkeypatch.setattr(users, "hash_password", lambda p: hashed.append(p) or real_hash(p))
    sign_up = partial(
        users.register, settings=db_settings, password="a long passphrase", client=CLIENT
    )
    sign_up(username="new", email="new@school.example")
    with pytest.raises(ChalkError):
        sign_up(username="other", email="ada@school.example")
    assert len(hashed) == 2  # a refusal costs as long as an account

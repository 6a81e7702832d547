"""School sign-in: which providers secrets.toml configures, the claims Chalk reads, and each
rule of mapping an OpenID Connect identity to a Chalk account (app/accounts/sso.py).

The whole flow in a browser against a local OpenID provider is tests/e2e/test_sso_flow.py.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from app.accounts import sso, users
from app.db.engine import session_scope
from app.db.models import SsoIdentity
from app.errors import ChalkError
from app.settings import Settings

ISSUER = "https://accounts.example"
SHARED = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 40}
CLIENT = {"client_id": "id", "client_secret": "secret", "server_metadata_url": "https://x/.wk"}


def claims(sub: str = "1001", email: str | None = "ana.lima@school.org", **more: Any) -> dict:
    found: dict[str, Any] = {"iss": ISSUER, "sub": sub, "iat": int(time.time()), **more}
    if email is not None:
        found["email"] = email
    return found


def who(**kwargs: Any) -> sso.Identity:
    found = sso.identity(claims(**kwargs))
    assert found is not None
    return found


@pytest.fixture
def school(sqlite_settings: Settings) -> Settings:
    return sqlite_settings.model_copy(update={"sso_allowed_domains": ("school.org",)})


# --- the providers secrets.toml configures ------------------------------------------------


def test_no_provider_without_the_shared_keys_or_a_complete_client():
    assert sso.providers(None) == []
    assert sso.providers({**CLIENT}) == []  # no redirect_uri / cookie_secret
    # Chalk's own cookie settings in [auth] are not a provider.
    assert sso.providers({**SHARED, "cookie_key": "k" * 40, "cookie_name": "chalk"}) == []
    assert sso.providers({**SHARED, "google": {"client_id": "only-an-id"}}) == []


def test_one_provider_gets_one_plain_button():
    (default,) = sso.providers({**SHARED, **CLIENT})
    assert (default.label, default.login_name) == ("Sign in with your school account", None)
    (google,) = sso.providers({**SHARED, "google": CLIENT})
    assert (google.label, google.login_name) == ("Sign in with your school account", "google")


def test_named_providers_say_whose_account_each_button_is():
    found = sso.providers({**SHARED, "google": CLIENT, "microsoft": CLIENT, "okta-eu": CLIENT})
    assert [(p.login_name, p.label) for p in found] == [
        ("google", "Sign in with your school account (Google)"),
        ("microsoft", "Sign in with your school account (Microsoft)"),
        ("okta-eu", "Sign in with your school account (Okta Eu)"),
    ]


# --- the claims ---------------------------------------------------------------------------


def test_identity_reads_issuer_subject_email_and_when_it_was_issued():
    found = sso.identity(
        claims(email=" Ana.Lima@School.ORG ", email_verified="true", name=" Ana  Lima ", iat=5)
    )
    assert found == sso.Identity(
        issuer=ISSUER,
        subject="1001",
        email="ana.lima@school.org",
        email_verified=True,
        name="Ana Lima",
        issued_at=5.0,
    )
    assert sso.identity({"iss": ISSUER}) is None
    assert sso.identity({"sub": "1001"}) is None
    assert who(email="not-an-address").email is None


# --- the rules ----------------------------------------------------------------------------


def test_refusals_name_what_to_do():
    allowed = ("school.org", "students.school.org")
    assert sso.refusal(who(), allowed) is None
    assert sso.refusal(who(email="kid@students.school.org"), allowed) is None
    assert sso.refusal(who(email=None), allowed) == sso.NO_EMAIL
    wrong = sso.refusal(who(email="ana@gmail.com"), allowed)
    assert wrong == sso.WRONG_DOMAIN.format(domains="@school.org and @students.school.org")
    # A look-alike or a parent domain is another domain.
    assert sso.refusal(who(email="ana@evilschool.org"), allowed) == wrong
    assert sso.refusal(who(email="ana@org"), allowed) == wrong
    # Unverified only when the provider says so; silent providers (Entra) pass.
    assert sso.refusal(who(email_verified=False), allowed) == sso.NOT_VERIFIED
    assert sso.refusal(who(email_verified=True), allowed) is None


def test_a_sign_in_from_before_the_sessions_ended_no_longer_counts():
    ended_at = datetime(2026, 12, 4, 10, 0, 0, 700_000, tzinfo=UTC)
    second = int(ended_at.timestamp())
    assert not sso.ended(who(iat=second - 1), None)
    assert sso.ended(who(iat=second - 1), ended_at)
    assert not sso.ended(who(iat=second), ended_at)  # the same second still counts
    assert not sso.ended(who(iat=second + 60), ended_at)


@pytest.mark.parametrize(
    ("email", "username"),
    [
        ("Ana.Lima+chalk@school.org", "ana.lima"),
        ("o'brien@school.org", "obrien"),
        ("jo@school.org", "userjo"),
        ("_.@school.org", "user"),
        ("x" * 40 + "@school.org", "x" * 28),
    ],
)
def test_usernames_follow_chalks_rule(email: str, username: str):
    assert sso.username_from_email(email) == username


# --- accounts -----------------------------------------------------------------------------


def test_first_sign_in_makes_an_account_and_the_next_finds_it(school: Settings):
    first = sso.sign_in(settings=school, who=who(name="Ana Lima"))
    assert (first.username, first.display_name, first.email) == (
        "ana.lima",
        "Ana Lima",
        "ana.lima@school.org",
    )
    assert first.role == "admin"  # the first account of a new install, as with passwords
    assert not first.has_password
    # Keyed by issuer + subject: a new email at the provider is the same person.
    again = sso.sign_in(settings=school, who=who(email="ana.lima2@school.org"))
    assert again.id == first.id
    other = sso.sign_in(settings=school, who=who(sub="2002", email="bo@school.org"))
    assert other.id != first.id
    with session_scope(school) as session:
        assert session.query(SsoIdentity).count() == 2


def test_a_new_school_account_is_a_teacher_with_a_free_username(school: Settings):
    users.create_account(settings=school, username="ana.lima", password="correct horse")
    account = sso.sign_in(settings=school, who=who())
    assert (account.username, account.role) == ("ana.lima-2", "teacher")
    third = sso.sign_in(settings=school, who=who(sub="3", email="ana.lima+x@school.org"))
    assert third.username == "ana.lima-3"


def test_an_email_with_an_account_links_only_when_the_provider_vouches(school: Settings):
    owner = users.create_account(
        settings=school, username="ana", password="correct horse", email="ana.lima@school.org"
    )
    with pytest.raises(ChalkError) as refused:
        sso.sign_in(settings=school, who=who())  # no email_verified claim
    assert refused.value.message == sso.EMAIL_HAS_ACCOUNT
    with pytest.raises(ChalkError):
        sso.sign_in(settings=school, who=who(email_verified=False))
    linked = sso.sign_in(settings=school, who=who(email_verified=True))
    assert linked.id == owner.id
    assert linked.has_password  # the password still works beside the school account


def test_refused_domains_make_no_account(school: Settings):
    with pytest.raises(ChalkError) as refused:
        sso.sign_in(settings=school, who=who(email="ana@gmail.com"))
    assert "@school.org" in refused.value.message
    assert users.list_accounts(settings=school) == []
    # The rule holds at every sign-in: a domain taken off the list shuts its accounts out.
    sso.sign_in(settings=school, who=who())
    narrowed = school.model_copy(update={"sso_allowed_domains": ("other.org",)})
    with pytest.raises(ChalkError):
        sso.sign_in(settings=narrowed, who=who())


def test_roles_disabling_and_ended_sessions_apply_as_for_passwords(school: Settings):
    sso.sign_in(settings=school, who=who(sub="admin", email="head@school.org"))
    teacher = sso.sign_in(settings=school, who=who(iat=int(time.time()) - 5))
    users.set_role(settings=school, username=teacher.username, role="admin")
    assert sso.sign_in(settings=school, who=who(iat=int(time.time()) - 5)).role == "admin"
    # Disabling ends the sessions too: the account says disabled (the gate refuses it), and
    # after it is enabled again the old sign-in stays ended; a new one works.
    users.set_disabled(settings=school, username=teacher.username, disabled=True)
    users.set_disabled(settings=school, username=teacher.username, disabled=False)
    with pytest.raises(ChalkError) as refused:
        sso.sign_in(settings=school, who=who(iat=int(time.time()) - 5))
    assert refused.value.message == sso.SIGN_IN_ENDED
    assert sso.sign_in(settings=school, who=who(iat=int(time.time()) + 1)).id == teacher.id
    users.set_disabled(settings=school, username=teacher.username, disabled=True)
    assert sso.sign_in(settings=school, who=who(iat=int(time.time()) + 1)).disabled


def test_a_sign_in_is_recorded_once_not_at_every_new_tab(school: Settings):
    now = int(time.time())
    first = who(iat=now - 2)
    account = sso.sign_in(settings=school, who=first)
    assert sso.record_sign_in(settings=school, who=first)
    assert not sso.record_sign_in(settings=school, who=first)  # the same token, read again
    assert sso.record_sign_in(settings=school, who=who(iat=now + 5, email="ana.l@school.org"))
    with session_scope(school) as session:
        row = session.query(SsoIdentity).filter_by(user_id=account.id).one()
        assert row.email == "ana.l@school.org" and row.last_sign_in_at is not None

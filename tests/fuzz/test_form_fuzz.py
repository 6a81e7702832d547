"""Property-based fuzzing of the services behind the forms: titles, comments, searches and
filters, date ranges, sign-up fields, prompts.

Whatever arrives — NUL bytes, lone surrogates, LIKE wildcards, huge text, dates at either end
of the calendar or the wrong way round — a service answers with a result or a ChalkError
sentence (a lookup with "not found"), never another exception, and what it stored comes back
unchanged: the title read back, the comment, the account's name and email, and a search for
the title finds its video. The properties run on SQLite; PostgreSQL, which refuses NUL bytes
in text where SQLite keeps them, gets the awkward values once each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app import gallery
from app.accounts.users import create_account, find_account
from app.analytics import DateRange, download_name, jobs_per_day, load_snapshot
from app.errors import ChalkError
from app.events import get_feedback, record_feedback
from app.jobs import service
from app.settings import Settings
from tests.db_fixtures import throwaway_database
from tests.fuzz.strategies import AWKWARD, FUZZ, HUGE, TEXT, corpus, edited
from tests.helpers import make_account
from tests.jobs.recording import RecordingBackend
from tests.ui.conftest import seed_video

WILDCARDS = st.sampled_from(["%", "_", "\\", "%_\\%", "a\x00b", "\ud800"])
FIELD = st.one_of(TEXT, AWKWARD, HUGE, WILDCARDS)
"""What a form field may hold."""
DAYS = st.one_of(st.none(), st.dates(), st.sampled_from([date.min, date.max]))


def refused(error: ChalkError) -> None:
    assert error.kind in ("validation", "quota"), error.kind
    assert error.message.endswith("."), error.message


class Forms:
    """A database with one teacher and one video, and the checks each property makes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.owner = make_account(settings, "teacher").id
        self.video = seed_video(settings, title="Parabola")

    def title(self, title: str) -> None:
        try:
            stored = gallery.rename(
                settings=self.settings, video_id=self.video, owner_id=self.owner, title=title
            )
        except ChalkError as error:
            return refused(error)
        item = gallery.get_video(settings=self.settings, video_id=self.video, owner_id=self.owner)
        assert item.title == stored
        found = gallery.list_videos(
            settings=self.settings,
            owner_id=self.owner,
            filters=gallery.VideoFilters(text=stored),
        )
        assert self.video in [video.id for video in found.items], "a title must find itself"

    def search(self, filters: gallery.VideoFilters, page: int) -> None:
        result = gallery.list_videos(
            settings=self.settings, owner_id=self.owner, filters=filters, page=page
        )
        assert 1 <= result.page <= result.pages and len(result.items) <= result.total

    def lookups(self, key: str) -> None:
        assert gallery.find_shared(settings=self.settings, token=key) is None
        with pytest.raises(gallery.VideoNotFound):
            gallery.get_video(settings=self.settings, video_id=key, owner_id=self.owner)
        assert find_account(settings=self.settings, username=key) is None

    def comment(self, comment: str | None) -> None:
        try:
            view = record_feedback(
                settings=self.settings,
                video_id=self.video,
                user_id=self.owner,
                rating=1,
                comment=comment,
            )
        except ChalkError as error:
            return refused(error)
        again = get_feedback(settings=self.settings, video_id=self.video, user_id=self.owner)
        assert again is not None and again.comment == view.comment

    def account(self, username: str, password: str, email: str, name: str) -> None:
        try:
            account = create_account(
                settings=self.settings,
                username=username,
                password=password,
                email=email,
                display_name=name,
            )
        except ChalkError as error:
            return refused(error)
        found = find_account(settings=self.settings, username=username)
        assert found is not None
        assert (found.email, found.display_name) == (account.email, account.display_name)

    def prompt(self, prompt: str) -> None:
        try:
            job = service.submit(
                settings=self.settings,
                owner_id=self.owner,
                prompt=prompt,
                backend=RecordingBackend(),
            )
        except ChalkError as error:
            return refused(error)
        stored = service.status(settings=self.settings, job_id=job.job_id, owner_id=self.owner)
        assert stored.prompt == job.prompt

    def code(self, code: str) -> None:
        try:
            job = service.submit(
                settings=self.settings, owner_id=self.owner, code=code, backend=RecordingBackend()
            )
        except ChalkError as error:
            return refused(error)
        assert gallery.job_code(settings=self.settings, job_id=job.job_id, owner_id=None) == code


def open_forms(backend: str, directory: Path) -> Iterator[Forms]:
    # No submit quota: every example's prompt reaches the database.
    base = Settings(data_dir=directory / "data", quotas={"admin": {}, "teacher": {}})
    with throwaway_database(backend, base, directory, migrate=True) as settings:
        yield Forms(settings)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forms]:
    yield from open_forms("sqlite", tmp_path_factory.mktemp("forms"))


@FUZZ
@given(title=FIELD)
@example(title="x" * 100_000)
@example(title="\ud800 Parabola")  # not UTF-8: no database encodes it
@example(title="Para\x00bola")  # PostgreSQL refuses NUL
def test_a_title_is_stored_as_given_back_and_finds_its_video(forms: Forms, title: str) -> None:
    forms.title(title)


@FUZZ
@given(
    text=FIELD,
    choice=st.one_of(st.none(), FIELD),
    first=DAYS,
    last=DAYS,
    page=st.integers(-(2**70), 2**70),
)
@example(text="x" * 100_000, choice=None, first=None, last=None, page=1)  # LIKE too complex
@example(text="\ud800", choice=None, first=None, last=None, page=1)
@example(text="", choice=None, first=date.min, last=date.max, page=1)  # no day after date.max
@example(text="", choice="\ud800", first=None, last=None, page=0)  # a filter not UTF-8
def test_a_search_gives_a_page(
    forms: Forms, text: str, choice: str | None, first: date | None, last: date | None, page: int
) -> None:
    filters = gallery.VideoFilters(
        text=text,
        template=choice,
        subject=choice,
        visibility=choice,
        created_from=first,
        created_to=last,
    )
    forms.search(filters, page)


@FUZZ
@given(key=FIELD)
@example(key="\ud800")
def test_a_strange_id_or_share_token_finds_nothing(forms: Forms, key: str) -> None:
    forms.lookups(key)


@FUZZ
@given(comment=st.one_of(st.none(), FIELD))
@example(comment="\ud800 thanks")
def test_a_feedback_comment_is_stored_as_given_back(forms: Forms, comment: str | None) -> None:
    forms.comment(comment)


USERNAMES = st.one_of(st.from_regex(r"[a-z0-9][a-z0-9._-]{2,31}", fullmatch=True), FIELD)
PASSWORDS = st.one_of(st.text(min_size=8, max_size=40), FIELD)
EMAILS = st.one_of(st.emails(), st.builds("{}@{}".format, FIELD, FIELD), FIELD)


@FUZZ
@given(username=USERNAMES, password=PASSWORDS, email=EMAILS, name=FIELD)
@example(username="surrogate", password="\ud800" * 8, email="a@b.c", name="A")
@example(username="nulemail", password="long enough", email="a\ud800@b.c", name="\ud800")
def test_sign_up_fields_make_an_account_or_a_sentence(
    forms: Forms, username: str, password: str, email: str, name: str
) -> None:
    forms.account(username, password, email, name)


@FUZZ
@given(prompt=FIELD)
@example(prompt="graph y = x^2\x00\ud800")
def test_a_prompt_is_queued_as_stored_or_refused(forms: Forms, prompt: str) -> None:
    forms.prompt(prompt)


@FUZZ
@given(code=st.one_of(FIELD, edited(corpus("scenes"))))
@example(code="from manim import *\n# \ud800\n")
@example(code="from manim import *\n\x00")
def test_pasted_code_is_queued_as_stored_or_refused(forms: Forms, code: str) -> None:
    forms.code(code)


@FUZZ
@given(first=DAYS, last=DAYS)
@example(first=date.min, last=date.max)  # no day after date.max
@example(first=date(2026, 3, 3), last=date(2026, 3, 1))  # picked the other way round
def test_an_analytics_date_range_is_a_range(first: date | None, last: date | None) -> None:
    rng = DateRange.from_dates(first, last)
    assert rng.start is None or rng.end is None or rng.start < rng.end
    assert download_name("jobs_per_day", "csv", first, last).endswith(".csv")


def test_the_widest_date_range_gives_figures(forms: Forms) -> None:
    rng = DateRange.from_dates(date.min, date.max)  # a DuckDB snapshot: once, not per example
    with load_snapshot(forms.settings, date_range=rng) as snapshot:
        assert jobs_per_day(snapshot).num_rows >= 0


AWKWARD_VALUES: list[Any] = ["a\x00b", "\ud800", "%_\\", "x" * 300]


def test_postgresql_takes_the_awkward_values_too(tmp_path: Path) -> None:
    """PostgreSQL refuses NUL bytes that SQLite keeps: each form on the real server."""
    for forms in open_forms("postgresql", tmp_path):
        for value in AWKWARD_VALUES:
            forms.title(value)
            forms.search(gallery.VideoFilters(text=value), 1)
            forms.lookups(value)
            forms.comment(value)
            forms.account(f"pg{len(value)}", f"password{value}", f"a{value}@b.c", value)
            forms.prompt(f"graph y = x^2 {value}")
            forms.code(f"from manim import *\n# {value}\n")

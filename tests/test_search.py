"""app.search on SQLite (FTS5) and PostgreSQL (tsvector): stemmed and misspelt queries find the
right videos and no others, a search stays in its scope, the index follows renames and deletes,
hostile text is only text, and word search goes through the full-text index (EXPLAIN).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, inspect, text

from app import gallery
from app.db.engine import get_engine, session_scope
from app.db.migrate import downgrade, upgrade
from app.db.models import Job, User, Video
from app.db.search_triggers import SQLITE_TRIGGERS, create_sqlite_triggers
from app.gallery import VideoFilters
from app.ops.backup import backup, restore
from app.search import (
    QUERY_MAX_WORDS,
    SearchScope,
    matching_videos,
    query_chunks,
    search_video_ids,
    trigram_schema,
)
from app.settings import Settings
from tests.db_fixtures import throwaway_database
from tests.ui.conftest import seed_video, teacher_id

LIBRARY = [
    # title, prompt, template
    ("Pythagorean theorem", "squares on the sides of a right angle", "pythagorean_theorem"),
    ("Simple pendulum", "a weight swinging on a string", "pendulum"),
    ("Derivative of x squared", "slope of the tangent to y = x^2", "derivative_tangent"),
    ("Area under a curve", "definite integral of sin x from 0 to pi", "integral_area"),
    ("Bubble sort", "put five numbers in order, two at a time", "sorting_algorithm"),
    ("Angles of triangles", "the angles add up to 180 degrees", "triangle_angle_sum"),
    ("Coin flips", "heads or tails, a hundred times", "probability_coin_flips"),
]

SEARCHES = [
    # query, the titles it must find (and nothing else)
    ("pythagoras", {"Pythagorean theorem"}),
    ("Pythagorean", {"Pythagorean theorem"}),
    ("pendulums", {"Simple pendulum"}),
    ("pendulm", {"Simple pendulum"}),
    ("derivitive", {"Derivative of x squared"}),
    ("derivatives", {"Derivative of x squared"}),
    ("intergral", {"Area under a curve"}),
    ("integrals", {"Area under a curve"}),
    ("sorting", {"Bubble sort"}),
    ("sort", {"Bubble sort"}),
    ("sorted", {"Bubble sort"}),
    ("triangles", {"Angles of triangles"}),
    ("triangle", {"Angles of triangles"}),
    ("angle", {"Angles of triangles", "Pythagorean theorem"}),
    ("probabilty", {"Coin flips"}),  # the template's title
    ("physics", {"Simple pendulum"}),  # the template's subject
    ("tangent slope", {"Derivative of x squared"}),
    ("the pendulum", {"Simple pendulum"}),
    ("pyth", {"Pythagorean theorem"}),  # the last word is a prefix, as teachers type
    ("simple pendu", {"Simple pendulum"}),
    ("deriva", {"Derivative of x squared"}),
    ("pendulum integral", set()),
    ("xylophone", set()),
    ("zzzz", set()),
]


def titles_found(settings: Settings, query: str, owner_id: int | None = None) -> list[str]:
    page = gallery.list_videos(
        settings=settings,
        owner_id=teacher_id(settings) if owner_id is None else owner_id,
        filters=VideoFilters(text=query),
        per_page=50,
    )
    assert page.total == len(page.items)
    return [item.title for item in page.items]


@pytest.fixture
def library(db_settings: Settings) -> Settings:
    for title, prompt, template in LIBRARY:
        seed_video(db_settings, title=title, prompt=prompt, template=template)
    seed_video(
        db_settings,
        title="Pythagoras by paper folding",
        prompt="zeppelin shaped triangles",
        template="pythagorean_theorem",
        owner="colleague",
    )
    seed_video(
        db_settings,
        title="Pendulum clocks",
        prompt="a clock that keeps time",
        template="pendulum",
        owner="colleague",
        visibility="public",
        share_token="tok-public",
    )
    return db_settings


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_stemmed_and_misspelt_queries_find_the_right_videos(
    library: Settings, query: str, expected: set[str]
) -> None:
    found = titles_found(library, query)
    assert set(found) == expected
    assert len(found) == len(expected)


def test_the_best_match_comes_first(library: Settings) -> None:
    # "angle" is in one title and another's prompt: the title weighs more.
    assert titles_found(library, "angle") == ["Angles of triangles", "Pythagorean theorem"]


def test_a_near_spelling_is_reported_and_an_exact_word_is_not(library: Settings) -> None:
    owner = teacher_id(library)
    near = gallery.list_videos(
        settings=library, owner_id=owner, filters=VideoFilters(text="pythagoras")
    )
    exact = gallery.list_videos(
        settings=library, owner_id=owner, filters=VideoFilters(text="pythagorean")
    )
    assert near.near_spellings and not exact.near_spellings


def test_another_teachers_private_videos_are_never_found(library: Settings) -> None:
    owner = teacher_id(library)
    assert titles_found(library, "pythagoras") == ["Pythagorean theorem"]
    assert titles_found(library, "clocks") == []
    # A word only in the colleague's private video is not offered as a near spelling either.
    with session_scope(library) as session:
        matches = matching_videos(session, query="zepelin", scope=SearchScope(owner_id=owner))
        assert matches.plan.near == {}
        assert session.execute(matches.query).all() == []


def test_a_scope_of_shared_or_of_all_videos_finds_other_owners_ones(library: Settings) -> None:
    shared = SearchScope(visibilities=("link", "public"))
    with session_scope(library) as session:
        ids = search_video_ids(session, query="pendulums", scope=shared)
        titles = [session.get(Video, video_id).title for video_id in ids]
        assert titles == ["Pendulum clocks"]
        everyone = search_video_ids(session, query="zeppelin", scope=SearchScope())
        assert [session.get(Video, video_id).title for video_id in everyone] == [
            "Pythagoras by paper folding"
        ]


def test_the_index_follows_a_rename(library: Settings) -> None:
    owner = teacher_id(library)
    video = gallery.list_videos(
        settings=library, owner_id=owner, filters=VideoFilters(text="coin")
    ).items[0]
    gallery.rename(settings=library, video_id=video.id, owner_id=owner, title="Heads and tails")
    assert titles_found(library, "flips") == ["Heads and tails"]  # still the template's words
    assert titles_found(library, "coin") == ["Heads and tails"]
    assert titles_found(library, "heads") == ["Heads and tails"]
    gallery.rename(settings=library, video_id=video.id, owner_id=owner, title="Zebra crossing")
    assert titles_found(library, "zebra") == ["Zebra crossing"]
    assert titles_found(library, "heads") == ["Zebra crossing"]  # the prompt says heads
    assert titles_found(library, "crossing zebras") == ["Zebra crossing"]
    assert_index_consistent(library)


def test_the_index_follows_deletes_of_videos_and_of_their_owners(library: Settings) -> None:
    with session_scope(library) as session:
        session.execute(delete(Video).where(Video.title == "Simple pendulum"))
    assert titles_found(library, "pendulum") == []
    with session_scope(library) as session:
        session.execute(delete(User).where(User.username == "colleague"))
        scope = SearchScope()
        assert search_video_ids(session, query="clocks", scope=scope) == []
        assert search_video_ids(session, query="pythagoras", scope=scope) != []
        documents = session.scalar(text("SELECT count(*) FROM search_documents"))
        assert documents == session.scalar(text("SELECT count(*) FROM videos")) == 6
    assert_index_consistent(library)


def test_the_index_follows_a_changed_prompt_and_template(library: Settings) -> None:
    with session_scope(library) as session:
        job = session.scalars(
            Job.__table__.select().where(Job.prompt.like("heads or tails%"))
        ).one()
        session.execute(
            Job.__table__.update()
            .where(Job.id == job)
            .values(prompt="a fair die", template="bar_chart")
        )
    assert titles_found(library, "die") == ["Coin flips"]
    assert titles_found(library, "tails") == []
    assert titles_found(library, "chart") == ["Coin flips"]
    assert titles_found(library, "probability") == []
    assert_index_consistent(library)


def test_sqlite_has_every_search_trigger_at_head(sqlite_settings: Settings) -> None:
    # A later migration that rebuilds videos or jobs on SQLite (batch mode) drops their
    # triggers; it must call create_sqlite_triggers after it, or this fails.
    with session_scope(sqlite_settings) as session:
        found = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert set(SQLITE_TRIGGERS) <= found
        create_sqlite_triggers(lambda statement: session.execute(text(statement)))
    seed_video(sqlite_settings, title="Simple pendulum", prompt="a weight", template="pendulum")
    assert titles_found(sqlite_settings, "pendulums") == ["Simple pendulum"]
    assert_index_consistent(sqlite_settings)


def test_a_restored_backup_is_searchable(library: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "chalk.tar.gz"
    backup(library, archive)
    backend = "sqlite" if library.database.startswith("sqlite") else "postgresql"
    fresh = library.model_copy(update={"data_dir": tmp_path / "restored"})
    with throwaway_database(backend, fresh, tmp_path / "target", migrate=False) as target:
        restore(target, archive)
        assert titles_found(target, "pythagoras") == ["Pythagorean theorem"]
        assert titles_found(target, "physics") == ["Simple pendulum"]
        assert_index_consistent(target)


def test_the_migration_indexes_the_videos_made_before_it(empty_db_settings: Settings) -> None:
    # Seeded through today's models, then taken down to 0006 (no search tables) with it.
    upgrade(empty_db_settings)
    seed_video(empty_db_settings, title="Simple pendulum", prompt="a weight", template="pendulum")
    downgrade(empty_db_settings, "0006")
    upgrade(empty_db_settings)
    assert titles_found(empty_db_settings, "pendulums") == ["Simple pendulum"]
    assert titles_found(empty_db_settings, "physics") == ["Simple pendulum"]
    downgrade(empty_db_settings, "0006")
    names = set(inspect(get_engine(empty_db_settings)).get_table_names())
    assert not {name for name in names if name.startswith("search_")}


def test_postgresql_with_pg_trgm_corrects_a_first_letter_too(pg_settings: Settings) -> None:
    seed_video(pg_settings, title="Simple pendulum", prompt="a weight", template="pendulum")
    with session_scope(pg_settings) as session:
        assert trigram_schema(session) is not None, "this machine's PostgreSQL ships pg_trgm"
        indexes = {ix["name"] for ix in inspect(session.connection()).get_indexes("search_words")}
        assert "search_words_trigrams" in indexes
    assert titles_found(pg_settings, "bendulum") == ["Simple pendulum"]


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "pyth*",
    "NEAR(pythagorean theorem, 2)",
    "pythagorean AND NOT theorem OR",
    "title:pendulum",
    "{title prompt}: pendulum",
    "^pendulum",
    "- pendulum",
    "pendulum:*",
    "pendulum & | ! <-> (",
    "'); DROP TABLE videos; --",
    '"; DELETE FROM search_documents; --',
    "\\",
    "\\'",
    "%_",
    "a\x00b",
    "\ud800 pendulum",
    "🙂 🧮",
    "x" * 10_000,
    "pendulum " * 2_000,
    "é" * 5_000,
    "\u202e\u200b\ufeff",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_only_text(library: Settings, query: str) -> None:
    page = gallery.list_videos(
        settings=library, owner_id=teacher_id(library), filters=VideoFilters(text=query)
    )
    assert page.total == len(page.items) <= len(LIBRARY)
    assert titles_found(library, "pendulums") == ["Simple pendulum"]
    assert_index_consistent(library)


def test_a_query_is_cut_to_a_few_words() -> None:
    chunks = query_chunks("word " * 1000 + "x" * 10_000)
    assert len(chunks) == QUERY_MAX_WORDS
    assert all(len(chunk) <= 40 for chunk, _prefix in chunks)
    assert query_chunks("simple pendu") == [("simple", False), ("pendu", True)]


def test_word_search_uses_the_full_text_index(library: Settings) -> None:
    # Every owner's videos: with one owner's, PostgreSQL may rightly start from that owner's
    # few videos (ix_videos_owner_created) and filter them with the tsquery.
    with session_scope(library) as session:
        statement = matching_videos(session, query="pythagoras theorem", scope=SearchScope()).query
        dialect = session.get_bind().dialect
        sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        assert "LIKE" not in sql.upper()
        if dialect.name == "sqlite":
            plan = " ".join(
                str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            )
            assert "search_fts VIRTUAL TABLE INDEX" in plan, plan
        else:
            # A few rows are cheaper to scan; forbid that to see the index the plan can use.
            session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(str(row[0]) for row in session.execute(text(f"EXPLAIN {sql}")))
            assert "search_documents_document" in plan, plan
        print(f"\n{dialect.name} plan: {plan}")


def assert_index_consistent(settings: Settings) -> None:
    """Every video has one document with its current title, and SQLite's FTS5 index agrees
    with its documents (FTS5's own integrity check)."""
    with session_scope(settings) as session:
        rows: list[Any] = list(
            session.execute(
                text(
                    "SELECT v.title, d.title FROM videos v"
                    " LEFT JOIN search_documents d ON d.video_id = v.id"
                )
            )
        )
        assert all(video_title == document_title for video_title, document_title in rows)
        assert session.scalar(text("SELECT count(*) FROM search_documents")) == len(rows)
        if session.get_bind().dialect.name == "sqlite":
            session.execute(
                text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            )

"""Search over videos as teachers type: stems, near-spellings and the last word as a prefix.

The index is the database's own full text (migration 0007): an FTS5 table with porter stems on
SQLite, a weighted english tsvector with a GIN index on PostgreSQL, over each video's title,
prompt and template words (title, subject, id). Triggers keep it in step with every write;
this module only copies the template catalogue into `search_templates` and answers queries.

A query is cut at whitespace into at most QUERY_MAX_WORDS parts. Each part is first searched
as typed, in the backend's own query syntax, so its tokenizer reads the part exactly as it read
the documents (stems: "pendulums" finds "pendulum"; the last part as a prefix, as teachers
type). A part that finds nothing in scope is a misspelling: the index's vocabulary terms near
it (pg_trgm's similar words on PostgreSQL where installed, else those sharing its first letter)
are ranked by rapidfuzz against it, and the best few that find
something in scope stand in for it ("pythagoras" → "pythagorean"). Parts are ANDed, stand-ins
ORed, into one full-text match: word search never scans with LIKE. A part with neither makes
the query find nothing; a query with no letters or digits at all ("%_") is matched literally.

`matching_videos` is the one search, for any scope: the gallery (one owner's videos), an
admin (every video) and the Library (colleagues' shared videos) pass a `SearchScope`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz
from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    String,
    and_,
    bindparam,
    cast,
    column,
    false,
    func,
    literal,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db.models import Job, Video
from app.generators.offline.catalogue import registry
from app.text import storable

QUERY_MAX_CHARS = 200
"""Longest query text used; the rest is ignored (no search needs more)."""
QUERY_MAX_WORDS = 8
"""Most words of a query that are searched for."""
WORD_MAX_CHARS = 40
"""Longest word searched for; longer ones are cut (no index term is that long)."""
NEAR_MIN_SCORE = 75.0
"""Least rapidfuzz ratio (0-100) for an index term to stand in for a misspelt word."""
NEAR_OF_BEST = 8.0
"""Near terms kept: those within this many points of the best one."""
NEAR_MAX = 3
"""Most near terms that stand in for one word."""
NEAR_MIN_CHARS = 4
"""Shorter words are never corrected (too many terms are one letter away)."""
VOCABULARY_SCAN_MAX = 5000
"""Most vocabulary terms compared with one misspelt word."""

# Weights of title, prompt and topic for SQLite's bm25 (PostgreSQL weighs A, C, B likewise).
_BM25_WEIGHTS = (10.0, 2.0, 5.0)
# Letters and digits, and private-use characters, as FTS5's unicode61 tokenizer takes them.
_WORD = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U0010fffd])+")
# PostgreSQL's english stop words (tsearch_data/english.stop): SQLite drops them from queries
# too, so "the pendulum" finds the same videos on both.
_STOP_WORD_TEXT = """i me my myself we our ours ourselves you your yours yourself yourselves
    he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will just
    don should now"""
_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_TEMPLATES = table("search_templates", column("id", String), column("words", String))


@dataclass(frozen=True)
class SearchScope:
    """Whose videos a search may find: one owner's (None: any owner's), of these
    visibilities (None: any). The gallery passes its owner; the Library passes the shared
    visibilities."""

    owner_id: int | None = None
    visibilities: tuple[str, ...] | None = None

    def clause(self) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        if self.owner_id is not None:
            conditions.append(Video.owner_id == self.owner_id)
        if self.visibilities is not None:
            conditions.append(Video.visibility.in_(self.visibilities))
        return and_(true(), *conditions)


@dataclass(frozen=True)
class SearchPlan:
    """What a query searches for: per part, the expressions (backend syntax) that may match
    it; a part with none makes the query find nothing."""

    groups: tuple[tuple[str, ...], ...] = ()
    near: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Words matched by near spellings, and the index terms that stood in for them."""


@dataclass(frozen=True)
class Matches:
    """A search's matches as a query of (video_id, rank) rows, higher rank first."""

    query: Select
    plan: SearchPlan

    @property
    def near_spellings(self) -> bool:
        """True when a word was matched by a near spelling."""
        return bool(self.plan.near)


def template_words() -> dict[str, str]:
    """Template id → the words its videos are also found by: title, subject and id words."""
    return {
        template.id: " ".join((template.title, template.subject, template.id.replace("_", " ")))
        for template in registry().values()
    }


def sync_templates(session: Session) -> None:
    """Copy the template catalogue into `search_templates` where it differs (their triggers
    re-index the videos of a template that changed). Before every search: one small read,
    and a database migrated again under a running process is never left without topics.
    """
    wanted = template_words()
    stored = {
        tid: words for tid, words in session.execute(select(_TEMPLATES.c.id, _TEMPLATES.c.words))
    }
    changed = [
        {"id": tid, "words": words} for tid, words in wanted.items() if stored.get(tid) != words
    ]
    if changed:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(_TEMPLATES).values(changed)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["id"], set_={"words": statement.excluded.words}
            )
        )
    gone = set(stored) - set(wanted)
    if gone:
        session.execute(_TEMPLATES.delete().where(_TEMPLATES.c.id.in_(gone)))
    session.flush()


class _Index:
    """The full-text index of one database backend, as a search plan needs it.

    An expression is one chunk of the query (or one index term) in the backend's query
    syntax; the backend's own tokenizer reads it, so a chunk matches its documents exactly as
    their own text was indexed.
    """

    def __init__(self, session: Session, scope: SearchScope) -> None:
        self.session = session
        self.scope = scope

    def exact(self, chunk: str, *, prefix: bool) -> str | None:
        """The expression for `chunk` as typed; None when it has nothing to search for."""
        raise NotImplementedError

    def stem(self, word: str) -> str:
        """The index term of a single word."""
        raise NotImplementedError

    def vocabulary(self, where: str, limit: int, **params: Any) -> list[str]:
        """Vocabulary terms meeting `where` (`{t}` stands for the term column)."""
        raise NotImplementedError

    def stands_in(self, term: str) -> str:
        """The expression for a vocabulary term that stands in for a misspelt word."""
        raise NotImplementedError

    def matches(self, expressions: Sequence[Sequence[str]]) -> Select:
        """(video_id, rank) of the videos in scope matching every group (any expression)."""
        raise NotImplementedError

    def finds(self, expression: str) -> bool:
        """True when `expression` matches a video in scope (one index lookup)."""
        found = self.matches([[expression]]).limit(1)
        return self.session.execute(found).first() is not None

    def candidates(self, word: str, stem: str) -> list[str]:
        """Vocabulary terms that may be near `word`: those of about its length that share its
        first letter (a range of the vocabulary's index)."""
        return self.vocabulary(
            "{t} >= :low AND {t} < :high AND length({t}) BETWEEN :shortest AND :longest",
            VOCABULARY_SCAN_MAX,
            shortest=max(1, len(stem) - 4),
            longest=len(word) + 3,
            **_prefix_range(stem[0]),
        )

    def near(self, word: str) -> tuple[str, ...]:
        """The vocabulary terms nearest to a misspelt word that find videos in scope."""
        stem = self.stem(word)
        terms = self.candidates(word, stem)
        scored = sorted(
            (
                (max(fuzz.ratio(stem, term), fuzz.ratio(word, term)), term)
                for term in terms
                if _WORD.fullmatch(term)
            ),
            reverse=True,
        )
        kept: list[str] = []
        best = 0.0
        for score, term in scored[: NEAR_MAX * 4]:
            if score < max(NEAR_MIN_SCORE, best - NEAR_OF_BEST) or len(kept) == NEAR_MAX:
                break
            # Only a term that finds something in scope stands in: the vocabulary is every
            # owner's, and a search must not hint at words in anyone else's videos.
            if self.finds(self.stands_in(term)):
                kept.append(term)
                best = best or score
        return tuple(kept)


class _SQLiteIndex(_Index):
    _porter = snowballstemmer.stemmer("porter")

    def exact(self, chunk: str, *, prefix: bool) -> str | None:
        words = _WORD.findall(chunk.lower())
        if not words or all(word in _STOP_WORDS for word in words):
            return None
        # A quoted FTS5 string is a phrase of the tokens the porter tokenizer makes of it.
        return '"' + chunk.replace('"', '""') + '"' + ("*" if prefix else "")

    def stem(self, word: str) -> str:
        # unicode61 remove_diacritics folds "théorème" to "theoreme" before porter stems it.
        bare = "".join(
            ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch)
        )
        return str(self._porter.stemWord(bare))

    def vocabulary(self, where: str, limit: int, **params: Any) -> list[str]:
        statement = f"SELECT term FROM search_vocab WHERE {where.format(t='term')} LIMIT {limit:d}"
        return list(self.session.execute(text(statement), params).scalars())

    def stands_in(self, term: str) -> str:
        # An index term is a stem already, and FTS5 would stem it again ("agre" → "agr"); as
        # a prefix it matches the term whatever that does.
        return f'"{term}"*'

    def matches(self, expressions: Sequence[Sequence[str]]) -> Select:
        expression = " AND ".join("(" + " OR ".join(group) + ")" for group in expressions)
        weights = ", ".join(str(weight) for weight in _BM25_WEIGHTS)
        hits = (
            text(
                # Unary + keeps SQLite from looking documents up by video id, so the plan
                # starts from the full-text matches rather than from every video in scope.
                "SELECT +search_documents.video_id AS video_id,"
                f" -bm25(search_fts, {weights}) AS rank"
                " FROM search_fts JOIN search_documents"
                " ON search_documents.id = search_fts.rowid"
                " WHERE search_fts MATCH :expression"
            )
            .bindparams(expression=expression)
            .columns(column("video_id", String), column("rank", Float))
            .subquery("hits")
        )
        return (
            select(hits.c.video_id, hits.c.rank)
            .join(Video, Video.id == hits.c.video_id)
            .where(self.scope.clause())
        )


class _PostgresIndex(_Index):
    def lexemes(self, chunk: str) -> list[str]:
        """The lexemes the english configuration makes of `chunk`, in the order typed."""
        rows = self.session.execute(
            text(
                "SELECT lexeme FROM unnest(to_tsvector('english', :chunk))"
                " ORDER BY positions[1], lexeme"
            ),
            {"chunk": chunk},
        )
        return list(rows.scalars())

    def exact(self, chunk: str, *, prefix: bool) -> str | None:
        lexemes = self.lexemes(chunk)  # none for stop words ("the") and punctuation
        if not lexemes:
            return None
        quoted = [_tsquery_lexeme(lexeme) for lexeme in lexemes]
        if prefix:
            quoted[-1] += ":*"
        return " & ".join(quoted)

    def stem(self, word: str) -> str:
        lexemes = self.lexemes(word)
        return lexemes[0] if lexemes else word

    def vocabulary(self, where: str, limit: int, **params: Any) -> list[str]:
        statement = f"SELECT word FROM search_words WHERE {where.format(t='word')} LIMIT {limit:d}"
        return list(self.session.execute(text(statement), params).scalars())

    def candidates(self, word: str, stem: str) -> list[str]:
        schema = trigram_schema(self.session)
        if schema is None:
            return super().candidates(word, stem)
        # pg_trgm's % (similarity over its threshold, 0.3 by default) through the words'
        # trigram index: a misspelt first letter is found too.
        similar = f'OPERATOR("{schema}".%)'
        statement = (
            f"SELECT word FROM search_words WHERE word {similar} :stem"
            f' ORDER BY "{schema}".similarity(word, :stem) DESC LIMIT {VOCABULARY_SCAN_MAX:d}'
        )
        return list(self.session.execute(text(statement), {"stem": stem}).scalars())

    def stands_in(self, term: str) -> str:
        return _tsquery_lexeme(term)  # tsquery lexemes are taken as they are, never re-stemmed

    def matches(self, expressions: Sequence[Sequence[str]]) -> Select:
        source = " & ".join(
            "(" + " | ".join(f"({e})" for e in group) + ")" for group in expressions
        )
        documents = table("search_documents", column("video_id", String), column("document"))
        tsquery = cast(bindparam("tsquery", source, type_=String), TSQUERY)
        hits = (
            select(
                documents.c.video_id,
                # Normalised by document length (1 + log), as bm25 is on SQLite.
                func.ts_rank(documents.c.document, tsquery, 1).label("rank"),
            )
            .where(documents.c.document.op("@@")(tsquery))
            # OFFSET 0 keeps the planner from folding this into the join, so the plan starts
            # from the full-text matches (GIN) rather than from every video in scope.
            .offset(0)
            .subquery("hits")
        )
        return (
            select(hits.c.video_id, hits.c.rank)
            .join(Video, Video.id == hits.c.video_id)
            .where(self.scope.clause())
        )


_trigram_lock = threading.Lock()
_trigram_schemas: dict[str, str | None] = {}


def trigram_schema(session: Session) -> str | None:
    """The schema of PostgreSQL's pg_trgm extension, None when it is not installed (migration
    0007 installs it where it may); looked up once per database per process."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _trigram_lock:
        if url in _trigram_schemas:
            return _trigram_schemas[url]
    schema = session.scalar(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    )
    if schema is not None and '"' in schema:
        schema = None  # not a name to quote into SQL; the first-letter range serves
    with _trigram_lock:
        _trigram_schemas[url] = schema
    return schema


def _tsquery_lexeme(lexeme: str) -> str:
    """A lexeme quoted for tsquery input: quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _prefix_range(prefix: str) -> dict[str, str]:
    """Bounds of the terms that begin with `prefix` (code point order, as the indexes keep)."""
    return {"low": prefix, "high": prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))}


def _index(session: Session, scope: SearchScope) -> _Index:
    if session.get_bind().dialect.name == "postgresql":
        return _PostgresIndex(session, scope)
    return _SQLiteIndex(session, scope)


def query_chunks(query: str) -> list[tuple[str, bool]]:
    """The parts of a query searched for, each with whether it is matched as a prefix: at
    most QUERY_MAX_WORDS of its whitespace-separated parts, the last (as teachers type) and
    any cut at WORD_MAX_CHARS as prefixes."""
    parts = storable(query)[:QUERY_MAX_CHARS].split()[:QUERY_MAX_WORDS]
    return [
        (part[:WORD_MAX_CHARS], position == len(parts) - 1 or len(part) > WORD_MAX_CHARS)
        for position, part in enumerate(parts)
    ]


def plan_search(session: Session, query: str, scope: SearchScope) -> SearchPlan:
    """For each part of `query`, the expressions that may match it in `scope`."""
    index = _index(session, scope)
    groups: list[tuple[str, ...]] = []
    near: dict[str, tuple[str, ...]] = {}
    for chunk, prefix in query_chunks(query):
        expression = index.exact(chunk, prefix=prefix)
        if expression is None:
            continue
        if index.finds(expression):
            groups.append((expression,))
            continue
        words = _WORD.findall(chunk.lower())
        terms: tuple[str, ...] = ()
        if len(words) == 1 and len(words[0]) >= NEAR_MIN_CHARS:
            terms = index.near(words[0])
        if terms:
            near[words[0]] = terms
        groups.append(tuple(index.stands_in(term) for term in terms))
    return SearchPlan(groups=tuple(groups), near=near)


def matching_videos(session: Session, *, query: str, scope: SearchScope) -> Matches:
    """The videos in `scope` that match `query`, as (video_id, rank) rows.

    A query with words is a full-text match (nothing when a word has no match, even a near
    one); a query with no word the index keeps (symbols like "%_" or "+", or stop words only,
    like "A") matches titles and prompts literally; an empty query matches nothing (callers
    list videos without searching).
    """
    sync_templates(session)
    plan = plan_search(session, query, scope)
    if plan.groups:
        if all(plan.groups):
            return Matches(query=_index(session, scope).matches(plan.groups), plan=plan)
        return Matches(query=_nothing(), plan=plan)
    literal_text = " ".join(storable(query).split())[:QUERY_MAX_CHARS]
    if not literal_text:
        return Matches(query=_nothing(), plan=plan)
    # No word the index keeps: symbols ("%_"), or stop words only (a video titled "A").
    return Matches(query=_literally(literal_text, scope), plan=plan)


def _nothing() -> Select:
    return select(Video.id.label("video_id"), literal(0.0).label("rank")).where(false())


def _literally(query: str, scope: SearchScope) -> Select:
    """Videos whose title or prompt holds `query` as typed (LIKE wildcards taken literally).

    Only for queries without a word the index keeps, which no full-text search can find."""
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        select(Video.id.label("video_id"), literal(0.0).label("rank"))
        .join(Job, Job.id == Video.job_id)
        .where(
            scope.clause(),
            or_(Video.title.ilike(pattern, escape="\\"), Job.prompt.ilike(pattern, escape="\\")),
        )
    )


def search_video_ids(
    session: Session, *, query: str, scope: SearchScope, limit: int = 20
) -> Sequence[str]:
    """The ids of the best `limit` matches, best first (newest first among equals)."""
    hits = matching_videos(session, query=query, scope=scope).query.subquery()
    rows = session.execute(
        select(hits.c.video_id)
        .join(Video, Video.id == hits.c.video_id)
        .order_by(hits.c.rank.desc(), Video.created_at.desc(), Video.id)
        .limit(limit)
    )
    return list(rows.scalars())

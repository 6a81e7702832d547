"""Full-text search over videos: each video's title, prompt and template words (title, subject,
id) in one document, kept in step by triggers so every writer (workers, the gallery, account
deletion, a restore) keeps the index right without knowing it exists.

- `search_templates`: template id → its words, copied from the offline catalogue by
  app/search.py (the catalogue lives in code, and triggers cannot read it).
- `search_documents`: one row per video (title, prompt, topic), written by triggers on
  videos, jobs and search_templates.
- SQLite: `search_fts`, an FTS5 index over search_documents (porter stems), and
  `search_vocab`, its vocabulary (fts5vocab) for correcting near-spellings.
- PostgreSQL: a generated, weighted english tsvector on search_documents with a GIN index,
  and `search_words`, every lexeme ever indexed, for correcting near-spellings (with a
  pg_trgm index where the extension can be installed).

Every table and trigger is named `search_…` (app.db.models.is_search_internal): autogenerate
leaves them alone. A later migration that rebuilds `videos` or `jobs` on SQLite (batch mode
with recreate) drops their triggers and must call app.db.search_triggers.create_sqlite_triggers
after it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

from app.db.search_triggers import (
    PROMPT_OF_JOB,
    TOPIC_OF_JOB,
    VIDEOS_OF_TEMPLATE,
    create_sqlite_triggers,
)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, prompt, topic,
        content='search_documents', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, row)",
    # search_documents → search_fts (the external-content pattern of the FTS5 manual).
    """CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, title, prompt, topic)
        VALUES (new.id, new.title, new.prompt, new.topic);
    END""",
    """CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, prompt, topic)
        VALUES ('delete', old.id, old.title, old.prompt, old.topic);
    END""",
    """CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, prompt, topic)
        VALUES ('delete', old.id, old.title, old.prompt, old.topic);
        INSERT INTO search_fts(rowid, title, prompt, topic)
        VALUES (new.id, new.title, new.prompt, new.topic);
    END""",
]


_PG_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, title), 'A')"
    " || setweight(to_tsvector('english'::regconfig, topic), 'B')"
    " || setweight(to_tsvector('english'::regconfig, prompt), 'C')"
)

_PG = [
    f"ALTER TABLE search_documents ADD COLUMN document tsvector"
    f" GENERATED ALWAYS AS ({_PG_DOCUMENT}) STORED",
    "CREATE INDEX search_documents_document ON search_documents USING gin (document)",
    # Words are added, never removed: a word of a deleted video only offers a correction that
    # finds nothing, and no counter row is fought over by concurrent writers.
    'CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY)',
    """CREATE FUNCTION search_document_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_words(word)
        SELECT unnest(tsvector_to_array(NEW.document)) ORDER BY 1
        ON CONFLICT (word) DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_documents_words AFTER INSERT OR UPDATE ON search_documents
        FOR EACH ROW EXECUTE FUNCTION search_document_words()""",
    f"""CREATE FUNCTION search_video_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_documents(video_id, title, prompt, topic)
        VALUES (NEW.id, coalesce(NEW.title, ''), {PROMPT_OF_JOB.format(job="NEW.job_id")},
                {TOPIC_OF_JOB.format(job="NEW.job_id")})
        ON CONFLICT (video_id) DO UPDATE SET title = EXCLUDED.title,
            prompt = EXCLUDED.prompt, topic = EXCLUDED.topic;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_videos_changed AFTER INSERT OR UPDATE OF title, job_id ON videos
        FOR EACH ROW EXECUTE FUNCTION search_video_changed()""",
    f"""CREATE FUNCTION search_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_documents SET prompt = coalesce(NEW.prompt, ''),
            topic = {TOPIC_OF_JOB.format(job="NEW.id")}
        WHERE video_id IN (SELECT id FROM videos WHERE job_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_jobs_changed AFTER UPDATE OF prompt, template ON jobs
        FOR EACH ROW EXECUTE FUNCTION search_job_changed()""",
    f"""CREATE FUNCTION search_template_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            UPDATE search_documents SET topic = ''
            WHERE video_id IN ({VIDEOS_OF_TEMPLATE.format(template="OLD.id")});
        ELSE
            UPDATE search_documents SET topic = NEW.words
            WHERE video_id IN ({VIDEOS_OF_TEMPLATE.format(template="NEW.id")});
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_templates_changed AFTER INSERT OR UPDATE OR DELETE
        ON search_templates FOR EACH ROW EXECUTE FUNCTION search_template_changed()""",
]


def _trigram_index() -> None:
    """A pg_trgm index on search_words, for near spellings with any first letter, where the
    extension can be had; without it app/search.py compares words of the same first letter.

    The extension goes to `public` (or stays where it is): a database-wide extension inside
    an app schema would be dropped, with every trigram index, when that schema is.
    """
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except DBAPIError:
        pass  # no privilege, not shipped, or another session installing it right now
    schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    )
    if schema is None or '"' in schema:
        return
    operators = f'"{schema}".gin_trgm_ops'
    op.execute(f"CREATE INDEX search_words_trigrams ON search_words USING gin (word {operators})")


_BACKFILL = """INSERT INTO search_documents(video_id, title, prompt, topic)
    SELECT v.id, coalesce(v.title, ''), coalesce(j.prompt, ''), ''
    FROM videos v JOIN jobs j ON j.id = v.job_id"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_templates",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("words", sa.Text(), nullable=False),
    )
    # SQLite's rows go by the triggers alone; PostgreSQL's also by the foreign key (a video
    # deleted with its owner in one statement), which SQLite may have switched off.
    video_id = (
        sa.Column(
            "video_id",
            sa.String(32),
            sa.ForeignKey("videos.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        )
        if postgres
        else sa.Column("video_id", sa.String(32), nullable=False, unique=True)
    )
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        video_id,
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
    )
    for statement in _PG if postgres else _SQLITE:
        op.execute(statement)
    if not postgres:
        create_sqlite_triggers(op.execute)
    if postgres:
        _trigram_index()
    op.execute(_BACKFILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS search_videos_changed ON videos")
        op.execute("DROP TRIGGER IF EXISTS search_jobs_changed ON jobs")
        op.drop_table("search_documents")
        op.drop_table("search_templates")
        op.execute("DROP TABLE search_words")
        for function in (
            "search_document_words",
            "search_video_changed",
            "search_job_changed",
            "search_template_changed",
        ):
            op.execute(f"DROP FUNCTION {function}()")
        return
    for trigger in ("videos_ai", "videos_au", "videos_ad", "jobs_au"):
        op.execute(f"DROP TRIGGER IF EXISTS search_{trigger}")
    op.execute("DROP TABLE search_vocab")
    op.execute("DROP TABLE search_fts")
    op.drop_table("search_documents")
    op.drop_table("search_templates")

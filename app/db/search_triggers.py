"""The SQLite triggers that keep the search index's documents in step with videos, jobs and
template words (migration 0007, app/search.py).

SQLite drops a table's triggers with the table, and Alembic's batch mode on SQLite rebuilds a
table (new table, copy, drop, rename) for changes ALTER TABLE cannot make. A later migration
that rebuilds `videos`, `jobs` or `search_templates` on SQLite runs `create_sqlite_triggers`
after it (PostgreSQL alters tables in place and keeps its triggers).
"""

from __future__ import annotations

from collections.abc import Callable

# The words a template adds to its videos' documents ('' when the template is not synced).
TOPIC_OF_JOB = (
    "coalesce((SELECT t.words FROM jobs j JOIN search_templates t ON t.id = j.template"
    " WHERE j.id = {job}), '')"
)
PROMPT_OF_JOB = "coalesce((SELECT j.prompt FROM jobs j WHERE j.id = {job}), '')"
VIDEOS_OF_TEMPLATE = (
    "SELECT v.id FROM videos v JOIN jobs j ON j.id = v.job_id WHERE j.template = {template}"
)


def sqlite_triggers() -> list[str]:
    """The triggers on videos, jobs and search_templates that write search_documents."""
    return [
        f"""CREATE TRIGGER search_videos_ai AFTER INSERT ON videos BEGIN
            INSERT INTO search_documents(video_id, title, prompt, topic)
            VALUES (new.id, coalesce(new.title, ''), {PROMPT_OF_JOB.format(job="new.job_id")},
                    {TOPIC_OF_JOB.format(job="new.job_id")});
        END""",
        f"""CREATE TRIGGER search_videos_au AFTER UPDATE OF title, job_id ON videos BEGIN
            UPDATE search_documents SET title = coalesce(new.title, ''),
                prompt = {PROMPT_OF_JOB.format(job="new.job_id")},
                topic = {TOPIC_OF_JOB.format(job="new.job_id")}
            WHERE video_id = new.id;
        END""",
        """CREATE TRIGGER search_videos_ad AFTER DELETE ON videos BEGIN
            DELETE FROM search_documents WHERE video_id = old.id;
        END""",
        f"""CREATE TRIGGER search_jobs_au AFTER UPDATE OF prompt, template ON jobs BEGIN
            UPDATE search_documents SET prompt = coalesce(new.prompt, ''),
                topic = {TOPIC_OF_JOB.format(job="new.id")}
            WHERE video_id IN (SELECT id FROM videos WHERE job_id = new.id);
        END""",
        f"""CREATE TRIGGER search_templates_ai AFTER INSERT ON search_templates BEGIN
            UPDATE search_documents SET topic = new.words
            WHERE video_id IN ({VIDEOS_OF_TEMPLATE.format(template="new.id")});
        END""",
        f"""CREATE TRIGGER search_templates_au AFTER UPDATE ON search_templates BEGIN
            UPDATE search_documents SET topic = new.words
            WHERE video_id IN ({VIDEOS_OF_TEMPLATE.format(template="new.id")});
        END""",
        f"""CREATE TRIGGER search_templates_ad AFTER DELETE ON search_templates BEGIN
            UPDATE search_documents SET topic = ''
            WHERE video_id IN ({VIDEOS_OF_TEMPLATE.format(template="old.id")});
        END""",
    ]


SQLITE_TRIGGERS = (
    "search_videos_ai",
    "search_videos_au",
    "search_videos_ad",
    "search_jobs_au",
    "search_templates_ai",
    "search_templates_au",
    "search_templates_ad",
)
"""Names of the triggers `sqlite_triggers` makes."""


def create_sqlite_triggers(execute: Callable[[str], object]) -> None:
    """(Re)create the triggers: `execute` is `op.execute` in a migration."""
    for name in SQLITE_TRIGGERS:
        execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in sqlite_triggers():
        execute(statement)

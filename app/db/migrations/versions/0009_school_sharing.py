"""School sharing: the "school" visibility (every signed-in user of this Chalk) and the video
a job remixes (`jobs.remixed_from`, for the Library's Remix and its credit).

SQLite cannot alter a CHECK constraint, so `videos` is rebuilt (batch mode). The search
triggers are dropped first and re-made after it, as 0007 made them. The rebuild's DROP TABLE,
with foreign keys on, runs the ON DELETE actions of the tables that refer to videos: it would
empty `video_views` and blank `usage_events.video_id`, so both are kept aside and put back.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.search_triggers import SQLITE_TRIGGERS, create_sqlite_triggers

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WIDE = ("private", "school", "link", "public")
_NARROW = ("private", "link", "public")
_CHECK = "ck_videos_visibility_valid"


def _allowed(values: tuple[str, ...]) -> str:
    return "visibility IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _set_check(values: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f(_CHECK), "videos", type_="check")
        op.create_check_constraint("visibility_valid", "videos", _allowed(values))
        return
    # Triggers on jobs and search_templates name `videos`; SQLite refuses the rebuild's
    # rename while they point at a missing table. All of them are made anew after it.
    for trigger in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("CREATE TEMP TABLE keep_video_views AS SELECT * FROM video_views")
    op.execute(
        "CREATE TEMP TABLE keep_event_videos AS"
        " SELECT id, video_id FROM usage_events WHERE video_id IS NOT NULL"
    )
    with op.batch_alter_table("videos", recreate="always") as batch:
        batch.drop_constraint(op.f(_CHECK), type_="check")
        batch.create_check_constraint("visibility_valid", _allowed(values))
    op.execute("DELETE FROM video_views")
    op.execute("INSERT INTO video_views SELECT * FROM keep_video_views")
    op.execute(
        "UPDATE usage_events SET video_id ="
        " (SELECT k.video_id FROM keep_event_videos k WHERE k.id = usage_events.id)"
        " WHERE id IN (SELECT id FROM keep_event_videos)"
    )
    op.execute("DROP TABLE keep_video_views")
    op.execute("DROP TABLE keep_event_videos")
    create_sqlite_triggers(op.execute)


def upgrade() -> None:
    _set_check(_WIDE)
    op.add_column("jobs", sa.Column("remixed_from", sa.String(length=32), nullable=True))


def downgrade() -> None:
    # Nobody outside the owner may see a school video any more: it becomes private.
    op.execute(
        "UPDATE videos SET visibility = 'private', share_token = NULL WHERE visibility = 'school'"
    )
    _set_check(_NARROW)
    # SQLite (3.35+) drops a plain column in place; a batch rebuild of jobs would cascade.
    op.execute("ALTER TABLE jobs DROP COLUMN remixed_from")

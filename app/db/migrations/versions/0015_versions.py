"""Versions: a gallery item's videos are its versions (refinements, edits, re-renders), with
one current version shown as its card and one version its share link shows.

`video_items` holds an item with more than one version (its id is the first video's id);
videos get `item_id` (NULL: an item of its own, as every video before this migration) and
`version`; jobs get the item they make a new version of and what changed. Plain columns are
added in place (no table rebuild, so the search triggers and ON DELETE actions are untouched).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "video_items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("current_video_id", sa.String(length=32), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_video_items_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_items")),
    )
    op.create_index(op.f("ix_video_items_owner_id"), "video_items", ["owner_id"], unique=False)
    op.add_column("videos", sa.Column("item_id", sa.String(length=32), nullable=True))
    op.add_column("videos", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_index(op.f("ix_videos_item_id"), "videos", ["item_id"], unique=False)
    op.add_column("jobs", sa.Column("item_id", sa.String(length=32), nullable=True))
    op.add_column("jobs", sa.Column("change_note", sa.Text(), nullable=True))


def downgrade() -> None:
    # Every version stays a video of its own (the gallery shows each as a card, as before).
    op.execute("ALTER TABLE jobs DROP COLUMN change_note")
    op.execute("ALTER TABLE jobs DROP COLUMN item_id")
    op.drop_index(op.f("ix_videos_item_id"), table_name="videos")
    op.execute("ALTER TABLE videos DROP COLUMN version")
    op.execute("ALTER TABLE videos DROP COLUMN item_id")
    op.drop_index(op.f("ix_video_items_owner_id"), table_name="video_items")
    op.drop_table("video_items")

"""Usage events (the analytics fact table) and feedback on videos.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENT_KINDS = (
    "'sign_in', 'generate_clicked', 'job_finished', 'video_watched', 'video_downloaded', "
    "'video_shared', 'video_deleted', 'template_picked', 'help_opened'"
)


def upgrade() -> None:
    op.create_table(
        "usage_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("video_id", sa.String(length=32), nullable=True),
        sa.Column("generator", sa.String(length=128), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=True),
        sa.Column("quality", sa.String(length=16), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=True),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.Column("render_s", sa.Float(), nullable=True),
        sa.Column("queue_wait_s", sa.Float(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=True),
        sa.Column("cache_hit", sa.Boolean(), nullable=True),
        sa.Column("prompt_tokens", sa.Integer(), nullable=True),
        sa.Column("completion_tokens", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"kind IN ({EVENT_KINDS})", name=op.f("ck_usage_events_kind_valid")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_usage_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_events")),
    )
    op.create_index("ix_usage_events_at", "usage_events", ["at"], unique=False)
    op.create_index("ix_usage_events_kind_at", "usage_events", ["kind", "at"], unique=False)
    op.create_index("ix_usage_events_user_at", "usage_events", ["user_id", "at"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.String(length=32), nullable=True),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=True),
        sa.Column("generator", sa.String(length=128), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating IN (0, 1)", name=op.f("ck_feedback_rating_valid")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_feedback_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            name=op.f("fk_feedback_video_id_videos"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("video_id", "user_id", name="uq_feedback_video_user"),
    )
    op.create_index("ix_feedback_created", "feedback", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_feedback_created", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_usage_events_user_at", table_name="usage_events")
    op.drop_index("ix_usage_events_kind_at", table_name="usage_events")
    op.drop_index("ix_usage_events_at", table_name="usage_events")
    op.drop_table("usage_events")

"""Lessons: an ordered list of scenes, each rendered as a job, joined into one video with a
chapter per scene.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lessons",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("quality", sa.String(length=16), nullable=False),
        sa.Column("aspect", sa.String(length=8), nullable=False),
        sa.Column("narration", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("video_id", sa.String(length=32), nullable=True),
        sa.Column("chapters", sa.JSON(), nullable=False),
        sa.Column("captions_key", sa.String(length=256), nullable=True),
        sa.Column("join_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'rendering', 'joining', 'succeeded', 'failed')",
            name=op.f("ck_lessons_state_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_lessons_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
            name=op.f("fk_lessons_video_id_videos"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lessons")),
    )
    op.create_index("ix_lessons_owner_created", "lessons", ["owner_id", "created_at"])
    op.create_table(
        "lesson_scenes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("generator", sa.String(length=16), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.CheckConstraint("kind IN ('prompt', 'code')", name=op.f("ck_lesson_scenes_kind_valid")),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_lesson_scenes_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_lesson_scenes_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_scenes")),
        sa.UniqueConstraint("lesson_id", "position", name="uq_lesson_scenes_lesson_position"),
    )
    op.create_index(op.f("ix_lesson_scenes_job_id"), "lesson_scenes", ["job_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lesson_scenes_job_id"), table_name="lesson_scenes")
    op.drop_table("lesson_scenes")
    op.drop_index("ix_lessons_owner_created", table_name="lessons")
    op.drop_table("lessons")

"""Narration: a job's narration settings (on/off, engine, voice, language, speed, burnt
captions) as JSON; NULL is a silent job.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("narration", sa.JSON(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of `jobs` would break the
    # search triggers that name it (0007).
    op.execute("ALTER TABLE jobs DROP COLUMN narration")

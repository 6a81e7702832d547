"""Fair dispatch: jobs accepted but waiting in the database for one of their owner's slots,
and a per-user override of how many jobs may be accepted and unfinished at once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite (3.35+) adds and drops a plain column in place; a batch rebuild of jobs or users
    # would cascade (ON DELETE actions, the search triggers).
    # Existing jobs were all put on the queue when accepted: none waits for a slot.
    op.add_column(
        "jobs",
        sa.Column("awaiting_slot", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_jobs_awaiting_slot", "jobs", ["awaiting_slot", "state", "created_at"], unique=False
    )
    op.add_column("users", sa.Column("queued_jobs_quota", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN queued_jobs_quota")
    op.drop_index("ix_jobs_awaiting_slot", table_name="jobs")
    op.execute("ALTER TABLE jobs DROP COLUMN awaiting_slot")

"""Repeats: a job whose render is identical to a version its item already has makes that
version current instead of adding the same video again; `jobs.repeat_of` names that version,
so the job still shows (and the CLI and API still return) its video.

A plain column added in place (no table rebuild, so the ON DELETE actions are untouched).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("repeat_of", sa.String(length=32), nullable=True))


def downgrade() -> None:
    # A repeating job shows no video again (its render was never stored as a video of its own).
    op.execute("ALTER TABLE jobs DROP COLUMN repeat_of")

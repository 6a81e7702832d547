"""School sign-in (OpenID Connect): the identities that sign in as a user, keyed by the
provider's issuer and subject, and when a user's sessions were last ended (a school sign-in
from before it no longer counts).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sso_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=256), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sso_identities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_identities")),
        sa.UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),
    )
    op.create_index(op.f("ix_sso_identities_user_id"), "sso_identities", ["user_id"], unique=False)
    # SQLite (3.35+) adds and drops a plain column in place; a batch rebuild of users would
    # run the ON DELETE actions of every table that refers to it.
    op.add_column(
        "users", sa.Column("sessions_ended_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN sessions_ended_at")
    op.drop_index(op.f("ix_sso_identities_user_id"), table_name="sso_identities")
    op.drop_table("sso_identities")

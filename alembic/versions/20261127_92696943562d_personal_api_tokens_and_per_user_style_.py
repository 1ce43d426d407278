"""personal API tokens and per-user style overrides

Revision ID: 92696943562d
Revises: c1380b1aeaa3
Create Date: 2026-11-27 20:02:27.333587
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.db


revision: str = "92696943562d"
down_revision: str | Sequence[str] | None = "c1380b1aeaa3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("settings_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", server.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", server.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_user_overrides_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_overrides")),
        sa.UniqueConstraint(
            "user_id", "settings_type", "object_id", name=op.f("uq_user_overrides_user_id")
        ),
    )
    with op.batch_alter_table("user_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_overrides_user_id"), ["user_id"], unique=False)

    # SQLite rebuilds the table for the constraint: it keeps AUTOINCREMENT (5e1f0a7c2b94), so
    # that a deleted user's id, which their tokens name, never passes to a later user.
    with op.batch_alter_table(
        "user", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("api_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_user_api_token_hash"), ["api_token_hash"])



def downgrade() -> None:
    with op.batch_alter_table(
        "user", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_api_token_hash"), type_="unique")
        batch_op.drop_column("api_token_hash")

    with op.batch_alter_table("user_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_overrides_user_id"))

    op.drop_table("user_overrides")

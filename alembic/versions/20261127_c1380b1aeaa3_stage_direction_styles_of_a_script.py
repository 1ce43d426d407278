"""stage direction styles of a script

Revision ID: c1380b1aeaa3
Revises: 1b8a2f38dcaa
Create Date: 2026-11-27 19:32:48.149034
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "c1380b1aeaa3"
down_revision: str | Sequence[str] | None = "1b8a2f38dcaa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stage_direction_styles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("script_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("bold", sa.Boolean(), nullable=False),
        sa.Column("italic", sa.Boolean(), nullable=False),
        sa.Column("underline", sa.Boolean(), nullable=False),
        sa.Column("text_format", sa.String(length=16), nullable=False),
        sa.Column("text_colour", sa.String(length=32), nullable=False),
        sa.Column("enable_background_colour", sa.Boolean(), nullable=False),
        sa.Column("background_colour", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["script.id"],
            name=op.f("fk_stage_direction_styles_script_id_script"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_direction_styles")),
    )
    with op.batch_alter_table("stage_direction_styles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stage_direction_styles_script_id"), ["script_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stage_direction_styles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_direction_styles_script_id"))

    op.drop_table("stage_direction_styles")

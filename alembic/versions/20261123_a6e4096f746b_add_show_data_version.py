"""add_show_data_version: a per-show change counter for ETags and the cached session list

Revision ID: a6e4096f746b
Revises: 723d4dbf6a9c
Create Date: 2026-11-23 22:50:01.676087
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a6e4096f746b'
down_revision: str | Sequence[str] | None = '723d4dbf6a9c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing shows start at 0: no server has handed out an ETag built from the counter yet.
    with op.batch_alter_table('shows', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('data_version', sa.Integer(), server_default=sa.text('0'), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('shows', schema=None) as batch_op:
        batch_op.drop_column('data_version')

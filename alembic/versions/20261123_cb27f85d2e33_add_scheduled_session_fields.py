"""add_scheduled_session_fields

Revision ID: cb27f85d2e33
Revises: 940dd1ab3d38
Create Date: 2026-11-23 22:14:28.714995
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.db


revision: str = 'cb27f85d2e33'
down_revision: str | Sequence[str] | None = '940dd1ab3d38'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('showsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheduled_date_time', server.db.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('showsession', schema=None) as batch_op:
        batch_op.drop_column('scheduled_date_time')


"""server_processes: which server process holds each WebSocket client

Revision ID: 1b8a2f38dcaa
Revises: 5e1f0a7c2b94
Create Date: 2026-11-27 18:29:49.779484
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.db


revision: str = '1b8a2f38dcaa'
down_revision: str | Sequence[str] | None = '5e1f0a7c2b94'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('server_processes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('started_at', server.db.UTCDateTime(), nullable=False),
    sa.Column('heartbeat_at', server.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server_processes'))
    )
    # Client rows left by the servers that ran before keep no process: no running server
    # holds them, so they count as gone (a session one led can be taken over by its user).
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('process_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_sessions_process_id'), ['process_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_process_id'))
        batch_op.drop_column('process_id')

    op.drop_table('server_processes')

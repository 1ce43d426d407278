"""a show's venue time zone (shows.time_zone) and cancelled sessions (showsession.cancelled_at,
showsession.cancel_reason)

Revision ID: a323b2ecb68a
Revises: 00f04a1a85a7
Create Date: 2026-11-27 20:22:41.636326
"""

from collections.abc import Sequence

import sqlalchemy as sa

import server.db
from alembic import op
from server.timezones import server_zone_name

revision: str = "a323b2ecb68a"
down_revision: str | Sequence[str] | None = "00f04a1a85a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shows", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "time_zone", sa.String(length=64), server_default=sa.text("'UTC'"), nullable=False
            )
        )
    # Shows that already exist were planned in the server's own zone.
    op.execute(sa.text("UPDATE shows SET time_zone = :zone").bindparams(zone=server_zone_name()))

    with op.batch_alter_table("showsession", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", server.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("showsession", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_at")

    with op.batch_alter_table("shows", schema=None) as batch_op:
        batch_op.drop_column("time_zone")

"""user_ids_never_reused: on SQLite a deleted user's id is never handed to a new user

A token names its user by id. SQLite, unlike PostgreSQL's sequences, gives a new row the lowest
unused rowid above the highest one left, so after the newest user is deleted the next user would
inherit that id, and with it the deleted user's unexpired tokens. AUTOINCREMENT stops that.

Revision ID: 5e1f0a7c2b94
Revises: a6e4096f746b
Create Date: 2026-11-23 23:15:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '5e1f0a7c2b94'
down_revision: str | Sequence[str] | None = 'a6e4096f746b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild_user_table(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's sequences never hand out an id twice
    with op.batch_alter_table(
        "user", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild_user_table(autoincrement=True)


def downgrade() -> None:
    _rebuild_user_table(autoincrement=False)

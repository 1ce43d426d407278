"""add_user_settings: one row of client preferences per user

Revision ID: 723d4dbf6a9c
Revises: a589fab67760
Create Date: 2026-11-23 22:25:11.981559
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '723d4dbf6a9c'
down_revision: str | Sequence[str] | None = 'a589fab67760'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('user_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enable_script_auto_save', sa.Boolean(), nullable=False),
    sa.Column('script_auto_save_interval', sa.Integer(), nullable=False),
    sa.Column('cue_position_right', sa.Boolean(), nullable=False),
    sa.Column('script_text_alignment', sa.Integer(), nullable=False),
    sa.Column('console_log_level', sa.String(length=16), nullable=False),
    sa.Column('character_mru_sort', sa.Boolean(), nullable=False),
    sa.Column('character_combined_dropdown', sa.Boolean(), nullable=False),
    sa.Column('preferred_ui', sa.String(length=16), nullable=True),
    sa.Column('table_page_sizes', sa.JSON(), nullable=True),
    sa.Column('default_sd_text_colour', sa.String(length=32), nullable=True),
    sa.Column('default_sd_background_colour', sa.String(length=32), nullable=True),
    sa.Column('show_current_cue_footer', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_settings_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_settings'))
    )


def downgrade() -> None:
    op.drop_table('user_settings')

"""initial schema

Revision ID: 940dd1ab3d38
Revises: 
Create Date: 2026-11-23 22:14:06.081573
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import server.db

revision: str = '940dd1ab3d38'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('revoked_tokens',
    sa.Column('jti', sa.String(length=64), nullable=False),
    sa.Column('expires_at', server.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_revoked_tokens'))
    )
    with op.batch_alter_table('revoked_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revoked_tokens_expires_at'), ['expires_at'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('shows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('created_at', server.db.UTCDateTime(), nullable=False),
    sa.Column('edited_at', server.db.UTCDateTime(), nullable=False),
    sa.Column('script_mode', sa.Integer(), nullable=False),
    sa.Column('current_session_id', sa.Integer(), nullable=True),
    sa.Column('first_act_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shows'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('password', sa.String(length=255), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('created_on', server.db.UTCDateTime(), nullable=False),
    sa.Column('last_login', server.db.UTCDateTime(), nullable=True),
    sa.Column('last_seen', server.db.UTCDateTime(), nullable=True),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('requires_password_change', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    op.create_table('script',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('current_revision', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_script_show_id_shows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script'))
    )
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_script_show_id'), ['show_id'], unique=False)

    op.create_table('session_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=255), nullable=False),
    sa.Column('colour', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_session_tags_show_id_shows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_tags'))
    )
    with op.batch_alter_table('session_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_tags_show_id'), ['show_id'], unique=False)

    op.create_table('sessions',
    sa.Column('internal_id', sa.String(length=64), nullable=False),
    sa.Column('remote_ip', sa.String(length=100), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('connected_at', server.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sessions_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('internal_id', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_user_roles_show_id_shows'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_roles_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_id', 'show_id', name=op.f('uq_user_roles_user_id'))
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_roles_show_id'), ['show_id'], unique=False)

    op.create_table('script_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('script_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('created_at', server.db.UTCDateTime(), nullable=False),
    sa.Column('edited_at', server.db.UTCDateTime(), nullable=False),
    sa.Column('previous_revision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['previous_revision_id'], ['script_revisions.id'], name=op.f('fk_script_revisions_previous_revision_id_script_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['script_id'], ['script.id'], name=op.f('fk_script_revisions_script_id_script'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script_revisions'))
    )
    with op.batch_alter_table('script_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_script_revisions_script_id'), ['script_id'], unique=False)

    op.create_table('showsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('show_id', sa.Integer(), nullable=False),
    sa.Column('script_revision_id', sa.Integer(), nullable=True),
    sa.Column('start_date_time', server.db.UTCDateTime(), nullable=True),
    sa.Column('end_date_time', server.db.UTCDateTime(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('client_internal_id', sa.String(length=64), nullable=True),
    sa.Column('last_client_internal_id', sa.String(length=64), nullable=True),
    sa.Column('latest_line_ref', sa.String(length=255), nullable=True),
    sa.Column('current_interval_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_internal_id'], ['sessions.internal_id'], name=op.f('fk_showsession_client_internal_id_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['script_revision_id'], ['script_revisions.id'], name=op.f('fk_showsession_script_revision_id_script_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['show_id'], ['shows.id'], name=op.f('fk_showsession_show_id_shows'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_showsession_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showsession'))
    )
    with op.batch_alter_table('showsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showsession_show_id'), ['show_id'], unique=False)

    op.create_table('session_tag_associations',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['showsession.id'], name=op.f('fk_session_tag_associations_session_id_showsession'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['session_tags.id'], name=op.f('fk_session_tag_associations_tag_id_session_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'tag_id', name=op.f('pk_session_tag_associations'))
    )
    with op.batch_alter_table('session_tag_associations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_tag_associations_tag_id'), ['tag_id'], unique=False)

    # shows <-> showsession and script <-> script_revisions refer to each other, so these two
    # foreign keys can only be added once both tables of each pair exist.
    with op.batch_alter_table('shows', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_shows_current_session_id_showsession'), 'showsession', ['current_session_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_script_current_revision_script_revisions'), 'script_revisions', ['current_revision'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('shows', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_shows_current_session_id_showsession'), type_='foreignkey')
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_script_current_revision_script_revisions'), type_='foreignkey')

    with op.batch_alter_table('session_tag_associations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_tag_associations_tag_id'))

    op.drop_table('session_tag_associations')
    with op.batch_alter_table('showsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showsession_show_id'))

    op.drop_table('showsession')
    with op.batch_alter_table('script_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_script_revisions_script_id'))

    op.drop_table('script_revisions')
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_roles_show_id'))

    op.drop_table('user_roles')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_user_id'))

    op.drop_table('sessions')
    with op.batch_alter_table('session_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_tags_show_id'))

    op.drop_table('session_tags')
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_script_show_id'))

    op.drop_table('script')
    op.drop_table('user')
    op.drop_table('shows')
    op.drop_table('settings')
    with op.batch_alter_table('revoked_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revoked_tokens_expires_at'))

    op.drop_table('revoked_tokens')

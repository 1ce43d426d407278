"""the show's structure, people and stage: acts, scenes, characters, character groups, cast,
crew, props and scenery, and shows.first_act_id as a key to its first act

Revision ID: 00f04a1a85a7
Revises: 92696943562d
Create Date: 2026-11-27 20:08:03.359338
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "00f04a1a85a7"
down_revision: str | Sequence[str] | None = "92696943562d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("interval_after", sa.Boolean(), nullable=False),
        sa.Column("first_scene_id", sa.Integer(), nullable=True),
        sa.Column("previous_act_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["previous_act_id"],
            ["act.id"],
            name=op.f("fk_act_previous_act_id_act"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_act_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act")),
    )
    with op.batch_alter_table("act", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_act_previous_act_id"), ["previous_act_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_act_show_id"), ["show_id"], unique=False)

    op.create_table(
        "cast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=255), nullable=True),
        sa.Column("last_name", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_cast_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cast")),
    )
    with op.batch_alter_table("cast", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cast_show_id"), ["show_id"], unique=False)

    op.create_table(
        "character_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_character_group_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_character_group")),
    )
    with op.batch_alter_table("character_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_character_group_show_id"), ["show_id"], unique=False)

    op.create_table(
        "crew",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=255), nullable=False),
        sa.Column("last_name", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_crew_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew")),
    )
    with op.batch_alter_table("crew", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crew_show_id"), ["show_id"], unique=False)

    op.create_table(
        "prop_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_prop_type_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prop_type")),
    )
    with op.batch_alter_table("prop_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prop_type_show_id"), ["show_id"], unique=False)

    op.create_table(
        "scenery_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_scenery_type_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenery_type")),
    )
    with op.batch_alter_table("scenery_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenery_type_show_id"), ["show_id"], unique=False)

    op.create_table(
        "character",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("played_by", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["played_by"],
            ["cast.id"],
            name=op.f("fk_character_played_by_cast"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_character_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_character")),
    )
    with op.batch_alter_table("character", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_character_played_by"), ["played_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_character_show_id"), ["show_id"], unique=False)

    op.create_table(
        "props",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("prop_type_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["prop_type_id"],
            ["prop_type.id"],
            name=op.f("fk_props_prop_type_id_prop_type"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_props_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_props")),
    )
    with op.batch_alter_table("props", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_props_prop_type_id"), ["prop_type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_props_show_id"), ["show_id"], unique=False)

    op.create_table(
        "scene",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("previous_scene_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["act_id"], ["act.id"], name=op.f("fk_scene_act_id_act"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["previous_scene_id"],
            ["scene.id"],
            name=op.f("fk_scene_previous_scene_id_scene"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_scene_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scene")),
    )
    with op.batch_alter_table("scene", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scene_act_id"), ["act_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_scene_previous_scene_id"), ["previous_scene_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scene_show_id"), ["show_id"], unique=False)

    # Acts and scenes refer to each other: the act's key to its first scene waits for the scene
    # table.
    with op.batch_alter_table("act", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_act_first_scene_id_scene"),
            "scene",
            ["first_scene_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "scenery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("scenery_type_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["scenery_type_id"],
            ["scenery_type.id"],
            name=op.f("fk_scenery_scenery_type_id_scenery_type"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_scenery_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenery")),
    )
    with op.batch_alter_table("scenery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenery_scenery_type_id"), ["scenery_type_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scenery_show_id"), ["show_id"], unique=False)

    op.create_table(
        "character_group_association",
        sa.Column("character_group_id", sa.Integer(), nullable=False),
        sa.Column("character_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["character_group_id"],
            ["character_group.id"],
            name=op.f("fk_character_group_association_character_group_id_character_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["character_id"],
            ["character.id"],
            name=op.f("fk_character_group_association_character_id_character"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "character_group_id", "character_id", name=op.f("pk_character_group_association")
        ),
    )
    with op.batch_alter_table("character_group_association", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_character_group_association_character_id"),
            ["character_id"],
            unique=False,
        )

    op.create_table(
        "crew_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crew_id", sa.Integer(), nullable=False),
        sa.Column("scene_id", sa.Integer(), nullable=False),
        sa.Column("assignment_type", sa.String(length=16), nullable=False),
        sa.Column("prop_id", sa.Integer(), nullable=True),
        sa.Column("scenery_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(prop_id IS NOT NULL AND scenery_id IS NULL)"
            " OR (prop_id IS NULL AND scenery_id IS NOT NULL)",
            name=op.f("ck_crew_assignment_exactly_one_item_type"),
        ),
        sa.ForeignKeyConstraint(
            ["crew_id"],
            ["crew.id"],
            name=op.f("fk_crew_assignment_crew_id_crew"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prop_id"],
            ["props.id"],
            name=op.f("fk_crew_assignment_prop_id_props"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scene_id"],
            ["scene.id"],
            name=op.f("fk_crew_assignment_scene_id_scene"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scenery_id"],
            ["scenery.id"],
            name=op.f("fk_crew_assignment_scenery_id_scenery"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew_assignment")),
        sa.UniqueConstraint(
            "crew_id", "scene_id", "assignment_type", "prop_id", name="uq_crew_prop_assignment"
        ),
        sa.UniqueConstraint(
            "crew_id",
            "scene_id",
            "assignment_type",
            "scenery_id",
            name="uq_crew_scenery_assignment",
        ),
    )
    with op.batch_alter_table("crew_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crew_assignment_crew_id"), ["crew_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_crew_assignment_prop_id"), ["prop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_crew_assignment_scene_id"), ["scene_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_crew_assignment_scenery_id"), ["scenery_id"], unique=False
        )

    op.create_table(
        "props_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("props_id", sa.Integer(), nullable=False),
        sa.Column("scene_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["props_id"],
            ["props.id"],
            name=op.f("fk_props_allocation_props_id_props"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scene_id"],
            ["scene.id"],
            name=op.f("fk_props_allocation_scene_id_scene"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_props_allocation")),
        sa.UniqueConstraint("props_id", "scene_id", name="uq_props_scene"),
    )
    with op.batch_alter_table("props_allocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_props_allocation_scene_id"), ["scene_id"], unique=False
        )

    op.create_table(
        "scenery_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenery_id", sa.Integer(), nullable=False),
        sa.Column("scene_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scene_id"],
            ["scene.id"],
            name=op.f("fk_scenery_allocation_scene_id_scene"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scenery_id"],
            ["scenery.id"],
            name=op.f("fk_scenery_allocation_scenery_id_scenery"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenery_allocation")),
        sa.UniqueConstraint("scenery_id", "scene_id", name="uq_scenery_scene"),
    )
    with op.batch_alter_table("scenery_allocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenery_allocation_scene_id"), ["scene_id"], unique=False
        )

    # No act existed before this revision, so any first act a show names is dangling.
    op.execute("UPDATE shows SET first_act_id = NULL")
    with op.batch_alter_table("shows", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_shows_first_act_id_act"),
            "act",
            ["first_act_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("shows", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_shows_first_act_id_act"), type_="foreignkey")

    with op.batch_alter_table("act", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_act_first_scene_id_scene"), type_="foreignkey")

    with op.batch_alter_table("scenery_allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenery_allocation_scene_id"))

    op.drop_table("scenery_allocation")
    with op.batch_alter_table("props_allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_props_allocation_scene_id"))

    op.drop_table("props_allocation")
    with op.batch_alter_table("crew_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crew_assignment_scenery_id"))
        batch_op.drop_index(batch_op.f("ix_crew_assignment_scene_id"))
        batch_op.drop_index(batch_op.f("ix_crew_assignment_prop_id"))
        batch_op.drop_index(batch_op.f("ix_crew_assignment_crew_id"))

    op.drop_table("crew_assignment")
    with op.batch_alter_table("character_group_association", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_character_group_association_character_id"))

    op.drop_table("character_group_association")
    with op.batch_alter_table("scenery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenery_show_id"))
        batch_op.drop_index(batch_op.f("ix_scenery_scenery_type_id"))

    op.drop_table("scenery")
    with op.batch_alter_table("scene", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scene_show_id"))
        batch_op.drop_index(batch_op.f("ix_scene_previous_scene_id"))
        batch_op.drop_index(batch_op.f("ix_scene_act_id"))

    op.drop_table("scene")
    with op.batch_alter_table("props", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_props_show_id"))
        batch_op.drop_index(batch_op.f("ix_props_prop_type_id"))

    op.drop_table("props")
    with op.batch_alter_table("character", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_character_show_id"))
        batch_op.drop_index(batch_op.f("ix_character_played_by"))

    op.drop_table("character")
    with op.batch_alter_table("scenery_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenery_type_show_id"))

    op.drop_table("scenery_type")
    with op.batch_alter_table("prop_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prop_type_show_id"))

    op.drop_table("prop_type")
    with op.batch_alter_table("crew", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crew_show_id"))

    op.drop_table("crew")
    with op.batch_alter_table("character_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_character_group_show_id"))

    op.drop_table("character_group")
    with op.batch_alter_table("cast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cast_show_id"))

    op.drop_table("cast")
    with op.batch_alter_table("act", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_show_id"))
        batch_op.drop_index(batch_op.f("ix_act_previous_act_id"))

    op.drop_table("act")

"""A show's structure and people: its acts and scenes in running order, its characters and
character groups, and the cast who play them.

Acts form a singly linked list (`previous_act_id`, headed by `shows.first_act_id`); each act's
scenes form another (`previous_scene_id`, headed by `act.first_scene_id`). Every row belongs to
one show and goes with it.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base


class Act(Base):
    __tablename__ = "act"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    interval_after: Mapped[bool] = mapped_column(Boolean, default=False)
    # Acts and scenes refer to each other, so this key is added after both tables exist.
    first_scene_id: Mapped[int | None] = mapped_column(
        ForeignKey("scene.id", ondelete="SET NULL", use_alter=True)
    )
    previous_act_id: Mapped[int | None] = mapped_column(
        ForeignKey("act.id", ondelete="SET NULL"), index=True
    )


class Scene(Base):
    __tablename__ = "scene"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    # Deleting an act deletes its scenes.
    act_id: Mapped[int] = mapped_column(ForeignKey("act.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    previous_scene_id: Mapped[int | None] = mapped_column(
        ForeignKey("scene.id", ondelete="SET NULL"), index=True
    )


class Cast(Base):
    __tablename__ = "cast"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))


character_group_association = Table(
    "character_group_association",
    Base.metadata,
    Column(
        "character_group_id",
        ForeignKey("character_group.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "character_id",
        ForeignKey("character.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Character(Base):
    __tablename__ = "character"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    # Deleting a cast member leaves the characters they played without an actor.
    played_by: Mapped[int | None] = mapped_column(
        ForeignKey("cast.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)

    character_groups: Mapped[list[CharacterGroup]] = relationship(
        secondary=character_group_association,
        back_populates="characters",
        passive_deletes=True,
    )


class CharacterGroup(Base):
    __tablename__ = "character_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)

    characters: Mapped[list[Character]] = relationship(
        secondary=character_group_association,
        back_populates="character_groups",
        passive_deletes=True,
        order_by="Character.id",
    )

"""What is on stage: crew and what they set or strike, props and scenery (each of a type), and
the scenes each prop or piece of scenery is on stage for.

Every row belongs to one show and goes with it; deleting a type deletes its items, and deleting
a crew member, an item or a scene deletes the allocations and assignments that name it.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class Crew(Base):
    __tablename__ = "crew"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))


class PropType(Base):
    __tablename__ = "prop_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)


class Props(Base):
    __tablename__ = "props"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    prop_type_id: Mapped[int] = mapped_column(
        ForeignKey("prop_type.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)


class SceneryType(Base):
    __tablename__ = "scenery_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)


class Scenery(Base):
    __tablename__ = "scenery"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    scenery_type_id: Mapped[int] = mapped_column(
        ForeignKey("scenery_type.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)


class PropsAllocation(Base):
    """A prop is on stage in a scene."""

    __tablename__ = "props_allocation"
    __table_args__ = (UniqueConstraint("props_id", "scene_id", name="uq_props_scene"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    props_id: Mapped[int] = mapped_column(ForeignKey("props.id", ondelete="CASCADE"))
    scene_id: Mapped[int] = mapped_column(ForeignKey("scene.id", ondelete="CASCADE"), index=True)


class SceneryAllocation(Base):
    """A piece of scenery is on stage in a scene."""

    __tablename__ = "scenery_allocation"
    __table_args__ = (UniqueConstraint("scenery_id", "scene_id", name="uq_scenery_scene"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenery_id: Mapped[int] = mapped_column(ForeignKey("scenery.id", ondelete="CASCADE"))
    scene_id: Mapped[int] = mapped_column(ForeignKey("scene.id", ondelete="CASCADE"), index=True)


class CrewAssignment(Base):
    """A crew member sets ("set") or strikes ("strike") one prop or one piece of scenery in a
    scene: the first scene of a run of scenes the item is on stage for, or the last."""

    __tablename__ = "crew_assignment"
    __table_args__ = (
        CheckConstraint(
            "(prop_id IS NOT NULL AND scenery_id IS NULL)"
            " OR (prop_id IS NULL AND scenery_id IS NOT NULL)",
            name="exactly_one_item_type",
        ),
        UniqueConstraint(
            "crew_id", "scene_id", "assignment_type", "prop_id", name="uq_crew_prop_assignment"
        ),
        UniqueConstraint(
            "crew_id",
            "scene_id",
            "assignment_type",
            "scenery_id",
            name="uq_crew_scenery_assignment",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    crew_id: Mapped[int] = mapped_column(ForeignKey("crew.id", ondelete="CASCADE"), index=True)
    scene_id: Mapped[int] = mapped_column(ForeignKey("scene.id", ondelete="CASCADE"), index=True)
    assignment_type: Mapped[str] = mapped_column(String(16))
    prop_id: Mapped[int | None] = mapped_column(
        ForeignKey("props.id", ondelete="CASCADE"), index=True
    )
    scenery_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenery.id", ondelete="CASCADE"), index=True
    )

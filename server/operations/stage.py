"""What is on stage: crew and their set/strike assignments, prop and scenery types, props and
scenery, and the scenes each item is allocated to.

Every object belongs to the loaded show; an id naming another show's object (or none) is not
found. Nothing changes while a session is live. Each change tells clients, with DigiScript's
notices, which list to fetch again.

An item's allocations make runs ("blocks") of consecutive scenes within an act: crew set the
item in a block's first scene and strike it in its last. An assignment must name such a
boundary, and one that no longer does after an allocation changes is deleted with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.changes import Notice, announce
from server.errors import Invalid, NotFound
from server.models import (
    Crew,
    CrewAssignment,
    Props,
    PropsAllocation,
    PropType,
    Scene,
    Scenery,
    SceneryAllocation,
    SceneryType,
    Show,
)
from server.operations.structure import found, refuse_while_live, running_order

CREW_NOT_FOUND = "404 crew member not found"
SCENE_NOT_FOUND = "404 scene not found"
ALLOCATION_NOT_FOUND = "404 allocation not found"
ASSIGNMENT_NOT_FOUND = "404 crew assignment not found"
PROP_NOT_FOUND = "404 prop not found"
SCENERY_NOT_FOUND = "404 scenery not found"
INVALID_BOUNDARY = "Scene is not a valid boundary for this assignment type"
ASSIGNMENT_EXISTS = "Crew assignment already exists"
ITEM_MISSING = "Either prop_id or scenery_id must be provided"
ITEM_BOTH = "Only one of prop_id or scenery_id can be provided"

# The notices DigiScript sends; crew changes are its one list whose OP is not NOOP.
CREW_CHANGED = Notice("GET_CREW_LIST", "GET_CREW_LIST")
ASSIGNMENTS_CHANGED = Notice("NOOP", "GET_CREW_ASSIGNMENTS")


def _of_the_show(db: Session, model: Any, show: Show) -> list[Any]:
    """All of the show's rows of `model`, oldest first."""
    return list(db.scalars(select(model).where(model.show_id == show.id).order_by(model.id)))


def _scene(db: Session, show: Show, scene_id: int) -> Scene:
    return found(db, Scene, show, scene_id, SCENE_NOT_FOUND)  # type: ignore[no-any-return]


def _count(db: Session, *where: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(CrewAssignment).where(*where)) or 0)


# -- crew ---------------------------------------------------------------------------------------


def list_crew(db: Session, show: Show) -> list[Crew]:
    return _of_the_show(db, Crew, show)


def create_crew(db: Session, show: Show, first_name: str, last_name: str) -> Crew:
    refuse_while_live(show)
    crew = Crew(show_id=show.id, first_name=first_name, last_name=last_name)
    db.add(crew)
    db.flush()
    announce(db, CREW_CHANGED)
    return crew


def update_crew(db: Session, show: Show, crew_id: int, first_name: str, last_name: str) -> None:
    refuse_while_live(show)
    crew = found(db, Crew, show, crew_id, CREW_NOT_FOUND)
    crew.first_name, crew.last_name = first_name, last_name
    db.flush()
    announce(db, CREW_CHANGED)


def delete_crew(db: Session, show: Show, crew_id: int) -> None:
    """Deletes the crew member and their assignments."""
    refuse_while_live(show)
    crew = found(db, Crew, show, crew_id, CREW_NOT_FOUND)
    had_assignments = _count(db, CrewAssignment.crew_id == crew.id) > 0
    db.delete(crew)
    db.flush()
    announce(db, CREW_CHANGED)
    if had_assignments:
        announce(db, ASSIGNMENTS_CHANGED)


# -- items and their types ----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """Props or scenery: their models, keys, messages and DigiScript's notices."""

    type_model: Any
    item_model: Any
    allocation_model: Any
    type_key: str  # the item's column naming its type
    allocation_key: str  # the allocation's column naming its item
    assignment_key: str  # the crew assignment's column naming the item
    type_not_found: str
    type_not_found_for_item: str
    item_not_found: str
    item_not_found_on_delete: str
    types_changed: Notice
    items_changed: Notice
    allocations_changed: Notice


PROPS = Kind(
    type_model=PropType,
    item_model=Props,
    allocation_model=PropsAllocation,
    type_key="prop_type_id",
    allocation_key="props_id",
    assignment_key="prop_id",
    type_not_found="404 prop type not found",
    type_not_found_for_item="Prop type not found",
    item_not_found=PROP_NOT_FOUND,
    item_not_found_on_delete="404 props not found",
    types_changed=Notice("NOOP", "GET_PROP_TYPES"),
    items_changed=Notice("NOOP", "GET_PROPS_LIST"),
    allocations_changed=Notice("NOOP", "GET_PROPS_ALLOCATIONS"),
)

SCENERY = Kind(
    type_model=SceneryType,
    item_model=Scenery,
    allocation_model=SceneryAllocation,
    type_key="scenery_type_id",
    allocation_key="scenery_id",
    assignment_key="scenery_id",
    type_not_found="404 scenery type not found",
    type_not_found_for_item="Scenery type not found",
    item_not_found=SCENERY_NOT_FOUND,
    item_not_found_on_delete=SCENERY_NOT_FOUND,
    types_changed=Notice("NOOP", "GET_SCENERY_TYPES"),
    items_changed=Notice("NOOP", "GET_SCENERY_LIST"),
    allocations_changed=Notice("NOOP", "GET_SCENERY_ALLOCATIONS"),
)


def list_types(db: Session, show: Show, kind: Kind) -> list[Any]:
    return _of_the_show(db, kind.type_model, show)


def create_type(db: Session, show: Show, kind: Kind, name: str, description: str | None) -> Any:
    refuse_while_live(show)
    item_type = kind.type_model(show_id=show.id, name=name, description=description)
    db.add(item_type)
    db.flush()
    announce(db, kind.types_changed)
    return item_type


def update_type(
    db: Session, show: Show, kind: Kind, type_id: int, name: str, description: str | None
) -> None:
    refuse_while_live(show)
    item_type = found(db, kind.type_model, show, type_id, kind.type_not_found)
    item_type.name, item_type.description = name, description
    db.flush()
    announce(db, kind.types_changed)


def delete_type(db: Session, show: Show, kind: Kind, type_id: int) -> None:
    """Deletes the type with its items, and their allocations and crew assignments."""
    refuse_while_live(show)
    item_type = found(db, kind.type_model, show, type_id, kind.type_not_found)
    items = select(kind.item_model.id).where(getattr(kind.item_model, kind.type_key) == type_id)
    _announce_dependants(db, kind, items)
    db.delete(item_type)
    db.flush()
    announce(db, kind.types_changed, kind.items_changed)


def _announce_dependants(db: Session, kind: Kind, item_ids: Any) -> None:
    """Tell clients about the allocations and assignments about to go with these items."""
    allocation_item = getattr(kind.allocation_model, kind.allocation_key)
    if db.scalar(select(func.count()).where(allocation_item.in_(item_ids))):
        announce(db, kind.allocations_changed)
    if _count(db, getattr(CrewAssignment, kind.assignment_key).in_(item_ids)):
        announce(db, ASSIGNMENTS_CHANGED)


def list_items(db: Session, show: Show, kind: Kind) -> list[Any]:
    return _of_the_show(db, kind.item_model, show)


def _item_type(db: Session, show: Show, kind: Kind, type_id: int) -> Any:
    return found(db, kind.type_model, show, type_id, kind.type_not_found_for_item)


def create_item(db: Session, show: Show, kind: Kind, fields: dict[str, Any]) -> Any:
    refuse_while_live(show)
    _item_type(db, show, kind, fields[kind.type_key])
    item = kind.item_model(show_id=show.id, **fields)
    db.add(item)
    db.flush()
    announce(db, kind.items_changed)
    return item


def update_item(db: Session, show: Show, kind: Kind, item_id: int, fields: dict[str, Any]) -> None:
    refuse_while_live(show)
    item = found(db, kind.item_model, show, item_id, kind.item_not_found)
    _item_type(db, show, kind, fields[kind.type_key])
    for name, value in fields.items():
        setattr(item, name, value)
    db.flush()
    announce(db, kind.items_changed)


def delete_item(db: Session, show: Show, kind: Kind, item_id: int) -> None:
    """Deletes the item with its allocations and crew assignments."""
    refuse_while_live(show)
    item = found(db, kind.item_model, show, item_id, kind.item_not_found_on_delete)
    _announce_dependants(db, kind, [item.id])
    db.delete(item)
    db.flush()
    announce(db, kind.items_changed)


# -- allocations --------------------------------------------------------------------------------


def list_allocations(db: Session, show: Show, kind: Kind) -> list[Any]:
    allocation, item = kind.allocation_model, kind.item_model
    return list(
        db.scalars(
            select(allocation)
            .join(item, getattr(allocation, kind.allocation_key) == item.id)
            .where(item.show_id == show.id)
            .order_by(allocation.id)
        )
    )


def create_allocation(db: Session, show: Show, kind: Kind, item_id: int, scene_id: int) -> Any:
    """The item is on stage in the scene; assignments no longer on a boundary go."""
    refuse_while_live(show)
    item = found(db, kind.item_model, show, item_id, kind.item_not_found)
    _scene(db, show, scene_id)
    allocation_item = getattr(kind.allocation_model, kind.allocation_key)
    exists = db.scalar(
        select(kind.allocation_model.id).where(
            allocation_item == item.id, kind.allocation_model.scene_id == scene_id
        )
    )
    if exists is not None:
        noun = "prop" if kind is PROPS else "scenery"
        raise Invalid(f"Allocation already exists for this {noun} and scene")
    allocation = kind.allocation_model(**{kind.allocation_key: item.id, "scene_id": scene_id})
    db.add(allocation)
    db.flush()
    _after_allocations_changed(db, show, kind, item.id)
    return allocation


def delete_allocation(db: Session, show: Show, kind: Kind, allocation_id: int) -> None:
    refuse_while_live(show)
    allocation = (
        db.get(kind.allocation_model, allocation_id) if -(2**63) <= allocation_id < 2**63 else None
    )
    item = (
        db.get(kind.item_model, getattr(allocation, kind.allocation_key))
        if allocation is not None
        else None
    )
    if item is None or item.show_id != show.id:
        raise NotFound(ALLOCATION_NOT_FOUND)
    db.delete(allocation)
    db.flush()
    _after_allocations_changed(db, show, kind, item.id)


def _after_allocations_changed(db: Session, show: Show, kind: Kind, item_id: int) -> None:
    announce(db, kind.allocations_changed)
    boundaries = _boundaries(db, show, kind, item_id)
    orphans = [
        assignment
        for assignment in db.scalars(
            select(CrewAssignment).where(getattr(CrewAssignment, kind.assignment_key) == item_id)
        )
        if assignment.scene_id not in boundaries[assignment.assignment_type]
    ]
    for assignment in orphans:
        db.delete(assignment)
    if orphans:
        db.flush()
        announce(db, ASSIGNMENTS_CHANGED)


# -- blocks ---------------------------------------------------------------------------------------


def _boundaries(db: Session, show: Show, kind: Kind, item_id: int) -> dict[str, set[int]]:
    """The scenes where the item may be set (first of a block) and struck (last of one)."""
    allocation_item = getattr(kind.allocation_model, kind.allocation_key)
    allocated = set(
        db.scalars(select(kind.allocation_model.scene_id).where(allocation_item == item_id))
    )
    sets: set[int] = set()
    strikes: set[int] = set()
    for _act, scenes in running_order(db, show):
        act_scenes = [scene.id for scene in scenes]
        previous_on = False
        for position, scene_id in enumerate(act_scenes):
            on = scene_id in allocated
            following = act_scenes[position + 1] if position + 1 < len(act_scenes) else None
            if on and not previous_on:
                sets.add(scene_id)
            if on and following not in allocated:
                strikes.add(scene_id)
            previous_on = on
    return {"set": sets, "strike": strikes}


# -- crew assignments -----------------------------------------------------------------------------


def list_assignments(db: Session, show: Show) -> list[CrewAssignment]:
    return list(
        db.scalars(
            select(CrewAssignment)
            .join(Crew, CrewAssignment.crew_id == Crew.id)
            .where(Crew.show_id == show.id)
            .order_by(CrewAssignment.id)
        )
    )


def _check_assignment(db: Session, show: Show, fields: dict[str, Any], own_id: int | None) -> None:
    """The assignment's scene is a boundary of its item's blocks of the kind it names, and no
    other assignment of the crew member is the same."""
    kind = PROPS if fields["prop_id"] is not None else SCENERY
    item_id = fields[kind.assignment_key]
    boundaries = _boundaries(db, show, kind, item_id)
    if fields["scene_id"] not in boundaries[fields["assignment_type"]]:
        raise Invalid(INVALID_BOUNDARY)
    same = select(CrewAssignment.id).where(
        CrewAssignment.crew_id == fields["crew_id"],
        CrewAssignment.scene_id == fields["scene_id"],
        CrewAssignment.assignment_type == fields["assignment_type"],
        getattr(CrewAssignment, kind.assignment_key) == item_id,
    )
    if own_id is not None:
        same = same.where(CrewAssignment.id != own_id)
    if db.scalar(same) is not None:
        raise Invalid(ASSIGNMENT_EXISTS)


def _item_ids(db: Session, show: Show, prop_id: int | None, scenery_id: int | None) -> None:
    if prop_id is None and scenery_id is None:
        raise Invalid(ITEM_MISSING)
    if prop_id is not None and scenery_id is not None:
        raise Invalid(ITEM_BOTH)
    if prop_id is not None:
        found(db, Props, show, prop_id, PROP_NOT_FOUND)
    else:
        found(db, Scenery, show, scenery_id, SCENERY_NOT_FOUND)


def _assignment(db: Session, show: Show, assignment_id: int) -> CrewAssignment:
    """The assignment with this id if its crew member is one of the show's; NotFound otherwise."""
    assignment = (
        db.get(CrewAssignment, assignment_id) if -(2**63) <= assignment_id < 2**63 else None
    )
    crew = db.get(Crew, assignment.crew_id) if assignment is not None else None
    if assignment is None or crew is None or crew.show_id != show.id:
        raise NotFound(ASSIGNMENT_NOT_FOUND)
    return assignment


def create_assignment(db: Session, show: Show, fields: dict[str, Any]) -> CrewAssignment:
    refuse_while_live(show)
    found(db, Crew, show, fields["crew_id"], CREW_NOT_FOUND)
    _scene(db, show, fields["scene_id"])
    values = {
        "crew_id": fields["crew_id"],
        "scene_id": fields["scene_id"],
        "assignment_type": fields["assignment_type"],
        "prop_id": fields.get("prop_id"),
        "scenery_id": fields.get("scenery_id"),
    }
    _item_ids(db, show, values["prop_id"], values["scenery_id"])
    _check_assignment(db, show, values, None)
    assignment = CrewAssignment(**values)
    db.add(assignment)
    db.flush()
    announce(db, ASSIGNMENTS_CHANGED)
    return assignment


def update_assignment(db: Session, show: Show, assignment_id: int, fields: dict[str, Any]) -> None:
    """Changes the fields given; naming either item key names the item afresh."""
    refuse_while_live(show)
    assignment = _assignment(db, show, assignment_id)
    values: dict[str, Any] = {
        "crew_id": assignment.crew_id,
        "scene_id": assignment.scene_id,
        "assignment_type": assignment.assignment_type,
        "prop_id": assignment.prop_id,
        "scenery_id": assignment.scenery_id,
    }
    if "crew_id" in fields:
        found(db, Crew, show, fields["crew_id"], CREW_NOT_FOUND)
        values["crew_id"] = fields["crew_id"]
    if "scene_id" in fields:
        _scene(db, show, fields["scene_id"])
        values["scene_id"] = fields["scene_id"]
    if "assignment_type" in fields:
        values["assignment_type"] = fields["assignment_type"]
    if "prop_id" in fields or "scenery_id" in fields:
        values["prop_id"] = fields.get("prop_id")
        values["scenery_id"] = fields.get("scenery_id")
        _item_ids(db, show, values["prop_id"], values["scenery_id"])
    _check_assignment(db, show, values, assignment.id)
    for name, value in values.items():
        setattr(assignment, name, value)
    db.flush()
    announce(db, ASSIGNMENTS_CHANGED)


def delete_assignment(db: Session, show: Show, assignment_id: int) -> None:
    refuse_while_live(show)
    assignment = _assignment(db, show, assignment_id)
    db.delete(assignment)
    db.flush()
    announce(db, ASSIGNMENTS_CHANGED)

"""A show's cast: who plays the characters.

Nothing of another show is ever found: its ids answer as missing ones.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.changes import Change, record
from server.models import Cast, Character, Show
from server.operations import casting
from server.operations.characters import (
    CAST_CHANGED,
    CAST_MEMBER_NOT_FOUND,
    character_fields,
    groups_by_character,
    line_counts,
)
from server.operations.structure import found, refuse_while_live

# -- cast -------------------------------------------------------------------------------------


def list_cast(db: Session, show: Show) -> list[dict[str, Any]]:
    members = db.scalars(select(Cast).where(Cast.show_id == show.id).order_by(Cast.id)).all()
    groups = groups_by_character(db, show)
    played: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in db.scalars(
        select(Character)
        .where(Character.show_id == show.id, Character.played_by.is_not(None))
        .order_by(Character.id)
    ):
        played[c.played_by].append(character_fields(c, groups[c.id]))  # type: ignore[index]
    return [
        {
            "id": m.id,
            "show_id": m.show_id,
            "first_name": m.first_name,
            "last_name": m.last_name,
            "character_list": played[m.id],
        }
        for m in members
    ]


def create_cast_member(db: Session, show: Show, first_name: str, last_name: str) -> Cast:
    refuse_while_live(show)
    member = Cast(show_id=show.id, first_name=first_name, last_name=last_name)
    db.add(member)
    db.flush()
    record(db, show.id, CAST_CHANGED)
    return member


def update_cast_member(
    db: Session, show: Show, member_id: int, first_name: str, last_name: str
) -> Cast:
    refuse_while_live(show)
    member = found(db, Cast, show, member_id, CAST_MEMBER_NOT_FOUND)
    member.first_name = first_name
    member.last_name = last_name
    db.flush()
    record(db, show.id, CAST_CHANGED, Change.CHARACTERS)
    return member


def delete_cast_member(db: Session, show: Show, member_id: int) -> None:
    """Delete a cast member; the characters they played go to the next in their casting pools,
    or are left with no one."""
    refuse_while_live(show)
    member = found(db, Cast, show, member_id, CAST_MEMBER_NOT_FOUND)
    # Out of every casting pool first: where they were the principal the next in the pool
    # plays the part, and performances to come that cast them fall back.
    casting.leave_pools(db, show, member.id)
    db.execute(
        update(Character).where(Character.played_by == member.id).values(played_by=None),
        execution_options={"synchronize_session": False},
    )
    db.delete(member)
    db.flush()
    db.expire_all()
    record(db, show.id, CAST_CHANGED, Change.CHARACTERS)


def cast_line_counts(db: Session, show: Show) -> dict[str, Any]:
    """Dialogue lines of the current script revision by cast member, act and scene (see
    `line_counts`)."""
    return line_counts(db, show)

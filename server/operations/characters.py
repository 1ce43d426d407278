"""A show's characters and character groups, and merging one character into another.

Nothing of another show is ever found: its ids answer as missing ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from server.changes import Change, Notice, record
from server.errors import Invalid, NotFound
from server.models import Cast, Character, CharacterGroup, Show, character_group_association
from server.operations import casting
from server.operations.shows import script_of
from server.operations.structure import found, of_show, refuse_while_live

# DigiScript tells its clients of a cast change with this message (OP and ACTION alike); a
# character's actor is part of the cast list.
CAST_CHANGED = Notice("GET_CAST_LIST", "GET_CAST_LIST")

CHARACTER_NOT_FOUND = "404 character not found"
CHARACTER_GROUP_NOT_FOUND = "404 character group not found"
CAST_MEMBER_NOT_FOUND = "404 cast member not found"


# -- characters -------------------------------------------------------------------------------


def character_fields(c: Character, groups: Sequence[int]) -> dict[str, Any]:
    return {
        "id": c.id,
        "show_id": c.show_id,
        "played_by": c.played_by,
        "name": c.name,
        "description": c.description,
        "character_groups": list(groups),
    }


def groups_by_character(db: Session, show: Show) -> dict[int, list[int]]:
    rows = db.execute(
        select(
            character_group_association.c.character_id,
            character_group_association.c.character_group_id,
        )
        .join(CharacterGroup, CharacterGroup.id == character_group_association.c.character_group_id)
        .where(CharacterGroup.show_id == show.id)
        .order_by(character_group_association.c.character_group_id)
    ).all()
    groups: dict[int, list[int]] = defaultdict(list)
    for character_id, group_id in rows:
        groups[character_id].append(group_id)
    return groups


def list_characters(db: Session, show: Show) -> list[dict[str, Any]]:
    characters = db.scalars(
        select(Character).where(Character.show_id == show.id).order_by(Character.id)
    ).all()
    cast = {c.id: c for c in db.scalars(select(Cast).where(Cast.show_id == show.id))}
    groups = groups_by_character(db, show)
    answer = []
    for c in characters:
        member = cast.get(c.played_by) if c.played_by is not None else None
        answer.append(
            {
                **character_fields(c, groups[c.id]),
                "cast_member": None
                if member is None
                else {
                    "id": member.id,
                    "first_name": member.first_name,
                    "last_name": member.last_name,
                },
            }
        )
    return answer


def _cast_member(db: Session, show: Show, played_by: int | None) -> int | None:
    if played_by is None:
        return None
    return int(found(db, Cast, show, played_by, CAST_MEMBER_NOT_FOUND).id)


def create_character(
    db: Session, show: Show, name: str, description: str | None, played_by: int | None
) -> Character:
    refuse_while_live(show)
    character = Character(
        show_id=show.id,
        name=name,
        description=description,
        played_by=_cast_member(db, show, played_by),
    )
    db.add(character)
    db.flush()
    # The actor is the principal of the character's casting pool.
    casting.set_principal(db, show.id, character, character.played_by)
    record(db, show.id, Change.CHARACTERS, CAST_CHANGED)
    return character


def update_character(
    db: Session,
    show: Show,
    character_id: int,
    name: str,
    description: str | None,
    played_by: int | None,
) -> Character:
    refuse_while_live(show)
    character = found(db, Character, show, character_id, CHARACTER_NOT_FOUND)
    character.played_by = _cast_member(db, show, played_by)
    character.name = name
    character.description = description
    db.flush()
    # The actor is the principal of the character's casting pool (see server.operations.casting).
    casting.set_principal(db, show.id, character, character.played_by)
    record(db, show.id, Change.CHARACTERS, CAST_CHANGED)
    return character


def delete_character(db: Session, show: Show, character_id: int) -> None:
    """Delete a character; the groups it was in lose it."""
    refuse_while_live(show)
    character = found(db, Character, show, character_id, CHARACTER_NOT_FOUND)
    db.execute(
        delete(character_group_association).where(
            character_group_association.c.character_id == character.id
        )
    )
    db.delete(character)
    db.flush()
    record(db, show.id, Change.CHARACTERS, Change.CHARACTER_GROUPS, CAST_CHANGED)


def merge_characters(db: Session, show: Show, source_id: int, destination_id: int) -> None:
    """Fold one character into another: the destination joins every group the source was in,
    takes its casting pool and session casting (see `casting.merge_into`), and the source is
    deleted, all in this transaction."""
    refuse_while_live(show)
    if source_id == destination_id:
        raise Invalid("Source and destination characters must be different")
    source = found(db, Character, show, source_id, CHARACTER_NOT_FOUND)
    destination = found(db, Character, show, destination_id, CHARACTER_NOT_FOUND)
    assoc = character_group_association.c
    source_groups = set(
        db.scalars(select(assoc.character_group_id).where(assoc.character_id == source.id))
    )
    destination_groups = set(
        db.scalars(select(assoc.character_group_id).where(assoc.character_id == destination.id))
    )
    missing = sorted(source_groups - destination_groups)
    if missing:
        db.execute(
            insert(character_group_association),
            [{"character_group_id": g, "character_id": destination.id} for g in missing],
        )
    db.execute(delete(character_group_association).where(assoc.character_id == source.id))
    casting_moved = casting.merge_into(db, source, destination)
    db.delete(source)
    db.flush()
    db.expire_all()
    record(db, show.id, Change.CHARACTERS, Change.CHARACTER_GROUPS, CAST_CHANGED)
    if casting_moved:
        record(db, show.id, casting.CASTING_CHANGED)


def line_counts(db: Session, show: Show) -> dict[str, Any]:
    """Dialogue lines of the current script revision by speaker, act and scene. The script
    holds no lines yet, so there is nothing to count; without a current revision there is
    nothing to count from."""
    if script_of(db, show).current_revision is None:
        raise Invalid("Script does not have a current revision")
    return {}


# -- character groups -------------------------------------------------------------------------


def list_character_groups(db: Session, show: Show) -> list[dict[str, Any]]:
    groups = db.scalars(
        select(CharacterGroup).where(CharacterGroup.show_id == show.id).order_by(CharacterGroup.id)
    ).all()
    assoc = character_group_association.c
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, character_id in db.execute(
        select(assoc.character_group_id, assoc.character_id)
        .join(CharacterGroup, CharacterGroup.id == assoc.character_group_id)
        .where(CharacterGroup.show_id == show.id)
        .order_by(assoc.character_id)
    ):
        members[group_id].append(character_id)
    return [
        {
            "id": g.id,
            "show_id": g.show_id,
            "name": g.name,
            "description": g.description,
            "characters": members[g.id],
        }
        for g in groups
    ]


def _characters(db: Session, show: Show, ids: Sequence[int]) -> list[Character]:
    found = []
    for character_id in ids:
        character = of_show(db, Character, show, character_id)
        if character is None:
            raise NotFound(f"Character {character_id} not found")
        found.append(character)
    return found


def create_character_group(
    db: Session, show: Show, name: str, description: str | None, characters: Sequence[int]
) -> CharacterGroup:
    refuse_while_live(show)
    group = CharacterGroup(
        show_id=show.id,
        name=name,
        description=description,
        characters=_characters(db, show, characters),
    )
    db.add(group)
    db.flush()
    record(db, show.id, Change.CHARACTER_GROUPS, Change.CHARACTERS)
    return group


def update_character_group(
    db: Session,
    show: Show,
    group_id: int,
    name: str,
    description: str | None,
    characters: Sequence[int],
) -> CharacterGroup:
    refuse_while_live(show)
    group = found(db, CharacterGroup, show, group_id, CHARACTER_GROUP_NOT_FOUND)
    group.characters = _characters(db, show, characters)
    group.name = name
    group.description = description
    db.flush()
    record(db, show.id, Change.CHARACTER_GROUPS, Change.CHARACTERS)
    return group


def delete_character_group(db: Session, show: Show, group_id: int) -> None:
    refuse_while_live(show)
    group = found(db, CharacterGroup, show, group_id, CHARACTER_GROUP_NOT_FOUND)
    db.execute(
        delete(character_group_association).where(
            character_group_association.c.character_group_id == group.id
        )
    )
    db.delete(group)
    db.flush()
    record(db, show.id, Change.CHARACTER_GROUPS, Change.CHARACTERS)

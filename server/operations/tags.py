"""Session tags of a show: Preview, Press Night, Matinee..."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from server.changes import Change, record
from server.errors import Conflict, Invalid, NotFound
from server.models import SessionTag, Show

TAGS: Table = SessionTag.__table__  # type: ignore[assignment]

# Which of some ids name tags of a show: built once, as scheduling a session runs it each time.
_SHOW_TAG_IDS = select(TAGS.c.id).where(
    TAGS.c.show_id == bindparam("show_id"), TAGS.c.id.in_(bindparam("tag_ids", expanding=True))
)


def list_tags(db: Session, show: Show) -> list[SessionTag]:
    return list(
        db.scalars(select(SessionTag).where(SessionTag.show_id == show.id).order_by(SessionTag.id))
    )


def _refuse_while_live(show: Show) -> None:
    if show.current_session_id is not None:
        raise Conflict("Current session in progress")


def _folded(name: str) -> str:
    """A tag name as names are compared: case-folded the Unicode way ("PREMIÈRE" is "première",
    "STRASSE" is "straße"), and written the same way however its accents were composed."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def _refuse_duplicate_name(
    db: Session, show: Show, name: str, except_id: int | None = None
) -> None:
    # Compared here rather than by the database's lower(), which SQLite applies to ASCII
    # letters only. A show has few tags, and its row is locked by the write transaction, so
    # two writers cannot both find a name free.
    query = select(SessionTag.id, SessionTag.tag).where(SessionTag.show_id == show.id)
    wanted = _folded(name)
    for tag_id, existing in db.execute(query):
        if tag_id != except_id and _folded(existing) == wanted:
            raise Invalid("Tag name already exists (case-insensitive)")


def get_tag(db: Session, show: Show, tag_id: int) -> SessionTag:
    tag = db.get(SessionTag, tag_id)
    if tag is None or tag.show_id != show.id:
        raise NotFound("404 tag not found")
    return tag


def create_tag(db: Session, show: Show, name: str, colour: str) -> SessionTag:
    _refuse_while_live(show)
    _refuse_duplicate_name(db, show, name)
    tag = SessionTag(show_id=show.id, tag=name, colour=colour)
    db.add(tag)
    db.flush()
    record(db, show.id, Change.TAGS)
    return tag


def update_tag(db: Session, show: Show, tag_id: int, name: str, colour: str) -> SessionTag:
    _refuse_while_live(show)
    tag = get_tag(db, show, tag_id)
    _refuse_duplicate_name(db, show, name, except_id=tag.id)
    tag.tag = name
    tag.colour = colour
    db.flush()
    record(db, show.id, Change.TAGS, Change.SESSIONS)
    return tag


def delete_tag(db: Session, show: Show, tag_id: int) -> None:
    """Delete a tag; its assignments go with it, the sessions stay."""
    _refuse_while_live(show)
    db.delete(get_tag(db, show, tag_id))
    db.flush()
    record(db, show.id, Change.TAGS, Change.SESSIONS)


def _refuse_malformed_ids(tag_ids: Sequence[int]) -> None:
    if len(set(tag_ids)) != len(tag_ids):
        raise Invalid("One or more tag IDs are invalid")
    # An id no integer column can hold names no tag (and SQLite's driver would refuse to bind it).
    if any(not -(2**63) <= tag_id < 2**63 for tag_id in tag_ids):
        raise Invalid("One or more tag IDs are invalid")


def tags_by_ids(db: Session, show: Show, tag_ids: Sequence[int]) -> list[SessionTag]:
    """The show's tags with these ids, all or nothing: any unknown, repeated or foreign id
    makes the whole request invalid."""
    _refuse_malformed_ids(tag_ids)
    if not tag_ids:
        return []
    tags = list(
        db.scalars(
            select(SessionTag)
            .where(SessionTag.id.in_(tag_ids), SessionTag.show_id == show.id)
            .order_by(SessionTag.id)
        )
    )
    if len(tags) != len(tag_ids):
        raise Invalid("One or more tag IDs are invalid")
    return tags


def valid_tag_ids(db: Session, show: Show, tag_ids: Sequence[int]) -> list[int]:
    """`tag_ids`, sorted, after the same all-or-nothing check as `tags_by_ids`, for writers
    that need the ids only."""
    _refuse_malformed_ids(tag_ids)
    if not tag_ids:
        return []
    found = db.connection().execute(_SHOW_TAG_IDS, {"show_id": show.id, "tag_ids": list(tag_ids)})
    ids = sorted(found.scalars())
    if len(ids) != len(tag_ids):
        raise Invalid("One or more tag IDs are invalid")
    return ids


def tag_groups_of_other_shows(db: Session, show: Show) -> list[tuple[Show, list[SessionTag]]]:
    rows = db.execute(
        select(Show, SessionTag)
        .join(SessionTag, SessionTag.show_id == Show.id)
        .where(Show.id != show.id)
        .order_by(Show.id, SessionTag.id)
    ).all()
    groups: dict[int, tuple[Show, list[SessionTag]]] = {}
    for other, tag in rows:
        groups.setdefault(other.id, (other, []))[1].append(tag)
    return list(groups.values())

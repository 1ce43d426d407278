"""Per-show roles: granting, revoking and checking them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth import Actor
from server.changes import Notice, announce
from server.errors import Invalid, NotFound
from server.models import Show, User, UserRole
from server.operations import settings
from server.roles import ALL_ROLES, Role
from server.schemas.shows import ShowSchema

# Users' roles are shown with the users.
USERS_CHANGED = Notice("NOOP", "GET_USERS")


def role_mask(db: Session, user: Actor, show_id: int) -> int:
    if user.is_admin:
        return int(ALL_ROLES)
    mask = db.scalar(
        select(UserRole.role).where(UserRole.user_id == user.id, UserRole.show_id == show_id)
    )
    return int(mask or 0)


def has_role(db: Session, user: Actor, show_id: int, role: Role) -> bool:
    return bool(role_mask(db, user, show_id) & role)


def _targets(db: Session, resource: str, show_id: int, user_id: int) -> tuple[Show, User]:
    if resource != "shows":
        raise NotFound("resource not found")
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    show = db.get(Show, show_id)
    if show is None:
        raise NotFound("object not found")
    return show, user


def _check_mask(mask: int) -> None:
    if mask <= 0 or mask & ~int(ALL_ROLES):
        raise Invalid("role must be a combination of READ (1), WRITE (2) and EXECUTE (4)")


def grant(db: Session, resource: str, show_id: int, user_id: int, mask: int) -> UserRole:
    _check_mask(mask)
    show, user = _targets(db, resource, show_id, user_id)
    row = db.scalar(
        select(UserRole).where(UserRole.user_id == user.id, UserRole.show_id == show.id)
    )
    if row is None:
        row = UserRole(user_id=user.id, show_id=show.id, role=0)
        db.add(row)
    row.role = row.role | mask
    db.flush()
    announce(db, USERS_CHANGED)
    return row


def revoke(db: Session, resource: str, show_id: int, user_id: int, mask: int) -> None:
    _check_mask(mask)
    show, user = _targets(db, resource, show_id, user_id)
    row = db.scalar(
        select(UserRole).where(UserRole.user_id == user.id, UserRole.show_id == show.id)
    )
    if row is not None:
        row.role = row.role & ~mask
        if row.role == 0:
            db.delete(row)
        db.flush()
    announce(db, USERS_CHANGED)


# The resources roles are held on, with the fields that name one of their objects.
RESOURCES = {"shows": ["id", "name"]}


def resources() -> list[str]:
    return list(RESOURCES)


def objects(db: Session, resource: str, user_id: int | None) -> tuple[list[Any], list[str]]:
    """The loaded show (roles are held on it alone); with a user, each paired with the mask
    stored for that user."""
    if resource not in RESOURCES:
        raise NotFound("object not found")
    user = None
    if user_id is not None:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound("user not found")
    show = settings.current_show(db)
    shows = [] if show is None else [show]
    dumped: list[Any] = []
    for s in shows:
        row = ShowSchema().dump(s)
        if user is None:
            dumped.append(row)
        else:
            mask = db.scalar(
                select(UserRole.role).where(UserRole.user_id == user.id, UserRole.show_id == s.id)
            )
            dumped.append([row, int(mask or 0)])
    return dumped, RESOURCES[resource]

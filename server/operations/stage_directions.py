"""Stage direction styles of a show's script."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.changes import Notice, announce
from server.errors import Conflict, NotFound
from server.models import Script, Show, StageDirectionStyle
from server.operations import user_settings
from server.operations.shows import script_of

# What DigiScript's clients are told after any change to a show's styles: fetch them again.
STYLES_CHANGED = Notice("NOOP", "GET_STAGE_DIRECTION_STYLES")


def list_styles(db: Session, show: Show) -> list[StageDirectionStyle]:
    script = script_of(db, show)
    return list(
        db.scalars(
            select(StageDirectionStyle)
            .where(StageDirectionStyle.script_id == script.id)
            .order_by(StageDirectionStyle.id)
        )
    )


def _refuse_while_live(show: Show) -> None:
    if show.current_session_id is not None:
        raise Conflict("Current session in progress")


def get_style(db: Session, show: Show, style_id: int) -> StageDirectionStyle:
    """The style with this id, if it belongs to the show's script."""
    script = script_of(db, show)
    style = db.get(StageDirectionStyle, style_id) if -(2**63) <= style_id < 2**63 else None
    if style is None or style.script_id != script.id:
        raise NotFound("404 stage direction style not found")
    return style


def create_style(db: Session, show: Show, fields: dict[str, Any]) -> StageDirectionStyle:
    _refuse_while_live(show)
    style = StageDirectionStyle(script_id=script_of(db, show).id, **fields)
    db.add(style)
    db.flush()
    announce(db, STYLES_CHANGED)
    return style


def update_style(
    db: Session, show: Show, style_id: int, fields: dict[str, Any]
) -> StageDirectionStyle:
    _refuse_while_live(show)
    style = get_style(db, show, style_id)
    for name, value in fields.items():
        setattr(style, name, value)
    db.flush()
    announce(db, STYLES_CHANGED)
    return style


def delete_style(db: Session, show: Show, style_id: int) -> None:
    _refuse_while_live(show)
    db.delete(get_style(db, show, style_id))
    # Users' overrides of the style go with it.
    user_settings.delete_overrides_of(db, user_settings.STAGE_DIRECTION_STYLES, style_id)
    db.flush()
    announce(db, STYLES_CHANGED)


def style_groups_of_other_shows(
    db: Session, show: Show
) -> list[tuple[Show, list[StageDirectionStyle]]]:
    """Every other show that has styles, with them, in show order."""
    rows = db.execute(
        select(Show, StageDirectionStyle)
        .join(Script, Script.show_id == Show.id)
        .join(StageDirectionStyle, StageDirectionStyle.script_id == Script.id)
        .where(Show.id != show.id)
        .order_by(Show.id, StageDirectionStyle.id)
    ).all()
    groups: dict[int, tuple[Show, list[StageDirectionStyle]]] = {}
    for other, style in rows:
        groups.setdefault(other.id, (other, []))[1].append(style)
    return list(groups.values())

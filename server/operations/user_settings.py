"""Per-user settings: made with their defaults the first time they are read, then edited; and
each user's own overrides of how the loaded show's stage direction styles and cue colours
look to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.auth import Actor
from server.changes import Notice, announce
from server.errors import Forbidden, Invalid, NotFound
from server.models import Script, StageDirectionStyle, UserOverride, UserSettings
from server.operations import settings

DEFAULTS: dict[str, Any] = {
    "enable_script_auto_save": True,
    "script_auto_save_interval": 10,
    "cue_position_right": False,
    "script_text_alignment": 2,
    "console_log_level": "WARN",
    "character_mru_sort": False,
    "character_combined_dropdown": False,
    "preferred_ui": None,
    "table_page_sizes": None,
    "default_sd_text_colour": None,
    "default_sd_background_colour": None,
    "show_current_cue_footer": True,
}


def settings_of(db: Session, user: Actor) -> UserSettings:
    """The user's settings row, created with the defaults if there is none yet."""
    row = db.get(UserSettings, user.id)
    if row is not None:
        return row
    try:
        # Two first reads at once (two tabs) may both try to create the row: the loser's insert
        # is rolled back to the savepoint and it reads the winner's row instead.
        with db.begin_nested():
            row = UserSettings(user_id=user.id, **DEFAULTS)
            db.add(row)
            db.flush()
    except IntegrityError:
        row = db.get(UserSettings, user.id, populate_existing=True)
        if row is None:
            raise
    return row


def update_settings(db: Session, user: Actor, changes: Mapping[str, Any]) -> UserSettings:
    """Apply already validated changes; keys that are not settings are not accepted here."""
    row = settings_of(db, user)
    for key, value in changes.items():
        if key not in DEFAULTS:
            raise KeyError(key)
        setattr(row, key, value)
    db.flush()
    # Only this user's own connections (their other tabs and devices) need to reload.
    announce(db, Notice("NOOP", "GET_USER_SETTINGS", to_user=user.id))
    return row


# -- overrides of the show's styles ------------------------------------------------------------


@dataclass(frozen=True)
class OverrideKind:
    """What is overridden: the `settings_type` of its rows, the notice its owner's connections
    are sent after a change, and what a missing override is called."""

    settings_type: str
    notice_action: str
    not_found: str


STAGE_DIRECTION_STYLES = OverrideKind(
    "stage_direction_styles",
    "GET_STAGE_DIRECTION_STYLE_OVERRIDES",
    "Stage direction style override not found",
)
CUE_TYPES = OverrideKind("cue_types", "GET_CUE_COLOUR_OVERRIDES", "Cue colour override not found")

# Outside the 64-bit range no row can have the id.
_IDS = range(-(2**63), 2**63)


def _tell_owner(db: Session, kind: OverrideKind, user_id: int) -> None:
    # Overrides are the user's own: only their connections (other tabs, devices) reload them.
    announce(db, Notice("NOOP", kind.notice_action, to_user=user_id))


def list_overrides(db: Session, user: Actor, kind: OverrideKind) -> list[UserOverride]:
    """The user's overrides of the loaded show's styles (none while no show is loaded), or of
    cue types."""
    query = select(UserOverride).where(
        UserOverride.user_id == user.id, UserOverride.settings_type == kind.settings_type
    )
    if kind is STAGE_DIRECTION_STYLES:
        show = settings.current_show(db)
        if show is None:
            return []
        query = (
            query.join(StageDirectionStyle, StageDirectionStyle.id == UserOverride.object_id)
            .join(Script, Script.id == StageDirectionStyle.script_id)
            .where(Script.show_id == show.id)
        )
    # Cue types: once the show has them, join the cue type table here the same way.
    return list(db.scalars(query.order_by(UserOverride.id)))


def _put(
    db: Session,
    user: Actor,
    kind: OverrideKind,
    object_id: int,
    values: dict[str, Any],
    now: dt.datetime,
) -> UserOverride:
    """Store the user's override of one object; one made before is replaced, as a user has
    one override of an object at most."""
    query = select(UserOverride).where(
        UserOverride.user_id == user.id,
        UserOverride.settings_type == kind.settings_type,
        UserOverride.object_id == object_id,
    )
    row = db.scalar(query)
    if row is None:
        try:
            # The same override sent twice at once (a double click): the second insert is
            # rolled back to the savepoint and replaces the first one's values instead.
            with db.begin_nested():
                row = UserOverride(
                    user_id=user.id,
                    settings_type=kind.settings_type,
                    object_id=object_id,
                    settings=values,
                    created_at=now,
                    updated_at=now,
                )
                db.add(row)
                db.flush()
        except IntegrityError:
            row = db.scalar(query.execution_options(populate_existing=True))
            if row is None:
                raise
    if row.settings != values:
        row.settings = values
        row.updated_at = now
    db.flush()
    _tell_owner(db, kind, user.id)
    return row


def create_stage_direction_override(
    db: Session, user: Actor, style_id: int, look: Mapping[str, Any], now: dt.datetime
) -> UserOverride:
    """Override the look of one of the loaded show's styles for this user: `look` holds all
    of bold, italic, underline, text_format, text_colour, enable_background_colour and
    background_colour."""
    show = settings.current_show(db)
    style = db.get(StageDirectionStyle, style_id) if style_id in _IDS else None
    script = db.get(Script, style.script_id) if style is not None else None
    if script is None or show is None or script.show_id != show.id:
        raise NotFound("Stage direction style not found")
    return _put(db, user, STAGE_DIRECTION_STYLES, style_id, {"id": style_id, **look}, now)


def _cue_type_exists(db: Session, cue_type_id: int) -> bool:
    # The show has no cue types yet, so every id is unknown. When they come, look the id up
    # in the cue type table here (a cue type of the loaded show).
    return False


def create_cue_colour_override(
    db: Session, user: Actor, cue_type_id: int, colour: str, now: dt.datetime
) -> UserOverride:
    """Override the colour of one of the show's cue types for this user."""
    if not _cue_type_exists(db, cue_type_id):
        raise NotFound("Cue type not found")
    return _put(db, user, CUE_TYPES, cue_type_id, {"id": cue_type_id, "colour": colour}, now)


def _own_override(db: Session, user: Actor, kind: OverrideKind, override_id: int) -> UserOverride:
    row = db.get(UserOverride, override_id) if override_id in _IDS else None
    if row is None or row.settings_type != kind.settings_type:
        raise NotFound(kind.not_found)
    if row.user_id != user.id:
        raise Forbidden("That override belongs to another user")
    return row


def edit_override(
    db: Session,
    user: Actor,
    kind: OverrideKind,
    override_id: int,
    changes: Mapping[str, Any],
    now: dt.datetime,
) -> UserOverride:
    """Change some of the values of one of the user's own overrides."""
    row = _own_override(db, user, kind, override_id)
    merged = {**row.settings, **changes}
    if kind is STAGE_DIRECTION_STYLES:
        if merged.get("enable_background_colour") and not merged.get("background_colour"):
            raise Invalid("Background colour missing")
        if not merged.get("background_colour"):
            merged["background_colour"] = None
    if merged != row.settings:
        # A new dict, so that the JSON column is seen to have changed.
        row.settings = merged
        row.updated_at = now
    db.flush()
    _tell_owner(db, kind, user.id)
    return row


def delete_override(db: Session, user: Actor, kind: OverrideKind, override_id: int) -> None:
    db.delete(_own_override(db, user, kind, override_id))
    db.flush()
    _tell_owner(db, kind, user.id)


def delete_overrides_of(db: Session, kind: OverrideKind, object_id: int) -> None:
    """Every user's overrides of an object that is being deleted; their owners are told."""
    owners = db.scalars(
        delete(UserOverride)
        .where(UserOverride.settings_type == kind.settings_type)
        .where(UserOverride.object_id == object_id)
        .returning(UserOverride.user_id)
    ).all()
    for user_id in sorted(set(owners)):
        _tell_owner(db, kind, user_id)

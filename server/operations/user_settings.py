"""Per-user settings: made with their defaults the first time they are read, then edited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.auth import Actor
from server.changes import Notice, announce
from server.models import UserSettings

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

"""Server-wide settings: the loaded show, client logging, and the token-signing secret."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, String, cast, exists, select
from sqlalchemy.orm import Session

from server import __version__
from server.changes import Notice, announce
from server.db import Database, is_writing
from server.errors import Conflict, Invalid, NotFound
from server.models import Setting, Show, User
from server.models.setting import (
    BY_KEY,
    CLIENT_LOG_ENABLED,
    CLIENT_LOG_LEVEL,
    CLIENT_LOG_LEVELS,
    CURRENT_SHOW,
    DEFINITIONS,
    HAS_ADMIN_USER,
    JWT_LIFETIME_CHOICES,
    JWT_LIFETIME_HOURS,
    JWT_SECRET,
    VERSION,
)


def get_value(db: Session, key: str, default: Any = None) -> Any:
    row = db.get(Setting, key)
    return default if row is None else json.loads(row.value)


def set_value(db: Session, key: str, value: Any) -> None:
    row = db.get(Setting, key)
    if row is None:
        db.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    db.flush()


def jwt_secret(db: Session) -> str:
    """The token-signing secret, made on first use and stored so tokens survive a restart."""
    secret = get_value(db, JWT_SECRET)
    if secret is None:
        secret = secrets.token_urlsafe(48)
        set_value(db, JWT_SECRET, secret)
    return str(secret)


_STORED_SECRET = select(Setting.value).where(Setting.key == JWT_SECRET)


def signing_secret(database: Database, reread: bool = False) -> str | None:
    """The secret tokens are checked against, if one has been made. It never changes once
    made, so this process reads it once (every authenticated request needs it) unless asked
    to `reread` it."""
    secret: str | None = database.kept.get(JWT_SECRET)
    if secret is None or reread:
        row = database.first(_STORED_SECRET)
        secret = None if row is None else str(json.loads(row[0]))
        database.kept[JWT_SECRET] = secret
    return secret


def select_loaded_show(*columns: Any) -> Select[Any]:
    """SELECT `columns` of the loaded show, found through the setting in the same statement:
    the show's id is kept there as JSON text ("7"), which the id as text matches."""
    return (
        select(*columns)
        .join(Setting, cast(Show.id, String) == Setting.value)
        .where(Setting.key == CURRENT_SHOW)
    )


_LOADED_SHOW = select_loaded_show(Show)
_LOADED_SHOW_LOCKED = _LOADED_SHOW.with_for_update(of=Show)


def current_show(db: Session) -> Show | None:
    """The loaded show. A write transaction locks its row (PostgreSQL; SQLite already admits
    one writer at a time), so that every check of the show's state — "a session is live",
    say — holds until the transaction commits, and every writer takes the show before the
    rows under it."""
    return db.scalar(_LOADED_SHOW_LOCKED if is_writing(db) else _LOADED_SHOW)


def has_admin_user(db: Session) -> bool:
    return bool(db.scalar(select(exists().where(User.is_admin.is_(True)))))


def _stored_values(db: Session) -> dict[str, Any]:
    keys = [d.key for d in DEFINITIONS if d.stored]
    rows = db.scalars(select(Setting).where(Setting.key.in_(keys)))
    return {row.key: json.loads(row.value) for row in rows}


def public_settings(db: Session, version: str) -> dict[str, Any]:
    """Every setting a client may see, by key (never the token secret)."""
    stored = _stored_values(db)
    values = {d.key: stored.get(d.key, d.default) for d in DEFINITIONS}
    if not isinstance(values[CURRENT_SHOW], int):
        values[CURRENT_SHOW] = None
    values[HAS_ADMIN_USER] = has_admin_user(db)
    values[VERSION] = version
    return values


def raw_settings(db: Session, version: str) -> dict[str, dict[str, Any]]:
    """Every setting with what a settings form needs to show and edit it."""
    values = public_settings(db, version)
    raw: dict[str, dict[str, Any]] = {}
    for d in DEFINITIONS:
        entry: dict[str, Any] = {
            "type": d.type.__name__,
            "value": values[d.key],
            "default": version if d.key == VERSION else d.default,
            "can_edit": d.can_edit,
            "display_name": d.display_name,
            "help_text": d.help_text,
            "hide_from_ui": d.hide_from_ui,
        }
        if d.choices is not None:
            entry["choice_options"] = list(d.choices)
            entry["choice_labels"] = list(d.choice_labels or d.choices)
        raw[d.key] = entry
    return raw


def categories() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for d in DEFINITIONS:
        grouped.setdefault(d.category, []).append(d.key)
    return grouped


def client_logging(db: Session) -> tuple[bool, str]:
    """Whether client logs are kept, and the lowest level kept."""
    stored = _stored_values(db)
    enabled = stored.get(CLIENT_LOG_ENABLED, BY_KEY[CLIENT_LOG_ENABLED].default)
    level = stored.get(CLIENT_LOG_LEVEL, BY_KEY[CLIENT_LOG_LEVEL].default)
    if level not in CLIENT_LOG_LEVELS:
        level = BY_KEY[CLIENT_LOG_LEVEL].default
    return bool(enabled), str(level)


def token_lifetime(db: Session) -> dt.timedelta:
    """How long a token issued now stays valid (the default when the stored value is no
    longer one of the choices)."""
    hours = get_value(db, JWT_LIFETIME_HOURS)
    if isinstance(hours, bool) or hours not in JWT_LIFETIME_CHOICES:
        hours = BY_KEY[JWT_LIFETIME_HOURS].default
    return dt.timedelta(hours=hours)


def update_settings(
    db: Session, changes: Mapping[str, Any], read_only: Mapping[str, Any], version: str
) -> list[str]:
    """Apply validated changes to editable settings; the keys whose value changed.

    `read_only` holds values sent back for settings that cannot be edited (a settings form
    sends every field it shows): the same value is accepted and ignored, another is refused.
    """
    current = public_settings(db, version)
    for key, value in read_only.items():
        if current.get(key) != value:
            raise Invalid(f"{key} cannot be changed")
    changed = []
    for key, value in changes.items():
        if current.get(key) != value:
            set_value(db, key, value)
            changed.append(key)
    if changed:
        announce_settings(db)
    return changed


def announce_settings(db: Session) -> None:
    """Tell every client the settings as they stand once this transaction commits."""
    announce(
        db, Notice("SETTINGS_CHANGED", "WS_SETTINGS_CHANGED", public_settings(db, __version__))
    )


def load_show(db: Session, show_id: int) -> Show:
    """Make `show_id` the loaded show; refused while the loaded show has a live session."""
    show = db.get(Show, show_id)
    if show is None:
        raise NotFound("404 show not found")
    loaded = current_show(db)
    if loaded is not None and loaded.current_session_id is not None:
        raise Conflict("Current session in progress")
    set_value(db, CURRENT_SHOW, show.id)
    announce_settings(db)
    announce(db, Notice("NOOP", "SHOW_CHANGED"))
    return show

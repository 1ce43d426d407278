"""Server-wide settings: the loaded show and the token-signing secret."""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from server.errors import Conflict, NotFound
from server.models import Setting, Show, User

CURRENT_SHOW = "current_show"
JWT_SECRET = "jwt_secret"


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
    """The token-signing secret, made on first use and kept so tokens survive a restart."""
    secret = get_value(db, JWT_SECRET)
    if secret is None:
        secret = secrets.token_urlsafe(48)
        set_value(db, JWT_SECRET, secret)
    return str(secret)


def current_show_id(db: Session) -> int | None:
    value = get_value(db, CURRENT_SHOW)
    return value if isinstance(value, int) else None


def current_show(db: Session) -> Show | None:
    show_id = current_show_id(db)
    return None if show_id is None else db.get(Show, show_id)


def has_admin_user(db: Session) -> bool:
    return bool(db.scalar(select(exists().where(User.is_admin.is_(True)))))


def public_settings(db: Session, version: str) -> dict[str, Any]:
    return {
        "current_show": current_show_id(db),
        "has_admin_user": has_admin_user(db),
        "version": version,
    }


def load_show(db: Session, show_id: int) -> Show:
    """Make `show_id` the loaded show; refused while the loaded show has a live session."""
    show = db.get(Show, show_id)
    if show is None:
        raise NotFound("404 show not found")
    loaded = current_show(db)
    if loaded is not None and loaded.current_session_id is not None:
        raise Conflict("Current session in progress")
    set_value(db, CURRENT_SHOW, show.id)
    return show

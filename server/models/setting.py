"""Server-wide settings stored as JSON values by key (the loaded show, the token secret, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


CURRENT_SHOW = "current_show"
HAS_ADMIN_USER = "has_admin_user"
VERSION = "version"
CLIENT_LOG_ENABLED = "client_log_enabled"
CLIENT_LOG_LEVEL = "client_log_level"
JWT_SECRET = "jwt_secret"
JWT_LIFETIME_HOURS = "jwt_token_lifetime_hours"

# How long a new token may be valid for, in hours, with what a settings form calls each.
JWT_LIFETIME_CHOICES = (1, 6, 12, 24, 168, 720)
JWT_LIFETIME_LABELS = ("1 hour", "6 hours", "12 hours", "1 day", "1 week", "1 month (30 days)")

# The levels DigiScript's client logs at, lowest first.
CLIENT_LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")


@dataclass(frozen=True)
class SettingDefinition:
    """One setting as clients see it. `stored` ones live in the settings table; the others are
    worked out from the rest of the database (or are the running server's own)."""

    key: str
    type: type
    default: Any
    can_edit: bool
    display_name: str
    category: str
    help_text: str = ""
    hide_from_ui: bool = False
    stored: bool = True
    choices: tuple[Any, ...] | None = None
    # What a settings form shows for each choice; the choices themselves when not given.
    choice_labels: tuple[str, ...] | None = None


DEFINITIONS: tuple[SettingDefinition, ...] = (
    SettingDefinition(
        CURRENT_SHOW,
        int,
        None,
        can_edit=False,
        display_name="Current Show ID",
        category="General",
        help_text="Changed by loading a show",
        hide_from_ui=True,
    ),
    SettingDefinition(
        HAS_ADMIN_USER,
        bool,
        False,
        can_edit=False,
        display_name="Has Admin User",
        category="General",
        hide_from_ui=True,
        stored=False,
    ),
    SettingDefinition(
        VERSION,
        str,
        None,
        can_edit=False,
        display_name="Server Version",
        category="General",
        stored=False,
    ),
    SettingDefinition(
        CLIENT_LOG_ENABLED,
        bool,
        True,
        can_edit=True,
        display_name="Enable Client Logging",
        category="Logging",
        help_text="Whether browsers send their log messages to the server log",
    ),
    SettingDefinition(
        CLIENT_LOG_LEVEL,
        str,
        "INFO",
        can_edit=True,
        display_name="Client Log Level",
        category="Logging",
        help_text="Browser log messages below this level are not kept in the server log",
        choices=CLIENT_LOG_LEVELS,
    ),
    SettingDefinition(
        JWT_LIFETIME_HOURS,
        int,
        24,
        can_edit=True,
        display_name="JWT Token Lifetime",
        category="Security",
        help_text="How long a sign-in token stays valid. A shorter lifetime also ends tokens "
        "already issued once they are older than it.",
        choices=JWT_LIFETIME_CHOICES,
        choice_labels=JWT_LIFETIME_LABELS,
    ),
)

BY_KEY = {d.key: d for d in DEFINITIONS}
EDITABLE = tuple(d.key for d in DEFINITIONS if d.can_edit)

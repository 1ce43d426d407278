"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from server.db import Base
from server.models.client import WebClient
from server.models.session import (
    SessionEvent,
    SessionTag,
    ShowSession,
    session_tag_associations,
)
from server.models.setting import Setting
from server.models.show import Script, ScriptRevision, Show
from server.models.stage_direction import StageDirectionStyle
from server.models.user import RevokedToken, User, UserRole
from server.models.user_settings import UserOverride, UserSettings

__all__ = [
    "Base",
    "RevokedToken",
    "Script",
    "ScriptRevision",
    "SessionEvent",
    "SessionTag",
    "Setting",
    "Show",
    "ShowSession",
    "StageDirectionStyle",
    "User",
    "UserOverride",
    "UserRole",
    "UserSettings",
    "WebClient",
    "session_tag_associations",
]

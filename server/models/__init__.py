"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from server.db import Base
from server.models.casting import CastingPool, SessionCasting
from server.models.client import WebClient
from server.models.session import (
    SessionEvent,
    SessionTag,
    ShowSession,
    session_tag_associations,
)
from server.models.setting import Setting
from server.models.show import Script, ScriptRevision, Show
from server.models.stage import (
    Crew,
    CrewAssignment,
    Props,
    PropsAllocation,
    PropType,
    Scenery,
    SceneryAllocation,
    SceneryType,
)
from server.models.stage_direction import StageDirectionStyle
from server.models.structure import (
    Act,
    Cast,
    Character,
    CharacterGroup,
    Scene,
    character_group_association,
)
from server.models.user import RevokedToken, User, UserRole
from server.models.user_settings import UserOverride, UserSettings

__all__ = [
    "Act",
    "Base",
    "Cast",
    "CastingPool",
    "Character",
    "CharacterGroup",
    "Crew",
    "CrewAssignment",
    "PropType",
    "Props",
    "PropsAllocation",
    "RevokedToken",
    "Scene",
    "Scenery",
    "SceneryAllocation",
    "SceneryType",
    "Script",
    "ScriptRevision",
    "SessionCasting",
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
    "character_group_association",
    "session_tag_associations",
]

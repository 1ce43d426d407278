"""Input shape of PATCH /settings: the loaded show and the editable server settings."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validates_schema

from server.operations.settings import (
    BY_KEY,
    CLIENT_LOG_LEVELS,
    CURRENT_SHOW,
    EDITABLE,
)
from server.schemas.base import InputSchema, StrictInteger, StrictString, messages

NOTHING_TO_UPDATE = "No settings to update: send current_show or one of " + ", ".join(EDITABLE)


class StrictBoolean(fields.Boolean):
    """A JSON true or false; no strings or numbers."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class LevelName(StrictString):
    """One of a fixed set of level names, in any case; answered in upper case."""

    def __init__(self, levels: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(max_length=16, **kwargs)
        self.levels = levels

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        level = super()._deserialize(value, attr, data, **kwargs).upper()
        if level not in self.levels:
            raise self.make_error("invalid")
        return level


def _one_of(key: str, levels: tuple[str, ...]) -> str:
    return f"{key} must be one of {', '.join(levels)}"


class SettingsPatchSchema(InputSchema):
    """Any subset of the settings. Settings that cannot be edited may be sent back unchanged
    (DigiScript's settings form sends every field it shows); they arrive in `read_only`."""

    current_show = StrictInteger(error_messages=messages("current_show must be an integer"))
    client_log_enabled = StrictBoolean(
        error_messages=messages("client_log_enabled must be a boolean")
    )
    client_log_level = LevelName(
        CLIENT_LOG_LEVELS,
        error_messages=messages(_one_of("client_log_level", CLIENT_LOG_LEVELS)),
    )
    has_admin_user = fields.Raw(allow_none=True)
    version = fields.Raw(allow_none=True)

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ValidationError(NOTHING_TO_UPDATE)

    def load_patch(self, body: Any) -> tuple[int | None, dict[str, Any], dict[str, Any]]:
        """(show to load or None, editable settings to change, read-only values sent back)."""
        data = self.load_body(body)
        show_id = data.pop(CURRENT_SHOW, None)
        read_only = {k: v for k, v in data.items() if not BY_KEY[k].can_edit}
        changes = {k: v for k, v in data.items() if BY_KEY[k].can_edit}
        return show_id, changes, read_only

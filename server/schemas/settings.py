"""Input shape of PATCH /settings: the loaded show and the editable server settings."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.models.setting import (
    BY_KEY,
    CLIENT_LOG_LEVELS,
    CURRENT_SHOW,
    EDITABLE,
    JWT_LIFETIME_CHOICES,
)
from server.schemas.base import (
    InputSchema,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)

NOTHING_TO_UPDATE = "No settings to update: send current_show or one of " + ", ".join(EDITABLE)


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


LIFETIME_MESSAGE = _one_of("jwt_token_lifetime_hours", tuple(map(str, JWT_LIFETIME_CHOICES)))


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
    jwt_token_lifetime_hours = StrictInteger(
        validate=validate.OneOf(JWT_LIFETIME_CHOICES, error=LIFETIME_MESSAGE),
        metadata={"enum": list(JWT_LIFETIME_CHOICES)},
        error_messages=messages(LIFETIME_MESSAGE),
    )
    has_admin_user = fields.Raw(allow_none=True)
    version = fields.Raw(allow_none=True)

    openapi_keywords = {"minProperties": 1}

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ValidationError(NOTHING_TO_UPDATE)

    def load_request(self, data: Any) -> dict[str, Any]:
        """`current_show` (the show to load, or None), `changes` (editable settings to change),
        `read_only` (values sent back for the others) and `unknown` (keys it ignored)."""
        loaded = self.load_body(data)
        return {
            "current_show": loaded.pop(CURRENT_SHOW, None),
            "changes": {k: v for k, v in loaded.items() if BY_KEY[k].can_edit},
            "read_only": {k: v for k, v in loaded.items() if not BY_KEY[k].can_edit},
            "unknown": sorted(str(k) for k in data if k not in self.fields),
        }


class HealthSchema(Schema):
    """Answered 200 when the database runs a query, 503 when it does not."""

    status = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})
    version = fields.String(required=True)
    database = fields.String(
        required=True,
        metadata={"description": '"ok", or why the database cannot be used (no internals)'},
    )


class PublicSettingsSchema(Schema):
    current_show = fields.Integer(required=True, allow_none=True)
    has_admin_user = fields.Boolean(required=True)
    version = fields.String(required=True)
    client_log_enabled = fields.Boolean(required=True)
    client_log_level = fields.String(required=True)
    jwt_token_lifetime_hours = fields.Integer(
        required=True, metadata={"enum": list(JWT_LIFETIME_CHOICES)}
    )


RAW_SETTINGS: dict[str, Any] = {
    "type": "object",
    "description": "Every setting by key, with what a settings form needs to show and edit it",
    "additionalProperties": {
        "type": "object",
        "required": [
            "type",
            "value",
            "default",
            "can_edit",
            "display_name",
            "help_text",
            "hide_from_ui",
        ],
        "properties": {
            "type": {"type": "string", "enum": ["int", "bool", "str"]},
            "value": {},
            "default": {},
            "can_edit": {"type": "boolean"},
            "display_name": {"type": "string"},
            "help_text": {"type": "string"},
            "hide_from_ui": {"type": "boolean"},
            "choice_options": {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            },
            "choice_labels": {"type": "array", "items": {"type": "string"}},
        },
    },
}


class SettingsCategoriesSchema(Schema):
    categories = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), required=True
    )

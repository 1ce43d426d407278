"""Stage direction style shapes (DigiScript's client sends camelCase keys)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from marshmallow_sqlalchemy import auto_field

from server.models import StageDirectionStyle
from server.schemas.base import (
    InputSchema,
    ModelSchema,
    QueryInteger,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)

TEXT_FORMATS = ("default", "upper", "lower")


class StageDirectionStyleSchema(ModelSchema):
    class Meta:
        model = StageDirectionStyle

    id = auto_field()
    script_id = auto_field()
    description = auto_field()
    bold = auto_field()
    italic = auto_field()
    underline = auto_field()
    text_format = auto_field()
    text_colour = auto_field()
    enable_background_colour = auto_field()
    background_colour = auto_field()


class StageDirectionStyleListSchema(Schema):
    styles = fields.List(fields.Nested(StageDirectionStyleSchema), required=True)


class StyleGroupSchema(Schema):
    """Another show's styles."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    styles = fields.List(fields.Nested(StageDirectionStyleSchema), required=True)


class StyleImportSchema(Schema):
    style_groups = fields.List(fields.Nested(StyleGroupSchema), required=True)


def _flag(name: str, label: str) -> StrictBoolean:
    return StrictBoolean(
        load_default=False,
        data_key=name,
        error_messages=messages(f"{label} must be true or false"),
    )


class StageDirectionStyleInputSchema(InputSchema):
    description = StrictString(
        required=True,
        error_messages=messages(
            "Description missing",
            "Description must be a string",
            too_long="Description must be 255 characters or fewer",
            control="Description must not contain control characters",
        ),
    )
    bold = _flag("bold", "Bold")
    italic = _flag("italic", "Italic")
    underline = _flag("underline", "Underline")
    text_format = StrictString(
        required=True,
        data_key="textFormat",
        max_length=16,
        validate=validate.OneOf(TEXT_FORMATS, error="Text format missing or invalid"),
        error_messages=messages("Text format missing or invalid"),
    )
    text_colour = StrictString(
        required=True,
        max_length=32,
        data_key="textColour",
        error_messages=messages(
            "Text colour missing",
            "Text colour must be a string",
            too_long="Text colour must be 32 characters or fewer",
            control="Text colour must not contain control characters",
        ),
    )
    enable_background_colour = _flag("enableBackgroundColour", "Enable background colour")
    background_colour = StrictString(
        allow_none=True,
        load_default=None,
        max_length=32,
        blank_is_missing=False,
        data_key="backgroundColour",
        error_messages=messages(
            "Background colour missing",
            "Background colour must be a string",
            too_long="Background colour must be 32 characters or fewer",
            control="Background colour must not contain control characters",
        ),
    )

    @validates_schema
    def _background_when_enabled(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["enable_background_colour"] and not data["background_colour"]:
            raise ValidationError("Background colour missing", "backgroundColour")
        if not data["background_colour"]:
            data["background_colour"] = None


class _StyleIdSchema(InputSchema):
    id = StrictInteger(
        required=True, error_messages=messages("ID missing", "ID must be an integer")
    )


class UpdateStageDirectionStyleSchema(StageDirectionStyleInputSchema, _StyleIdSchema):
    """The style's id, checked first, and all of its fields."""


class StageDirectionStyleIdQuerySchema(InputSchema):
    """`?id=<style id>`."""

    id = QueryInteger(required=True, error_messages=messages("ID missing", "Invalid ID"))

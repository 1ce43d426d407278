"""Per-user settings: the shape answered by GET /user/settings and the checks on PATCH."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import OneOf, Range

from server.schemas.base import (
    InputSchema,
    QueryInteger,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)
from server.schemas.settings import LevelName

CONSOLE_LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "SILENT")
PREFERRED_UIS = ("old", "new")
# DigiScript's client numbers the alignments; the names are accepted too and stored as numbers.
TEXT_ALIGNMENTS = {"left": 1, "center": 2, "centre": 2, "right": 3}
MAX_AUTO_SAVE_INTERVAL = 86400
MAX_TABLES = 200
TEXT_FORMATS = ("default", "upper", "lower")
TEXT_FORMAT_MESSAGE = "Text format missing or invalid"
BACKGROUND_MISSING = "Background colour missing"
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


class UserSettingsSchema(Schema):
    enable_script_auto_save = fields.Boolean()
    script_auto_save_interval = fields.Integer()
    cue_position_right = fields.Boolean()
    script_text_alignment = fields.Integer()
    console_log_level = fields.String()
    character_mru_sort = fields.Boolean()
    character_combined_dropdown = fields.Boolean()
    preferred_ui = fields.String(allow_none=True)
    table_page_sizes = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    default_sd_text_colour = fields.String(allow_none=True)
    default_sd_background_colour = fields.String(allow_none=True)
    show_current_cue_footer = fields.Boolean()


class Alignment(fields.Field):
    """1, 2 or 3 (left, centre, right), or one of those names."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and value.strip().lower() in TEXT_ALIGNMENTS:
            return TEXT_ALIGNMENTS[value.strip().lower()]
        if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2, 3):
            return value
        raise self.make_error("invalid")


class Choice(StrictString):
    """One of a few exact strings, or null."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(max_length=32, allow_none=True, **kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise self.make_error("invalid")
        return text


class Colour(StrictString):
    """A hex colour such as `#ffcc00`, or null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=9, allow_none=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not COLOUR.fullmatch(text):
            raise self.make_error("invalid")
        return text


class PageSizes(fields.Field):
    """Rows per page by table name (0 means all rows), or null."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, int]:
        if not isinstance(value, dict) or len(value) > MAX_TABLES:
            raise self.make_error("invalid")
        for key, size in value.items():
            if not isinstance(key, str) or not 0 < len(key) <= 100:
                raise self.make_error("invalid")
            if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= 10000:
                raise self.make_error("invalid")
        return dict(value)


INTERVAL_MESSAGE = (
    f"script_auto_save_interval must be an integer between 1 and {MAX_AUTO_SAVE_INTERVAL}"
)


def _must_be(key: str, what: str) -> dict[str, Any]:
    # null is "invalid" too: only the nullable fields below accept it.
    return messages(f"{key} must be {what}")


class UserSettingsPatchSchema(InputSchema):
    """Any subset of the user's settings; keys it does not know are ignored."""

    enable_script_auto_save = StrictBoolean(
        error_messages=_must_be("enable_script_auto_save", "a boolean")
    )
    script_auto_save_interval = StrictInteger(
        validate=Range(1, MAX_AUTO_SAVE_INTERVAL, error=INTERVAL_MESSAGE),
        error_messages=messages(INTERVAL_MESSAGE),
    )
    cue_position_right = StrictBoolean(error_messages=_must_be("cue_position_right", "a boolean"))
    script_text_alignment = Alignment(
        error_messages=_must_be("script_text_alignment", "1 (left), 2 (center) or 3 (right)")
    )
    console_log_level = LevelName(
        CONSOLE_LOG_LEVELS,
        error_messages=_must_be("console_log_level", "one of " + ", ".join(CONSOLE_LOG_LEVELS)),
    )
    character_mru_sort = StrictBoolean(error_messages=_must_be("character_mru_sort", "a boolean"))
    character_combined_dropdown = StrictBoolean(
        error_messages=_must_be("character_combined_dropdown", "a boolean")
    )
    preferred_ui = Choice(
        PREFERRED_UIS, error_messages=_must_be("preferred_ui", 'null, "old" or "new"')
    )
    table_page_sizes = PageSizes(
        allow_none=True,
        error_messages=_must_be(
            "table_page_sizes", "null or an object of table names to rows per page (0 for all)"
        ),
    )
    default_sd_text_colour = Colour(
        error_messages=_must_be("default_sd_text_colour", "null or a hex colour such as #1a2b3c")
    )
    default_sd_background_colour = Colour(
        error_messages=_must_be(
            "default_sd_background_colour", "null or a hex colour such as #1a2b3c"
        )
    )
    show_current_cue_footer = StrictBoolean(
        error_messages=_must_be("show_current_cue_footer", "a boolean")
    )

    def load_request(self, data: Any) -> dict[str, Any]:
        """`changes` (validated) and `unknown` (the names of the keys that were ignored)."""
        changes = self.load_body(data)
        return {"changes": changes, "unknown": sorted(str(k) for k in data if k not in self.fields)}


# -- overrides of a show's styles, for the signed-in user only -------------------------------


class OverrideSchema(Schema):
    """One override: its own id and the overriding values (`settings.id` is the overridden
    style's or cue type's id)."""

    id = fields.Integer(required=True)
    settings = fields.Dict(keys=fields.String(), required=True)


class OverrideListSchema(Schema):
    overrides = fields.List(fields.Nested(OverrideSchema), required=True)


def _flag(key: str) -> StrictBoolean:
    return StrictBoolean(
        load_default=False, data_key=key, error_messages=_must_be(key, "a boolean")
    )


def _text_format(key: str, **kwargs: Any) -> StrictString:
    return StrictString(
        data_key=key,
        max_length=16,
        validate=OneOf(TEXT_FORMATS, error=TEXT_FORMAT_MESSAGE),
        error_messages=messages(TEXT_FORMAT_MESSAGE),
        **kwargs,
    )


def _text_colour(key: str, **kwargs: Any) -> StrictString:
    return StrictString(
        data_key=key,
        max_length=32,
        error_messages=messages(
            "Text colour missing",
            "Text colour must be a string",
            too_long="Text colour must be 32 characters or fewer",
            control="Text colour must not contain control characters",
        ),
        **kwargs,
    )


def _background_colour(key: str, **kwargs: Any) -> StrictString:
    return StrictString(
        data_key=key,
        allow_none=True,
        max_length=32,
        blank_is_missing=False,
        error_messages=messages(
            "Background colour missing",
            "Background colour must be a string",
            too_long="Background colour must be 32 characters or fewer",
            control="Background colour must not contain control characters",
        ),
        **kwargs,
    )


def _colour(key: str, **kwargs: Any) -> StrictString:
    return StrictString(
        data_key=key,
        max_length=32,
        error_messages=messages(
            "Colour missing",
            "Colour must be a string",
            too_long="Colour must be 32 characters or fewer",
            control="Colour must not contain control characters",
        ),
        **kwargs,
    )


def _positive_id(key: str, missing: str, invalid: str) -> StrictInteger:
    # DigiScript treats an id of 0 as no id at all.
    return StrictInteger(
        required=True,
        data_key=key,
        validate=Range(min=1, error=missing),
        error_messages=messages(missing, invalid),
    )


class StageDirectionOverrideInputSchema(InputSchema):
    """POST: the style to override and all of its new look (camelCase, as DigiScript's client
    sends it)."""

    style_id = _positive_id("styleId", "Style ID missing", "Style ID must be an integer")
    bold = _flag("bold")
    italic = _flag("italic")
    underline = _flag("underline")
    text_format = _text_format("textFormat", required=True)
    text_colour = _text_colour("textColour", required=True)
    enable_background_colour = _flag("enableBackgroundColour")
    background_colour = _background_colour("backgroundColour", load_default=None)

    @validates_schema
    def _background_when_enabled(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["enable_background_colour"] and not data["background_colour"]:
            raise ValidationError(BACKGROUND_MISSING, "backgroundColour")
        if not data["background_colour"]:
            data["background_colour"] = None


class _OverrideIdSchema(InputSchema):
    id = _positive_id("id", "ID missing", "ID must be an integer")


class StageDirectionOverridePatchSchema(_OverrideIdSchema):
    """PATCH: the override's id and any of its values (snake_case, as the client sends them);
    the values left out keep what they were."""

    bold = StrictBoolean(error_messages=_must_be("bold", "a boolean"))
    italic = StrictBoolean(error_messages=_must_be("italic", "a boolean"))
    underline = StrictBoolean(error_messages=_must_be("underline", "a boolean"))
    text_format = _text_format("text_format")
    text_colour = _text_colour("text_colour")
    enable_background_colour = StrictBoolean(
        error_messages=_must_be("enable_background_colour", "a boolean")
    )
    background_colour = _background_colour("background_colour")


class CueColourOverrideInputSchema(InputSchema):
    """POST: the cue type to override and its new colour."""

    cue_type_id = _positive_id("cueTypeId", "Cue type ID missing", "Cue type ID must be an integer")
    colour = _colour("colour", required=True)


class CueColourOverridePatchSchema(_OverrideIdSchema):
    colour = _colour("colour")


class OverrideIdQuerySchema(InputSchema):
    """`?id=<override id>`."""

    id = QueryInteger(required=True, error_messages=messages("ID missing", "Invalid ID"))

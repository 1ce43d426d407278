"""Per-user settings: the shape answered by GET /user/settings and the checks on PATCH."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, fields
from marshmallow.validate import Range

from server.schemas.base import (
    InputSchema,
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

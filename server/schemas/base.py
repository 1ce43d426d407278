"""Input-schema plumbing: strict fields and one contract message per failed load."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields
from marshmallow_sqlalchemy import ModelConverter, SQLAlchemySchema, SQLAlchemySchemaOpts

from server.db import UTCDateTime, as_utc
from server.errors import Invalid
from server.jsonio import first_bad_text

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


class InputSchema(Schema):
    """A request body schema. Unknown keys are ignored, as DigiScript's client sends extras."""

    class Meta:
        unknown = EXCLUDE

    # JSON Schema keywords of the whole body for the OpenAPI document, beyond its fields'
    # (`{"minProperties": 1}` for a body that must name something to change).
    openapi_keywords: ClassVar[dict[str, Any]] = {}

    def load_body(self, body: Any, partial: bool = False) -> dict[str, Any]:
        """The validated body; Invalid with the message of the first failing field otherwise."""
        if not isinstance(body, Mapping):
            raise Invalid("Invalid JSON body")
        refuse_bad_text(body)
        try:
            result: dict[str, Any] = self.load(body, partial=partial)
        except ValidationError as exc:
            raise Invalid(first_message(self, exc)) from exc
        return result

    def load_request(self, data: Any) -> dict[str, Any]:
        """What an endpoint declared with this schema is given (`Call.body` / `Call.query`):
        the validated body by default; a schema may shape it further."""
        return self.load_body(data)


def refuse_bad_text(data: Any, prefix: str = "") -> None:
    """Invalid naming the field when any string in `data`, however deep, holds a lone UTF-16
    surrogate (see `server.jsonio.is_text`): checked before any field's own rules, whatever its
    type, and for keys the schema ignores as well."""
    where = first_bad_text(data)
    if where is not None:
        raise Invalid(f"{prefix}{where or 'field names'} must be valid text")


def first_message(schema: Schema, exc: ValidationError) -> str:
    errors = exc.normalized_messages()
    if not isinstance(errors, dict):
        return str(errors)
    names = [f.data_key or name for name, f in schema.fields.items()] + ["_schema"]
    for name in names:
        if name in errors:
            return _flatten(errors[name])
    return _flatten(next(iter(errors.values())))


def _flatten(value: Any) -> str:
    while isinstance(value, list | dict):
        if not value:
            return "Invalid value"
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
    return str(value)


class StrictInteger(fields.Integer):
    """An integer that was sent as a JSON integer: no strings, floats or booleans."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        if not -(2**63) <= value < 2**63:
            raise self.make_error("invalid")
        return value


class StrictBoolean(fields.Boolean):
    """A JSON true or false; no strings or numbers (1 and 0 included, though 1 == True)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictString(fields.String):
    """A JSON string, stripped of surrounding white space; no numbers or booleans."""

    def __init__(self, max_length: int = 255, blank_is_missing: bool = True, **kwargs: Any):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.blank_is_missing = blank_is_missing

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        value = value.strip()
        if not value and self.blank_is_missing:
            raise self.make_error("required")
        if len(value) > self.max_length:
            raise self.make_error("too_long")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise self.make_error("control")
        return value


class IntegerList(fields.List):
    """A JSON list of integers (no booleans, no duplicates)."""

    max_items = 1000

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(StrictInteger(), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        if len(value) > self.max_items:
            raise self.make_error("invalid")
        if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise self.make_error("item_invalid")
        if len(set(value)) != len(value):
            raise self.make_error("duplicate")
        return list(value)


class QueryInteger(fields.Field):
    """An integer given as query-string text (`?id=7`); blank text is no value at all."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kw: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kw)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = value.strip() if isinstance(value, str) else ""
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            raise self.make_error("invalid")
        return int(text)


class UTCDateTimeInput(fields.Field):
    """An ISO-8601 date and time. With an offset it is converted to UTC; without one it is UTC.

    Kept to whole seconds: a performance is planned, shown and compared to the second.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        if not isinstance(value, str) or len(value) > 64 or len(value) < 16:
            raise self.make_error("invalid")
        text = value.strip()
        # fromisoformat stops reading at a NUL, so "...19:30:00\x00junk" would pass whole.
        if not (text.isascii() and text.isprintable()):
            raise self.make_error("invalid")
        if text[10:11] not in ("T", "t", " "):
            raise self.make_error("invalid")
        try:
            parsed = dt.datetime.fromisoformat(text)
            result = as_utc(parsed)
        except (ValueError, OverflowError) as exc:
            raise self.make_error("invalid") from exc
        if not EARLIEST <= result < LATEST:
            raise self.make_error("invalid")
        return result.replace(microsecond=0)


class DateInput(fields.Field):
    """A calendar date, `YYYY-MM-DD`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        if not isinstance(value, str) or len(value) != 10:
            raise self.make_error("invalid")
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise self.make_error("invalid") from exc


class UTCDateTimeOutput(fields.Field):
    """A UTC instant as DigiScript's client reads it: ISO-8601 to the second, no offset."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return format_utc(value)


def format_utc(value: dt.datetime) -> str:
    return as_utc(value).replace(tzinfo=None).isoformat(timespec="seconds")


def finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def messages(missing: str, invalid: str | None = None, **extra: str) -> dict[str, Any]:
    """error_messages for a field: `missing` when absent, null or blank; `invalid` otherwise."""
    invalid = invalid or missing
    return {
        "required": missing,
        "null": missing,
        "invalid": invalid,
        "too_long": extra.pop("too_long", invalid),
        "control": extra.pop("control", invalid),
        "duplicate": extra.pop("duplicate", invalid),
        "item_invalid": extra.pop("item_invalid", invalid),
        **extra,
    }


class _Converter(ModelConverter):
    """Columns as output fields: instants as `UTCDateTimeOutput`, like every time we answer."""

    SQLA_TYPE_MAPPING = {**ModelConverter.SQLA_TYPE_MAPPING, UTCDateTime: UTCDateTimeOutput}


class _ModelSchemaOpts(SQLAlchemySchemaOpts):
    def __init__(self, meta: Any, *args: Any, **kwargs: Any) -> None:
        if not hasattr(meta, "model_converter"):
            meta.model_converter = _Converter
        super().__init__(meta, *args, **kwargs)


class ModelSchema(SQLAlchemySchema):
    """An output schema fed by a model: `auto_field()` takes a column's type (and whether it
    may be null) from the model, so a new column is one line here."""

    OPTIONS_CLASS = _ModelSchemaOpts

"""Casting shapes: characters' pools and a session's casting."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.schemas.base import DateInput, InputSchema, IntegerList, messages

# -- answers ----------------------------------------------------------------------------------


class PoolSchema(Schema):
    character_id = fields.Integer(required=True)
    cast_ids = fields.List(fields.Integer(), required=True)


class PoolListSchema(Schema):
    pools = fields.List(fields.Nested(PoolSchema), required=True)


class CastingCellSchema(Schema):
    character_id = fields.Integer(required=True)
    cast_id = fields.Integer(required=True, allow_none=True)
    principal_cast_id = fields.Integer(required=True, allow_none=True)
    is_cover = fields.Boolean(required=True)


class CastingWarningSchema(Schema):
    kind = fields.String(required=True)
    message = fields.String(required=True)
    character_ids = fields.List(fields.Integer(), required=True)
    cast_id = fields.Integer(required=True, allow_none=True)


class SessionCastingSchema(Schema):
    session_id = fields.Integer(required=True)
    casting = fields.List(fields.Nested(CastingCellSchema), required=True)
    warnings = fields.List(fields.Nested(CastingWarningSchema), required=True)


# -- requests ---------------------------------------------------------------------------------


class PoolInputSchema(InputSchema):
    cast_ids = IntegerList(
        required=True,
        error_messages=messages(
            "cast_ids is required",
            "cast_ids must be a list of cast member ids",
            duplicate="cast_ids must not name a cast member twice",
        ),
    )


CASTING_INVALID = "casting must map character ids to cast member ids (or null)"


class CastingCells(fields.Field):
    """`{"<character_id>": <cast_id or null>, ...}`, at least one."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict) or not value or len(value) > 1000:
            raise ValidationError(CASTING_INVALID)
        cells: dict[int, int | None] = {}
        for key, cast_id in value.items():
            if not (isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 18):
                raise ValidationError(CASTING_INVALID)
            if cast_id is not None and (
                isinstance(cast_id, bool)
                or not isinstance(cast_id, int)
                or not 0 <= cast_id < 2**63
            ):
                raise ValidationError(CASTING_INVALID)
            cells[int(key)] = cast_id
        return cells


class CastingInputSchema(InputSchema):
    casting = CastingCells(
        required=True,
        error_messages=messages(CASTING_INVALID),
        metadata={
            "openapi": {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1000,
                "propertyNames": {"pattern": "^[0-9]{1,18}$"},
                "additionalProperties": {"type": ["integer", "null"], "minimum": 0},
            }
        },
    )


# -- the matrix -------------------------------------------------------------------------------

# The longest range one matrix may cover, in days.
MAX_MATRIX_DAYS = 366


class MatrixCellSchema(Schema):
    session_id = fields.Integer(required=True)
    character_id = fields.Integer(required=True)
    cast_id = fields.Integer(required=True, allow_none=True)
    is_cover = fields.Boolean(required=True)


class MatrixWarningSchema(CastingWarningSchema):
    session_id = fields.Integer(required=True)


class MatrixSchema(Schema):
    sessions = fields.List(fields.Integer(), required=True)
    characters = fields.List(fields.Integer(), required=True)
    cells = fields.List(fields.Nested(MatrixCellSchema), required=True)
    warnings = fields.List(fields.Nested(MatrixWarningSchema), required=True)


class MatrixQuerySchema(InputSchema):
    from_ = DateInput(
        required=True,
        data_key="from",
        error_messages=messages("from missing", "from must be a date, YYYY-MM-DD"),
    )
    to = DateInput(
        required=True, error_messages=messages("to missing", "to must be a date, YYYY-MM-DD")
    )

    @validates_schema
    def bounded(self, data: dict[str, Any], **_kwargs: Any) -> None:
        days = (data["to"] - data["from_"]).days
        if days < 0:
            raise ValidationError("to must not be before from")
        if days > MAX_MATRIX_DAYS:
            raise ValidationError(f"from and to may be at most {MAX_MATRIX_DAYS} days apart")


# -- cast changes tonight and the cast sheet --------------------------------------------------


class CastingChangeSchema(Schema):
    character_id = fields.Integer(required=True)
    character = fields.String(required=True)
    principal_cast_id = fields.Integer(required=True, allow_none=True)
    principal = fields.String(required=True, allow_none=True)
    cast_id = fields.Integer(required=True, allow_none=True)
    cast = fields.String(required=True, allow_none=True)


class CastingChangesSchema(Schema):
    session_id = fields.Integer(required=True)
    changes = fields.List(fields.Nested(CastingChangeSchema), required=True)
    warnings = fields.List(fields.Nested(CastingWarningSchema), required=True)


CAST_SHEET_FORMATS = ("html", "csv")
CAST_SHEET_FORMAT_INVALID = "format must be html or csv"


class CastSheetQuerySchema(InputSchema):
    format = fields.String(
        load_default="html",
        metadata={"enum": list(CAST_SHEET_FORMATS)},
        validate=validate.OneOf(CAST_SHEET_FORMATS, error=CAST_SHEET_FORMAT_INVALID),
        error_messages=messages(CAST_SHEET_FORMAT_INVALID),
    )

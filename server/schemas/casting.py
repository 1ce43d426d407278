"""Casting shapes: characters' pools and a session's casting."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields

from server.schemas.base import InputSchema, IntegerList, messages

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

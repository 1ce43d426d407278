"""Session-tag shapes."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow_sqlalchemy import auto_field

from server.models import SessionTag
from server.schemas.base import (
    InputSchema,
    ModelSchema,
    QueryInteger,
    StrictInteger,
    StrictString,
    messages,
)


class SessionTagSchema(ModelSchema):
    class Meta:
        model = SessionTag

    id = auto_field()
    show_id = auto_field()
    tag = auto_field()
    colour = auto_field()


class TagListSchema(Schema):
    tags = fields.List(fields.Nested(SessionTagSchema), required=True)


class TagGroupSchema(Schema):
    """Another show's tags."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    tags = fields.List(fields.Nested(SessionTagSchema), required=True)


class TagImportSchema(Schema):
    tag_groups = fields.List(fields.Nested(TagGroupSchema), required=True)


def _tag_name() -> StrictString:
    return StrictString(
        required=True,
        max_length=100,
        error_messages=messages(
            "Tag name missing",
            "Tag name must be a string",
            too_long="Tag name must be 100 characters or fewer",
            control="Tag name must not contain control characters",
        ),
    )


def _colour() -> StrictString:
    return StrictString(
        required=True,
        max_length=32,
        error_messages=messages(
            "Colour missing",
            "Colour must be a string",
            too_long="Colour must be 32 characters or fewer",
            control="Colour must not contain control characters",
        ),
    )


def _tag_id() -> StrictInteger:
    return StrictInteger(
        required=True, error_messages=messages("ID missing", "ID must be an integer")
    )


class CreateTagSchema(InputSchema):
    tag = _tag_name()
    colour = _colour()


class UpdateTagSchema(InputSchema):
    id = _tag_id()
    tag = _tag_name()
    colour = _colour()


class TagIdQuerySchema(InputSchema):
    """`?id=<tag id>`."""

    id = QueryInteger(required=True, error_messages=messages("ID missing", "ID must be an integer"))

"""Session-tag shapes."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.schemas.base import InputSchema, StrictInteger, StrictString, messages


class SessionTagSchema(Schema):
    id = fields.Integer()
    show_id = fields.Integer()
    tag = fields.String()
    colour = fields.String()


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
    id = _tag_id()

"""User input and output shapes."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.schemas.base import InputSchema, StrictString, UTCDateTimeOutput, messages


class CreateUserSchema(InputSchema):
    username = StrictString(required=True, error_messages=messages("Username missing"))
    password = fields.String(required=True, error_messages=messages("Password missing"))
    is_admin = fields.Boolean(
        load_default=False,
        truthy={True},
        falsy={False},
        error_messages=messages("is_admin must be a boolean"),
    )


class LoginSchema(InputSchema):
    username = StrictString(required=True, error_messages=messages("Username missing"))
    password = fields.String(required=True, error_messages=messages("Password missing"))
    session_id = fields.String(
        load_default=None, allow_none=True, error_messages=messages("session_id must be a string")
    )


class LogoutSchema(InputSchema):
    session_id = fields.String(
        load_default=None, allow_none=True, error_messages=messages("session_id must be a string")
    )


class UserIdQuerySchema(InputSchema):
    """`?id=<user id>` (a query string: the digits arrive as text)."""

    id = fields.Integer(
        required=True, error_messages=messages("Id missing", "Id must be an integer")
    )


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    is_admin = fields.Boolean()
    created_on = UTCDateTimeOutput()
    last_login = UTCDateTimeOutput()
    last_seen = UTCDateTimeOutput()
    requires_password_change = fields.Boolean()
    token_version = fields.Integer()

"""User input and output shapes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from marshmallow_sqlalchemy import auto_field

from server.models import User
from server.schemas.base import (
    InputSchema,
    ModelSchema,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)


class CreateUserSchema(InputSchema):
    username = StrictString(required=True, error_messages=messages("Username missing"))
    # Its length is checked where passwords are made (operations.users): 6 characters at
    # least, 72 bytes of UTF-8 at most (all bcrypt reads).
    password = fields.String(
        required=True,
        metadata={"minLength": 6, "maxLength": 72},
        error_messages=messages("Password missing"),
    )
    is_admin = StrictBoolean(
        load_default=False, error_messages=messages("is_admin must be a boolean")
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


class UpdateUserSchema(InputSchema):
    """PATCH /api/v2/users?id=: what an admin may change about another user."""

    is_admin = StrictBoolean(
        required=True, error_messages=messages("is_admin missing", "is_admin must be a boolean")
    )


class ResetPasswordSchema(InputSchema):
    user_id = StrictInteger(
        required=True,
        metadata={"minimum": 1},
        error_messages=messages("user_id is required", "user_id must be an integer"),
    )


class ChangePasswordSchema(InputSchema):
    # Not needed while the user must change a password an admin reset.
    old_password = fields.String(
        load_default="", error_messages=messages("old_password must be a string")
    )
    new_password = fields.String(
        required=True,
        metadata={"minLength": 6, "maxLength": 72},
        error_messages=messages("New password is required", "new_password must be a string"),
    )


class PasswordResetSchema(Schema):
    message = fields.String(required=True)
    temporary_password = fields.String(required=True)


class UserSchema(ModelSchema):
    """A user as the API shows them: never the password hash."""

    class Meta:
        model = User

    id = auto_field()
    username = auto_field()
    is_admin = auto_field()
    created_on = auto_field()
    last_login = auto_field()
    last_seen = auto_field()
    requires_password_change = auto_field()
    token_version = auto_field()


class UserListSchema(Schema):
    users = fields.List(fields.Nested(UserSchema), required=True)


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"enum": ["bearer"]})


class LoggedInSchema(TokenSchema):
    message = fields.String(required=True)


# GET /auth: the signed-in user, or {} for anyone else.
CURRENT_USER: dict[str, Any] = {
    "anyOf": [
        {"$ref": "#/components/schemas/User"},
        {"type": "object", "additionalProperties": False, "maxProperties": 0},
    ]
}


class HasApiTokenSchema(Schema):
    has_token = fields.Boolean(required=True)


class ApiTokenSchema(Schema):
    message = fields.String(required=True)
    # Shown this once: only its digest is kept.
    api_token = fields.String(required=True)

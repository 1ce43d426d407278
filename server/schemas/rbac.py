"""The role grant/revoke body, with DigiScript's messages."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.schemas.base import (
    InputSchema,
    QueryInteger,
    StrictInteger,
    StrictString,
    messages,
)

OBJECT_INVALID = "object must be an object with an integer id"


class ObjectRefSchema(InputSchema):
    # A value that is no object at all is refused by this schema, not by the Nested field.
    error_messages = {"type": OBJECT_INVALID}

    id = StrictInteger(required=True, error_messages=messages(OBJECT_INVALID))


class RoleChangeSchema(InputSchema):
    resource = StrictString(
        required=True,
        metadata={"enum": ["shows"]},
        error_messages=messages(
            "resource body parameter not fulfilled", "resource must be a string"
        ),
    )
    object = fields.Nested(
        ObjectRefSchema,
        required=True,
        error_messages=messages("object body parameter not fulfilled", OBJECT_INVALID),
    )
    user = StrictInteger(
        required=True,
        error_messages=messages("user body parameter not fulfilled", "user must be an integer"),
    )
    role = StrictInteger(
        required=True,
        error_messages=messages("role body parameter not fulfilled", "role must be an integer"),
    )


class RoleSchema(Schema):
    key = fields.String(required=True)
    value = fields.Integer(required=True)


class RoleListSchema(Schema):
    roles = fields.List(fields.Nested(RoleSchema), required=True)


class ShowRolesSchema(Schema):
    """Empty when no show is loaded."""

    shows = fields.List(
        fields.Raw(),
        metadata={
            "openapi": {
                "type": "array",
                "description": "[show, role mask] for the loaded show",
                "items": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/Show"},
                            {"type": "integer"},
                        ]
                    },
                },
            }
        },
    )
    script = fields.List(
        fields.Raw(),
        metadata={
            "openapi": {
                "type": "array",
                "description": "[{id: script id}, role mask] for the loaded show's script",
                "items": {"type": "array", "minItems": 2, "maxItems": 2},
            }
        },
    )


class UserRolesSchema(Schema):
    roles = fields.Nested(ShowRolesSchema, required=True)


class ResourceListSchema(Schema):
    resources = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The resources roles are held on (table names)"},
    )


class ObjectsQuerySchema(InputSchema):
    """`?resource=shows&user=<user id>`; without a user, the objects alone."""

    resource = StrictString(
        required=True,
        error_messages=messages("resource query parameter not fulfilled"),
    )
    user = QueryInteger(
        load_default=None,
        metadata={"openapi": {"type": "integer", "format": "int64"}},
        error_messages=messages("user query parameter not fulfilled", "user must be an integer"),
    )


class ObjectListSchema(Schema):
    objects = fields.List(
        fields.Raw(),
        required=True,
        metadata={
            "openapi": {
                "type": "array",
                "description": "The loaded show, or [show, the user's role mask] when a user "
                "is named; empty when no show is loaded",
                "items": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Show"},
                        {"type": "array", "minItems": 2, "maxItems": 2},
                    ]
                },
            }
        },
    )
    display_fields = fields.List(fields.String(), required=True)

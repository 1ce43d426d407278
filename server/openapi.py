"""The OpenAPI 3 document of the HTTP API, built from the marshmallow schemas the handlers use.

What the schemas cannot say (which schema a route reads and writes, its errors, who may call
it) is kept in one table here, keyed by the route's pattern and method.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from marshmallow import Schema, fields

from server.operations.sessions import COMPLETE, IN_PROGRESS, NEXT_UP, OVERDUE, SCHEDULED
from server.schemas.base import DateInput, StrictString, UTCDateTimeInput, UTCDateTimeOutput
from server.schemas.logs import LogBatchSchema
from server.schemas.rbac import RoleChangeSchema
from server.schemas.sessions import (
    AssignTagsSchema,
    ScheduleSessionSchema,
    SessionEventSchema,
    ShowSessionSchema,
    StartSessionSchema,
    UpdateSessionSchema,
)
from server.schemas.settings import SettingsPatchSchema
from server.schemas.shows import (
    ChangeRevisionSchema,
    CreateRevisionSchema,
    CreateShowSchema,
    ScriptRevisionSchema,
    ShowSchema,
)
from server.schemas.tags import (
    CreateTagSchema,
    SessionTagSchema,
    TagIdQuerySchema,
    UpdateTagSchema,
)
from server.schemas.user_settings import UserSettingsPatchSchema, UserSettingsSchema
from server.schemas.users import (
    CreateUserSchema,
    LoginSchema,
    LogoutSchema,
    UserIdQuerySchema,
    UserSchema,
)

TITLE = "DigiScript show-session server"
OPENAPI_VERSION = "3.1.0"
BEARER = "bearerAuth"

# Who may call an operation, as the document's `security` says it.
PUBLIC = "public"  # no token needed, and a bad one is ignored
OPTIONAL = "optional"  # no token needed, but one that is sent must be good (else 401)
REQUIRED = "required"  # a good token is needed

ERROR_DESCRIPTIONS = {
    400: "Bad input (the message names the field), or no show loaded",
    401: "Not logged in, or the token is malformed, badly signed, expired or revoked",
    403: "Logged in but lacking the role",
    404: "No such object, or it belongs to another show",
    409: "Conflicts with the state of a session or show",
}

# Output datetimes are UTC to the second, without an offset (what DigiScript's client parses).
UTC_DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"


# -- response envelopes: the dicts handlers build around the item schemas ------------------


def _session_schema() -> ShowSessionSchema:
    # The status is computed per request; the document only needs the shape.
    return ShowSessionSchema(status_of=lambda _session: SCHEDULED)


class ErrorSchema(Schema):
    message = fields.String(required=True)


class MessageSchema(Schema):
    message = fields.String(required=True)


class CreatedSchema(Schema):
    id = fields.Integer(required=True)
    message = fields.String(required=True)


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"enum": ["bearer"]})


class LoggedInSchema(TokenSchema):
    message = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})
    version = fields.String(required=True)


class PublicSettingsSchema(Schema):
    current_show = fields.Integer(required=True, allow_none=True)
    has_admin_user = fields.Boolean(required=True)
    version = fields.String(required=True)
    client_log_enabled = fields.Boolean(required=True)
    client_log_level = fields.String(required=True)


RAW_SETTINGS: dict[str, Any] = {
    "type": "object",
    "description": "Every setting by key, with what a settings form needs to show and edit it",
    "additionalProperties": {
        "type": "object",
        "required": [
            "type",
            "value",
            "default",
            "can_edit",
            "display_name",
            "help_text",
            "hide_from_ui",
        ],
        "properties": {
            "type": {"type": "string", "enum": ["int", "bool", "str"]},
            "value": {},
            "default": {},
            "can_edit": {"type": "boolean"},
            "display_name": {"type": "string"},
            "help_text": {"type": "string"},
            "hide_from_ui": {"type": "boolean"},
            "choice_options": {"type": "array", "items": {"type": "string"}},
            "choice_labels": {"type": "array", "items": {"type": "string"}},
        },
    },
}


class SettingsCategoriesSchema(Schema):
    categories = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), required=True
    )


class ScriptModeSchema(Schema):
    text = fields.String(required=True)
    value = fields.Integer(required=True)


class ScriptModeListSchema(Schema):
    script_modes = fields.List(fields.Nested(ScriptModeSchema), required=True)


class LogBatchStatusSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})


class UserListSchema(Schema):
    users = fields.List(fields.Nested(UserSchema), required=True)


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


class ShowListSchema(Schema):
    shows = fields.List(fields.Nested(ShowSchema), required=True)


class RevisionListSchema(Schema):
    current_revision = fields.Integer(required=True, allow_none=True)
    revisions = fields.List(fields.Nested(ScriptRevisionSchema), required=True)


class CurrentRevisionSchema(Schema):
    current_revision = fields.Integer(required=True, allow_none=True)


class SessionListSchema(Schema):
    sessions = fields.List(fields.Nested(_session_schema()), required=True)
    current_session = fields.Nested(_session_schema(), required=True, allow_none=True)
    current_interval = fields.Raw(
        required=True, allow_none=True, metadata={"openapi": {"type": "null"}}
    )


class SessionLogSchema(Schema):
    session = fields.Nested(_session_schema(), required=True)
    events = fields.List(fields.Nested(SessionEventSchema), required=True)


class TagListSchema(Schema):
    tags = fields.List(fields.Nested(SessionTagSchema), required=True)


class TagGroupSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    tags = fields.List(fields.Nested(SessionTagSchema), required=True)


class TagImportSchema(Schema):
    tag_groups = fields.List(fields.Nested(TagGroupSchema), required=True)


class ShowLoadQuerySchema(Schema):
    load_ = fields.Boolean(
        data_key="load", metadata={"description": "Load the new show as the current one"}
    )


# Fields whose value a function computes: what the function returns.
COMPUTED_FIELDS: dict[tuple[str, str], dict[str, Any]] = {
    ("ShowSessionSchema", "show"): {"type": "integer"},
    ("ShowSessionSchema", "revision"): {"type": ["integer", "null"]},
    ("ShowSessionSchema", "user"): {"type": ["integer", "null"]},
    ("ShowSessionSchema", "client"): {"type": ["string", "null"]},
    ("ShowSessionSchema", "status"): {
        "type": "string",
        "enum": [COMPLETE, IN_PROGRESS, NEXT_UP, SCHEDULED, OVERDUE],
    },
}


# -- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """What the document says about one (route pattern, method)."""

    summary: str
    response: Schema | type[Schema] | dict[str, Any]
    request: type[Schema] | None = None
    body_required: bool = True
    query: type[Schema] | None = None
    errors: tuple[int, ...] = ()
    auth: str = OPTIONAL
    path_params: tuple[str, ...] = field(default_factory=tuple)
    tag: str = "misc"


CURRENT_USER = {
    "anyOf": [
        {"$ref": "#/components/schemas/User"},
        {"type": "object", "additionalProperties": False, "maxProperties": 0},
    ]
}
ANY_OBJECT: dict[str, Any] = {"type": "object"}

SESSION = r"/api/v1/show/sessions/([^/]+)"

ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    # service
    (r"/api/v1/health", "GET"): Endpoint(
        "Liveness and version", HealthSchema, auth=PUBLIC, tag="service"
    ),
    (r"/api/v1/openapi.json", "GET"): Endpoint(
        "This document", ANY_OBJECT, auth=PUBLIC, tag="service"
    ),
    (r"/api/v1/settings", "GET"): Endpoint(
        "Server settings and the loaded show", PublicSettingsSchema, auth=PUBLIC, tag="settings"
    ),
    (r"/api/v1/settings", "PATCH"): Endpoint(
        "Load a show or change settings (admin)",
        MessageSchema,
        SettingsPatchSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="settings",
    ),
    (r"/api/v1/settings/raw", "GET"): Endpoint(
        "Every setting with its type, default and whether it may be edited",
        RAW_SETTINGS,
        auth=PUBLIC,
        tag="settings",
    ),
    (r"/api/v1/settings/categories", "GET"): Endpoint(
        "How a settings form groups the settings",
        SettingsCategoriesSchema,
        auth=PUBLIC,
        tag="settings",
    ),
    (r"/api/v1/user/settings", "GET"): Endpoint(
        "The current user's own settings (made with defaults on first read)",
        UserSettingsSchema,
        auth=REQUIRED,
        tag="settings",
    ),
    (r"/api/v1/user/settings", "PATCH"): Endpoint(
        "Change some of the current user's settings; unknown keys are ignored",
        MessageSchema,
        UserSettingsPatchSchema,
        errors=(400,),
        auth=REQUIRED,
        tag="settings",
    ),
    (r"/api/v1/logs/batch", "POST"): Endpoint(
        "Write browser log messages to the server log (at most 500 entries, 64 KB)",
        LogBatchStatusSchema,
        LogBatchSchema,
        errors=(400,),
        auth=PUBLIC,
        tag="service",
    ),
    # users and tokens
    (r"/api/v1/auth/create", "POST"): Endpoint(
        "Create a user (no login for the first, an admin afterwards)",
        MessageSchema,
        CreateUserSchema,
        errors=(400, 401, 403),
        auth=PUBLIC,
        tag="auth",
    ),
    (r"/api/v2/users", "POST"): Endpoint(
        "Create a user (as /api/v1/auth/create)",
        MessageSchema,
        CreateUserSchema,
        errors=(400, 401, 403),
        auth=PUBLIC,
        tag="auth",
    ),
    (r"/api/v2/users", "GET"): Endpoint(
        "Every user (admin)", UserListSchema, errors=(403,), auth=REQUIRED, tag="auth"
    ),
    (r"/api/v2/users", "DELETE"): Endpoint(
        "Delete another user (admin); their roles and settings go with them",
        MessageSchema,
        query=UserIdQuerySchema,
        errors=(400, 403, 404),
        auth=REQUIRED,
        tag="auth",
    ),
    (r"/api/v1/auth/login", "POST"): Endpoint(
        "Log in", LoggedInSchema, LoginSchema, errors=(400, 401), auth=PUBLIC, tag="auth"
    ),
    (r"/api/v1/auth/logout", "POST"): Endpoint(
        "Log out: the token stops working",
        MessageSchema,
        LogoutSchema,
        body_required=False,
        errors=(400,),
        auth=REQUIRED,
        tag="auth",
    ),
    (r"/api/v1/auth/refresh-token", "POST"): Endpoint(
        "A fresh token", TokenSchema, auth=REQUIRED, tag="auth"
    ),
    (r"/api/v1/auth", "GET"): Endpoint(
        "The current user, or {} when not logged in", CURRENT_USER, auth=PUBLIC, tag="auth"
    ),
    (r"/api/v1/auth/users", "GET"): Endpoint(
        "Every user (admin)", UserListSchema, errors=(403,), auth=REQUIRED, tag="auth"
    ),
    # roles
    (r"/api/v1/rbac/roles", "GET"): Endpoint("The roles", RoleListSchema, tag="rbac"),
    (r"/api/v1/rbac/user/roles/grant", "POST"): Endpoint(
        "Grant a role on a show (admin)",
        MessageSchema,
        RoleChangeSchema,
        errors=(400, 403, 404),
        auth=REQUIRED,
        tag="rbac",
    ),
    (r"/api/v1/rbac/user/roles/revoke", "POST"): Endpoint(
        "Revoke a role on a show (admin)",
        MessageSchema,
        RoleChangeSchema,
        errors=(400, 403, 404),
        auth=REQUIRED,
        tag="rbac",
    ),
    (r"/api/v1/rbac/user/roles", "GET"): Endpoint(
        "The current user's roles on the loaded show", UserRolesSchema, auth=REQUIRED, tag="rbac"
    ),
    # shows and script revisions
    (r"/api/v1/show", "GET"): Endpoint("The loaded show", ShowSchema, errors=(400,), tag="shows"),
    (r"/api/v1/show", "POST"): Endpoint(
        "Create a show (admin)",
        CreatedSchema,
        CreateShowSchema,
        query=ShowLoadQuerySchema,
        errors=(400, 403, 409),
        auth=REQUIRED,
        tag="shows",
    ),
    (r"/api/v1/shows", "GET"): Endpoint("Every show", ShowListSchema, tag="shows"),
    (r"/api/v1/show/script_modes", "GET"): Endpoint(
        "The script modes a show may have", ScriptModeListSchema, tag="shows"
    ),
    (r"/api/v1/show/script/revisions", "GET"): Endpoint(
        "The loaded show's script revisions", RevisionListSchema, errors=(400,), tag="shows"
    ),
    (r"/api/v1/show/script/revisions", "POST"): Endpoint(
        "Add a script revision (WRITE)",
        CreatedSchema,
        CreateRevisionSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="shows",
    ),
    (r"/api/v1/show/script/revisions/current", "GET"): Endpoint(
        "The current script revision", CurrentRevisionSchema, errors=(400,), tag="shows"
    ),
    (r"/api/v1/show/script/revisions/current", "POST"): Endpoint(
        "Change the current script revision (WRITE)",
        MessageSchema,
        ChangeRevisionSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="shows",
    ),
    # sessions
    (r"/api/v1/show/sessions", "GET"): Endpoint(
        "The loaded show's sessions", SessionListSchema, errors=(400,), tag="sessions"
    ),
    (r"/api/v1/show/sessions/schedule", "POST"): Endpoint(
        "Schedule a session (EXECUTE)",
        CreatedSchema,
        ScheduleSessionSchema,
        errors=(400, 403),
        auth=REQUIRED,
        tag="sessions",
    ),
    (r"/api/v1/show/sessions/start", "POST"): Endpoint(
        "Start a scheduled or an ad-hoc session (EXECUTE)",
        MessageSchema,
        StartSessionSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="sessions",
    ),
    (r"/api/v1/show/sessions/stop", "POST"): Endpoint(
        "Stop the live session (EXECUTE)",
        MessageSchema,
        errors=(400, 403, 409),
        auth=REQUIRED,
        tag="sessions",
    ),
    (r"/api/v1/show/sessions/assign-tags", "PATCH"): Endpoint(
        "Replace a session's tags (WRITE)",
        MessageSchema,
        AssignTagsSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="sessions",
    ),
    (r"/api/v1/show/sessions/([^/]+)/log", "GET"): Endpoint(
        "A session and its log", SessionLogSchema, errors=(400, 404), tag="sessions"
    ),
    (SESSION, "PATCH"): Endpoint(
        "Edit a scheduled session (EXECUTE)",
        MessageSchema,
        UpdateSessionSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="sessions",
    ),
    (SESSION, "DELETE"): Endpoint(
        "Delete a session that has not started (EXECUTE)",
        MessageSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="sessions",
    ),
    # session tags
    (r"/api/v1/show/session/tags", "GET"): Endpoint(
        "The loaded show's session tags", TagListSchema, errors=(400,), tag="tags"
    ),
    (r"/api/v1/show/session/tags", "POST"): Endpoint(
        "Add a session tag (WRITE)",
        CreatedSchema,
        CreateTagSchema,
        errors=(400, 403, 409),
        auth=REQUIRED,
        tag="tags",
    ),
    (r"/api/v1/show/session/tags", "PATCH"): Endpoint(
        "Edit a session tag (WRITE)",
        MessageSchema,
        UpdateTagSchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="tags",
    ),
    (r"/api/v1/show/session/tags", "DELETE"): Endpoint(
        "Delete a session tag and its assignments (WRITE)",
        MessageSchema,
        query=TagIdQuerySchema,
        errors=(400, 403, 404, 409),
        auth=REQUIRED,
        tag="tags",
    ),
    (r"/api/v1/show/session/tags/import", "GET"): Endpoint(
        "Other shows' tags, grouped by show", TagImportSchema, errors=(400,), tag="tags"
    ),
}


# -- building the document ------------------------------------------------------------------

_GROUP = re.compile(r"\((?:[^()\\]|\\.)*\)")


def openapi_path(pattern: str, names: tuple[str, ...] = ()) -> str:
    """`/api/v1/show/sessions/([^/]+)` -> `/api/v1/show/sessions/{id}`."""
    remaining = list(names)

    def name(_match: re.Match[str]) -> str:
        return "{" + (remaining.pop(0) if remaining else "id") + "}"

    return _GROUP.sub(name, pattern).replace("\\", "")


def path_parameter_names(pattern: str, endpoint: Endpoint) -> list[str]:
    return re.findall(r"{([^}]+)}", openapi_path(pattern, endpoint.path_params))


def _field_overrides(
    self: OpenAPIConverter, field: fields.Field, ret: dict[str, Any], **_kwargs: Any
) -> dict[str, Any]:
    if "openapi" in field.metadata:
        ret.clear()
        return dict(field.metadata["openapi"])
    if isinstance(field, UTCDateTimeOutput):
        return {"type": ["string", "null"], "pattern": UTC_DATETIME_PATTERN}
    if isinstance(field, UTCDateTimeInput):
        return {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601; an offset is converted to UTC, none means UTC",
        }
    if isinstance(field, DateInput):
        return {"type": "string", "format": "date"}
    if isinstance(field, StrictString):
        # Surrounding white space is stripped before the length is checked.
        return {"minLength": 1 if field.blank_is_missing else 0, "maxLength": field.max_length}
    parent = field.parent
    if parent is not None and field.name is not None:
        computed = COMPUTED_FIELDS.get((type(parent).__name__, field.name))
        if computed is not None:
            return dict(computed)
    return {}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error(status: int) -> dict[str, Any]:
    return {"description": ERROR_DESCRIPTIONS[status], "content": _json(ErrorSchema)}


def _operation(pattern: str, method: str, endpoint: Endpoint) -> dict[str, Any]:
    statuses = set(endpoint.errors)
    if endpoint.auth in (OPTIONAL, REQUIRED):
        statuses.add(401)
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": _json(endpoint.response)},
    }
    for status in sorted(statuses):
        responses[str(status)] = _error(status)
    parameters: list[dict[str, Any]] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "description": "Anything but an integer names nothing (404)",
            "schema": {"type": "integer", "minimum": 0},
        }
        for name in path_parameter_names(pattern, endpoint)
    ]
    if endpoint.query is not None:
        parameters.append({"in": "query", "schema": endpoint.query})
    operation: dict[str, Any] = {
        "operationId": f"{method.lower()}_{_slug(pattern)}",
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "responses": responses,
        "security": _security(endpoint.auth),
    }
    if parameters:
        operation["parameters"] = parameters
    if endpoint.request is not None:
        operation["requestBody"] = {
            "required": endpoint.body_required,
            "content": _json(endpoint.request),
        }
    return operation


def _security(auth: str) -> list[dict[str, list[str]]]:
    if auth == REQUIRED:
        return [{BEARER: []}]
    if auth == OPTIONAL:
        return [{}, {BEARER: []}]
    return []


def _slug(pattern: str) -> str:
    path = openapi_path(pattern).removeprefix("/api/")
    return re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref.rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _reachable(schemas: dict[str, Any], roots: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


# Response schemas whose properties may be left out.
PARTIAL_OUTPUTS = {"ShowRoles"}


def _outputs_are_complete(document: dict[str, Any]) -> None:
    """Mark every property of a response-only schema required: a dump always writes them all."""
    schemas = document["components"]["schemas"]
    input_roots: set[str] = set()
    for operations in document["paths"].values():
        for operation in operations.values():
            input_roots.update(_refs(operation.get("requestBody", {})))
            input_roots.update(_refs(operation.get("parameters", [])))
    inputs = _reachable(schemas, input_roots)
    for name, schema in schemas.items():
        if name not in inputs and name not in PARTIAL_OUTPUTS and schema.get("properties"):
            schema["required"] = sorted(schema["properties"])


def build_document(version: str) -> dict[str, Any]:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title=TITLE,
        version=version,
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
        info={
            "description": "DigiScript's HTTP API for show sessions, plus scheduled sessions. "
            'Every error is JSON {"message": ...}; datetimes on the wire are UTC.'
        },
    )
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_field_overrides)
    spec.components.security_scheme(
        BEARER, {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.schema("Error", schema=ErrorSchema)
    by_path: dict[str, dict[str, Any]] = {}
    for (pattern, method), endpoint in ENDPOINTS.items():
        path = openapi_path(pattern, endpoint.path_params)
        by_path.setdefault(path, {})[method.lower()] = _operation(pattern, method, endpoint)
    for path in sorted(by_path):
        spec.path(path=path, operations=by_path[path])
    document = spec.to_dict()
    _outputs_are_complete(document)
    return document


@functools.cache
def _cached(version: str) -> dict[str, Any]:
    return build_document(version)


def document(version: str) -> dict[str, Any]:
    """The document for this server version (built once; callers get their own copy)."""
    return copy.deepcopy(_cached(version))

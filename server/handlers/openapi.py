"""The OpenAPI 3 document of the HTTP API, GET /api/v1/openapi.json: built from the endpoints'
declarations (see `server.handlers.base.endpoint`) and the marshmallow schemas they name;
nothing here is written per endpoint."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from typing import Any

import tornado.web
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from marshmallow import fields

from server.handlers.base import (
    ROUTES,
    Access,
    Answer,
    ApiNotFoundHandler,
    BaseAPIHandler,
    Call,
    Endpoint,
    Transaction,
    declared_methods,
    endpoint,
    route,
)
from server.schemas.base import (
    DateInput,
    InputSchema,
    IntegerList,
    QueryInteger,
    StrictInteger,
    StrictString,
    UTCDateTimeInput,
    UTCDateTimeOutput,
)
from server.schemas.common import ErrorSchema
from server.schemas.settings import LevelName

TITLE = "DigiScript show-session server"
OPENAPI_VERSION = "3.1.0"
BEARER = "bearerAuth"

ERROR_DESCRIPTIONS = {
    400: "Bad input (the message names the field), or no show loaded",
    401: "Not logged in, or the token is malformed, badly signed, expired or revoked",
    403: "Logged in but lacking the role",
    404: "No such object, or it belongs to another show",
    409: "Conflicts with the state of a session or show",
    429: "Too many failed attempts: wait the seconds the Retry-After header gives",
    503: "The database is unavailable (down, full, read-only or damaged): the message says which",
}

# Output datetimes are UTC to the second, without an offset (what DigiScript's client parses).
UTC_DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"

Routes = Sequence[tuple[str, type[tornado.web.RequestHandler]]]


def operations(routes: Routes) -> dict[tuple[str, str], Endpoint]:
    """Every declared (route pattern, method) of the API routes, with its declaration."""
    found: dict[tuple[str, str], Endpoint] = {}
    for pattern, handler in routes:
        if not pattern.startswith("/api/") or handler is ApiNotFoundHandler:
            continue
        for method, declared in declared_methods(handler).items():
            found[(pattern, method)] = declared
    return found


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


INT64 = (-(2**63), 2**63 - 1)  # what StrictInteger takes: the ids' columns are 64-bit
QUERY_INTEGER = (-(10**18 - 1), 10**18 - 1)  # at most 18 digits


class _Converter(OpenAPIConverter):
    def schema2jsonschema(self, schema: Any) -> dict[str, Any]:
        """A schema's fields, and the keywords an input schema adds for the whole body."""
        jsonschema: dict[str, Any] = super().schema2jsonschema(schema)
        instance = resolve_schema_instance(schema)
        if isinstance(instance, InputSchema):
            jsonschema.update(instance.openapi_keywords)
        return jsonschema


class _Plugin(MarshmallowPlugin):
    Converter = _Converter


def _field_overrides(
    self: OpenAPIConverter, field: fields.Field, ret: dict[str, Any], **_kwargs: Any
) -> dict[str, Any]:
    if "openapi" in field.metadata:
        ret.clear()
        return dict(field.metadata["openapi"])
    if isinstance(field, LevelName):
        # Any letter case is taken, and answered in capitals.
        return {"enum": list(field.levels), "description": "in any letter case"}
    if isinstance(field, StrictInteger):
        low, high = INT64
        if "enum" in ret:
            low, high = min(ret["enum"]), max(ret["enum"])
        return {
            "minimum": max(low, ret.get("minimum", low)),
            "maximum": min(high, ret.get("maximum", high)),
        }
    if isinstance(field, IntegerList):
        return {"uniqueItems": True, "maxItems": field.max_items}
    if isinstance(field, UTCDateTimeOutput):
        return {"type": ["string", "null"], "pattern": UTC_DATETIME_PATTERN}
    if isinstance(field, UTCDateTimeInput):
        return {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601; an offset is converted to UTC, none means UTC",
        }
    if isinstance(field, QueryInteger):
        return {"type": "integer", "minimum": QUERY_INTEGER[0], "maximum": QUERY_INTEGER[1]}
    if isinstance(field, DateInput):
        return {"type": "string", "format": "date"}
    if isinstance(field, StrictString):
        # Surrounding white space is stripped before the length is checked.
        return {"minLength": 1 if field.blank_is_missing else 0, "maxLength": field.max_length}
    return {}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error(status: int) -> dict[str, Any]:
    error: dict[str, Any] = {
        "description": ERROR_DESCRIPTIONS[status],
        "content": _json(ErrorSchema),
    }
    if status == 429:
        error["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "integer", "minimum": 1},
            }
        }
    return error


def _operation(pattern: str, method: str, endpoint: Endpoint) -> dict[str, Any]:
    statuses = set(endpoint.errors)
    if endpoint.access not in (Access.PUBLIC, Access.FIRST_USER_OR_ADMIN):
        statuses.add(401)
    if endpoint.needs_show or endpoint.body is not None or endpoint.query is not None:
        statuses.add(400)  # no show loaded, or bad input
    if endpoint.role is not None or endpoint.access is Access.ADMIN:
        statuses.add(403)
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {kind: {"schema": endpoint.answer} for kind in endpoint.answer_types},
        },
    }
    for status in sorted(statuses):
        responses[str(status)] = _error(status)
    # Any request may find the database unavailable: even one that reads nothing checks a token.
    responses["503"] = _error(503)
    if endpoint.unavailable_answer is not None:
        responses["503"]["content"] = _json(endpoint.unavailable_answer)
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
        "security": _security(endpoint.access),
    }
    if parameters:
        operation["parameters"] = parameters
    if endpoint.body is not None:
        operation["requestBody"] = {
            "required": endpoint.body_required,
            "content": _json(endpoint.body),
        }
    return operation


def _security(access: Any) -> list[dict[str, list[str]]]:
    if access in (Access.PUBLIC, Access.FIRST_USER_OR_ADMIN):
        return []  # no token needed, and a bad one is ignored
    if access is Access.ANYONE:
        return [{}, {BEARER: []}]
    return [{BEARER: []}]


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


def build_document(routes: Routes, version: str) -> dict[str, Any]:
    plugin = _Plugin()
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
    for (pattern, method), declared in operations(routes).items():
        path = openapi_path(pattern, declared.path_params)
        by_path.setdefault(path, {})[method.lower()] = _operation(pattern, method, declared)
    for path in sorted(by_path):
        spec.path(path=path, operations=by_path[path])
    document = spec.to_dict()
    _outputs_are_complete(document)
    return document


_built: dict[tuple[int, str], dict[str, Any]] = {}


def document(routes: Routes, version: str) -> dict[str, Any]:
    """The document of these routes for this server version (built once; callers get their
    own copy)."""
    key = (len(routes), version)
    if key not in _built:
        _built[key] = build_document(routes, version)
    return copy.deepcopy(_built[key])


@route(r"/api/v1/openapi.json")
class OpenApiHandler(BaseAPIHandler):
    @endpoint(
        "This document",
        access=Access.PUBLIC,
        answer={"type": "object"},
        transaction=Transaction.NONE,
        tag="service",
    )
    def get(self, call: Call) -> Answer:
        return document(ROUTES, self.version)

"""The OpenAPI document: served, valid, and describing every API route and method there is."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
import tornado.web

from server import __version__
from server.app import make_app
from server.handlers import openapi
from server.handlers.base import ROUTES, Access, ApiNotFoundHandler, BaseAPIHandler, endpoint
from server.ws import WebSocketHandler

# HTTP methods every API handler answers without documenting them: CORS preflight.
IMPLICIT = {"OPTIONS"}


def implemented_methods(cls: type[tornado.web.RequestHandler]) -> set[str]:
    """The methods a handler class implements itself (as BaseAPIHandler.allowed_methods)."""
    return {
        m
        for m in cls.SUPPORTED_METHODS
        if getattr(cls, m.lower(), None) is not getattr(tornado.web.RequestHandler, m.lower())
    } - IMPLICIT


def api_routes(app: tornado.web.Application) -> set[tuple[str, type[tornado.web.RequestHandler]]]:
    """Every (pattern, handler) under /api, from the route table and the running app alike."""
    found: set[tuple[str, type[tornado.web.RequestHandler]]] = set(ROUTES)
    for rule in app.wildcard_router.rules:
        matcher = rule.matcher
        regex = getattr(matcher, "regex", None)
        if regex is not None and isinstance(rule.target, type):
            found.add((regex.pattern.removesuffix("$"), rule.target))
    return {
        (pattern, cls)
        for pattern, cls in found
        if pattern.startswith("/api/")
        and cls is not ApiNotFoundHandler
        # The WebSocket's messages are described in the contract, not in OpenAPI.
        and not issubclass(cls, WebSocketHandler)
    }


def route_operations(app: tornado.web.Application) -> set[tuple[str, str]]:
    return {
        (pattern, method) for pattern, cls in api_routes(app) for method in implemented_methods(cls)
    }


DECLARED = openapi.operations(ROUTES)


@pytest.fixture
def document() -> dict[str, Any]:
    return openapi.document(ROUTES, __version__)


def test_every_api_route_and_method_is_documented(app):
    missing = sorted(route_operations(app) - set(DECLARED))
    assert missing == [], f"declare these with @endpoint: {missing}"


def test_every_documented_operation_is_a_route_that_exists(app):
    stale = sorted(set(DECLARED) - route_operations(app))
    assert stale == [], f"documented but not routed: {stale}"


def test_a_route_serving_a_method_without_a_declaration_is_refused_at_start_up(database):
    class Undeclared(BaseAPIHandler):
        @endpoint("Declared", access=Access.PUBLIC)
        def get(self, call: Any) -> Any:
            return {}

        def post(self) -> None:
            self.finish("{}")

    ROUTES.append((r"/api/v1/undeclared", Undeclared))
    try:
        with pytest.raises(TypeError, match="Undeclared .* serves POST without an @endpoint"):
            make_app(database)
    finally:
        ROUTES.remove((r"/api/v1/undeclared", Undeclared))


def test_every_documented_operation_is_in_the_document(app, document):
    for (pattern, method), declared in DECLARED.items():
        path = openapi.openapi_path(pattern, declared.path_params)
        assert method.lower() in document["paths"][path], (pattern, method)


def test_route_groups_become_named_path_parameters():
    assert openapi.openapi_path(r"/api/v1/show/sessions/([^/]+)") == "/api/v1/show/sessions/{id}"
    assert (
        openapi.openapi_path(r"/api/v1/show/sessions/([^/]+)/log")
        == "/api/v1/show/sessions/{id}/log"
    )
    assert openapi.openapi_path(r"/api/v1/a/([0-9]+)/b/(.*)", ("x", "y")) == "/api/v1/a/{x}/b/{y}"


@pytest.mark.gen_test
async def test_document_is_served_at_openapi_json(api, document):
    r = await api.get("/openapi.json")
    assert r.code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json == document


@pytest.mark.gen_test
async def test_document_is_served_whatever_token_comes_with_the_request(api):
    r = await api.get("/openapi.json", token="not-a-token")
    assert r.code == 200
    assert r.json["openapi"] == openapi.OPENAPI_VERSION


def test_document_is_openapi_3_that_schemathesis_loads(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == __version__
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = sum(len(ops) for ops in document["paths"].values())
    assert len(operations) == documented


def test_bearer_token_security_scheme_is_declared(document):
    assert document["components"]["securitySchemes"][openapi.BEARER] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


def test_operations_that_need_a_login_require_the_bearer_scheme(document):
    for (pattern, method), declared in DECLARED.items():
        operation = document["paths"][openapi.openapi_path(pattern)][method.lower()]
        if declared.needs_user:
            assert operation["security"] == [{openapi.BEARER: []}], (pattern, method)
            assert "401" in operation["responses"], (pattern, method)
        else:
            assert {} in operation["security"] or operation["security"] == [], (pattern, method)


def test_every_error_response_has_the_message_shape(document):
    assert document["components"]["schemas"]["Error"] == {
        "type": "object",
        "properties": {"message": {"type": "string"}},
        "required": ["message"],
        "additionalProperties": False,
    }
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2") and (path, status) != ("/api/v1/health", "503"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, status)


def test_every_operation_may_find_the_database_unavailable(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "503" in operation["responses"], (path, method)
    # Health answers its own shape then, saying what is wrong with the database.
    health = document["paths"]["/api/v1/health"]["get"]["responses"]
    assert health["503"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Health"
    }
    schema = document["components"]["schemas"]["Health"]
    assert schema["properties"]["status"]["enum"] == ["ok", "unavailable"]
    assert schema["required"] == ["database", "status", "version"]


def test_error_statuses_of_an_endpoint_are_documented(document):
    patch = document["paths"]["/api/v1/show/sessions/{id}"]["patch"]
    assert sorted(patch["responses"]) == ["200", "400", "401", "403", "404", "409", "503"]


def test_request_bodies_are_the_handlers_schemas(document):
    schemas = document["components"]["schemas"]
    body = document["paths"]["/api/v1/show/sessions/schedule"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ScheduleSession"
    }
    schedule = schemas["ScheduleSession"]
    assert schedule["required"] == ["scheduled_date_time"]
    assert set(schedule["properties"]) == {"scheduled_date_time", "tag_ids", "script_revision_id"}
    assert schedule["properties"]["tag_ids"] == {
        "type": "array",
        "items": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
        "uniqueItems": True,
        "maxItems": 1000,
    }


def test_the_session_object_lists_every_contract_key(document):
    session = document["components"]["schemas"]["ShowSession"]
    keys = {
        "id", "show_id", "script_revision_id", "scheduled_date_time", "start_date_time",
        "end_date_time", "user_id", "client_internal_id", "last_client_internal_id",
        "latest_line_ref", "current_interval_id", "tags", "show", "revision", "user", "client",
        "status", "cancelled_at", "cancel_reason", "performance_number",
    }  # fmt: skip
    assert set(session["properties"]) == keys
    assert set(session["required"]) == keys
    assert session["properties"]["status"]["enum"] == [
        "complete",
        "in_progress",
        "next_up",
        "scheduled",
        "overdue",
        "cancelled",
    ]


def test_output_datetimes_are_documented_as_utc_without_offset(document):
    prop = document["components"]["schemas"]["ShowSession"]["properties"]["scheduled_date_time"]
    assert prop["pattern"] == openapi.UTC_DATETIME_PATTERN


def test_session_id_path_parameter_is_an_integer(document):
    (param,) = document["paths"]["/api/v1/show/sessions/{id}"]["delete"]["parameters"]
    assert param["in"] == "path" and param["name"] == "id" and param["required"] is True
    assert param["schema"]["type"] == "integer"


def test_tag_delete_takes_its_id_from_the_query(document):
    (param,) = document["paths"]["/api/v1/show/session/tags"]["delete"]["parameters"]
    assert param == {
        "in": "query",
        "name": "id",
        "schema": {"type": "integer", "minimum": -(10**18 - 1), "maximum": 10**18 - 1},
        "required": True,
    }


# -- the document is as exact as the server ----------------------------------------------------


def _props(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]["properties"]  # type: ignore[no-any-return]


def test_log_levels_are_enumerated(document):
    levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]
    assert _props(document, "LogEntry")["level"]["enum"] == levels
    assert _props(document, "SettingsPatch")["client_log_level"]["enum"] == levels
    assert _props(document, "UserSettingsPatch")["console_log_level"]["enum"] == [*levels, "SILENT"]


def test_script_modes_are_enumerated_and_bounded(document):
    mode = _props(document, "CreateShow")["script_mode"]
    assert (mode["enum"], mode["minimum"], mode["maximum"]) == ([1, 2], 1, 2)


def test_a_new_password_is_bounded_as_the_server_bounds_it(document):
    from server.operations.users import MAX_PASSWORD, MIN_PASSWORD

    password = _props(document, "CreateUser")["password"]
    assert (password["minLength"], password["maxLength"]) == (MIN_PASSWORD, MAX_PASSWORD) == (6, 72)
    assert "minLength" not in _props(document, "Login")["password"]  # any text may be tried


def test_integers_carry_the_bounds_the_server_takes(document):
    int64 = {"minimum": -(2**63), "maximum": 2**63 - 1}
    for schema, name in [
        ("AssignTags", "session_id"),
        ("UpdateTag", "id"),
        ("ChangeRevision", "new_rev_id"),
        ("SettingsPatch", "current_show"),
        ("RoleChange", "user"),
        ("ObjectRef", "id"),
    ]:
        prop = _props(document, schema)[name]
        assert {k: prop[k] for k in int64} == int64, (schema, name)
    interval = _props(document, "UserSettingsPatch")["script_auto_save_interval"]
    assert (interval["minimum"], interval["maximum"]) == (1, 86400)


def test_tag_id_lists_hold_each_id_once(document):
    for schema in ("ScheduleSession", "UpdateSession", "AssignTags"):
        tag_ids = _props(document, schema)["tag_ids"]
        assert (tag_ids["uniqueItems"], tag_ids["maxItems"]) == (True, 1000), schema


def test_patch_bodies_that_refuse_an_empty_object_need_one_property(document):
    schemas = document["components"]["schemas"]
    assert schemas["UpdateSession"]["minProperties"] == 1
    assert schemas["SettingsPatch"]["minProperties"] == 1
    assert "minProperties" not in schemas["UserSettingsPatch"]  # {} changes nothing, fine


@pytest.mark.gen_test
async def test_the_tightened_keywords_are_what_the_server_does(admin, show):
    """Each keyword above, against the running server: just outside is refused, just inside
    is accepted."""
    r = await admin.patch("/show/sessions/1", {})
    assert (r.code, r.message) == (400, "No fields to update")
    r = await admin.patch("/settings", {})
    assert r.code == 400
    assert (await admin.post("/show", {**SHOW, "script_mode": 3})).code == 400
    assert (await admin.post("/show", {**SHOW, "script_mode": 0})).code == 400
    assert (await admin.post("/show", {**SHOW, "script_mode": 2})).code == 200
    for password, code in [("a" * 5, 400), ("a" * 6, 200), ("b" * 73, 400), ("c" * 72, 200)]:
        body = {"username": f"u{password[0]}{len(password)}", "password": password}
        assert (await admin.post("/auth/create", body)).code == code, password
    assert (await admin.patch("/settings", {"client_log_level": "VERBOSE"})).code == 400
    assert (await admin.patch("/settings", {"client_log_level": "WARN"})).code == 200
    tag = await admin.create_tag("Preview")
    r = await admin.post(
        "/show/sessions/schedule", {"scheduled_date_time": NOON, "tag_ids": [tag, tag]}
    )
    assert (r.code, r.message) == (400, "One or more tag IDs are invalid")
    r = await admin.post(
        "/show/sessions/schedule", {"scheduled_date_time": NOON, "tag_ids": [1] * 1001}
    )
    assert r.code == 400
    r = await admin.patch("/user/settings", {"script_auto_save_interval": 86401})
    assert r.code == 400
    assert (await admin.patch("/user/settings", {"script_auto_save_interval": 86400})).code == 200
    r = await admin.patch("/settings", {"current_show": 2**63})
    assert r.code == 400


SHOW = {"name": "Macbeth", "start": "2026-12-01", "end": "2027-01-31"}
NOON = "2026-12-01T12:00:00"

"""Conventions every endpoint follows: JSON errors, unknown paths, 405, bad bodies, CORS, health."""

from __future__ import annotations

import pytest

JSON_TYPE = "application/json; charset=UTF-8"

SHOW_READS = [
    "/show",
    "/show/sessions",
    "/show/session/tags",
    "/show/session/tags/import",
    "/show/script/revisions",
    "/show/script/revisions/current",
]


@pytest.mark.gen_test
async def test_health_answers_ok_with_the_package_version(api):
    r = await api.get("/health")
    assert r.code == 200
    assert r.json == {"status": "ok", "version": "0.1.0", "database": "ok"}
    assert r.headers["Content-Type"] == JSON_TYPE


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing", "/api/v1/show/nothing/here", "/api/v2/nope", "/api/x"]
)
@pytest.mark.gen_test
async def test_unknown_api_path_is_a_json_404(api, path):
    r = await api.get(path)
    assert r.code == 404
    assert r.json == {"message": "404 not found"}
    assert r.headers["Content-Type"] == JSON_TYPE


@pytest.mark.gen_test
async def test_unknown_api_path_is_a_404_for_writes_too(api):
    r = await api.post("/api/v1/no-such-thing", {"a": 1})
    assert r.code == 404
    assert r.json == {"message": "404 not found"}


@pytest.mark.gen_test
async def test_unsupported_method_is_a_json_405_with_an_allow_header(api):
    r = await api.delete("/health")
    assert r.code == 405
    assert isinstance(r.message, str) and r.message
    allowed = {m.strip() for m in r.headers["Allow"].split(",")}
    assert "GET" in allowed
    assert "DELETE" not in allowed
    assert r.headers["Content-Type"] == JSON_TYPE


@pytest.mark.gen_test
async def test_405_allow_header_lists_every_method_of_the_route(admin, show):
    r = await admin.request("PUT", "/show/session/tags", {"tag": "x", "colour": "#000"})
    assert r.code == 405
    allowed = {m.strip() for m in r.headers["Allow"].split(",")}
    assert {"GET", "POST", "PATCH", "DELETE"} <= allowed
    assert "PUT" not in allowed


@pytest.mark.gen_test
async def test_401_is_json(api):
    r = await api.get("/auth/users")
    assert r.code == 401
    assert isinstance(r.message, str) and r.message
    assert r.headers["Content-Type"] == JSON_TYPE


@pytest.mark.gen_test
async def test_403_is_json(admin, show):
    token = await admin.user_token("reader", role=1, show_id=show)
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#fff"}, token=token)
    assert r.code == 403
    assert isinstance(r.message, str) and r.message
    assert r.headers["Content-Type"] == JSON_TYPE


@pytest.mark.parametrize(
    "raw",
    ["{not json", "{'tag': 'single quotes'}", '{"tag": NaN, "colour": "#fff"}', b"\xff\xfe"],
)
@pytest.mark.gen_test
async def test_body_that_is_not_json_is_a_400(admin, show, raw):
    r = await admin.post("/show/session/tags", raw=raw)
    assert r.code == 400
    assert r.json == {"message": "Invalid JSON body"}


@pytest.mark.parametrize("raw", ['[{"tag": "Preview", "colour": "#fff"}]', '"Preview"', "42"])
@pytest.mark.gen_test
async def test_body_that_is_json_but_not_an_object_is_a_400(admin, show, raw):
    r = await admin.post("/show/session/tags", raw=raw)
    assert r.code == 400
    assert r.json == {"message": "Invalid JSON body"}
    assert (await admin.get("/show/session/tags")).json == {"tags": []}


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/auth/login"),
        ("POST", "/auth/create"),
        ("PATCH", "/settings"),
        ("POST", "/show"),
        ("POST", "/rbac/user/roles/grant"),
        ("POST", "/show/script/revisions"),
        ("POST", "/show/sessions/start"),
        ("PATCH", "/show/sessions/assign-tags"),
    ],
)
@pytest.mark.gen_test
async def test_every_body_taking_endpoint_answers_a_json_array_with_400(admin, show, method, path):
    r = await admin.request(method, path, raw="[1, 2]")
    assert r.code == 400
    assert r.json == {"message": "Invalid JSON body"}


@pytest.mark.gen_test
async def test_responses_carry_cors_headers(api):
    r = await api.get("/health")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    headers = {h.strip() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert headers == {"Content-Type", "Authorization", "X-API-Key", "X-Requested-With"}


@pytest.mark.gen_test
async def test_error_responses_carry_cors_headers_too(api):
    r = await api.get("/auth/users")
    assert r.code == 401
    assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    ["/health", "/show/sessions", "/show/sessions/start", "/show/session/tags", "/auth/login"],
)
@pytest.mark.gen_test
async def test_options_answers_204_without_auth(api, path):
    r = await api.request("OPTIONS", path, headers={"Authorization": "Bearer not-a-token"})
    assert r.code == 204
    assert r.body == b""
    assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", SHOW_READS)
@pytest.mark.gen_test
async def test_show_endpoints_need_a_loaded_show(admin, path):
    r = await admin.get(path)
    assert r.code == 400
    assert r.json == {"message": "No show loaded"}


@pytest.mark.parametrize("path", SHOW_READS)
@pytest.mark.gen_test
async def test_show_endpoints_need_a_loaded_show_even_when_shows_exist(admin, path):
    await admin.create_show("Macbeth", load=False)
    r = await admin.get(path)
    assert r.code == 400
    assert r.json == {"message": "No show loaded"}


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/show/session/tags", {"tag": "Preview", "colour": "#fff"}),
        ("POST", "/show/script/revisions", {"description": "Cuts"}),
        ("POST", "/show/sessions/stop", {}),
        ("PATCH", "/show/sessions/assign-tags", {"session_id": 1, "tag_ids": []}),
    ],
)
@pytest.mark.gen_test
async def test_show_writes_need_a_loaded_show(admin, method, path, body):
    r = await admin.request(method, path, body)
    assert r.code == 400
    assert r.json == {"message": "No show loaded"}


@pytest.mark.parametrize("path", ["/static/%00", "/static/" + "x" * 5000])
@pytest.mark.gen_test
async def test_a_ui_file_path_no_file_system_could_hold_is_a_404(http_client, base_url, path):
    r = await http_client.fetch(base_url + path, raise_error=False)
    assert r.code == 404

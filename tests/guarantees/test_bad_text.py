"""Text that is not text: a lone UTF-16 surrogate (`"\\ud800"` in JSON, or the UTF-8 bytes of
one) anywhere in a request body is refused with a 400 naming the field, whatever the field's
type, and changes nothing. The table is every property of every documented request body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from server import __version__
from server.app import make_app  # noqa: F401  (every route registered)
from server.handlers import openapi
from server.handlers.base import ROUTES
from tests.db_state import snapshot

LONE = "\ud800"


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    body: Any
    message: str

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} {self.message}"


def _schema(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]


def _placements(document: dict[str, Any], schema: dict[str, Any]) -> list[tuple[Any, str]]:
    """(a body holding one lone surrogate, where it is) for every property of `schema`, and
    inside the objects and arrays of objects it holds."""
    found: list[tuple[Any, str]] = []
    for name, prop in schema.get("properties", {}).items():
        prop = _schema(document, prop)
        found.append(({name: LONE}, name))
        if prop.get("type") == "object" and "properties" in prop:
            found += [
                ({name: inner}, f"{name}.{where}") for inner, where in _placements(document, prop)
            ]
        if prop.get("type") == "array":
            items = _schema(document, prop.get("items", {}))
            found.append(({name: [LONE]}, f"{name}[0]"))
            if "properties" in items:
                found += [
                    ({name: [inner]}, f"{name}[0].{where}")
                    for inner, where in _placements(document, items)
                ]
    return found


def _message(path: str, where: str) -> str:
    if path == "/api/v1/logs/batch" and where.startswith("batch[0]"):
        # The log batch names the entry at fault, then the field within it.
        within = where.removeprefix("batch[0]").removeprefix(".")
        return f"Log entry 0{': ' + within if within else ''} must be valid text"
    return f"{where} must be valid text"


def cases() -> list[Case]:
    document = openapi.document(ROUTES, __version__)
    table = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            body = _schema(
                document, operation["requestBody"]["content"]["application/json"]["schema"]
            )
            for sent, where in _placements(document, body):
                table.append(
                    Case(method.upper(), path.replace("{id}", "1"), sent, _message(path, where))
                )
    return table


CASES = cases()


def test_the_table_covers_every_documented_request_body():
    document = openapi.document(ROUTES, __version__)
    with_body = {
        (method.upper(), path.replace("{id}", "1"))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert {(case.method, case.path) for case in CASES} == with_body
    assert len(with_body) >= 15


@pytest.mark.gen_test
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
async def test_a_lone_surrogate_in_any_field_is_a_400_naming_it(admin, show, database, case):
    before = snapshot(database)
    raw = json.dumps(case.body)  # the surrogate travels as the JSON escape "\ud800"
    assert "\\ud800" in raw
    r = await admin.request(case.method, "/api" + case.path.removeprefix("/api"), raw=raw)
    assert (r.code, r.message) == (400, case.message)
    assert snapshot(database) == before


TAG = "/show/session/tags"
ARRIVALS = {
    # UTF-8 bytes of a surrogate, which Python's JSON reader lets through as one.
    "utf8-bytes-tag": (TAG, b'{"tag": "\xed\xa0\x80", "colour": "#fff"}', "tag must be valid text"),
    "utf8-bytes-password": (
        "/auth/login",
        b'{"username": "admin", "password": "pass\xed\xa0\x80"}',
        "password must be valid text",
    ),
    # A key of the body, even one the endpoint ignores.
    "ignored-key": (
        TAG,
        b'{"tag": "Preview", "colour": "#fff", "\\udc00": 1}',
        "field names must be valid text",
    ),
    "nested-extra": (
        "/logs/batch",
        b'{"batch": [{"level": "INFO", "message": "m", "extra": {"k": ["\\udfff"]}}]}',
        "Log entry 0: extra.k[0] must be valid text",
    ),
    # A well-formed pair of surrogates is one character, and fine.
    "pair-is-fine": (TAG, b'{"tag": "\\ud83c\\udfad", "colour": "#fff"}', None),
}


@pytest.mark.gen_test
@pytest.mark.parametrize(("path", "raw", "message"), ARRIVALS.values(), ids=ARRIVALS.keys())
async def test_lone_surrogates_however_they_arrive(admin, show, database, path, raw, message):
    before = snapshot(database)
    r = await admin.post(path, raw=raw)
    if message is None:
        assert r.code == 200, r
        tags = (await admin.get("/show/session/tags")).json["tags"]
        assert [t["tag"] for t in tags] == ["\U0001f3ad"]
        return
    assert (r.code, r.message) == (400, message)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_a_websocket_token_holding_a_lone_surrogate_is_refused_and_the_connection_stays(
    admin, ws_connect
):
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": "eyJ" + LONE}})
    assert await client.receive() == {"OP": "WS_AUTH_ERROR", "DATA": "Invalid token"}
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    reply = await client.receive()
    assert reply["OP"] == "WS_AUTH_SUCCESS", reply

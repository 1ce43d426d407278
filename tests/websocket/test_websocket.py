"""The WebSocket at /api/v1/ws: greetings, sign-in, client rows and change broadcasts."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select
from tornado.httpclient import HTTPRequest
from tornado.testing import bind_unused_port
from tornado.websocket import websocket_connect

from server.changes import Notice, announce
from server.cli import http_server
from server.config import Config
from server.db import Database
from server.errors import Conflict
from server.handlers.base import Access, BaseAPIHandler, Call, endpoint
from server.models import ShowSession
from tests.conftest import client_row, eventually

SESSION_DATA = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SHOW_SESSION_DATA"}
SESSION_TAGS = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SESSION_TAGS"}
REVISIONS = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SCRIPT_REVISIONS"}


async def until_removed(database: Database, internal_id: str) -> None:
    """The server deletes the row when it notices the close, a moment after the client closes."""
    await eventually(
        lambda: client_row(database, internal_id) is None,
        f"client row {internal_id} was never removed",
    )


async def receive_n(client: Any, n: int) -> list[dict]:
    return [await client.receive() for _ in range(n)]


# -- connecting and signing in ---------------------------------------------------------------


@pytest.mark.gen_test
async def test_on_open_the_server_sends_the_uuid_then_asks_for_settings(database, ws_connect):
    client = await ws_connect(greeted=False)
    hello = await client.receive()
    assert hello["OP"] == "SET_UUID"
    assert str(uuid.UUID(hello["DATA"], version=4)) == hello["DATA"]
    assert await client.receive() == {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SETTINGS"}
    row = client_row(database, hello["DATA"])
    assert row is not None and row.user_id is None


@pytest.mark.gen_test
async def test_each_connection_gets_its_own_uuid(ws_connect):
    first, second = await ws_connect(), await ws_connect()
    assert first.internal_id != second.internal_id


@pytest.mark.gen_test
async def test_authenticate_links_the_client_to_the_user(admin, database, ws_connect):
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    admin_id = await admin.user_id(admin.token)
    assert await client.receive() == {
        "OP": "WS_AUTH_SUCCESS",
        "DATA": {"user_id": admin_id, "username": "admin"},
    }
    assert client_row(database, client.internal_id).user_id == admin_id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "data", [{"token": "not-a-token"}, {}, {"token": ""}, "a string", None, {"token": 5}]
)
@pytest.mark.gen_test
async def test_authenticate_with_a_bad_token_is_an_error(admin, database, ws_connect, data):
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": data})
    reply = await client.receive()
    assert reply["OP"] == "WS_AUTH_ERROR"
    assert isinstance(reply["DATA"], str) and reply["DATA"]
    assert client_row(database, client.internal_id).user_id is None  # type: ignore[union-attr]


@pytest.mark.gen_test
async def test_authenticate_with_an_expired_token_is_an_error(admin, database, clock, ws_connect):
    client = await ws_connect()
    clock.advance(dt.timedelta(hours=25))
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    assert (await client.receive())["OP"] == "WS_AUTH_ERROR"
    assert client_row(database, client.internal_id).user_id is None  # type: ignore[union-attr]


@pytest.mark.gen_test
async def test_messages_that_are_not_understood_are_ignored(admin, ws_connect):
    client = await ws_connect()
    for junk in ("not json", "[1, 2]", '{"OP": "SOMETHING_ELSE"}', "[" * 100_000, "NaN"):
        await client.conn.write_message(junk)
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    assert (await client.receive())["OP"] == "WS_AUTH_SUCCESS"


@pytest.mark.gen_test(timeout=30)
async def test_the_client_row_is_removed_on_close(database, ws_connect):
    client = await ws_connect()
    assert client_row(database, client.internal_id) is not None
    client.close()
    await until_removed(database, client.internal_id)


@pytest.mark.gen_test(timeout=30)
async def test_a_session_keeps_the_last_client_of_its_leader_after_it_disconnects(
    admin, show, database, ws_connect
):
    leader = await ws_connect()
    await admin.start_adhoc(leader.internal_id)
    leader.close()
    await until_removed(database, leader.internal_id)
    with database.read() as db:
        (session,) = db.scalars(select(ShowSession))
        assert session.client_internal_id is None
        assert session.last_client_internal_id == leader.internal_id


@pytest.mark.gen_test(timeout=30)
async def test_a_client_that_has_disconnected_cannot_start_a_session(
    admin, show, database, ws_connect
):
    client = await ws_connect()
    client.close()
    await until_removed(database, client.internal_id)
    r = await admin.start_adhoc(client.internal_id)
    assert r.code == 400
    assert r.json == {"message": "Unable to find session given session_id"}


# -- broadcasts ------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_start_broadcasts_start_show_and_session_data(admin, show, ws_connect):
    leader, watcher = await ws_connect(), await ws_connect()
    assert (await admin.start_adhoc(leader.internal_id)).code == 200
    for client in (leader, watcher):
        received = await receive_n(client, 2)
        assert {"OP": "START_SHOW", "DATA": {}, "ACTION": "NOOP"} in received
        assert SESSION_DATA in received


@pytest.mark.gen_test
async def test_stop_broadcasts_stop_show_and_session_data(admin, show, ws_connect):
    watcher = await ws_connect()
    await admin.start_adhoc(watcher.internal_id)
    await receive_n(watcher, 2)
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    received = await receive_n(watcher, 2)
    assert {"OP": "STOP_SHOW", "DATA": {}, "ACTION": "NOOP"} in received
    assert SESSION_DATA in received


@pytest.mark.gen_test
async def test_tag_changes_broadcast_get_session_tags(admin, show, ws_connect):
    watcher = await ws_connect()
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#fff"})
    assert await watcher.receive() == SESSION_TAGS
    tag = r.json["id"]
    await admin.patch("/show/session/tags", {"id": tag, "tag": "Gala", "colour": "#000"})
    assert SESSION_TAGS in await receive_n(watcher, 2)
    await admin.delete(f"/show/session/tags?id={tag}")
    assert SESSION_TAGS in await receive_n(watcher, 2)


@pytest.mark.gen_test
async def test_assign_tags_broadcasts_session_data(admin, show, ws_connect):
    client = await ws_connect()
    tag = await admin.create_tag("Preview")
    await client.receive()
    await admin.start_adhoc(client.internal_id)
    await admin.post("/show/sessions/stop", {})
    await receive_n(client, 4)
    session = (await admin.sessions())["sessions"][0]["id"]
    r = await admin.patch("/show/sessions/assign-tags", {"session_id": session, "tag_ids": [tag]})
    assert r.code == 200
    assert await client.receive() == SESSION_DATA


@pytest.mark.gen_test
async def test_loading_a_show_broadcasts_settings_and_show_changed(admin, show, ws_connect):
    other = await admin.create_show("Macbeth", load=False)
    watcher = await ws_connect()
    await admin.load_show(other)
    settings_changed, show_changed = await receive_n(watcher, 2)
    assert settings_changed["OP"] == "SETTINGS_CHANGED"
    assert settings_changed["DATA"]["current_show"] == other
    assert show_changed == {"OP": "NOOP", "DATA": {}, "ACTION": "SHOW_CHANGED"}


@pytest.mark.gen_test
async def test_creating_a_revision_broadcasts_get_script_revisions(admin, show, ws_connect):
    watcher = await ws_connect()
    await admin.post("/show/script/revisions", {"description": "Second"})
    assert await watcher.receive() == REVISIONS


# Each failing request comes in two steps: what has to happen first (whose broadcasts are not
# the point), then the request that fails.


async def _duplicate_tag(admin: Any, client_id: str) -> Any:
    await admin.create_tag("Preview")
    return lambda: admin.post("/show/session/tags", {"tag": "preview", "colour": "#fff"})


async def _start_while_live(admin: Any, client_id: str) -> Any:
    await admin.start_adhoc(client_id)
    return lambda: admin.start_adhoc(client_id)


async def _stop_without_live(admin: Any, client_id: str) -> Any:
    return lambda: admin.post("/show/sessions/stop", {})


async def _invalid_assignment(admin: Any, client_id: str) -> Any:
    await admin.start_adhoc(client_id)
    session = (await admin.sessions())["current_session"]["id"]
    await admin.post("/show/sessions/stop", {})
    body = {"session_id": session, "tag_ids": [9999]}
    return lambda: admin.patch("/show/sessions/assign-tags", body)


async def _assignment_while_live(admin: Any, client_id: str) -> Any:
    tag = await admin.create_tag("Preview")
    await admin.start_adhoc(client_id)
    session = (await admin.sessions())["current_session"]["id"]
    body = {"session_id": session, "tag_ids": [tag]}
    return lambda: admin.patch("/show/sessions/assign-tags", body)


async def _tag_without_role(admin: Any, client_id: str) -> Any:
    token = await admin.user_token("reader")
    body = {"tag": "Gala", "colour": "#fff"}
    return lambda: admin.post("/show/session/tags", body, token=token)


@pytest.mark.parametrize(
    ("prepare", "code", "message"),
    [
        (_duplicate_tag, 400, "Tag name already exists (case-insensitive)"),
        (_start_while_live, 409, "409 session already active"),
        (_stop_without_live, 409, "409 no active session"),
        (_invalid_assignment, 400, "One or more tag IDs are invalid"),
        (_assignment_while_live, 409, "Current session in progress"),
        (_tag_without_role, 403, "WRITE role required for this show"),
    ],
    ids=[
        "duplicate tag",
        "start while live",
        "stop without live",
        "invalid tag ids",
        "assignment while live",
        "no role",
    ],
)
@pytest.mark.gen_test
async def test_a_failed_request_broadcasts_nothing(admin, show, ws_connect, prepare, code, message):
    leader = await ws_connect()
    fail = await prepare(admin, leader.internal_id)
    watcher = await ws_connect()
    r = await fail()
    assert (r.code, r.message) == (code, message)
    await admin.create_user("marker")
    assert (await watcher.receive())["OP"] == "SETTINGS_CHANGED"


class _Announces(BaseAPIHandler):
    """An endpoint whose write announces MARKER, or with ?fail, announces it and then fails."""

    @endpoint("Announce a marker", access=Access.PUBLIC, errors=(409,))
    def post(self, call: Call) -> Any:
        announce(call.db, Notice("NOOP", self.get_query_argument("marker")))
        if self.get_query_argument("fail", None):
            raise Conflict("failed before the commit")
        return {"message": "answered"}


@pytest.mark.gen_test
async def test_a_notice_goes_out_once_its_transaction_has_committed(app, api, ws_connect):
    # What a request that failed recorded is never announced: the first notice the watcher
    # hears is the one of the request after it.
    app.add_handlers(r".*", [(r"/api/v1/test/notices", _Announces)])
    watcher = await ws_connect()
    failed = await api.post("/test/notices?marker=ROLLED_BACK&fail=1")
    assert (failed.code, failed.message) == (409, "failed before the commit")
    r = await api.post("/test/notices?marker=COMMITTED")
    assert r.code == 200, r
    assert (await watcher.receive())["ACTION"] == "COMMITTED"


@pytest.mark.gen_test
async def test_a_client_that_went_away_does_not_break_a_request(
    admin, show, app, ws_connect, monkeypatch
):
    # The broadcast reaches a connection that has closed but has not been let go of yet
    # (its close not yet handled): sending to it is skipped, and it is let go of then.
    broadcaster = app.settings["broadcaster"]
    monkeypatch.setattr(type(broadcaster), "discard", lambda self, conn: None)
    gone, watcher = await ws_connect(), await ws_connect()
    gone.close()
    await until_removed(app.settings["database"], gone.internal_id)
    monkeypatch.undo()
    assert len(broadcaster.connections) == 2
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#fff"})
    assert r.code == 200
    assert await watcher.receive() == SESSION_TAGS
    assert len(broadcaster.connections) == 1


@pytest.mark.gen_test
async def test_a_plain_get_of_the_websocket_path_is_a_json_400(api):
    r = await api.get("/ws")
    assert r.code == 400
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json == {"message": 'Can "Upgrade" only to "WebSocket".'}


@pytest.mark.gen_test
async def test_another_method_on_the_websocket_path_is_a_json_405(api):
    r = await api.post("/ws", {})
    assert r.code == 405
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Allow"] == "GET"
    assert r.json == {"message": "405 method not allowed"}


@pytest.mark.parametrize(
    ("behind_proxy", "recorded"), [(False, "127.0.0.1"), (True, "203.0.113.9")]
)
@pytest.mark.gen_test
async def test_a_client_address_from_proxy_headers_is_believed_only_behind_a_proxy(
    app, database, behind_proxy, recorded
):
    server = http_server(app, Config(behind_proxy=behind_proxy))
    sock, port = bind_unused_port()
    server.add_sockets([sock])
    try:
        request = HTTPRequest(
            f"ws://127.0.0.1:{port}/api/v1/ws", headers={"X-Real-Ip": "203.0.113.9"}
        )
        conn = await websocket_connect(request)
        hello = json.loads(await conn.read_message())
        row = client_row(database, hello["DATA"])
        assert row is not None and row.remote_ip == recorded
        conn.close()
    finally:
        server.stop()

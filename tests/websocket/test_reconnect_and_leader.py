"""What DigiScript's client relies on over the WebSocket: keeping its uuid across reloads
(REFRESH_CLIENT), the leader of a live session, and the origin check."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.websocket import websocket_connect

from server.app import make_app
from server.db import Database
from server.models import ShowSession
from tests.conftest import client_row, eventually

SESSION_DATA = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SHOW_SESSION_DATA"}
NO_LEADER = {"OP": "NOOP", "DATA": {}, "ACTION": "NO_LEADER"}


def live_session(database: Database) -> ShowSession:
    with database.read() as db:
        (session,) = db.scalars(select(ShowSession).where(ShowSession.end_date_time.is_(None)))
        return session


async def signed_in(client: Any, token: str) -> Any:
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": token}})
    assert (await client.receive())["OP"] == "WS_AUTH_SUCCESS"
    return client


async def close(client: Any, database: Database) -> None:
    client.close()
    await eventually(lambda: client_row(database, client.internal_id) is None)


async def rekey(client: Any, earlier: str, database: Database) -> None:
    fresh = client.internal_id
    await client.send({"OP": "REFRESH_CLIENT", "DATA": earlier})
    await eventually(lambda: client_row(database, fresh) is None)
    client.internal_id = earlier


async def leaderless_session(admin: Any, ws_connect: Any, database: Database) -> str:
    """A live session started by the admin whose leading connection has gone; its uuid."""
    leader = await signed_in(await ws_connect(), admin.token)
    assert (await admin.start_adhoc(leader.internal_id)).code == 200
    await close(leader, database)
    session = live_session(database)
    assert session.client_internal_id is None
    assert session.last_client_internal_id == leader.internal_id
    return str(leader.internal_id)


# -- REFRESH_CLIENT: keeping the first uuid across reloads ------------------------------------


@pytest.mark.gen_test
async def test_refresh_client_rekeys_the_connection_to_its_earlier_uuid(database, ws_connect):
    first = await ws_connect()
    earlier = first.internal_id
    await close(first, database)
    second = await ws_connect()
    fresh = second.internal_id
    await rekey(second, earlier, database)
    assert client_row(database, earlier) is not None
    assert client_row(database, fresh) is None


@pytest.mark.gen_test
async def test_a_session_starts_with_the_uuid_the_client_kept(admin, show, database, ws_connect):
    first = await ws_connect()
    earlier = first.internal_id
    await close(first, database)
    second = await signed_in(await ws_connect(), admin.token)
    await rekey(second, earlier, database)
    r = await admin.start_adhoc(earlier)
    assert r.code == 200
    assert live_session(database).client_internal_id == earlier
    received = [await second.receive(), await second.receive()]
    assert SESSION_DATA in received


@pytest.mark.gen_test
async def test_a_rekeyed_connection_keeps_its_user(admin, database, ws_connect):
    first = await ws_connect()
    await close(first, database)
    second = await signed_in(await ws_connect(), admin.token)
    await rekey(second, first.internal_id, database)
    row = client_row(database, first.internal_id)
    assert row is not None and row.user_id == await admin.user_id(admin.token)


@pytest.mark.gen_test
async def test_a_rekeyed_connection_is_removed_under_its_earlier_uuid(database, ws_connect):
    first = await ws_connect()
    await close(first, database)
    second = await ws_connect()
    await rekey(second, first.internal_id, database)
    await close(second, database)
    assert client_row(database, first.internal_id) is None


@pytest.mark.gen_test
async def test_refresh_client_to_a_uuid_still_connected_is_refused(database, ws_connect):
    first, second = await ws_connect(), await ws_connect()
    await second.send({"OP": "REFRESH_CLIENT", "DATA": first.internal_id})
    # A message with an answer, sent after it, shows the server has handled it.
    await second.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await second.receive())["OP"] == "WS_AUTH_ERROR"
    assert client_row(database, second.internal_id) is not None
    row = client_row(database, first.internal_id)
    assert row is not None


@pytest.mark.parametrize("data", [None, 42, "", "../../etc", "A" * 80, {"uuid": "x"}])
@pytest.mark.gen_test
async def test_refresh_client_with_something_that_is_not_a_uuid_is_ignored(
    database, ws_connect, data
):
    client = await ws_connect()
    await client.send({"OP": "REFRESH_CLIENT", "DATA": data})
    await client.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await client.receive())["OP"] == "WS_AUTH_ERROR"
    assert client_row(database, client.internal_id) is not None


@pytest.mark.gen_test
async def test_the_returning_leader_leads_again(admin, show, database, ws_connect):
    earlier = await leaderless_session(admin, ws_connect, database)
    back = await ws_connect()
    await back.send({"OP": "REFRESH_CLIENT", "DATA": earlier})
    await signed_in(back, admin.token)
    assert await back.receive() == SESSION_DATA
    assert live_session(database).client_internal_id == earlier


@pytest.mark.gen_test
async def test_the_returning_leader_signed_in_first_leads_again_at_once(
    admin, show, database, ws_connect
):
    earlier = await leaderless_session(admin, ws_connect, database)
    back = await signed_in(await ws_connect(), admin.token)
    await back.send({"OP": "REFRESH_CLIENT", "DATA": earlier})
    assert await back.receive() == SESSION_DATA
    assert live_session(database).client_internal_id == earlier


@pytest.mark.gen_test
async def test_naming_the_leaders_uuid_without_signing_in_does_not_lead(
    admin, show, database, ws_connect
):
    earlier = await leaderless_session(admin, ws_connect, database)
    stranger = await ws_connect()
    await rekey(stranger, earlier, database)
    assert live_session(database).client_internal_id is None


@pytest.mark.gen_test
async def test_another_user_naming_the_leaders_uuid_does_not_lead(
    admin, show, database, ws_connect
):
    earlier = await leaderless_session(admin, ws_connect, database)
    bob = await admin.user_token("bob")
    stranger = await ws_connect()
    await stranger.send({"OP": "REFRESH_CLIENT", "DATA": earlier})
    await signed_in(stranger, bob)
    await stranger.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await stranger.receive())["OP"] == "WS_AUTH_ERROR"
    assert live_session(database).client_internal_id is None


# -- NEW_CLIENT: a leaderless session finds a leader -------------------------------------------


@pytest.mark.gen_test
async def test_new_client_of_the_sessions_user_is_elected_leader(admin, show, database, ws_connect):
    await leaderless_session(admin, ws_connect, database)
    newcomer = await signed_in(await ws_connect(), admin.token)
    await newcomer.send({"OP": "NEW_CLIENT", "DATA": {}})
    assert await newcomer.receive() == {
        "OP": "NOOP",
        "ACTION": "ELECTED_LEADER",
        "DATA": {"latest_line_ref": None},
    }
    assert await newcomer.receive() == SESSION_DATA
    session = live_session(database)
    assert session.client_internal_id == newcomer.internal_id
    assert session.last_client_internal_id == newcomer.internal_id


@pytest.mark.gen_test
async def test_elected_leader_is_told_where_the_script_was(admin, show, database, ws_connect):
    await leaderless_session(admin, ws_connect, database)
    with database.write() as db:
        (session,) = db.scalars(select(ShowSession))
        session.latest_line_ref = "page_4_line_2"
    newcomer = await signed_in(await ws_connect(), admin.token)
    await newcomer.send({"OP": "NEW_CLIENT", "DATA": {}})
    elected = await newcomer.receive()
    assert elected["DATA"] == {"latest_line_ref": "page_4_line_2"}


@pytest.mark.gen_test
async def test_new_client_of_another_user_is_not_elected(admin, show, database, ws_connect):
    await leaderless_session(admin, ws_connect, database)
    bob_token = await admin.user_token("bob")
    bob = await signed_in(await ws_connect(), bob_token)
    await bob.send({"OP": "NEW_CLIENT", "DATA": {}})
    await bob.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await bob.receive())["OP"] == "WS_AUTH_ERROR"
    assert live_session(database).client_internal_id is None


@pytest.mark.gen_test
async def test_new_client_before_signing_in_is_not_elected(admin, show, database, ws_connect):
    await leaderless_session(admin, ws_connect, database)
    anonymous = await ws_connect()
    await anonymous.send({"OP": "NEW_CLIENT", "DATA": {}})
    await anonymous.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await anonymous.receive())["OP"] == "WS_AUTH_ERROR"
    assert live_session(database).client_internal_id is None


@pytest.mark.gen_test
async def test_new_client_does_not_displace_a_leader(admin, show, database, ws_connect):
    leader = await signed_in(await ws_connect(), admin.token)
    await admin.start_adhoc(leader.internal_id)
    newcomer = await signed_in(await ws_connect(), admin.token)
    await newcomer.send({"OP": "NEW_CLIENT", "DATA": {}})
    await newcomer.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await newcomer.receive())["OP"] == "WS_AUTH_ERROR"
    assert live_session(database).client_internal_id == leader.internal_id


@pytest.mark.gen_test
async def test_new_client_without_a_live_session_is_not_elected(admin, show, ws_connect):
    client = await signed_in(await ws_connect(), admin.token)
    await client.send({"OP": "NEW_CLIENT", "DATA": {}})
    await client.send({"OP": "AUTHENTICATE", "DATA": {}})
    assert (await client.receive())["OP"] == "WS_AUTH_ERROR"


# -- the leader goes away ----------------------------------------------------------------------


@pytest.mark.gen_test
async def test_when_the_leader_leaves_another_connection_of_its_user_leads(
    admin, show, database, ws_connect
):
    leader = await signed_in(await ws_connect(), admin.token)
    other = await signed_in(await ws_connect(), admin.token)
    await admin.start_adhoc(leader.internal_id)
    await other.receive(), await other.receive()  # START_SHOW, GET_SHOW_SESSION_DATA
    await close(leader, database)
    assert await other.receive() == {
        "OP": "NOOP",
        "ACTION": "ELECTED_LEADER",
        "DATA": {"latest_line_ref": None},
    }
    assert await other.receive() == SESSION_DATA
    assert live_session(database).client_internal_id == other.internal_id


@pytest.mark.gen_test
async def test_when_the_leader_leaves_alone_everyone_hears_there_is_no_leader(
    admin, show, database, ws_connect
):
    leader = await signed_in(await ws_connect(), admin.token)
    bob = await admin.user_token("bob")
    watcher = await signed_in(await ws_connect(), bob)
    await admin.start_adhoc(leader.internal_id)
    await watcher.receive(), await watcher.receive()
    await close(leader, database)
    assert await watcher.receive() == NO_LEADER
    assert await watcher.receive() == SESSION_DATA
    session = live_session(database)
    assert session.client_internal_id is None
    assert session.last_client_internal_id == leader.internal_id


@pytest.mark.gen_test
async def test_a_connection_that_is_not_the_leader_leaves_quietly(
    admin, show, database, ws_connect
):
    leader = await signed_in(await ws_connect(), admin.token)
    passer_by = await ws_connect()
    watcher = await ws_connect()
    await admin.start_adhoc(leader.internal_id)
    await watcher.receive(), await watcher.receive()
    await close(passer_by, database)
    await admin.patch("/settings", {"client_log_level": "WARN"})
    assert (await watcher.receive())["OP"] == "SETTINGS_CHANGED"
    assert live_session(database).client_internal_id == leader.internal_id


# -- the origin check ----------------------------------------------------------------------------


async def connect_from(base_url: str, origin: str) -> Any:
    request = HTTPRequest(
        base_url.replace("http", "ws", 1) + "/api/v1/ws", headers={"Origin": origin}
    )
    return await websocket_connect(request)


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    server = HTTPServer(app)
    sock, port = bind_unused_port()
    server.add_sockets([sock])
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        await server.close_all_connections()


@pytest.mark.gen_test
async def test_a_page_from_another_origin_may_not_open_a_websocket(http_server, base_url):
    with pytest.raises(HTTPClientError) as refused:
        await connect_from(base_url, "http://evil.example")
    assert refused.value.code == 403


@pytest.mark.gen_test
async def test_a_page_from_this_server_may_open_a_websocket(http_server, base_url):
    conn = await connect_from(base_url, base_url)
    try:
        hello = json.loads(await conn.read_message())
        assert hello["OP"] == "SET_UUID"
    finally:
        conn.close()


@pytest.mark.gen_test
async def test_with_debug_origins_any_page_may_open_a_websocket(database, clock):
    async with serving(make_app(database, clock, debug_origins=True)) as url:
        conn = await connect_from(url, "http://localhost:5173")
        try:
            hello = json.loads(await conn.read_message())
            assert hello["OP"] == "SET_UUID"
        finally:
            conn.close()


# -- REFRESH_TOKEN ---------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_refresh_token_on_a_signed_in_connection_is_acknowledged(admin, ws_connect):
    client = await signed_in(await ws_connect(), admin.token)
    fresh = (await admin.post("/auth/refresh-token")).json["access_token"]
    await client.send({"OP": "REFRESH_TOKEN", "DATA": {"token": fresh}})
    assert await client.receive() == {"OP": "WS_TOKEN_REFRESH_SUCCESS", "DATA": {}}


@pytest.mark.gen_test
async def test_refresh_token_with_a_bad_token_is_an_auth_error(admin, ws_connect):
    client = await signed_in(await ws_connect(), admin.token)
    await client.send({"OP": "REFRESH_TOKEN", "DATA": {"token": "not.a.token"}})
    assert await client.receive() == {"OP": "WS_AUTH_ERROR", "DATA": "Invalid token"}

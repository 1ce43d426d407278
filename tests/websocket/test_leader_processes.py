"""The leader's uuid is public (the session list names it), yet no connection can take it while
the leader is connected to any server process; and a leader whose process died (`kill -9`)
does not keep its session from being led by its user's next connection."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.websocket import websocket_connect

from server.app import make_app
from server.clock import system_clock
from server.db import Database, utcnow
from server.models.client import ServerProcess
from server.operations import clients
from server.processes import MISSED_BEATS, ProcessRegistry
from tests.conftest import client_row, eventually
from tests.live_server import LiveServer, seed

BEAT = 0.5  # seconds, for every process of these tests
OTHER = "another-process"


@pytest.fixture
def app(database: Database) -> Any:
    # The real clock: tokens issued by a live server process are checked here too.
    return make_app(database, system_clock, processes=ProcessRegistry(database, BEAT))


def other_process_client(database: Database, internal_id: str, beat_age: float) -> None:
    """A client row held by another process that last beat `beat_age` seconds ago."""
    with database.write() as db:
        db.merge(ServerProcess(id=OTHER, heartbeat_at=utcnow() - dt.timedelta(seconds=beat_age)))
        clients.register_client(db, internal_id, "10.0.0.9", utcnow(), OTHER)


async def handled(client: Any) -> None:
    """Everything sent before has been handled: messages are handled in order, and this one
    is answered."""
    await client.send({"OP": "AUTHENTICATE", "DATA": {}})
    while (await client.receive())["OP"] != "WS_AUTH_ERROR":
        pass


async def elected(client: Any, limit: float = 20.0) -> bool:
    """Announces the client (NEW_CLIENT) until it is elected leader, for at most `limit` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        await client.send({"OP": "NEW_CLIENT", "DATA": {}})
        await client.send({"OP": "AUTHENTICATE", "DATA": {}})  # answered after NEW_CLIENT's
        while (message := await client.receive())["OP"] != "WS_AUTH_ERROR":
            if message.get("ACTION") == "ELECTED_LEADER":
                return True
        await asyncio.sleep(BEAT / 2)
    return False


async def led_by(admin: Any) -> tuple[str | None, str | None]:
    current = (await admin.sessions())["current_session"]
    return current["client_internal_id"], current["last_client_internal_id"]


# -- in one process, against the rows another process would leave ------------------------------


@pytest.mark.gen_test
async def test_refresh_client_to_the_leader_of_a_live_process_is_refused(
    admin, show, database, ws_connect
):
    leader = "0b7f3c1e-5d2a-4c8e-9f10-aa55bb66cc77"
    other_process_client(database, leader, beat_age=0)
    assert (await admin.start_adhoc(leader)).code == 200
    intruder = await ws_connect()
    await intruder.send({"OP": "REFRESH_CLIENT", "DATA": leader})
    await handled(intruder)
    assert client_row(database, intruder.internal_id) is not None  # kept its own uuid
    assert client_row(database, leader).process_id == OTHER  # type: ignore[union-attr]
    intruder.close()
    await eventually(lambda: client_row(database, intruder.internal_id) is None)
    assert await led_by(admin) == (leader, leader)


@pytest.mark.gen_test
async def test_refresh_client_to_a_dead_process_leader_leads_only_once_signed_in(
    admin, show, database, ws_connect
):
    leader = "0b7f3c1e-5d2a-4c8e-9f10-aa55bb66cc78"
    other_process_client(database, leader, beat_age=BEAT * MISSED_BEATS + 5)
    assert (await admin.start_adhoc(leader)).code == 200
    back = await ws_connect()
    fresh = back.internal_id
    await back.send({"OP": "REFRESH_CLIENT", "DATA": leader})
    await handled(back)
    assert client_row(database, fresh) is None  # it is the leader's uuid now
    # Not the leader until it proves it is the session's user.
    assert await led_by(admin) == (None, leader)
    await back.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    while (await back.receive())["OP"] != "WS_AUTH_SUCCESS":
        pass
    await handled(back)
    assert await led_by(admin) == (leader, leader)


@pytest.mark.gen_test
async def test_new_client_of_the_user_takes_the_lead_from_a_dead_process_leader(
    admin, show, database, ws_connect
):
    leader = "0b7f3c1e-5d2a-4c8e-9f10-aa55bb66cc79"
    other_process_client(database, leader, beat_age=BEAT * MISSED_BEATS + 5)
    assert (await admin.start_adhoc(leader)).code == 200
    user = await ws_connect()
    await user.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    assert (await user.receive())["OP"] == "WS_AUTH_SUCCESS"
    await user.send({"OP": "NEW_CLIENT", "DATA": {}})
    messages = [await user.receive() for _ in range(3)]
    assert {"OP": "NOOP", "ACTION": "ELECTED_LEADER", "DATA": {"latest_line_ref": None}} in (
        messages
    )
    assert await led_by(admin) == (user.internal_id, user.internal_id)
    assert client_row(database, leader) is None


@pytest.mark.gen_test
async def test_new_client_leaves_a_live_process_leader_leading(admin, show, database, ws_connect):
    leader = "0b7f3c1e-5d2a-4c8e-9f10-aa55bb66cc7a"
    other_process_client(database, leader, beat_age=0)
    assert (await admin.start_adhoc(leader)).code == 200
    user = await ws_connect()
    await user.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    assert (await user.receive())["OP"] == "WS_AUTH_SUCCESS"
    await user.send({"OP": "NEW_CLIENT", "DATA": {}})
    await handled(user)
    assert await led_by(admin) == (leader, leader)


@pytest.mark.gen_test
async def test_a_heartbeat_clears_the_clients_of_a_dead_process(app, database, ws_connect):
    alive = await ws_connect()
    other_process_client(database, "gone", beat_age=BEAT * MISSED_BEATS + 5)
    await eventually(lambda: client_row(database, "gone") is None, "never swept")
    assert client_row(database, alive.internal_id) is not None
    with database.read() as db:
        assert db.get(ServerProcess, OTHER) is None
        assert db.get(ServerProcess, app.settings["processes"].id) is not None


# -- two real server processes ------------------------------------------------------------------


@pytest.fixture
def live(database_url: str, tmp_path: Path, monkeypatch) -> Iterator[LiveServer]:
    """A `serve` process beside this test's own app, both on the test's database."""
    monkeypatch.setenv("DIGISCRIPT_HEARTBEAT_SECONDS", str(BEAT))
    server = LiveServer(database_url, tmp_path / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def signed_in_leader(server: LiveServer, token: str) -> tuple[Any, str]:
    conn = await websocket_connect(server.base_url.replace("http", "ws", 1) + "/api/v1/ws")
    uuid = json.loads(await conn.read_message())["DATA"]  # type: ignore[arg-type]
    await conn.read_message()  # NOOP/GET_SETTINGS
    await conn.write_message(json.dumps({"OP": "AUTHENTICATE", "DATA": {"token": token}}))
    assert json.loads(await conn.read_message())["OP"] == "WS_AUTH_SUCCESS"  # type: ignore[arg-type]
    server.ok("POST", "/api/v1/show/sessions/start", {"session_id": uuid}, token)
    return conn, uuid


def current_leader(server: LiveServer) -> tuple[str | None, str | None]:
    current = server.ok("GET", "/api/v1/show/sessions")["current_session"]
    return current["client_internal_id"], current["last_client_internal_id"]


@pytest.mark.slow
@pytest.mark.gen_test(timeout=90)
async def test_a_connection_of_another_process_cannot_take_the_leaders_uuid(
    live, database, ws_connect
):
    scene = seed(live)
    leader_conn, leader = await signed_in_leader(live, scene["token"])
    intruder = await ws_connect()  # an anonymous connection to this test's own process
    await intruder.send({"OP": "REFRESH_CLIENT", "DATA": leader})
    await handled(intruder)
    intruder.close()
    await eventually(lambda: client_row(database, intruder.internal_id) is None)
    assert current_leader(live) == (leader, leader)
    # The real leader is still the leader: it can stop the session and start another.
    live.ok("POST", "/api/v1/show/sessions/stop", {}, scene["token"])
    live.ok("POST", "/api/v1/show/sessions/start", {"session_id": leader}, scene["token"])
    leader_conn.close()


@pytest.mark.slow
@pytest.mark.gen_test(timeout=90)
async def test_after_the_leaders_process_is_killed_the_users_new_connection_leads(
    live, database, ws_connect
):
    scene = seed(live)
    leader_conn, leader = await signed_in_leader(live, scene["token"])
    live.kill()
    user = await ws_connect()
    await user.send({"OP": "AUTHENTICATE", "DATA": {"token": scene["token"]}})
    assert (await user.receive())["OP"] == "WS_AUTH_SUCCESS"
    assert await elected(user)
    assert client_row(database, leader) is None
    leader_conn.close()

"""Several server processes on one database behave as one: a change made through one is in the
lists every process answers at once, and (PostgreSQL) every WebSocket client hears its notice
exactly once, whichever process it is connected to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient
from tornado.websocket import WebSocketClientConnection, websocket_connect

from tests.conftest import BACKEND
from tests.live_server import LiveServer, live_servers, seed

SESSION_DATA = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SHOW_SESSION_DATA"}


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[LiveServer]]:
    with live_servers(database_url, tmp_path, 2) as servers:
        yield servers


async def connect(server: LiveServer) -> WebSocketClientConnection:
    conn = await websocket_connect(server.base_url.replace("http", "ws", 1) + "/api/v1/ws")
    for _ in range(2):  # SET_UUID, NOOP/GET_SETTINGS
        await conn.read_message()
    return conn


async def heard(conn: WebSocketClientConnection, wait: float) -> list[Any]:
    """Every message the connection receives within `wait` seconds."""
    messages = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while (left := deadline - loop.time()) > 0:
        try:
            raw = await asyncio.wait_for(conn.read_message(), left)
        except TimeoutError:
            break
        messages.append(json.loads(raw))  # type: ignore[arg-type]
    return messages


async def listed(server: LiveServer, etag: str | None = None) -> Any:
    headers = {} if etag is None else {"If-None-Match": etag}
    return await AsyncHTTPClient().fetch(
        server.base_url + "/api/v1/show/sessions", headers=headers, raise_error=False
    )


@pytest.mark.slow
@pytest.mark.gen_test(timeout=90)
async def test_a_change_through_one_process_is_in_the_others_list_at_once(two_servers):
    first, second = two_servers
    scene = seed(first)
    before = await listed(second)
    etag = before.headers["Etag"]
    first.ok(
        "POST",
        "/api/v1/show/sessions/schedule",
        {"scheduled_date_time": "2026-12-24T19:30:00"},
        scene["token"],
    )
    after = await listed(second, etag)
    assert after.code == 200
    assert len(json.loads(after.body)["sessions"]) == len(json.loads(before.body)["sessions"]) + 1


@pytest.mark.slow
@pytest.mark.skipif(BACKEND != "postgresql", reason="notices cross processes on PostgreSQL")
@pytest.mark.gen_test(timeout=90)
async def test_every_client_hears_each_change_once_whichever_process_made_it(two_servers):
    first, second = two_servers
    scene = seed(first)
    clients = [await connect(first), await connect(second)]
    for made_by in (first, second):
        made_by.ok(
            "POST",
            "/api/v1/show/sessions/schedule",
            {"scheduled_date_time": "2026-12-24T19:30:00"},
            scene["token"],
        )
        for conn in clients:
            assert await heard(conn, 1.5) == [SESSION_DATA]
    for conn in clients:
        conn.close()

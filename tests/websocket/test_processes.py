"""Several server processes on one PostgreSQL database behave as one: a change made through one
is in the lists every process answers at once, and every WebSocket client hears its notice
exactly once, whichever process it is connected to. A SQLite file is served by one process:
a second `serve` on it is refused."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient
from tornado.websocket import WebSocketClientConnection, websocket_connect

from tests.conftest import BACKEND
from tests.live_server import ROOT, LiveServer, live_servers, seed
from tests.pgcluster import free_port

SESSION_DATA = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SHOW_SESSION_DATA"}


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[LiveServer]]:
    if BACKEND != "postgresql":
        pytest.skip("only PostgreSQL is served by several processes")
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


# -- SQLite: one process per file ------------------------------------------------------------


@pytest.mark.skipif(BACKEND != "sqlite", reason="a SQLite file's own lock")
def test_a_second_server_on_a_sqlite_file_is_refused_until_the_first_has_gone(
    database_url: str, tmp_path: Path
) -> None:
    first = LiveServer(database_url, tmp_path / "first.log")
    first.start()
    try:
        second = subprocess.run(
            [sys.executable, "-m", "server", "serve", "--port", str(free_port())]
            + ["--database-url", database_url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        assert lines[0].startswith("digiscript-server: another server is already serving "), lines
        assert ".serve.lock" in lines[0]
        assert first.call("GET", "/api/v1/health")[0] == 200
        # The kernel drops the lock of a process killed outright: the file is free again.
        first.kill()
        third = LiveServer(database_url, tmp_path / "third.log")
        third.start()
        third.stop()
    finally:
        first.stop()


@pytest.mark.skipif(BACKEND != "sqlite", reason="a SQLite file's own lock")
def test_a_server_that_stopped_leaves_the_sqlite_file_free(database_url: str, tmp_path: Path):
    for name in ("first", "second"):
        server = LiveServer(database_url, tmp_path / f"{name}.log")
        server.start()
        server.stop()

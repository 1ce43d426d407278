"""A WebSocket client that stops reading costs the server a bounded amount of memory: once
more than `MAX_UNSENT` bytes wait for it, it is disconnected, and nobody else is held up.
A peer that has vanished without closing is found by pings."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from typing import Any
from urllib.parse import urlparse

import pytest

from server.app import make_app
from server.changes import Notice
from server.ws import MAX_UNSENT
from tests.conftest import client_row, eventually

# A notice of about 10 KB: 800 of them are far more than the cap and any socket buffers.
BIG = Notice("NOOP", "BIG", {"filler": "x" * 10_000})
NOTICES = 800


async def stalled_client(base_url: str) -> tuple[socket.socket, str]:
    """A raw socket that completes the WebSocket handshake, reads its greeting (its uuid) and
    then never reads again; its receive buffer is as small as the kernel allows."""
    address = urlparse(base_url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(sock, (address.hostname, address.port))
    key = base64.b64encode(os.urandom(16)).decode()
    handshake = (
        f"GET /api/v1/ws HTTP/1.1\r\nHost: {address.netloc}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    await loop.sock_sendall(sock, handshake.encode())
    received = b""
    while b'"SET_UUID"' not in received or not received.rstrip().endswith(b'"}'):
        chunk = await asyncio.wait_for(loop.sock_recv(sock, 4096), 10)
        assert chunk, "the server closed the handshake"
        received += chunk
    assert received.startswith(b"HTTP/1.1 101"), received[:200]
    uuid_start = received.index(b'"DATA": "') + len(b'"DATA": "')
    return sock, received[uuid_start : uuid_start + 36].decode()


def pending_bytes(conn: Any) -> int:
    """What the connection's stream holds that the socket has not taken yet."""
    if conn.ws_connection is None:
        return 0
    stream = conn.ws_connection.stream
    return int(stream._total_write_index - stream._total_write_done_index)


@pytest.mark.gen_test(timeout=60)
async def test_a_client_that_never_reads_is_disconnected_and_others_keep_receiving(
    app, database, http_server, base_url, ws_connect
):
    broadcaster = app.settings["broadcaster"]
    sock, stalled_id = await stalled_client(base_url)
    reader = await ws_connect()
    (stalled,) = [c for c in broadcaster.connections if c.internal_id == stalled_id]
    received = 0

    async def read_all() -> None:
        nonlocal received
        while received < NOTICES:
            assert (await reader.receive())["ACTION"] == "BIG"
            received += 1

    reading = asyncio.ensure_future(read_all())
    most_pending = 0
    for _ in range(NOTICES // 10):
        broadcaster.publish([BIG] * 10)
        most_pending = max(most_pending, pending_bytes(stalled))
        await asyncio.sleep(0.005)  # let the streams write what the sockets take
    await asyncio.wait_for(reading, 30)

    assert received == NOTICES
    assert stalled not in broadcaster.connections
    await eventually(lambda: client_row(database, stalled_id) is None, "stalled row kept")
    # The cap, plus the one notice whose size took it over.
    assert most_pending <= MAX_UNSENT + len(str(BIG.message)) + 100
    sock.close()


@pytest.mark.gen_test(timeout=60)
async def test_a_stalled_leader_hands_over_its_lead(
    app, admin, show, database, base_url, ws_connect
):
    broadcaster = app.settings["broadcaster"]
    sock, stalled_id = await stalled_client(base_url)
    assert (await admin.start_adhoc(stalled_id)).code == 200
    for _ in range(NOTICES // 10):
        broadcaster.publish([BIG] * 10)
        await asyncio.sleep(0.005)
    await eventually(lambda: client_row(database, stalled_id) is None, "stalled row kept")
    current = (await admin.sessions())["current_session"]
    assert current["client_internal_id"] is None
    assert current["last_client_internal_id"] == stalled_id
    sock.close()


def test_websocket_pings_are_on_by_default(database, clock):
    settings = make_app(database, clock).settings
    assert settings["websocket_ping_interval"] == 20
    assert settings["websocket_ping_timeout"] == 30


@pytest.mark.gen_test(timeout=30)
async def test_a_peer_that_never_answers_pings_is_dropped(database, clock, io_loop):
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port

    app = make_app(database, clock, websocket_ping_interval=0.2, websocket_ping_timeout=0.5)
    listener, port = bind_unused_port()
    server = HTTPServer(app)
    server.add_sockets([listener])
    try:
        # The raw client never reads, so it never answers a ping.
        sock, stalled_id = await stalled_client(f"http://127.0.0.1:{port}")
        await eventually(lambda: client_row(database, stalled_id) is None, "silent peer kept")
        sock.close()
    finally:
        server.stop()

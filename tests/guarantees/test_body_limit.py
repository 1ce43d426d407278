"""Request bodies are capped before they are read: the server `serve` runs (cli.http_server)
refuses a body longer than MAX_BODY_BYTES without buffering it, and answers what fits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from tornado.testing import bind_unused_port

from server.cli import MAX_BODY_BYTES, http_server
from server.config import Config


@pytest.fixture
def served(app: Any, io_loop: Any) -> Iterator[int]:
    """The app behind the HTTP server `serve` builds, on a port of its own."""
    sock, port = bind_unused_port()
    server = http_server(app, Config())
    server.add_sockets([sock])
    try:
        yield port
    finally:
        server.stop()
        io_loop.run_sync(server.close_all_connections)


async def exchange(port: int, head: bytes, body_chunks: list[bytes] | None = None) -> bytes:
    """Send a request head (and body chunks while the server takes them); everything the
    server answers until it closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head)
        for chunk in body_chunks or []:
            try:
                writer.write(chunk)
                await writer.drain()
            except ConnectionError:
                break
        try:
            return await asyncio.wait_for(reader.read(), 10)  # until the server closes
        except ConnectionResetError:
            # Closed with the client's bytes still unread: the answer may be lost with them.
            return RESET
    finally:
        writer.close()


RESET = b"(connection reset)"


def head(length_header: str, path: str = "/api/v1/logs/batch") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{length_header}\r\n\r\n"
    ).encode()


@pytest.mark.gen_test(timeout=30)
@pytest.mark.parametrize("length", [MAX_BODY_BYTES + 1, 100 * 1024 * 1024])
async def test_a_longer_content_length_is_refused_before_the_body_is_sent(served, length):
    # Nothing of the body is sent: the answer comes from the head alone, and the server
    # closes the connection rather than read what would follow.
    answer = await exchange(served, head(f"Content-Length: {length}"))
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")


@pytest.mark.gen_test(timeout=30)
async def test_a_chunked_body_is_cut_off_at_the_cap(served):
    chunk = b"x" * 65536
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    chunks = [framed] * (MAX_BODY_BYTES // len(chunk) + 4)
    answer = await exchange(served, head("Transfer-Encoding: chunked"), chunks)
    # The server stops reading at the cap and closes; what the client still sees of its 400
    # depends on how much it had sent by then.
    assert answer == RESET or answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:200]


@pytest.mark.gen_test(timeout=30)
async def test_a_body_within_the_cap_is_answered_with_the_fields_message(admin, show, served):
    # A megabyte of text in a field is still answered as bad input, with its field named.
    body = json.dumps({"tag": "x" * (1 << 20), "colour": "#fff"}).encode()
    assert len(body) < MAX_BODY_BYTES
    request = (
        "POST /api/v1/show/session/tags HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {admin.token}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    answer = await exchange(served, request, [body])
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    assert json.loads(rest.partition(b"\r\n\r\n")[2]) == {
        "message": "Tag name must be 100 characters or fewer"
    }

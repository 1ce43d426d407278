"""System Config's log viewer: this server's recent log and the browser messages it kept."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator

import pytest
from tornado.httpclient import HTTPRequest
from tornado.simple_httpclient import SimpleAsyncHTTPClient
from tornado.tcpclient import TCPClient

from server import logbuffer
from server.handlers import system as system_handlers

log = logging.getLogger("server.stage")


@pytest.fixture(autouse=True)
def fresh_buffers(app):
    logbuffer.SERVER.clear()
    logbuffer.CLIENT.clear()
    log.setLevel(logging.DEBUG)
    yield
    log.setLevel(logging.NOTSET)


def messages(r) -> list[str]:
    assert r.code == 200, r
    return [e["message"] for e in r.json["entries"]]


@pytest.mark.gen_test
async def test_the_server_s_log_is_shown_with_digiscript_s_keys(admin):
    log.info("curtain up")
    log.error("fly bar stuck on %s", "line 7")
    r = await admin.get("/logs/view")
    assert r.code == 200, r
    assert r.json["source"] == "server"
    entries = [e for e in r.json["entries"] if e["logger"] == "server.stage"]
    assert [e["message"] for e in entries] == ["curtain up", "fly bar stuck on line 7"]
    error = entries[1]
    assert (error["level"], error["level_no"]) == ("ERROR", logging.ERROR)
    assert error["filename"] == "test_log_view.py" and error["lineno"] > 0
    assert error["ts"].endswith("+00:00")
    assert set(error) == {
        "ts", "level", "level_no", "logger", "message", "filename", "lineno",
        "user_id", "username", "remote_ip",
    }  # fmt: skip
    assert r.json["total"] >= 2 and r.json["returned"] == len(r.json["entries"])


@pytest.mark.gen_test
async def test_level_search_and_username_filter(admin):
    log.debug("debug cue")
    log.info("info cue")
    log.warning("warning cue")
    log.error("error CUE")
    log.warning("as alice", extra={"username": "alice"})
    only = lambda ms: [m for m in ms if "cue" in m.lower()]  # noqa: E731
    assert only(messages(await admin.get("/logs/view?level=WARN"))) == ["warning cue", "error CUE"]
    assert messages(await admin.get("/logs/view?level=warning")) == messages(
        await admin.get("/logs/view?level=WARN")
    )
    assert only(messages(await admin.get("/logs/view?level="))) == [
        "debug cue",
        "info cue",
        "warning cue",
        "error CUE",
    ]
    assert messages(await admin.get("/logs/view?search=Error%20cue")) == ["error CUE"]
    assert messages(await admin.get("/logs/view?username=ALI")) == ["as alice"]


@pytest.mark.gen_test
async def test_limit_and_offset_count_back_from_the_newest(admin):
    for n in range(10):
        log.warning("line %d", n)
    r = await admin.get("/logs/view?search=line&limit=3")
    assert messages(r) == ["line 7", "line 8", "line 9"]
    assert (r.json["total"], r.json["returned"]) == (10, 3)
    assert messages(await admin.get("/logs/view?search=line&limit=3&offset=2")) == [
        "line 5",
        "line 6",
        "line 7",
    ]
    assert messages(await admin.get("/logs/view?search=line&limit=3&offset=20")) == []
    # The page's number box emptied: the default limit.
    assert len(messages(await admin.get("/logs/view?search=line&limit="))) == 10
    assert len(messages(await admin.get("/logs/view?search=line&limit=5000"))) == 10


def test_the_buffer_keeps_only_the_newest_entries():
    buffer = logbuffer.LogBuffer(maxlen=3)
    for n in range(5):
        buffer.add({"n": n})
    assert [e["n"] for e in buffer.entries()] == [2, 3, 4]


@pytest.mark.gen_test
async def test_browser_messages_are_the_client_source(admin):
    batch = {"batch": [{"level": "ERROR", "message": "script failed to load"}]}
    assert (await admin.post("/logs/batch", batch)).code == 200
    client = await admin.get("/logs/view?source=client")
    assert client.json["source"] == "client"
    [entry] = client.json["entries"]
    assert (entry["message"].endswith("script failed to load"), entry["username"]) == (
        True,
        "admin",
    )
    assert "script failed to load" not in " ".join(messages(await admin.get("/logs/view")))
    assert messages(await admin.get("/logs/view?source=client&username=nobody")) == []


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=LOUD", "level must be one of TRACE, DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL"),
        ("source=both", "source must be server or client"),
        ("limit=many", "limit must be a whole number"),
        ("limit=-1", "limit must be a whole number"),
        ("offset=-5", "offset must be a whole number"),
        ("offset=1.5", "offset must be a whole number"),
    ],
)
async def test_bad_filters_are_refused(admin, query, message):
    r = await admin.get("/logs/view?" + query)
    assert (r.code, r.message) == (400, message)


@pytest.mark.gen_test
async def test_only_admins_read_the_log(admin):
    assert (await admin.get("/logs/view", token="")).code == 401
    r = await admin.get("/logs/view", token=await admin.user_token("crew"))
    assert (r.code, r.message) == (403, "Admin access required")


class EventReader:
    """Reads a Server-Sent Events answer as it arrives: `await reader.next()` is its next
    `data:` entry, `reader.comments` counts the keepalive lines seen."""

    def __init__(self) -> None:
        self.buffer = ""
        self.events: asyncio.Queue[dict] = asyncio.Queue()
        self.comments = 0

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk.decode()
        *complete, self.buffer = self.buffer.split("\n\n")
        for event in complete:
            if event.startswith("data: "):
                self.events.put_nowait(json.loads(event[len("data: ") :]))
            elif event.startswith(":"):
                self.comments += 1

    async def next(self) -> dict:
        return await asyncio.wait_for(self.events.get(), 10)


@pytest.fixture
def browser() -> Iterator[SimpleAsyncHTTPClient]:
    """An HTTP client of its own: closing it is the browser going away."""
    client = SimpleAsyncHTTPClient(force_instance=True)
    yield client
    client.close()


def open_stream(browser, api, query: str, reader: EventReader, headers: dict | None = None):
    """The stream's request, running until `browser` is closed."""
    request = HTTPRequest(
        f"{api.base_url}/api/v1/logs/stream?{query}",
        headers=headers if headers is not None else {"Authorization": f"Bearer {api.token}"},
        streaming_callback=reader.feed,
        request_timeout=60,
    )
    return asyncio.ensure_future(browser.fetch(request, raise_error=False))


@pytest.mark.gen_test(timeout=30)
async def test_the_live_stream_sends_the_kept_entries_then_each_new_one(admin, browser):
    log.info("half hour call")
    log.debug("half hour call, too quiet to pass the filter")
    reader = EventReader()
    open_stream(browser, admin, "level=INFO&search=CALL", reader)
    kept = await reader.next()
    assert kept["message"] == "half hour call" and kept["logger"] == "server.stage"
    log.info("places, please: beginners call")
    log.info("not a match")
    log.warning("five minute call")
    assert (await reader.next())["message"] == "places, please: beginners call"
    assert (await reader.next())["message"] == "five minute call"
    assert reader.events.empty()


@pytest.mark.gen_test(timeout=30)
async def test_a_stream_whose_browser_goes_stops_listening(admin, http_port, monkeypatch):
    # A closed connection shows when the server next writes: the keepalive comment at the
    # latest, which comes quickly here.
    monkeypatch.setattr(system_handlers, "KEEPALIVE_SECONDS", 0.1)
    stream = await TCPClient().connect("127.0.0.1", http_port)
    await stream.write(
        b"GET /api/v1/logs/stream?source=client HTTP/1.1\r\nHost: localhost\r\n"
        + f"Authorization: Bearer {admin.token}\r\n\r\n".encode()
    )
    head = await stream.read_until(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head
    assert b": keepalive" in await stream.read_until(b"\n\n")
    assert len(logbuffer.CLIENT._readers) == 1 and not logbuffer.SERVER._readers
    stream.close()
    for _ in range(100):
        if not logbuffer.CLIENT._readers:
            break
        await asyncio.sleep(0.05)
    assert logbuffer.CLIENT._readers == []


@pytest.mark.gen_test(timeout=30)
async def test_only_admins_stream_the_log(admin, browser):
    token = await admin.user_token("crew")
    for headers, status in (({}, 401), ({"Authorization": f"Bearer {token}"}, 403)):
        reader = EventReader()
        r = await open_stream(browser, admin, "", reader, headers)
        assert r.code == status
    r = await admin.get("/logs/stream?level=LOUD")
    assert r.code == 400 and "level must be one of" in r.json["message"]

"""System Config's log viewer: this server's recent log and the browser messages it kept."""

from __future__ import annotations

import logging

import pytest

from server import logbuffer

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

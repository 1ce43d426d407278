"""System Config: server facts, version status and the connected clients."""

from __future__ import annotations

import datetime as dt
import platform
import socket
import uuid

import pytest

from server.db import Database
from server.models import WebClient
from server.models.client import ServerProcess
from server.operations.system import NO_UPDATE_CHECK
from tests.conftest import BACKEND


@pytest.mark.gen_test
async def test_system_info_tells_this_server_s_true_facts(admin, base_url):
    r = await admin.get("/system/info")
    assert r.code == 200, r
    info = r.json
    assert info["hostname"] == socket.getfqdn()
    assert isinstance(info["ip_address"], str) and info["ip_address"]
    assert info["port"] == int(base_url.rsplit(":", 1)[1])
    assert info["python_version"] == platform.python_version()
    assert info["database"] == BACKEND
    assert info["uptime_seconds"] >= 0
    dt.datetime.fromisoformat(info["started_at"])
    health = (await admin.get("/health")).json
    assert info["version"] == health["version"]


@pytest.mark.gen_test
@pytest.mark.parametrize("path", ["/system/info", "/ws/sessions"])
async def test_admin_only_pages_refuse_others(admin, path):
    assert (await admin.get(path, token="")).code == 401
    r = await admin.get(path, token=await admin.user_token("crew"))
    assert (r.code, r.message) == (403, "Admin access required")


@pytest.mark.gen_test
async def test_version_status_says_no_update_check_is_possible(admin):
    health = (await admin.get("/health")).json
    token = await admin.user_token("crew")
    r = await admin.get("/version/status", token=token)
    assert r.code == 200, r
    assert r.json == {
        "current_version": health["version"],
        "latest_version": None,
        "update_available": False,
        "release_url": None,
        "last_checked": None,
        "check_error": NO_UPDATE_CHECK,
    }
    assert (await admin.get("/version/status", token="")).code == 401


@pytest.mark.gen_test
async def test_version_check_answers_at_once_for_admins_only(admin):
    r = await admin.post("/version/check")
    assert r.code == 200, r
    assert r.json["check_error"] == NO_UPDATE_CHECK
    assert r.json["update_available"] is False
    refused = await admin.post("/version/check", token=await admin.user_token("crew"))
    assert (refused.code, refused.message) == (403, "Admin access required")
    assert (await admin.post("/version/check", token="")).code == 401


@pytest.mark.gen_test
async def test_connected_clients_lists_every_live_process_s_clients(
    admin, ws_connect, database: Database
):
    first = await ws_connect()
    second = await ws_connect()
    now = dt.datetime.now(dt.UTC)
    # A client of another live server process sharing the database, and one of a dead one.
    with database.write() as db:
        db.add(ServerProcess(id="other", started_at=now, heartbeat_at=now))
        db.add(ServerProcess(id="dead", started_at=now, heartbeat_at=now - dt.timedelta(hours=1)))
        db.flush()
        db.add(WebClient(internal_id="elsewhere", remote_ip="10.0.0.9", process_id="other"))
        db.add(WebClient(internal_id="gone", remote_ip="10.0.0.8", process_id="dead"))
    r = await admin.get("/ws/sessions")
    assert r.code == 200, r
    by_id = {c["internal_id"]: c for c in r.json["sessions"]}
    assert set(by_id) == {first.internal_id, second.internal_id, "elsewhere"}
    mine = by_id[first.internal_id]
    assert mine["remote_ip"] == "127.0.0.1"
    assert mine["is_editor"] is False
    assert mine["last_ping"] is None and mine["last_pong"] is None
    assert by_id["elsewhere"]["process_id"] == "other"
    uuid.UUID(first.internal_id)


@pytest.mark.gen_test
async def test_connected_clients_name_the_signed_in_user(admin, ws_connect):
    conn = await ws_connect()
    await conn.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    while (await conn.receive())["OP"] != "WS_AUTH_SUCCESS":
        pass
    r = await admin.get("/ws/sessions")
    [listed] = r.json["sessions"]
    assert (listed["internal_id"], listed["username"]) == (conn.internal_id, "admin")
    assert listed["user_id"] == await admin.user_id(admin.token)

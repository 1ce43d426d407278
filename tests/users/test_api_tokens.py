"""/api/v2/users/token: one's own personal API token, and requests signed in with X-API-Key."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, update

from server.db import Database
from server.models import User

TOKEN = "/api/v2/users/token"


def stored_digest(database: Database, username: str) -> str | None:
    with database.read() as db:
        return db.scalar(select(User.api_token_hash).where(User.username == username))


def user_id(database: Database, username: str) -> int:
    with database.read() as db:
        found = db.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


async def new_key(api, token: str | None = None) -> str:
    r = await api.post(TOKEN, token=token)
    assert r.code == 200, r
    return str(r.json["api_token"])


def key(value: str) -> dict[str, str]:
    return {"X-API-Key": value}


@pytest.mark.gen_test
async def test_a_user_generates_sees_and_revokes_their_token(admin, database):
    assert (await admin.get(TOKEN)).json == {"has_token": False}
    r = await admin.post(TOKEN)
    assert r.code == 200
    assert set(r.json) == {"message", "api_token"}
    assert r.json["message"] == "API token generated successfully"
    api_token = r.json["api_token"]
    assert len(api_token) >= 43  # 32 random bytes
    assert (await admin.get(TOKEN)).json == {"has_token": True}
    # Only the digest is kept.
    assert stored_digest(database, "admin") == hashlib.sha256(api_token.encode()).hexdigest()
    r = await admin.delete(TOKEN)
    assert (r.code, r.json) == (200, {"message": "API token revoked successfully"})
    assert (await admin.get(TOKEN)).json == {"has_token": False}
    assert stored_digest(database, "admin") is None


@pytest.mark.gen_test
async def test_revoking_without_a_token_is_refused(admin):
    r = await admin.delete(TOKEN)
    assert (r.code, r.message) == (400, "No API token to revoke")


@pytest.mark.gen_test
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
async def test_the_token_endpoints_need_a_login(api, admin, method):
    r = await api.request(method, TOKEN, token="")
    assert (r.code, r.message) == (401, "Not logged in")


@pytest.mark.gen_test
async def test_each_user_has_their_own_token(admin, database):
    alice = await admin.user_token("alice")
    alice_key = await new_key(admin, alice)
    assert (await admin.get(TOKEN)).json == {"has_token": False}
    assert stored_digest(database, "admin") is None
    r = await admin.get("/auth", token="", headers=key(alice_key))
    assert r.json["username"] == "alice"


@pytest.mark.gen_test
async def test_the_key_acts_as_its_user(admin, show):
    admin_key = await new_key(admin)
    r = await admin.get("/auth", token="", headers=key(admin_key))
    assert (r.code, r.json["username"], r.json["is_admin"]) == (200, "admin", True)
    # Admin-only endpoints and role checks see the same user.
    assert (await admin.get("/api/v2/users", token="", headers=key(admin_key))).code == 200
    r = await admin.post(
        "/show/session/tags",
        {"tag": "Preview", "colour": "#2f80ed"},
        token="",
        headers=key(admin_key),
    )
    assert r.code == 200, r
    tags = (await admin.get("/show/session/tags")).json["tags"]
    assert [(t["tag"], t["colour"]) for t in tags] == [("Preview", "#2f80ed")]


@pytest.mark.gen_test
async def test_a_users_key_has_their_roles_and_no_more(admin, show):
    alice = await admin.user_token("alice", role=1, show_id=show)
    alice_key = await new_key(admin, alice)
    r = await admin.get("/rbac/user/roles", token="", headers=key(alice_key))
    assert r.code == 200
    assert r.json == (await admin.get("/rbac/user/roles", token=alice)).json
    r = await admin.get("/api/v2/users", token="", headers=key(alice_key))
    assert (r.code, r.message) == (403, "Admin access required")
    r = await admin.post(
        "/show/session/tags",
        {"tag": "Preview", "colour": "#2f80ed"},
        token="",
        headers=key(alice_key),
    )
    assert (r.code, r.message) == (403, "WRITE role required for this show")
    assert (await admin.get("/show/session/tags")).json == {"tags": []}


@pytest.mark.gen_test
@pytest.mark.parametrize("path", ["/auth", "/api/v2/users/token", "/show/sessions", "/health"])
async def test_a_key_that_is_no_ones_is_refused_everywhere(admin, show, path):
    r = await admin.get(path, token="", headers=key("invalid-token"))
    assert (r.code, r.json) == (401, {"message": "Invalid API key"})


@pytest.mark.gen_test
async def test_a_new_token_replaces_the_old_one(admin):
    first = await new_key(admin)
    second = await new_key(admin)
    assert first != second
    assert (await admin.get("/auth", token="", headers=key(first))).code == 401
    assert (await admin.get("/auth", token="", headers=key(second))).code == 200


@pytest.mark.gen_test
async def test_a_revoked_key_stops_working_at_once(admin):
    api_key = await new_key(admin)
    assert (await admin.get("/auth", token="", headers=key(api_key))).code == 200
    await admin.delete(TOKEN)
    r = await admin.get("/auth", token="", headers=key(api_key))
    assert (r.code, r.message) == (401, "Invalid API key")


@pytest.mark.gen_test
async def test_a_key_revoked_by_another_process_stops_working_at_once(admin, database):
    # Nothing of the key is kept in memory: a write by any process ends it.
    api_key = await new_key(admin)
    assert (await admin.get("/auth", token="", headers=key(api_key))).code == 200
    with database.write() as db:
        db.execute(update(User).values(api_token_hash=None))
    assert (await admin.get("/auth", token="", headers=key(api_key))).code == 401


@pytest.mark.gen_test
async def test_deleting_the_user_ends_their_key(admin, database):
    alice = await admin.user_token("alice")
    alice_key = await new_key(admin, alice)
    assert (await admin.get("/auth", token="", headers=key(alice_key))).code == 200
    await admin.delete(f"/api/v2/users?id={user_id(database, 'alice')}")
    r = await admin.get("/user/settings", token="", headers=key(alice_key))
    assert (r.code, r.message) == (401, "Invalid API key")


@pytest.mark.gen_test
async def test_a_good_bearer_token_wins_over_a_key(admin):
    alice = await admin.user_token("alice")
    admin_key = await new_key(admin)
    r = await admin.get("/auth", token=alice, headers=key(admin_key))
    assert r.json["username"] == "alice"


@pytest.mark.gen_test
async def test_a_key_refreshes_into_a_bearer_token_and_logging_out_keeps_the_key(admin):
    api_key = await new_key(admin)
    r = await admin.post("/auth/refresh-token", token="", headers=key(api_key))
    assert r.code == 200, r
    bearer = r.json["access_token"]
    assert (await admin.get("/auth", token=bearer)).json["username"] == "admin"
    r = await admin.post("/auth/logout", {}, token="", headers=key(api_key))
    assert r.code == 200, r
    assert (await admin.get("/auth", token="", headers=key(api_key))).code == 200


@pytest.mark.gen_test
async def test_the_websocket_takes_bearer_tokens_only(admin, ws_connect):
    # As DigiScript: its WebSocket signs in with a login's token, never an API key.
    api_key = await new_key(admin)
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": api_key}})
    assert (await client.receive()) == {"OP": "WS_AUTH_ERROR", "DATA": "Invalid token"}


@pytest.mark.gen_test
async def test_making_or_revoking_a_key_tells_no_one(admin, ws_connect):
    client = await ws_connect()
    await new_key(admin)
    await admin.delete(TOKEN)
    await admin.create_user("alice")
    # The first notice after them is the new user's (has_admin_user may have changed).
    assert (await client.receive())["OP"] == "SETTINGS_CHANGED"
    assert (await client.receive()) == {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USERS"}

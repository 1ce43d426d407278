"""After an admin resets a password, its user may do nothing but change it (and what the client
needs to show the form) until they have; their WebSocket clients are told at each step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import User

REQUIRED = "Password change required before accessing this resource"


def user_id(database: Database, username: str) -> int:
    with database.read() as db:
        found = db.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


async def reset(admin, database: Database, username: str) -> str:
    r = await admin.post("/auth/reset-password", {"user_id": user_id(database, username)})
    assert r.code == 200, r
    return str(r.json["temporary_password"])


async def must_change(admin, database: Database, username: str, is_admin: bool = False) -> str:
    """A token of `username` (created now) whose password an admin has just reset."""
    await admin.create_user(username, is_admin=is_admin)
    temporary = await reset(admin, database, username)
    return await admin.login(username, temporary)


@pytest.mark.gen_test
async def test_the_current_user_says_a_change_is_required(admin, database):
    token = await must_change(admin, database, "alice")
    r = await admin.get("/auth", token=token)
    assert (r.code, r.json["requires_password_change"]) == (200, True)


@pytest.mark.gen_test
@pytest.mark.parametrize(
    "path",
    [
        "/settings",
        "/settings/categories",
        "/rbac/roles",
        "/rbac/user/roles",
        "/user/settings",
        "/health",
    ],
)
async def test_what_the_client_needs_still_answers(admin, database, show, path):
    token = await must_change(admin, database, "alice")
    assert (await admin.get(path, token=token)).code == 200


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/show/sessions"),
        ("GET", "/show"),
        ("GET", "/api/v2/users/token"),
        ("POST", "/api/v2/users/token"),
        ("PATCH", "/user/settings"),
        ("POST", "/auth/refresh-token"),
        ("GET", "/settings/raw"),
    ],
)
async def test_everything_else_is_refused(admin, database, show, method, path):
    token = await must_change(admin, database, "alice")
    body = {} if method != "GET" else None
    r = await admin.request(method, path, body, token=token)
    assert (r.code, r.message) == (403, REQUIRED)
    # Refused before the operation: no API key was made for the locked user.
    with database.read() as db:
        assert db.scalar(select(User.api_token_hash).where(User.username == "alice")) is None


@pytest.mark.gen_test
async def test_an_admin_who_must_change_is_refused_admin_work(admin, database):
    token = await must_change(admin, database, "deputy", is_admin=True)
    r = await admin.get("/api/v2/users", token=token)
    assert (r.code, r.message) == (403, REQUIRED)


@pytest.mark.gen_test
async def test_an_api_key_of_a_user_who_must_change_is_refused_too(admin, database):
    await admin.create_user("alice")
    alice = await admin.login("alice")
    api_key = (await admin.post("/api/v2/users/token", token=alice)).json["api_token"]
    await reset(admin, database, "alice")
    r = await admin.get("/show/sessions", token="", headers={"X-API-Key": api_key})
    assert (r.code, r.message) == (403, REQUIRED)
    assert (await admin.get("/auth", token="", headers={"X-API-Key": api_key})).code == 200


@pytest.mark.gen_test
async def test_logging_out_is_allowed(admin, database):
    token = await must_change(admin, database, "alice")
    assert (await admin.post("/auth/logout", {}, token=token)).code == 200


@pytest.mark.gen_test
async def test_changing_the_password_lifts_the_lock(admin, database, show):
    token = await must_change(admin, database, "alice")
    r = await admin.patch("/auth/change-password", {"new_password": "a new secret"}, token=token)
    assert r.code == 200, r
    fresh = r.json["access_token"]
    assert (await admin.get("/auth", token=fresh)).json["requires_password_change"] is False
    assert (await admin.get("/show/sessions", token=fresh)).code == 200


# -- what WebSocket clients are told --------------------------------------------------------


async def signed_in(ws_connect, token: str):
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": token}})
    assert (await client.receive())["OP"] == "WS_AUTH_SUCCESS"
    return client


async def next_action(client) -> str:
    """The action of the next notice that is not a users list change."""
    while True:
        message = await client.receive()
        if message.get("ACTION") != "GET_USERS":
            return str(message.get("ACTION"))


USER_LOGOUT = {"OP": "NOOP", "DATA": {}, "ACTION": "USER_LOGOUT"}


@pytest.mark.gen_test
async def test_a_reset_logs_the_users_clients_out(admin, database, ws_connect):
    alice = await admin.user_token("alice")
    hers = await signed_in(ws_connect, alice)
    others = await signed_in(ws_connect, admin.token)
    temporary = await reset(admin, database, "alice")
    assert (await hers.receive())["ACTION"] == "GET_USERS"
    assert (await hers.receive()) == USER_LOGOUT
    # Only hers: the admin's client hears the users list change and nothing for alice.
    assert (await others.receive())["ACTION"] == "GET_USERS"
    # Her connection is signed in no more: a notice for alice's clients does not reach it,
    # while one signed in afresh gets it.
    token = await admin.login("alice", temporary)
    fresh = await signed_in(ws_connect, token)
    r = await admin.patch("/auth/change-password", {"new_password": "a new secret"}, token=token)
    assert r.code == 200
    assert await next_action(fresh) == "TOKEN_REFRESH"
    # A reply to her connection comes after anything sent to it before.
    await hers.send({"OP": "AUTHENTICATE", "DATA": {}})
    heard = []
    while (message := await hers.receive())["OP"] != "WS_AUTH_ERROR":
        heard.append(message.get("ACTION"))
    assert heard == ["GET_USERS"]  # alice's change of password, and no new token


@pytest.mark.gen_test
async def test_a_change_gives_the_users_other_clients_the_new_token(admin, ws_connect):
    alice = await admin.user_token("alice")
    other = await signed_in(ws_connect, alice)
    r = await admin.patch(
        "/auth/change-password",
        {"old_password": "password1", "new_password": "a new secret"},
        token=alice,
    )
    assert r.code == 200
    assert (await other.receive())["ACTION"] == "GET_USERS"
    assert (await other.receive()) == {
        "OP": "NOOP",
        "DATA": {"access_token": r.json["access_token"], "token_type": "bearer"},
        "ACTION": "TOKEN_REFRESH",
    }
    # The connection stays signed in: the client swaps to the new token.
    await other.send({"OP": "REFRESH_TOKEN", "DATA": {"token": r.json["access_token"]}})
    assert (await other.receive()) == {"OP": "WS_TOKEN_REFRESH_SUCCESS", "DATA": {}}


@pytest.mark.gen_test
async def test_deleting_a_user_logs_their_clients_out(admin, database, ws_connect):
    alice = await admin.user_token("alice")
    hers = await signed_in(ws_connect, alice)
    r = await admin.delete(f"/api/v2/users?id={user_id(database, 'alice')}")
    assert r.code == 200
    assert (await hers.receive())["ACTION"] == "GET_USERS"
    assert (await hers.receive()) == USER_LOGOUT

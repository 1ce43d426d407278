"""POST /auth/reset-password (an admin's) and PATCH /auth/change-password (one's own)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import User

USERS_NOTICE = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USERS"}


def user_id(database: Database, username: str) -> int:
    with database.read() as db:
        found = db.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


def must_change(database: Database, username: str) -> bool:
    with database.read() as db:
        return bool(
            db.scalar(select(User.requires_password_change).where(User.username == username))
        )


async def logs_in(api, username: str, password: str) -> bool:
    r = await api.post("/auth/login", {"username": username, "password": password})
    return r.code == 200


# -- reset ---------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_admin_resets_a_password_to_a_temporary_one(admin, database):
    alice = await admin.user_token("alice")
    refreshed = (await admin.post("/auth/refresh-token", token=alice)).json["access_token"]
    r = await admin.post("/auth/reset-password", {"user_id": user_id(database, "alice")})
    assert r.code == 200
    assert set(r.json) == {"message", "temporary_password"}
    assert r.json["message"] == "Password reset successfully"
    temporary = r.json["temporary_password"]
    assert len(temporary) >= 6
    assert not await logs_in(admin, "alice", "password1")
    assert await logs_in(admin, "alice", temporary)
    assert must_change(database, "alice")
    # Every token the user held stops working.
    for token in (alice, refreshed):
        assert (await admin.post("/auth/refresh-token", token=token)).code == 401
        assert (await admin.get("/auth", token=token)).json == {}
    new = await admin.login("alice", temporary)
    assert (await admin.get("/auth", token=new)).json["requires_password_change"] is True


@pytest.mark.gen_test
async def test_each_reset_gives_another_password(admin, database):
    await admin.create_user("alice")
    body = {"user_id": user_id(database, "alice")}
    first = (await admin.post("/auth/reset-password", body)).json["temporary_password"]
    second = (await admin.post("/auth/reset-password", body)).json["temporary_password"]
    assert first != second
    assert not await logs_in(admin, "alice", first)
    assert await logs_in(admin, "alice", second)


@pytest.mark.gen_test
async def test_a_reset_broadcasts_get_users(admin, database, ws_connect):
    await admin.create_user("alice")
    watcher = await ws_connect()
    await admin.post("/auth/reset-password", {"user_id": user_id(database, "alice")})
    assert await watcher.receive() == USERS_NOTICE


@pytest.mark.gen_test
async def test_resetting_passwords_is_for_admins(admin, database):
    alice = await admin.user_token("alice")
    body = {"user_id": user_id(database, "admin")}
    assert (await admin.post("/auth/reset-password", body, token=alice)).code == 403
    assert (await admin.post("/auth/reset-password", body, token="")).code == 401
    assert await logs_in(admin, "admin", "password1")


@pytest.mark.parametrize(
    "body, code, message",
    [
        ({}, 400, "user_id is required"),
        ({"user_id": None}, 400, "user_id is required"),
        ({"user_id": "1"}, 400, "user_id must be an integer"),
        ({"user_id": True}, 400, "user_id must be an integer"),
        ({"user_id": 9999}, 404, "User not found"),
        ({"user_id": 0}, 404, "User not found"),
        ({"user_id": 2**62}, 404, "User not found"),
        ({"user_id": "ADMIN"}, 400, "Cannot reset your own password via admin endpoint"),
        ([], 400, "Invalid JSON body"),
    ],
)
@pytest.mark.gen_test
async def test_bad_resets_are_refused(admin, database, body, code, message):
    if isinstance(body, dict) and body.get("user_id") == "ADMIN":
        body = {"user_id": user_id(database, "admin")}
    r = await admin.post("/auth/reset-password", body)
    assert (r.code, r.message) == (code, message)
    assert await logs_in(admin, "admin", "password1")
    assert not must_change(database, "admin")


# -- change --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_a_user_changes_their_password_and_gets_a_new_token(admin, database):
    alice = await admin.user_token("alice")
    other_login = await admin.login("alice")
    r = await admin.patch(
        "/auth/change-password",
        {"old_password": "password1", "new_password": "password2"},
        token=alice,
    )
    assert r.code == 200
    assert r.json["message"] == "Password changed successfully"
    assert r.json["token_type"] == "bearer"
    new = r.json["access_token"]
    assert (await admin.get("/auth", token=new)).json["username"] == "alice"
    # The token used and every other one of the user's stop working.
    for token in (alice, other_login):
        assert (await admin.get("/auth", token=token)).json == {}
    assert not await logs_in(admin, "alice", "password1")
    assert await logs_in(admin, "alice", "password2")
    # Other users' tokens are untouched.
    assert (await admin.get("/auth")).json["username"] == "admin"


@pytest.mark.gen_test
async def test_after_a_reset_the_old_password_is_not_needed(admin, database):
    await admin.create_user("alice")
    r = await admin.post("/auth/reset-password", {"user_id": user_id(database, "alice")})
    alice = await admin.login("alice", r.json["temporary_password"])
    r = await admin.patch("/auth/change-password", {"new_password": "my-own-one"}, token=alice)
    assert r.code == 200
    assert not must_change(database, "alice")
    assert await logs_in(admin, "alice", "my-own-one")
    # From then on it is needed again.
    token = r.json["access_token"]
    r = await admin.patch("/auth/change-password", {"new_password": "another1"}, token=token)
    assert (r.code, r.message) == (400, "Old password is required")


@pytest.mark.gen_test
async def test_a_password_change_broadcasts_get_users(admin, ws_connect):
    alice = await admin.user_token("alice")
    watcher = await ws_connect()
    body = {"old_password": "password1", "new_password": "password2"}
    assert (await admin.patch("/auth/change-password", body, token=alice)).code == 200
    assert await watcher.receive() == USERS_NOTICE


@pytest.mark.gen_test
async def test_changing_a_password_needs_a_login(admin):
    body = {"old_password": "password1", "new_password": "password2"}
    r = await admin.patch("/auth/change-password", body, token="")
    assert r.code == 401
    assert await logs_in(admin, "admin", "password1")


@pytest.mark.parametrize(
    "body, code, message",
    [
        (
            {"old_password": "wrong-one", "new_password": "password2"},
            401,
            "Current password is incorrect",
        ),
        ({"new_password": "password2"}, 400, "Old password is required"),
        ({"old_password": "", "new_password": "password2"}, 400, "Old password is required"),
        ({"old_password": "password1"}, 400, "New password is required"),
        ({"old_password": "password1", "new_password": ""}, 400, "New password is required"),
        ({"old_password": "password1", "new_password": None}, 400, "New password is required"),
        (
            {"old_password": "password1", "new_password": 123456},
            400,
            "new_password must be a string",
        ),
        ({"old_password": 1, "new_password": "password2"}, 400, "old_password must be a string"),
        (
            {"old_password": "password1", "new_password": "short"},
            400,
            "Password must be at least 6 characters long",
        ),
        (
            {"old_password": "password1", "new_password": "x" * 73},
            400,
            "Password must be 72 characters or fewer",
        ),
        ([], 400, "Invalid JSON body"),
    ],
)
@pytest.mark.gen_test
async def test_bad_changes_are_refused(admin, body, code, message):
    alice = await admin.user_token("alice")
    r = await admin.patch("/auth/change-password", body, token=alice)
    assert (r.code, r.message) == (code, message)
    assert (await admin.get("/auth", token=alice)).json["username"] == "alice"
    assert await logs_in(admin, "alice", "password1")

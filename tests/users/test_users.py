"""client-v3's users page: GET and DELETE /api/v2/users (POST is tested with /auth/create)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import User, UserRole, UserSettings
from server.roles import Role

USERS_NOTICE = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USERS"}


def user_id(database: Database, username: str) -> int | None:
    with database.read() as db:
        return db.scalar(select(User.id).where(User.username == username))


@pytest.mark.gen_test
async def test_admin_lists_every_user_without_passwords(admin):
    await admin.create_user("alice")
    r = await admin.get("/api/v2/users")
    assert r.code == 200
    assert [u["username"] for u in r.json["users"]] == ["admin", "alice"]
    assert all("password" not in u for u in r.json["users"])
    assert r.json == (await admin.get("/auth/users")).json


@pytest.mark.gen_test
async def test_listing_users_is_for_admins(admin):
    alice = await admin.user_token("alice")
    assert (await admin.get("/api/v2/users", token=alice)).code == 403
    assert (await admin.get("/api/v2/users", token="")).code == 401


@pytest.mark.gen_test
async def test_admin_deletes_a_user_with_their_roles_and_settings(admin, database, show):
    alice = await admin.user_token("alice", role=Role.EXECUTE, show_id=show)
    await admin.get("/user/settings", token=alice)
    alice_id = user_id(database, "alice")
    r = await admin.delete(f"/api/v2/users?id={alice_id}")
    assert r.code == 200
    assert r.json == {"message": "Successfully deleted user"}
    with database.read() as db:
        assert db.get(User, alice_id) is None
        assert db.scalars(select(UserRole).where(UserRole.user_id == alice_id)).all() == []
        assert db.get(UserSettings, alice_id) is None


@pytest.mark.gen_test
async def test_a_deleted_users_token_stops_working(admin, database):
    alice = await admin.user_token("alice")
    await admin.delete(f"/api/v2/users?id={user_id(database, 'alice')}")
    assert (await admin.post("/auth/refresh-token", token=alice)).code == 401
    assert (await admin.get("/auth", token=alice)).json == {}


@pytest.mark.gen_test
async def test_deleting_a_user_broadcasts_get_users(admin, database, ws_connect):
    await admin.create_user("alice")
    watcher = await ws_connect()
    await admin.delete(f"/api/v2/users?id={user_id(database, 'alice')}")
    assert await watcher.receive() == USERS_NOTICE


@pytest.mark.gen_test
async def test_an_admin_cannot_delete_themselves(admin, database):
    r = await admin.delete(f"/api/v2/users?id={user_id(database, 'admin')}")
    assert r.code == 400
    assert r.json == {"message": "Cannot delete currently authenticated user"}
    assert user_id(database, "admin") is not None


@pytest.mark.parametrize(
    "query, code, message",
    [
        ("", 400, "Id missing"),
        ("?id=", 400, "Id must be an integer"),
        ("?id=alice", 400, "Id must be an integer"),
        ("?id=999", 404, "User not found"),
        ("?id=99999999999999", 404, "User not found"),
        ("?id=-1", 404, "User not found"),
    ],
)
@pytest.mark.gen_test
async def test_delete_names_what_is_wrong_with_the_id(admin, database, query, code, message):
    await admin.create_user("alice")
    r = await admin.delete(f"/api/v2/users{query}")
    assert r.code == code
    assert r.json == {"message": message}
    assert user_id(database, "alice") is not None


@pytest.mark.gen_test
async def test_deleting_users_is_for_admins(admin, database):
    alice = await admin.user_token("alice")
    await admin.create_user("bob")
    bob = user_id(database, "bob")
    assert (await admin.delete(f"/api/v2/users?id={bob}", token=alice)).code == 403
    assert (await admin.delete(f"/api/v2/users?id={bob}", token="")).code == 401
    assert user_id(database, "bob") is not None


@pytest.mark.gen_test
async def test_v2_users_still_creates_users(admin, database):
    r = await admin.post("/api/v2/users", {"username": "carol", "password": "password1"})
    assert r.code == 200
    assert user_id(database, "carol") is not None


@pytest.mark.gen_test
async def test_a_deleted_users_token_never_speaks_for_a_later_user(admin, database):
    ghost = await admin.user_token("alice")
    alice_id = user_id(database, "alice")
    await admin.delete(f"/api/v2/users?id={alice_id}")
    await admin.create_user("bob")
    # SQLite may give bob alice's id; her token must still not work for him.
    assert (await admin.get("/auth", token=ghost)).json == {}
    assert (await admin.get("/user/settings", token=ghost)).code == 401
    bob = await admin.login("bob")
    assert (await admin.get("/auth", token=bob)).json["username"] == "bob"

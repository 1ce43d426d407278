"""PATCH /api/v2/users?id=: an admin makes another user an admin, or no longer one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.auth import SignedIn
from server.db import Database
from server.errors import Invalid
from server.models import User
from server.operations import users

USERS_NOTICE = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USERS"}


def user_id(database: Database, username: str) -> int:
    with database.read() as db:
        found = db.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


def is_admin(database: Database, username: str) -> bool:
    with database.read() as db:
        return bool(db.scalar(select(User.is_admin).where(User.username == username)))


@pytest.mark.gen_test
async def test_admin_promotes_and_demotes_another_user(admin, database):
    alice = await admin.user_token("alice")
    alice_id = user_id(database, "alice")
    r = await admin.patch(f"/api/v2/users?id={alice_id}", {"is_admin": True})
    assert r.code == 200
    assert r.json == {"message": "Successfully updated user"}
    assert is_admin(database, "alice")
    # Their token speaks for an admin at once.
    assert (await admin.get("/api/v2/users", token=alice)).code == 200
    r = await admin.patch(f"/api/v2/users?id={alice_id}", {"is_admin": False})
    assert r.code == 200
    assert not is_admin(database, "alice")
    assert (await admin.get("/api/v2/users", token=alice)).code == 403


@pytest.mark.gen_test
async def test_a_demoted_admin_can_demote_no_one(admin, database):
    await admin.create_user("alice", is_admin=True)
    alice = await admin.login("alice")
    await admin.patch(f"/api/v2/users?id={user_id(database, 'alice')}", {"is_admin": False})
    r = await admin.patch(
        f"/api/v2/users?id={user_id(database, 'admin')}", {"is_admin": False}, token=alice
    )
    assert r.code == 403
    assert is_admin(database, "admin")


@pytest.mark.gen_test
async def test_editing_a_user_broadcasts_get_users(admin, database, ws_connect):
    await admin.create_user("alice")
    watcher = await ws_connect()
    await admin.patch(f"/api/v2/users?id={user_id(database, 'alice')}", {"is_admin": True})
    assert await watcher.receive() == USERS_NOTICE


@pytest.mark.gen_test
async def test_an_admin_cannot_edit_themselves(admin, database):
    r = await admin.patch(f"/api/v2/users?id={user_id(database, 'admin')}", {"is_admin": False})
    assert r.code == 400
    assert r.json == {"message": "Cannot edit your own account"}
    assert is_admin(database, "admin")


@pytest.mark.gen_test
async def test_the_only_admin_keeps_being_one(admin, database):
    """An admin cannot demote themselves through the API, so the last admin can only be
    demoted by someone who stopped being an admin since their token was checked."""
    admin_id = user_id(database, "admin")
    former_admin = SignedIn(id=admin_id + 1000, username="former", is_admin=True)
    only = "^Cannot remove admin from the only admin user$"
    with pytest.raises(Invalid, match=only), database.write() as db:
        users.update_user(db, former_admin, admin_id, False)
    assert is_admin(database, "admin")


@pytest.mark.gen_test
async def test_one_of_two_admins_can_be_demoted(admin, database):
    await admin.create_user("alice", is_admin=True)
    r = await admin.patch(f"/api/v2/users?id={user_id(database, 'alice')}", {"is_admin": False})
    assert r.code == 200
    assert not is_admin(database, "alice")


@pytest.mark.gen_test
async def test_editing_users_is_for_admins(admin, database):
    alice = await admin.user_token("alice")
    path = f"/api/v2/users?id={user_id(database, 'admin')}"
    assert (await admin.patch(path, {"is_admin": False}, token=alice)).code == 403
    assert (await admin.patch(path, {"is_admin": False}, token="")).code == 401
    r = await admin.patch(
        f"/api/v2/users?id={user_id(database, 'alice')}", {"is_admin": True}, token=alice
    )
    assert r.code == 403
    assert not is_admin(database, "alice")


@pytest.mark.parametrize(
    "query, body, code, message",
    [
        ("", {"is_admin": True}, 400, "Id missing"),
        ("?id=alice", {"is_admin": True}, 400, "Id must be an integer"),
        ("?id=9999", {"is_admin": True}, 404, "User not found"),
        ("?id=0", {"is_admin": True}, 404, "User not found"),
        ("?id=99999999999", {"is_admin": True}, 404, "User not found"),
        ("?id=ALICE", {}, 400, "is_admin missing"),
        ("?id=ALICE", {"is_admin": None}, 400, "is_admin missing"),
        ("?id=ALICE", {"is_admin": "true"}, 400, "is_admin must be a boolean"),
        ("?id=ALICE", {"is_admin": 1}, 400, "is_admin must be a boolean"),
        ("?id=ALICE", [], 400, "Invalid JSON body"),
    ],
)
@pytest.mark.gen_test
async def test_bad_edits_are_refused(admin, database, query, body, code, message):
    await admin.create_user("alice")
    query = query.replace("ALICE", str(user_id(database, "alice")))
    r = await admin.patch(f"/api/v2/users{query}", body)
    assert (r.code, r.message) == (code, message)
    assert not is_admin(database, "alice")

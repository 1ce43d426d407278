"""Flags are JSON booleans: 1 and 0 (equal to True and False in Python) and strings are refused
with a 400 naming the field, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.db import Database
from server.models import ScriptRevision, User

NOT_BOOLEANS = [1, 0, 1.0, "true", "false", "1", [], {}]


def count(database: Database, model: type) -> int:
    with database.read() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("path", ["/auth/create", "/api/v2/users"])
@pytest.mark.parametrize("value", NOT_BOOLEANS, ids=repr)
@pytest.mark.gen_test
async def test_is_admin_must_be_a_boolean(admin, database, path, value):
    before = count(database, User)
    r = await admin.post(path, {"username": "alice", "password": "password1", "is_admin": value})
    assert (r.code, r.message) == (400, "is_admin must be a boolean")
    assert count(database, User) == before


@pytest.mark.parametrize("value", NOT_BOOLEANS, ids=repr)
@pytest.mark.gen_test
async def test_the_first_users_is_admin_must_be_a_boolean(api, database, value):
    r = await api.post(
        "/auth/create", {"username": "admin", "password": "password1", "is_admin": value}
    )
    assert (r.code, r.message) == (400, "is_admin must be a boolean")
    assert count(database, User) == 0


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.gen_test
async def test_is_admin_true_and_false_are_taken(admin, value):
    r = await admin.post(
        "/auth/create", {"username": "alice", "password": "password1", "is_admin": value}
    )
    assert r.code == 200
    me = (await admin.get("/auth", token=await admin.login("alice"))).json
    assert me["is_admin"] is value


@pytest.mark.parametrize("value", NOT_BOOLEANS, ids=repr)
@pytest.mark.gen_test
async def test_set_as_current_must_be_a_boolean(admin, show, database, value):
    before = count(database, ScriptRevision)
    current = await admin.current_revision()
    r = await admin.post(
        "/show/script/revisions", {"description": "Draft", "set_as_current": value}
    )
    assert (r.code, r.message) == (400, "set_as_current must be a boolean")
    assert count(database, ScriptRevision) == before
    assert await admin.current_revision() == current

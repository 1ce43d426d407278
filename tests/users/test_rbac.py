"""Per-show roles (/rbac/...) and who may call which guarded endpoint."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from sqlalchemy import select, update

from server.db import Database
from server.models import User, UserRole
from server.operations import clients
from server.roles import Role
from tests.conftest import Api

# -- roles, grants and revokes ---------------------------------------------------------------


def user_id_of(database: Database, username: str) -> int:
    with database.read() as db:
        return int(db.scalar(select(User.id).where(User.username == username)))  # type: ignore[arg-type]


def stored_mask(database: Database, user_id: int, show_id: int) -> int | None:
    with database.read() as db:
        return db.scalar(
            select(UserRole.role).where(UserRole.user_id == user_id, UserRole.show_id == show_id)
        )


def role_body(show_id: int, user_id: int, role: int) -> dict[str, Any]:
    return {"resource": "shows", "object": {"id": show_id}, "user": user_id, "role": role}


@pytest.mark.gen_test
async def test_roles_are_listed_with_their_bits(api):
    r = await api.get("/rbac/roles")
    assert r.code == 200
    assert r.json == {
        "roles": [
            {"key": "READ", "value": 1},
            {"key": "WRITE", "value": 2},
            {"key": "EXECUTE", "value": 4},
        ]
    }


@pytest.mark.gen_test
async def test_grant_adds_bits_to_the_users_mask(admin, database, show):
    await admin.create_user("alice")
    alice = user_id_of(database, "alice")
    r = await admin.post("/rbac/user/roles/grant", role_body(show, alice, 1))
    assert r.code == 200
    assert r.json == {"message": "Successfully granted role"}
    assert stored_mask(database, alice, show) == 1
    await admin.post("/rbac/user/roles/grant", role_body(show, alice, 4))
    assert stored_mask(database, alice, show) == 5


@pytest.mark.gen_test
async def test_revoke_removes_only_the_given_bits(admin, database, show):
    await admin.create_user("alice")
    alice = user_id_of(database, "alice")
    await admin.grant(alice, show, 7)
    r = await admin.post("/rbac/user/roles/revoke", role_body(show, alice, 2))
    assert r.code == 200
    assert r.json == {"message": "Successfully revoked role"}
    assert stored_mask(database, alice, show) == 5


@pytest.mark.gen_test
async def test_revoking_every_bit_leaves_no_role(admin, database, show):
    await admin.create_user("alice")
    alice = user_id_of(database, "alice")
    await admin.grant(alice, show, 3)
    r = await admin.post("/rbac/user/roles/revoke", role_body(show, alice, 3))
    assert r.code == 200
    assert not stored_mask(database, alice, show)


@pytest.mark.parametrize("action", ["grant", "revoke"])
@pytest.mark.parametrize("key", ["resource", "object", "user", "role"])
@pytest.mark.gen_test
async def test_grant_and_revoke_name_the_missing_body_parameter(admin, database, show, action, key):
    await admin.create_user("alice")
    body = role_body(show, user_id_of(database, "alice"), 2)
    del body[key]
    r = await admin.post(f"/rbac/user/roles/{action}", body)
    assert r.code == 400
    assert r.json == {"message": f"{key} body parameter not fulfilled"}
    assert stored_mask(database, user_id_of(database, "alice"), show) is None


@pytest.mark.parametrize("action", ["grant", "revoke"])
@pytest.mark.parametrize("value", [5, "x", [], {"id": "7"}, {}])
@pytest.mark.gen_test
async def test_grant_and_revoke_name_an_object_that_is_not_one(
    admin, database, show, action, value
):
    await admin.create_user("alice")
    body = {**role_body(show, user_id_of(database, "alice"), 2), "object": value}
    r = await admin.post(f"/rbac/user/roles/{action}", body)
    assert (r.code, r.json) == (400, {"message": "object must be an object with an integer id"})


@pytest.mark.parametrize("action", ["grant", "revoke"])
@pytest.mark.parametrize(
    "change, message",
    [
        ({"resource": "scripts"}, "resource not found"),
        ({"user": 9999}, "user not found"),
        ({"object": {"id": 9999}}, "object not found"),
    ],
)
@pytest.mark.gen_test
async def test_grant_and_revoke_answer_404_for_what_does_not_exist(
    admin, database, show, action, change, message
):
    await admin.create_user("alice")
    body = {**role_body(show, user_id_of(database, "alice"), 2), **change}
    r = await admin.post(f"/rbac/user/roles/{action}", body)
    assert r.code == 404
    assert r.json == {"message": message}


@pytest.mark.parametrize("role", [0, 8, -1])
@pytest.mark.gen_test
async def test_grant_refuses_a_mask_that_is_not_a_role(admin, database, show, role):
    await admin.create_user("alice")
    alice = user_id_of(database, "alice")
    r = await admin.post("/rbac/user/roles/grant", role_body(show, alice, role))
    assert r.code == 400
    assert r.message
    assert stored_mask(database, alice, show) is None


@pytest.mark.gen_test
async def test_user_roles_lists_the_callers_mask_on_the_current_show(admin, show):
    token = await admin.user_token("alice", role=Role.WRITE | Role.EXECUTE, show_id=show)
    r = await admin.get("/rbac/user/roles", token=token)
    assert r.code == 200
    current = (await admin.get("/show")).json
    assert r.json["roles"]["shows"] == [[current, 6]]


@pytest.mark.gen_test
async def test_user_roles_shows_no_bits_without_a_grant(admin, show):
    token = await admin.user_token("alice")
    r = await admin.get("/rbac/user/roles", token=token)
    assert r.code == 200
    assert r.json["roles"]["shows"][0][1] == 0


@pytest.mark.gen_test
async def test_a_granted_role_opens_the_door_and_revoking_it_closes_it(admin, database, show):
    token = await admin.user_token("alice")
    alice = user_id_of(database, "alice")
    tag = {"tag": "Preview", "colour": "#fff"}
    assert (await admin.post("/show/session/tags", tag, token=token)).code == 403
    await admin.grant(alice, show, Role.WRITE)
    assert (await admin.post("/show/session/tags", tag, token=token)).code == 200
    await admin.post("/rbac/user/roles/revoke", role_body(show, alice, Role.WRITE))
    r = await admin.post("/show/session/tags", {"tag": "Matinee", "colour": "#000"}, token=token)
    assert r.code == 403


@pytest.mark.gen_test
async def test_a_role_on_another_show_does_not_count(admin, show):
    other = await admin.create_show("Macbeth", load=False)
    token = await admin.user_token("alice", role=Role.WRITE, show_id=other)
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#fff"}, token=token)
    assert r.code == 403
    assert (await admin.get("/show/session/tags")).json == {"tags": []}


# -- the role matrix -------------------------------------------------------------------------
#
# Every guarded endpoint against every kind of caller. For each caller the admin loads a fresh
# show and runs the endpoint's set-up, which returns the request to make; the caller then makes
# it with its own token. `n` keeps the names of one round apart from the others.

ADMIN = "admin"
LOGIN = "login"


@dataclass
class Call:
    method: str
    path: str
    body: Any = None


Setup = Callable[[Api, int, Database, int], Awaitable[Call]]


async def _client_id(database: Database) -> str:
    internal_id = str(uuid.uuid4())
    with database.write() as db:
        clients.register_client(db, internal_id, "127.0.0.1", dt.datetime.now(dt.UTC))
    return internal_id


async def _a_session(admin: Api, database: Database) -> int:
    assert (await admin.start_adhoc(await _client_id(database))).code == 200
    session_id = (await admin.sessions())["current_session"]["id"]
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    return int(session_id)


async def create_user(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/auth/create", {"username": f"newcomer{n}", "password": "password1"})


async def create_user_v2(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/api/v2/users", {"username": f"newcomer{n}", "password": "password1"})


async def list_users(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("GET", "/auth/users")


async def logout(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/auth/logout", {})


async def refresh_token(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/auth/refresh-token")


async def grant_role(admin: Api, show: int, database: Database, n: int) -> Call:
    await admin.create_user(f"target{n}")
    body = role_body(show, user_id_of(database, f"target{n}"), 1)
    return Call("POST", "/rbac/user/roles/grant", body)


async def revoke_role(admin: Api, show: int, database: Database, n: int) -> Call:
    await admin.create_user(f"target{n}")
    target = user_id_of(database, f"target{n}")
    await admin.grant(target, show, 1)
    return Call("POST", "/rbac/user/roles/revoke", role_body(show, target, 1))


async def own_roles(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("GET", "/rbac/user/roles")


async def load_show(admin: Api, show: int, database: Database, n: int) -> Call:
    other = await admin.create_show(f"Macbeth {n}", load=False)
    return Call("PATCH", "/settings", {"current_show": other})


async def create_show(admin: Api, show: int, database: Database, n: int) -> Call:
    body = {"name": f"Macbeth {n}", "start": "2027-02-01", "end": "2027-03-01", "script_mode": 2}
    return Call("POST", "/show", body)


async def create_revision(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/show/script/revisions", {"description": "Act two cuts"})


async def set_current_revision(admin: Api, show: int, database: Database, n: int) -> Call:
    r = await admin.post(
        "/show/script/revisions", {"description": "Act two cuts", "set_as_current": False}
    )
    return Call("POST", "/show/script/revisions/current", {"new_rev_id": r.json["id"]})


async def create_tag(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/show/session/tags", {"tag": "Preview", "colour": "#3366ff"})


async def edit_tag(admin: Api, show: int, database: Database, n: int) -> Call:
    tag = await admin.create_tag("Preview")
    return Call("PATCH", "/show/session/tags", {"id": tag, "tag": "Gala", "colour": "#000000"})


async def delete_tag(admin: Api, show: int, database: Database, n: int) -> Call:
    tag = await admin.create_tag("Preview")
    return Call("DELETE", f"/show/session/tags?id={tag}")


async def start_session(admin: Api, show: int, database: Database, n: int) -> Call:
    return Call("POST", "/show/sessions/start", {"session_id": await _client_id(database)})


async def stop_session(admin: Api, show: int, database: Database, n: int) -> Call:
    assert (await admin.start_adhoc(await _client_id(database))).code == 200
    return Call("POST", "/show/sessions/stop", {})


async def assign_tags(admin: Api, show: int, database: Database, n: int) -> Call:
    tag = await admin.create_tag("Preview")
    session = await _a_session(admin, database)
    return Call("PATCH", "/show/sessions/assign-tags", {"session_id": session, "tag_ids": [tag]})


GUARDED: list[tuple[Setup, str | Role]] = [
    (create_user, ADMIN),
    (create_user_v2, ADMIN),
    (list_users, ADMIN),
    (logout, LOGIN),
    (refresh_token, LOGIN),
    (grant_role, ADMIN),
    (revoke_role, ADMIN),
    (own_roles, LOGIN),
    (load_show, ADMIN),
    (create_show, ADMIN),
    (create_revision, Role.WRITE),
    (set_current_revision, Role.WRITE),
    (create_tag, Role.WRITE),
    (edit_tag, Role.WRITE),
    (delete_tag, Role.WRITE),
    (start_session, Role.EXECUTE),
    (stop_session, Role.EXECUTE),
    (assign_tags, Role.WRITE),
]

BAD_TOKENS = ["anonymous", "malformed", "bad signature", "expired", "older token version"]
CALLERS = [*BAD_TOKENS, "no role", "READ", "WRITE", "EXECUTE", "admin"]


def expected_status(needs: str | Role, caller: str) -> int:
    if caller in BAD_TOKENS:
        return 401
    if caller == "admin" or needs == LOGIN:
        return 200
    if needs == ADMIN:
        return 403
    assert isinstance(needs, Role)
    return 200 if caller == needs.name else 403


async def token_for(
    caller: str, admin: Api, show: int, database: Database, clock: Any, n: int
) -> str:
    if caller == "anonymous":
        return ""
    if caller == "malformed":
        return "not.a.token"
    if caller == "bad signature":
        claims = jwt.decode(await admin.login("admin"), options={"verify_signature": False})
        return jwt.encode(claims, "a different secret, long enough for HS256", algorithm="HS256")
    if caller == "expired":
        token = await admin.login("admin")
        clock.advance(dt.timedelta(hours=25))
        return token
    if caller == "older token version":
        token = await admin.login("admin")
        with database.write() as db:
            db.execute(
                update(User)
                .where(User.username == "admin")
                .values(token_version=User.token_version + 1)
            )
        return token
    if caller == "admin":
        return await admin.login("admin")
    if caller == "no role":
        return await admin.user_token(f"caller{n}")
    return await admin.user_token(f"caller{n}", role=Role[caller], show_id=show)


@pytest.mark.parametrize(
    "setup, needs", GUARDED, ids=[setup.__name__.replace("_", " ") for setup, _ in GUARDED]
)
@pytest.mark.gen_test(timeout=60)
async def test_role_matrix(admin, database, clock, setup, needs):
    start = clock()
    answers: dict[str, int] = {}
    for n, caller in enumerate(CALLERS):
        show = await admin.create_show(f"Show {n}")
        call = await setup(admin, show, database, n)
        token = await token_for(caller, admin, show, database, clock, n)
        r = await admin.request(call.method, call.path, call.body, token=token)
        assert r.code == 200 or isinstance(r.message, str) and r.message, r
        answers[caller] = r.code
        # Undo what the caller's token needed, and leave no session live, for the next round.
        clock.set(start)
        admin.token = await admin.login("admin")
        await admin.post("/show/sessions/stop", {})
    assert answers == {caller: expected_status(needs, caller) for caller in CALLERS}

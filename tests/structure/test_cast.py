"""The cast: /show/cast (+ /stats is tested with the characters' stats)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import Cast, Character
from tests.structure.helpers import actions

CAST = "/show/cast"


async def add_cast(api, first: str, last: str) -> int:
    r = await api.post(CAST, {"firstName": first, "lastName": last})
    assert (r.code, r.message) == (200, "Successfully added cast member"), r
    return int(r.json["id"])


def cast_rows(database: Database) -> list[tuple[str | None, str | None]]:
    with database.read() as db:
        return [(c.first_name, c.last_name) for c in db.scalars(select(Cast).order_by(Cast.id))]


@pytest.mark.gen_test
async def test_cast_members_are_added_edited_deleted_and_every_client_is_told(
    admin, show, ws_connect, database
):
    client = await ws_connect()
    ada = await add_cast(admin, "Ada", "Lane")
    message = await client.receive()
    assert (message["OP"], message["ACTION"]) == ("GET_CAST_LIST", "GET_CAST_LIST")
    sam = await add_cast(admin, "Sam", "Reed")
    await actions(client, 1)
    r = await admin.post("/show/character", {"name": "Hamlet", "played_by": ada})
    hamlet = r.json["id"]
    await actions(client, 2)

    assert (await admin.get(CAST)).json == {
        "cast": [
            {
                "id": ada,
                "show_id": show,
                "first_name": "Ada",
                "last_name": "Lane",
                "character_list": [
                    {
                        "id": hamlet,
                        "show_id": show,
                        "played_by": ada,
                        "name": "Hamlet",
                        "description": None,
                        "character_groups": [],
                    }
                ],
            },
            {
                "id": sam,
                "show_id": show,
                "first_name": "Sam",
                "last_name": "Reed",
                "character_list": [],
            },
        ]
    }

    r = await admin.patch(CAST, {"id": sam, "firstName": "Samuel", "lastName": "Reed"})
    assert (r.code, r.message) == (200, "Successfully updated cast member")
    assert await actions(client, 2) == ["GET_CAST_LIST", "GET_CHARACTER_LIST"]
    assert cast_rows(database) == [("Ada", "Lane"), ("Samuel", "Reed")]

    r = await admin.delete(f"{CAST}?id={ada}")
    assert (r.code, r.message) == (200, "Successfully deleted cast member")
    assert await actions(client, 2) == ["GET_CAST_LIST", "GET_CHARACTER_LIST"]
    assert cast_rows(database) == [("Samuel", "Reed")]
    # The character stays, played by no one.
    [character] = (await admin.get("/show/character")).json["characters"]
    assert (character["id"], character["played_by"], character["cast_member"]) == (
        hamlet,
        None,
        None,
    )
    with database.read() as db:
        assert db.scalar(select(Character.played_by)) is None


@pytest.mark.gen_test
async def test_bad_cast_members_and_other_shows_ids_are_refused(admin, show, database):
    ada = await add_cast(admin, "Ada", "Lane")
    await admin.create_show("Macbeth", load=True)
    theirs = await add_cast(admin, "Sam", "Reed")
    await admin.load_show(show)
    good = {"firstName": "Kit", "lastName": "Marlowe"}
    cases = [
        ("POST", CAST, {"lastName": "Marlowe"}, 400, "First name missing"),
        ("POST", CAST, {"firstName": "Kit"}, 400, "Last name missing"),
        ("POST", CAST, {**good, "firstName": " "}, 400, "First name missing"),
        ("POST", CAST, {**good, "lastName": 3}, 400, "Last name must be a string"),
        ("PATCH", CAST, good, 400, "ID missing"),
        ("PATCH", CAST, {"id": ada, "firstName": "Kit"}, 400, "Last name missing"),
        ("PATCH", CAST, {**good, "id": theirs}, 404, "404 cast member not found"),
        ("PATCH", CAST, {**good, "id": 99999}, 404, "404 cast member not found"),
        ("DELETE", f"{CAST}?id={theirs}", None, 404, "404 cast member not found"),
        ("DELETE", CAST, None, 400, "ID missing"),
        ("DELETE", f"{CAST}?id=x", None, 400, "Invalid ID"),
    ]
    for method, path, body, code, message in cases:
        r = await admin.request(method, path, body)
        assert (r.code, r.message) == (code, message), (method, path, body)
    assert cast_rows(database) == [("Ada", "Lane"), ("Sam", "Reed")]
    assert [m["id"] for m in (await admin.get(CAST)).json["cast"]] == [ada]


@pytest.mark.gen_test
async def test_changes_need_write_and_no_live_session(admin, show, ws_connect, database):
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    ada = await add_cast(admin, "Ada", "Lane")
    assert (await admin.get(CAST, token="")).code == 200
    changes = [
        ("POST", CAST, {"firstName": "Kit", "lastName": "Marlowe"}),
        ("PATCH", CAST, {"id": ada, "firstName": "Ada", "lastName": "Byron"}),
        ("DELETE", f"{CAST}?id={ada}", None),
    ]
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=reader)
        assert (r.code, r.message) == (403, "WRITE role required for this show"), path
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert (r.code, r.message) == (409, "Current session in progress"), path
    await admin.post("/show/sessions/stop")
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert r.code == 200, (path, r)
    assert cast_rows(database) == [("Kit", "Marlowe")]


@pytest.mark.gen_test
async def test_the_cast_list_is_cacheable_until_a_change(admin, show):
    await add_cast(admin, "Ada", "Lane")
    etag = (await admin.get(CAST)).headers["Etag"]
    assert (await admin.get(CAST, headers={"If-None-Match": etag})).code == 304
    await admin.post("/show/character", {"name": "Hamlet"})
    assert (await admin.get(CAST, headers={"If-None-Match": etag})).code == 200

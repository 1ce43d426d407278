"""Script revisions of the loaded show: /show/script/revisions and .../current."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from server.db import Database
from server.models import ScriptRevision


def revision_count(database: Database) -> int:
    with database.read() as db:
        return int(db.scalar(select(func.count()).select_from(ScriptRevision)) or 0)


async def revisions(api):
    r = await api.get("/show/script/revisions")
    assert r.code == 200, r
    return r.json


@pytest.mark.gen_test
async def test_revisions_list_the_current_one_and_all_of_them(admin, show):
    data = await revisions(admin)
    assert set(data) == {"current_revision", "revisions"}
    (first,) = data["revisions"]
    assert first == {
        "id": data["current_revision"],
        "revision": 1,
        "description": "Initial script revision",
        "created_at": "2026-11-23T12:00:00",
        "edited_at": "2026-11-23T12:00:00",
        "previous_revision_id": None,
    }


@pytest.mark.gen_test
async def test_revisions_can_be_read_without_logging_in(admin, show):
    r = await admin.get("/show/script/revisions", token="")
    assert r.code == 200
    assert len(r.json["revisions"]) == 1


@pytest.mark.gen_test
async def test_create_revision_follows_the_current_one_and_becomes_current(admin, show, clock):
    first = (await revisions(admin))["current_revision"]
    clock.advance(dt.timedelta(hours=3))
    r = await admin.post("/show/script/revisions", {"description": "Act two cuts"})
    assert r.code == 200
    assert r.json["message"] == "Successfully added script revision"
    new_id = r.json["id"]
    data = await revisions(admin)
    assert data["current_revision"] == new_id
    created = data["revisions"][-1]
    assert created == {
        "id": new_id,
        "revision": 2,
        "description": "Act two cuts",
        "created_at": "2026-11-23T15:00:00",
        "edited_at": "2026-11-23T15:00:00",
        "previous_revision_id": first,
    }


@pytest.mark.gen_test
async def test_create_revision_with_set_as_current_false_keeps_the_current_one(admin, show):
    first = (await revisions(admin))["current_revision"]
    r = await admin.post(
        "/show/script/revisions", {"description": "Draft", "set_as_current": False}
    )
    assert r.code == 200
    data = await revisions(admin)
    assert data["current_revision"] == first
    assert [rev["id"] for rev in data["revisions"]] == [first, r.json["id"]]


@pytest.mark.gen_test
async def test_create_revision_from_a_named_parent(admin, show):
    first = (await revisions(admin))["current_revision"]
    await admin.post("/show/script/revisions", {"description": "Second"})
    r = await admin.post(
        "/show/script/revisions", {"description": "Branch", "parent_revision_id": first}
    )
    assert r.code == 200
    created = (await revisions(admin))["revisions"][-1]
    assert created["revision"] == 3
    assert created["previous_revision_id"] == first


@pytest.mark.parametrize("body", [{}, {"description": ""}, {"description": "   "}])
@pytest.mark.gen_test
async def test_create_revision_needs_a_description(admin, show, database, body):
    r = await admin.post("/show/script/revisions", body)
    assert r.code == 400
    assert r.json == {"message": "Description missing"}
    assert revision_count(database) == 1


@pytest.mark.gen_test
async def test_create_revision_with_an_unknown_parent_is_a_404(admin, show, database):
    r = await admin.post(
        "/show/script/revisions", {"description": "Branch", "parent_revision_id": 9999}
    )
    assert r.code == 404
    assert r.json == {"message": "404 parent revision not found"}
    assert revision_count(database) == 1


@pytest.mark.gen_test
async def test_create_revision_with_a_parent_of_another_show_is_a_404(admin, show, database):
    await admin.create_show("Macbeth", load=True)
    foreign = (await revisions(admin))["current_revision"]
    await admin.load_show(show)
    r = await admin.post(
        "/show/script/revisions", {"description": "Branch", "parent_revision_id": foreign}
    )
    assert r.code == 404
    assert r.json == {"message": "404 parent revision not found"}
    assert revision_count(database) == 2


@pytest.mark.gen_test
async def test_create_revision_is_refused_while_a_session_is_live(
    admin, show, database, ws_connect
):
    client = await ws_connect()
    assert (await admin.start_adhoc(client.internal_id)).code == 200
    r = await admin.post("/show/script/revisions", {"description": "Mid-show edit"})
    assert r.code == 409
    assert r.message
    assert revision_count(database) == 1


@pytest.mark.gen_test
async def test_current_revision_is_readable_on_its_own(admin, show):
    r = await admin.get("/show/script/revisions/current", token="")
    assert r.code == 200
    assert r.json == {"current_revision": (await revisions(admin))["current_revision"]}


@pytest.mark.gen_test
async def test_set_current_revision(admin, show):
    first = (await revisions(admin))["current_revision"]
    await admin.post("/show/script/revisions", {"description": "Second"})
    r = await admin.post("/show/script/revisions/current", {"new_rev_id": first})
    assert r.code == 200
    assert r.json == {"message": "Successfully changed script revision"}
    assert (await admin.get("/show/script/revisions/current")).json == {"current_revision": first}


@pytest.mark.gen_test
async def test_set_current_revision_is_refused_while_a_session_is_live(admin, show, ws_connect):
    first = (await revisions(admin))["current_revision"]
    second = (await admin.post("/show/script/revisions", {"description": "Second"})).json["id"]
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    r = await admin.post("/show/script/revisions/current", {"new_rev_id": first})
    assert r.code == 409
    assert r.message
    assert (await admin.get("/show/script/revisions/current")).json == {"current_revision": second}


@pytest.mark.gen_test
async def test_set_current_revision_to_another_shows_revision_is_a_404(admin, show):
    await admin.create_show("Macbeth", load=True)
    foreign = (await revisions(admin))["current_revision"]
    await admin.load_show(show)
    own = (await revisions(admin))["current_revision"]
    r = await admin.post("/show/script/revisions/current", {"new_rev_id": foreign})
    assert r.code == 404
    assert r.message
    assert (await admin.get("/show/script/revisions/current")).json == {"current_revision": own}


@pytest.mark.parametrize("body", [{}, {"new_rev_id": "1"}, {"new_rev_id": None}])
@pytest.mark.gen_test
async def test_set_current_revision_needs_an_integer_id(admin, show, body):
    r = await admin.post("/show/script/revisions/current", body)
    assert r.code == 400
    assert r.message and "new_rev_id" in r.message

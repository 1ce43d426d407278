"""The loaded show's crew (/show/stage/crew) and who sets and strikes what in which scene
(/show/stage/crew/assignments), as DigiScript answers them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import Crew, CrewAssignment
from tests.stage.helpers import actions, count, running_order

CREW = "/show/stage/crew"
ASSIGNMENTS = "/show/stage/crew/assignments"


async def add_crew(api: Any, first: str = "John", last: str = "Smith") -> int:
    r = await api.post(CREW, {"firstName": first, "lastName": last})
    assert r.code == 200, r
    return int(r.json["id"])


async def post_json(api: Any, path: str, body: dict[str, Any]) -> int:
    r = await api.post(path, body)
    assert r.code == 200, r
    return int(r.json["id"])


async def stage_with_items(api: Any, database: Database, show: int) -> dict[str, Any]:
    """Act 1: 1.1, 1.2, 1.3; act 2: 2.1. A chair on in 1.1-1.2 and 2.1, a backdrop in 1.3."""
    [[s1, s2, s3], [s4]] = running_order(database, show, [["1.1", "1.2", "1.3"], ["2.1"]])
    prop_type = await post_json(api, "/show/stage/props/types", {"name": "Furniture"})
    chair = await post_json(api, "/show/stage/props", {"name": "Chair", "prop_type_id": prop_type})
    scenery_type = await post_json(api, "/show/stage/scenery/types", {"name": "Flats"})
    backdrop = await post_json(
        api, "/show/stage/scenery", {"name": "Backdrop", "scenery_type_id": scenery_type}
    )
    for scene in (s1, s2, s4):
        await post_json(
            api, "/show/stage/props/allocations", {"props_id": chair, "scene_id": scene}
        )
    await post_json(
        api, "/show/stage/scenery/allocations", {"scenery_id": backdrop, "scene_id": s3}
    )
    return {"scenes": [s1, s2, s3, s4], "chair": chair, "backdrop": backdrop}


def assignment_rows(database: Database) -> list[tuple[Any, ...]]:
    with database.read() as db:
        return [
            (a.crew_id, a.scene_id, a.assignment_type, a.prop_id, a.scenery_id)
            for a in db.scalars(select(CrewAssignment).order_by(CrewAssignment.id))
        ]


# -- crew -----------------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_crew_are_added_listed_edited_and_deleted_and_clients_told(admin, show, ws_connect):
    client = await ws_connect()
    assert (await admin.get(CREW)).json == {"crew": []}
    r = await admin.post(CREW, {"firstName": "John", "lastName": "Smith"})
    assert (r.code, r.message) == (200, "Successfully added crew member")
    john = r.json["id"]
    notice = await client.receive()
    assert (notice["OP"], notice["ACTION"]) == ("GET_CREW_LIST", "GET_CREW_LIST")
    jane = await add_crew(admin, "Jane", "Doe")
    await actions(client, 1)
    assert (await admin.get(CREW)).json == {
        "crew": [
            {"id": john, "show_id": show, "first_name": "John", "last_name": "Smith"},
            {"id": jane, "show_id": show, "first_name": "Jane", "last_name": "Doe"},
        ]
    }
    r = await admin.patch(CREW, {"id": john, "firstName": "Jack", "lastName": "Jones"})
    assert (r.code, r.message) == (200, "Successfully updated crew member")
    assert await actions(client, 1) == ["GET_CREW_LIST"]
    first = (await admin.get(CREW)).json["crew"][0]
    assert (first["first_name"], first["last_name"]) == ("Jack", "Jones")
    r = await admin.delete(f"{CREW}?id={john}")
    assert (r.code, r.message) == (200, "Successfully deleted crew member")
    assert await actions(client, 1) == ["GET_CREW_LIST"]
    assert [c["id"] for c in (await admin.get(CREW)).json["crew"]] == [jane]


@pytest.mark.gen_test
async def test_bad_crew_are_refused(admin, show, database):
    for body, message in [
        ({"lastName": "Smith"}, "First name missing"),
        ({"firstName": "", "lastName": "Smith"}, "First name missing"),
        ({"firstName": "John"}, "Last name missing"),
        ({"firstName": "John", "lastName": None}, "Last name missing"),
        ({"firstName": 1, "lastName": "Smith"}, "First name must be a string"),
        ({"firstName": "J" * 256, "lastName": "S"}, "First name must be 255 characters or fewer"),
    ]:
        r = await admin.post(CREW, body)
        assert (r.code, r.message) == (400, message), body
    john = await add_crew(admin)
    for body, status, message in [
        ({"firstName": "Jane", "lastName": "Doe"}, 400, "ID missing"),
        ({"id": "1", "firstName": "Jane", "lastName": "Doe"}, 400, "Invalid ID"),
        ({"id": john, "lastName": "Doe"}, 400, "First name missing"),
        ({"id": john, "firstName": "Jane"}, 400, "Last name missing"),
        ({"id": 99999, "firstName": "Jane", "lastName": "Doe"}, 404, "404 crew member not found"),
    ]:
        r = await admin.patch(CREW, body)
        assert (r.code, r.message) == (status, message), body
    for query, status, message in [
        ("", 400, "ID missing"),
        ("?id=abc", 400, "Invalid ID"),
        ("?id=99999", 404, "404 crew member not found"),
    ]:
        r = await admin.delete(CREW + query)
        assert (r.code, r.message) == (status, message), query
    with database.read() as db:
        assert [(c.first_name, c.last_name) for c in db.scalars(select(Crew))] == [
            ("John", "Smith")
        ]


# -- assignments ----------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_assignments_on_block_boundaries_are_made_listed_changed_and_deleted(
    admin, show, database, ws_connect
):
    items = await stage_with_items(admin, database, show)
    s1, s2, s3, s4 = items["scenes"]
    chair, backdrop = items["chair"], items["backdrop"]
    john = await add_crew(admin)
    jane = await add_crew(admin, "Jane", "Doe")
    client = await ws_connect()
    assert (await admin.get(ASSIGNMENTS)).json == {"assignments": []}
    body = {"crew_id": john, "scene_id": s1, "assignment_type": "set", "prop_id": chair}
    r = await admin.post(ASSIGNMENTS, body)
    assert (r.code, r.message) == (200, "Successfully created crew assignment")
    first = r.json["id"]
    notice = await client.receive()
    assert (notice["OP"], notice["ACTION"]) == ("NOOP", "GET_CREW_ASSIGNMENTS")
    r = await admin.post(ASSIGNMENTS, body)
    assert (r.code, r.message) == (400, "Crew assignment already exists")
    # Jane strikes the chair at the end of its first block and sets and strikes the backdrop.
    for scene, what, item in [
        (s2, "strike", {"prop_id": chair}),
        (s3, "set", {"scenery_id": backdrop}),
        (s3, "strike", {"scenery_id": backdrop, "prop_id": None}),
        (s4, "set", {"prop_id": chair}),
    ]:
        await post_json(
            admin,
            ASSIGNMENTS,
            {"crew_id": jane, "scene_id": scene, "assignment_type": what, **item},
        )
        assert await actions(client, 1) == ["GET_CREW_ASSIGNMENTS"]
    listed = (await admin.get(ASSIGNMENTS)).json["assignments"]
    assert listed[0] == {
        "id": first,
        "crew_id": john,
        "scene_id": s1,
        "assignment_type": "set",
        "prop_id": chair,
        "scenery_id": None,
    }
    assert [(a["scene_id"], a["assignment_type"]) for a in listed] == [
        (s1, "set"),
        (s2, "strike"),
        (s3, "set"),
        (s3, "strike"),
        (s4, "set"),
    ]

    # 1.2 is not where the chair is set, 1.3 not where it is on at all.
    for scene, what in [(s2, "set"), (s1, "strike"), (s3, "set")]:
        r = await admin.post(
            ASSIGNMENTS,
            {"crew_id": john, "scene_id": scene, "assignment_type": what, "prop_id": chair},
        )
        assert (r.code, r.message) == (
            400,
            "Scene is not a valid boundary for this assignment type",
        ), (scene, what)

    r = await admin.patch(ASSIGNMENTS, {"id": first, "crew_id": jane})
    assert (r.code, r.message) == (200, "Successfully updated crew assignment")
    assert await actions(client, 1) == ["GET_CREW_ASSIGNMENTS"]
    r = await admin.patch(ASSIGNMENTS, {"id": first, "assignment_type": "strike"})
    assert (r.code, r.message) == (400, "Scene is not a valid boundary for this assignment type")
    r = await admin.patch(ASSIGNMENTS, {"id": first, "scene_id": s4})
    assert (r.code, r.message) == (400, "Crew assignment already exists")
    r = await admin.patch(
        ASSIGNMENTS,
        {"id": first, "crew_id": john, "scene_id": s3, "scenery_id": backdrop, "prop_id": None},
    )
    assert r.code == 200, r
    await actions(client, 1)
    assert assignment_rows(database)[0] == (john, s3, "set", None, backdrop)

    r = await admin.delete(f"{ASSIGNMENTS}?id={first}")
    assert (r.code, r.message) == (200, "Successfully deleted crew assignment")
    assert await actions(client, 1) == ["GET_CREW_ASSIGNMENTS"]
    assert len((await admin.get(ASSIGNMENTS)).json["assignments"]) == 4

    # Deleting a crew member deletes their assignments and tells clients of both lists.
    r = await admin.delete(f"{CREW}?id={jane}")
    assert r.code == 200, r
    assert sorted(await actions(client, 2)) == ["GET_CREW_ASSIGNMENTS", "GET_CREW_LIST"]
    assert (await admin.get(ASSIGNMENTS)).json == {"assignments": []}


@pytest.mark.gen_test
async def test_bad_assignments_are_refused(admin, show, database):
    items = await stage_with_items(admin, database, show)
    s1 = items["scenes"][0]
    chair, backdrop = items["chair"], items["backdrop"]
    john = await add_crew(admin)
    good = {"crew_id": john, "scene_id": s1, "assignment_type": "set", "prop_id": chair}
    for change, status, message in [
        ({"crew_id": None}, 400, "crew_id missing"),
        ({"crew_id": "x"}, 400, "Invalid ID"),
        ({"scene_id": None}, 400, "Scene ID missing"),
        ({"scene_id": 1.5}, 400, "Invalid ID"),
        ({"assignment_type": None}, 400, "assignment_type missing"),
        ({"assignment_type": ""}, 400, "assignment_type missing"),
        ({"assignment_type": "move"}, 400, "assignment_type must be 'set' or 'strike'"),
        ({"prop_id": None}, 400, "Either prop_id or scenery_id must be provided"),
        ({"scenery_id": backdrop}, 400, "Only one of prop_id or scenery_id can be provided"),
        ({"prop_id": "x"}, 400, "Invalid ID"),
        ({"crew_id": 99999}, 404, "404 crew member not found"),
        ({"scene_id": 99999}, 404, "404 scene not found"),
        ({"prop_id": 99999}, 404, "404 prop not found"),
        ({"prop_id": None, "scenery_id": 99999}, 404, "404 scenery not found"),
    ]:
        r = await admin.post(ASSIGNMENTS, {**good, **change})
        assert (r.code, r.message) == (status, message), change
    assignment = await post_json(admin, ASSIGNMENTS, good)
    for change, status, message in [
        ({"id": None}, 400, "ID missing"),
        ({"id": "x"}, 400, "Invalid ID"),
        ({"id": 99999}, 404, "404 crew assignment not found"),
        ({"crew_id": None}, 400, "Invalid ID"),
        ({"crew_id": 99999}, 404, "404 crew member not found"),
        ({"scene_id": 99999}, 404, "404 scene not found"),
        ({"assignment_type": "move"}, 400, "assignment_type must be 'set' or 'strike'"),
        ({"prop_id": None}, 400, "Either prop_id or scenery_id must be provided"),
        (
            {"prop_id": chair, "scenery_id": backdrop},
            400,
            "Only one of prop_id or scenery_id can be provided",
        ),
        (
            {"scenery_id": backdrop},
            400,
            "Scene is not a valid boundary for this assignment type",
        ),
    ]:
        r = await admin.patch(ASSIGNMENTS, {"id": assignment, **change})
        assert (r.code, r.message) == (status, message), change
    for query, status, message in [
        ("", 400, "ID missing"),
        ("?id=x", 400, "Invalid ID"),
        ("?id=99999", 404, "404 crew assignment not found"),
    ]:
        r = await admin.delete(ASSIGNMENTS + query)
        assert (r.code, r.message) == (status, message), query
    assert assignment_rows(database) == [(john, s1, "set", chair, None)]


@pytest.mark.gen_test
async def test_another_shows_crew_and_assignments_are_not_found_and_not_listed(
    admin, show, database
):
    items = await stage_with_items(admin, database, show)
    s1 = items["scenes"][0]
    john = await add_crew(admin)
    assignment = await post_json(
        admin,
        ASSIGNMENTS,
        {"crew_id": john, "scene_id": s1, "assignment_type": "set", "prop_id": items["chair"]},
    )
    other = await admin.create_show("Macbeth", load=True)
    theirs = await stage_with_items(admin, database, other)
    assert (await admin.get(CREW)).json == {"crew": []}
    assert (await admin.get(ASSIGNMENTS)).json == {"assignments": []}
    mine = await add_crew(admin, "Mine", "Own")
    own = {"crew_id": mine, "scene_id": theirs["scenes"][0], "assignment_type": "set"}
    for method, path, body, message in [
        (
            "PATCH",
            CREW,
            {"id": john, "firstName": "A", "lastName": "B"},
            "404 crew member not found",
        ),
        ("DELETE", f"{CREW}?id={john}", None, "404 crew member not found"),
        (
            "POST",
            ASSIGNMENTS,
            {**own, "crew_id": john, "prop_id": theirs["chair"]},
            "404 crew member not found",
        ),
        (
            "POST",
            ASSIGNMENTS,
            {**own, "scene_id": s1, "prop_id": theirs["chair"]},
            "404 scene not found",
        ),
        ("POST", ASSIGNMENTS, {**own, "prop_id": items["chair"]}, "404 prop not found"),
        ("POST", ASSIGNMENTS, {**own, "scenery_id": items["backdrop"]}, "404 scenery not found"),
        (
            "PATCH",
            ASSIGNMENTS,
            {"id": assignment, "crew_id": mine},
            "404 crew assignment not found",
        ),
        ("DELETE", f"{ASSIGNMENTS}?id={assignment}", None, "404 crew assignment not found"),
    ]:
        r = await admin.request(method, path, body)
        assert (r.code, r.message) == (404, message), (method, body)
    assert assignment_rows(database) == [(john, s1, "set", items["chair"], None)]
    assert count(database, Crew) == 2


@pytest.mark.gen_test
async def test_changes_need_write_and_no_live_session(admin, show, database, client):
    items = await stage_with_items(admin, database, show)
    s1, s2 = items["scenes"][:2]
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    john = await add_crew(admin)
    doomed = await add_crew(admin, "Doomed", "Crew")
    assignment = await post_json(
        admin,
        ASSIGNMENTS,
        {"crew_id": john, "scene_id": s1, "assignment_type": "set", "prop_id": items["chair"]},
    )
    changes = [
        ("POST", CREW, {"firstName": "Jane", "lastName": "Doe"}),
        ("PATCH", CREW, {"id": john, "firstName": "Jack", "lastName": "Smith"}),
        ("DELETE", f"{CREW}?id={doomed}", None),
        (
            "POST",
            ASSIGNMENTS,
            {
                "crew_id": john,
                "scene_id": s2,
                "assignment_type": "strike",
                "prop_id": items["chair"],
            },
        ),
        ("PATCH", ASSIGNMENTS, {"id": assignment, "crew_id": john}),
        ("DELETE", f"{ASSIGNMENTS}?id={assignment}", None),
    ]
    assert (await admin.get(CREW, token=reader)).code == 200
    assert (await admin.get(ASSIGNMENTS, token=reader)).code == 200
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=reader)
        assert (r.code, r.message) == (403, "WRITE role required for this show"), (method, path)
    assert (await admin.start_adhoc(client)).code == 200
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert (r.code, r.message) == (409, "Current session in progress"), (method, path)
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert r.code == 200, (method, path, r)
    assert count(database, CrewAssignment) == 1

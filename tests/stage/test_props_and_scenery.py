"""Props and scenery of the loaded show: their types (/show/stage/props/types,
/show/stage/scenery/types), the items (/show/stage/props, /show/stage/scenery) and the scenes
each item is on stage for (/allocations), as DigiScript answers them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import (
    Crew,
    CrewAssignment,
    Props,
    PropsAllocation,
    PropType,
    Scenery,
    SceneryAllocation,
    SceneryType,
)
from tests.stage.helpers import actions, count, running_order


@dataclass(frozen=True)
class Kind:
    name: str
    path: str
    types_key: str
    list_key: str
    type_key: str
    item_key: str  # the allocation's key naming the item
    assignment_key: str
    type_model: Any
    item_model: Any
    allocation_model: Any
    type_noun: str
    added: str
    updated: str
    deleted: str
    not_found: str
    not_found_on_delete: str
    types_action: str
    list_action: str
    allocations_action: str
    exists: str


PROPS = Kind(
    name="props",
    path="/show/stage/props",
    types_key="prop_types",
    list_key="props",
    type_key="prop_type_id",
    item_key="props_id",
    assignment_key="prop_id",
    type_model=PropType,
    item_model=Props,
    allocation_model=PropsAllocation,
    type_noun="prop type",
    added="Successfully added props",
    updated="Successfully updated props",
    deleted="Successfully deleted props",
    not_found="404 prop not found",
    not_found_on_delete="404 props not found",
    types_action="GET_PROP_TYPES",
    list_action="GET_PROPS_LIST",
    allocations_action="GET_PROPS_ALLOCATIONS",
    exists="Allocation already exists for this prop and scene",
)
SCENERY = Kind(
    name="scenery",
    path="/show/stage/scenery",
    types_key="scenery_types",
    list_key="scenery",
    type_key="scenery_type_id",
    item_key="scenery_id",
    assignment_key="scenery_id",
    type_model=SceneryType,
    item_model=Scenery,
    allocation_model=SceneryAllocation,
    type_noun="scenery type",
    added="Successfully added scenery",
    updated="Successfully updated scenery",
    deleted="Successfully deleted scenery",
    not_found="404 scenery not found",
    not_found_on_delete="404 scenery not found",
    types_action="GET_SCENERY_TYPES",
    list_action="GET_SCENERY_LIST",
    allocations_action="GET_SCENERY_ALLOCATIONS",
    exists="Allocation already exists for this scenery and scene",
)
KINDS = pytest.mark.parametrize("kind", [PROPS, SCENERY], ids=lambda k: k.name)


async def add_type(api: Any, kind: Kind, name: str = "Furniture") -> int:
    r = await api.post(kind.path + "/types", {"name": name})
    assert r.code == 200, r
    return int(r.json["id"])


async def add_item(api: Any, kind: Kind, type_id: int, name: str = "Chair") -> int:
    r = await api.post(kind.path, {"name": name, kind.type_key: type_id})
    assert r.code == 200, r
    return int(r.json["id"])


async def allocate(api: Any, kind: Kind, item_id: int, scene_id: int) -> int:
    r = await api.post(kind.path + "/allocations", {kind.item_key: item_id, "scene_id": scene_id})
    assert r.code == 200, r
    return int(r.json["id"])


def add_assignment(database: Database, show: int, kind: Kind, item: int, scene: int, what: str):
    """A crew member set to set or strike the item in the scene, written straight in."""
    with database.write() as db:
        crew = db.scalar(select(Crew).where(Crew.show_id == show))
        if crew is None:
            crew = Crew(show_id=show, first_name="Jo", last_name="Bloggs")
            db.add(crew)
            db.flush()
        assignment = CrewAssignment(
            crew_id=crew.id, scene_id=scene, assignment_type=what, **{kind.assignment_key: item}
        )
        db.add(assignment)
        db.flush()
        return assignment.id


def assignments(database: Database) -> list[tuple[int, str]]:
    with database.read() as db:
        return [
            (a.scene_id, a.assignment_type)
            for a in db.scalars(select(CrewAssignment).order_by(CrewAssignment.id))
        ]


# -- types --------------------------------------------------------------------------------------


@KINDS
@pytest.mark.gen_test
async def test_types_are_added_listed_edited_and_deleted_and_clients_told(
    admin, show, ws_connect, kind
):
    client = await ws_connect()
    assert (await admin.get(kind.path + "/types")).json == {kind.types_key: []}
    r = await admin.post(kind.path + "/types", {"name": "Furniture"})
    assert (r.code, r.message) == (200, f"Successfully added {kind.type_noun}")
    type_id = r.json["id"]
    assert await actions(client, 1) == [kind.types_action]
    r = await admin.post(kind.path + "/types", {"name": "Weapons", "description": "Blunt"})
    weapons = r.json["id"]
    await actions(client, 1)
    assert (await admin.get(kind.path + "/types")).json == {
        kind.types_key: [
            {"id": type_id, "show_id": show, "name": "Furniture", "description": ""},
            {"id": weapons, "show_id": show, "name": "Weapons", "description": "Blunt"},
        ]
    }

    r = await admin.patch(
        kind.path + "/types", {"id": type_id, "name": "Chairs", "description": "Sat on"}
    )
    assert (r.code, r.message) == (200, f"Successfully updated {kind.type_noun}")
    assert await actions(client, 1) == [kind.types_action]
    first = (await admin.get(kind.path + "/types")).json[kind.types_key][0]
    assert (first["name"], first["description"]) == ("Chairs", "Sat on")

    r = await admin.delete(f"{kind.path}/types?id={type_id}")
    assert (r.code, r.message) == (200, f"Successfully deleted {kind.type_noun}")
    assert await actions(client, 2) == [kind.types_action, kind.list_action]
    assert [t["id"] for t in (await admin.get(kind.path + "/types")).json[kind.types_key]] == [
        weapons
    ]


@KINDS
@pytest.mark.gen_test
async def test_bad_types_are_refused(admin, show, database, kind):
    path = kind.path + "/types"
    for body, message in [
        ({}, "Name missing"),
        ({"name": "  "}, "Name missing"),
        ({"name": None}, "Name missing"),
        ({"name": 7}, "Name must be a string"),
        ({"name": "x" * 256}, "Name must be 255 characters or fewer"),
        ({"name": "Ok", "description": 7}, "Description must be a string"),
    ]:
        r = await admin.post(path, body)
        assert (r.code, r.message) == (400, message), body
    type_id = await add_type(admin, kind)
    for body, message in [
        ({"name": "Chairs"}, "ID missing"),
        ({"id": "one", "name": "Chairs"}, "Invalid ID"),
        ({"id": type_id}, "Name missing"),
        ({"id": 99999, "name": "Chairs"}, f"404 {kind.type_noun} not found"),
    ]:
        r = await admin.patch(path, body)
        assert (r.code, r.message) == (404 if "404" in message else 400, message), body
    for query, status, message in [
        ("", 400, "ID missing"),
        ("?id=", 400, "ID missing"),
        ("?id=one", 400, "Invalid ID"),
        ("?id=99999", 404, f"404 {kind.type_noun} not found"),
    ]:
        r = await admin.delete(path + query)
        assert (r.code, r.message) == (status, message), query
    assert count(database, kind.type_model) == 1


# -- items --------------------------------------------------------------------------------------


@KINDS
@pytest.mark.gen_test
async def test_items_are_added_listed_edited_and_deleted_and_clients_told(
    admin, show, ws_connect, kind
):
    furniture = await add_type(admin, kind)
    weapons = await add_type(admin, kind, "Weapons")
    client = await ws_connect()
    assert (await admin.get(kind.path)).json == {kind.list_key: []}
    r = await admin.post(
        kind.path, {"name": "Chair", kind.type_key: furniture, "description": "Wooden"}
    )
    assert (r.code, r.message) == (200, kind.added)
    item = r.json["id"]
    assert await actions(client, 1) == [kind.list_action]
    assert (await admin.get(kind.path)).json == {
        kind.list_key: [
            {
                "id": item,
                "show_id": show,
                kind.type_key: furniture,
                "name": "Chair",
                "description": "Wooden",
            }
        ]
    }
    r = await admin.patch(kind.path, {"id": item, "name": "Sword", kind.type_key: weapons})
    assert (r.code, r.message) == (200, kind.updated)
    assert await actions(client, 1) == [kind.list_action]
    [edited] = (await admin.get(kind.path)).json[kind.list_key]
    assert (edited["name"], edited[kind.type_key], edited["description"]) == ("Sword", weapons, "")

    r = await admin.delete(f"{kind.path}?id={item}")
    assert (r.code, r.message) == (200, kind.deleted)
    assert await actions(client, 1) == [kind.list_action]
    assert (await admin.get(kind.path)).json == {kind.list_key: []}


@KINDS
@pytest.mark.gen_test
async def test_bad_items_are_refused(admin, show, database, kind):
    furniture = await add_type(admin, kind)
    label = kind.type_noun.capitalize()
    for body, status, message in [
        ({kind.type_key: furniture}, 400, "Name missing"),
        ({"name": "Chair"}, 400, f"{label} ID missing"),
        ({"name": "Chair", kind.type_key: None}, 400, f"{label} ID missing"),
        ({"name": "Chair", kind.type_key: "one"}, 400, f"Invalid {kind.type_noun} ID"),
        ({"name": "Chair", kind.type_key: 1.5}, 400, f"Invalid {kind.type_noun} ID"),
        ({"name": "Chair", kind.type_key: 99999}, 404, f"{label} not found"),
    ]:
        r = await admin.post(kind.path, body)
        assert (r.code, r.message) == (status, message), body
    item = await add_item(admin, kind, furniture)
    for body, status, message in [
        ({"name": "Chair", kind.type_key: furniture}, 400, "ID missing"),
        ({"id": item, kind.type_key: furniture}, 400, "Name missing"),
        ({"id": item, "name": "Chair"}, 400, f"{label} ID missing"),
        ({"id": item, "name": "Chair", kind.type_key: 99999}, 404, f"{label} not found"),
        ({"id": 99999, "name": "Chair", kind.type_key: furniture}, 404, kind.not_found),
    ]:
        r = await admin.patch(kind.path, body)
        assert (r.code, r.message) == (status, message), body
    for query, status, message in [
        ("", 400, "ID missing"),
        ("?id=x", 400, "Invalid ID"),
        ("?id=99999", 404, kind.not_found_on_delete),
    ]:
        r = await admin.delete(kind.path + query)
        assert (r.code, r.message) == (status, message), query
    with database.read() as db:
        [row] = db.scalars(select(kind.item_model))
        assert (row.name, getattr(row, kind.type_key)) == ("Chair", furniture)


# -- allocations --------------------------------------------------------------------------------


@KINDS
@pytest.mark.gen_test
async def test_allocations_are_added_listed_and_deleted_and_clients_told(
    admin, show, database, ws_connect, kind
):
    [[scene1, scene2]] = running_order(database, show, [["1.1", "1.2"]])
    item = await add_item(admin, kind, await add_type(admin, kind))
    client = await ws_connect()
    path = kind.path + "/allocations"
    assert (await admin.get(path)).json == {"allocations": []}
    r = await admin.post(path, {kind.item_key: item, "scene_id": scene2})
    assert (r.code, r.message) == (200, "Successfully added allocation")
    allocation = r.json["id"]
    assert await actions(client, 1) == [kind.allocations_action]
    other = await allocate(admin, kind, item, scene1)
    await actions(client, 1)
    assert (await admin.get(path)).json == {
        "allocations": [
            {"id": allocation, kind.item_key: item, "scene_id": scene2},
            {"id": other, kind.item_key: item, "scene_id": scene1},
        ]
    }
    r = await admin.post(path, {kind.item_key: item, "scene_id": scene2})
    assert (r.code, r.message) == (400, kind.exists)
    r = await admin.delete(f"{path}?id={allocation}")
    assert (r.code, r.message) == (200, "Successfully deleted allocation")
    assert await actions(client, 1) == [kind.allocations_action]
    assert [a["id"] for a in (await admin.get(path)).json["allocations"]] == [other]


@KINDS
@pytest.mark.gen_test
async def test_bad_allocations_are_refused(admin, show, database, kind):
    [[scene]] = running_order(database, show, [["1.1"]])
    item = await add_item(admin, kind, await add_type(admin, kind))
    path = kind.path + "/allocations"
    for body, status, message in [
        ({"scene_id": scene}, 400, f"{kind.item_key} missing"),
        ({kind.item_key: None, "scene_id": scene}, 400, f"{kind.item_key} missing"),
        ({kind.item_key: "x", "scene_id": scene}, 400, f"Invalid {kind.item_key}"),
        ({kind.item_key: item}, 400, "Scene ID missing"),
        ({kind.item_key: item, "scene_id": "x"}, 400, "Invalid scene_id"),
        ({kind.item_key: 99999, "scene_id": scene}, 404, kind.not_found),
        ({kind.item_key: item, "scene_id": 99999}, 404, "404 scene not found"),
    ]:
        r = await admin.post(path, body)
        assert (r.code, r.message) == (status, message), body
    for query, status, message in [
        ("", 400, "ID missing"),
        ("?id=x", 400, "Invalid ID"),
        ("?id=99999", 404, "404 allocation not found"),
    ]:
        r = await admin.delete(path + query)
        assert (r.code, r.message) == (status, message), query
    assert count(database, kind.allocation_model) == 0


@KINDS
@pytest.mark.gen_test
async def test_allocation_changes_delete_the_assignments_no_longer_on_a_boundary(
    admin, show, database, ws_connect, kind
):
    [[s1, s2, s3], [s4]] = running_order(database, show, [["1.1", "1.2", "1.3"], ["2.1"]])
    item = await add_item(admin, kind, await add_type(admin, kind))
    for scene in (s1, s2, s4):
        await allocate(admin, kind, item, scene)
    # Blocks: 1.1-1.2 (set in 1.1, struck in 1.2) and 2.1 alone (both): never across acts.
    for scene, what in [(s1, "set"), (s2, "strike"), (s4, "set"), (s4, "strike")]:
        add_assignment(database, show, kind, item, scene, what)
    client = await ws_connect()

    # 1.3 joins the first block: it is now struck in 1.3, not 1.2.
    third = await allocate(admin, kind, item, s3)
    assert sorted(await actions(client, 2)) == sorted(
        [kind.allocations_action, "GET_CREW_ASSIGNMENTS"]
    )
    assert assignments(database) == [(s1, "set"), (s4, "set"), (s4, "strike")]
    add_assignment(database, show, kind, item, s3, "strike")

    # Taking 1.3 away again strikes in 1.2: the assignment in 1.3 goes.
    r = await admin.delete(f"{kind.path}/allocations?id={third}")
    assert r.code == 200, r
    assert sorted(await actions(client, 2)) == sorted(
        [kind.allocations_action, "GET_CREW_ASSIGNMENTS"]
    )
    assert assignments(database) == [(s1, "set"), (s4, "set"), (s4, "strike")]

    # A change that leaves every assignment on a boundary tells only of the allocations.
    other = await add_item(
        admin, kind, (await admin.get(kind.path + "/types")).json[kind.types_key][0]["id"], "Other"
    )
    await actions(client, 1)
    await allocate(admin, kind, other, s1)
    assert await actions(client, 1) == [kind.allocations_action]
    assert assignments(database) == [(s1, "set"), (s4, "set"), (s4, "strike")]


@KINDS
@pytest.mark.gen_test
async def test_deleting_goes_down_to_allocations_and_assignments(
    admin, show, database, ws_connect, kind
):
    [[s1, s2]] = running_order(database, show, [["1.1", "1.2"]])
    furniture = await add_type(admin, kind)
    kept_type = await add_type(admin, kind, "Kept")
    chair = await add_item(admin, kind, furniture, "Chair")
    table = await add_item(admin, kind, furniture, "Table")
    kept = await add_item(admin, kind, kept_type, "Kept")
    for item in (chair, table, kept):
        await allocate(admin, kind, item, s1)
    add_assignment(database, show, kind, table, s1, "set")
    add_assignment(database, show, kind, kept, s1, "strike")
    client = await ws_connect()

    r = await admin.delete(f"{kind.path}?id={chair}")
    assert r.code == 200, r
    assert sorted(await actions(client, 2)) == sorted([kind.list_action, kind.allocations_action])
    assert count(database, kind.allocation_model) == 2

    r = await admin.delete(f"{kind.path}/types?id={furniture}")
    assert r.code == 200, r
    assert sorted(await actions(client, 4)) == sorted(
        [kind.types_action, kind.list_action, kind.allocations_action, "GET_CREW_ASSIGNMENTS"]
    )
    assert [i["id"] for i in (await admin.get(kind.path)).json[kind.list_key]] == [kept]
    allocations = (await admin.get(kind.path + "/allocations")).json["allocations"]
    assert [a[kind.item_key] for a in allocations] == [kept]
    assert assignments(database) == [(s1, "strike")]
    assert s2


# -- another show, roles, live sessions -----------------------------------------------------------


@KINDS
@pytest.mark.gen_test
async def test_another_shows_objects_are_not_found_and_not_listed(admin, show, database, kind):
    [[scene]] = running_order(database, show, [["1.1"]])
    furniture = await add_type(admin, kind)
    item = await add_item(admin, kind, furniture)
    allocation = await allocate(admin, kind, item, scene)
    other = await admin.create_show("Macbeth", load=True)
    [[other_scene]] = running_order(database, other, [["1.1"]])
    for path, key in [
        ("/types", kind.types_key),
        ("", kind.list_key),
        ("/allocations", "allocations"),
    ]:
        assert (await admin.get(kind.path + path)).json == {key: []}
    own_type = await add_type(admin, kind, "Mine")
    own_item = await add_item(admin, kind, own_type)
    label = kind.type_noun.capitalize()
    for method, path, body, message in [
        ("PATCH", "/types", {"id": furniture, "name": "Mine"}, f"404 {kind.type_noun} not found"),
        ("DELETE", f"/types?id={furniture}", None, f"404 {kind.type_noun} not found"),
        ("POST", "", {"name": "Mine", kind.type_key: furniture}, f"{label} not found"),
        ("PATCH", "", {"id": item, "name": "Mine", kind.type_key: own_type}, kind.not_found),
        (
            "PATCH",
            "",
            {"id": own_item, "name": "x", kind.type_key: furniture},
            f"{label} not found",
        ),
        ("DELETE", f"?id={item}", None, kind.not_found_on_delete),
        ("POST", "/allocations", {kind.item_key: item, "scene_id": other_scene}, kind.not_found),
        (
            "POST",
            "/allocations",
            {kind.item_key: own_item, "scene_id": scene},
            "404 scene not found",
        ),
        ("DELETE", f"/allocations?id={allocation}", None, "404 allocation not found"),
    ]:
        r = await admin.request(method, kind.path + path, body)
        assert (r.code, r.message) == (404, message), (method, path)
    with database.read() as db:
        assert db.get(kind.type_model, furniture).name == "Furniture"
        assert db.get(kind.item_model, item).name == "Chair"
        assert db.get(kind.allocation_model, allocation) is not None


@KINDS
@pytest.mark.gen_test
async def test_changes_need_write_and_no_live_session(admin, show, database, client, kind):
    [[scene]] = running_order(database, show, [["1.1"]])
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    furniture = await add_type(admin, kind)
    item = await add_item(admin, kind, furniture)
    allocation = await allocate(admin, kind, item, scene)
    changes = [
        ("POST", "/types", {"name": "More"}),
        ("PATCH", "/types", {"id": furniture, "name": "Renamed"}),
        ("POST", "", {"name": "Table", kind.type_key: furniture}),
        ("PATCH", "", {"id": item, "name": "Stool", kind.type_key: furniture}),
        (
            "POST",
            "/allocations",
            {kind.item_key: await add_item(admin, kind, furniture), "scene_id": scene},
        ),
        ("DELETE", f"/allocations?id={allocation}", None),
        ("DELETE", f"?id={item}", None),
        ("DELETE", f"/types?id={furniture}", None),
    ]
    for path in ("/types", "", "/allocations"):
        assert (await admin.get(kind.path + path, token=reader)).code == 200
    for method, path, body in changes:
        r = await admin.request(method, kind.path + path, body, token=reader)
        assert (r.code, r.message) == (403, "WRITE role required for this show"), (method, path)
    assert (await admin.start_adhoc(client)).code == 200
    for method, path, body in changes:
        r = await admin.request(method, kind.path + path, body, token=writer)
        assert (r.code, r.message) == (409, "Current session in progress"), (method, path)
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    for method, path, body in changes:
        r = await admin.request(method, kind.path + path, body, token=writer)
        assert r.code == 200, (method, path, r)
    assert count(database, kind.type_model) == 1

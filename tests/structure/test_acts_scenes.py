"""Acts and scenes in running order: /show/act (+ /first_scene) and /show/scene."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from server.db import Database
from server.models import Act, Props, PropsAllocation, PropType, Scene
from server.operations import settings, structure
from tests.structure.helpers import actions, layout, running_order

ACT = "/show/act"
SCENE = "/show/scene"


async def add_act(api, name: str, previous: int | None = None, **extra) -> int:
    r = await api.post(
        ACT, {"name": name, "interval_after": False, "previous_act_id": previous, **extra}
    )
    assert (r.code, r.message) == (200, "Successfully added act"), r
    return int(r.json["id"])


async def add_scene(api, act: int, name: str, previous: int | None = None) -> int:
    r = await api.post(SCENE, {"act_id": act, "name": name, "previous_scene_id": previous})
    assert (r.code, r.message) == (200, "Successfully added scene"), r
    return int(r.json["id"])


def count(database: Database, model) -> int:
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


# -- acts -------------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_acts_are_inserted_in_order_and_every_client_is_told(admin, show, ws_connect):
    client = await ws_connect()
    assert (await admin.get(ACT)).json == {"acts": []}
    one = await add_act(admin, "Act 1", interval_after=True)
    # The first act becomes the show's first act: the show's details changed too.
    assert await actions(client, 2) == ["GET_ACT_LIST", "GET_SHOW_DETAILS"]
    three = await add_act(admin, "Act 3", previous=one)
    assert await actions(client, 1) == ["GET_ACT_LIST"]
    two = await add_act(admin, "Act 2", previous=one)  # after Act 1, so before Act 3
    assert await actions(client, 1) == ["GET_ACT_LIST"]

    assert await running_order(admin) == [("Act 1", []), ("Act 2", []), ("Act 3", [])]
    r = await admin.get(ACT)
    assert r.json["acts"][0] == {
        "id": one,
        "show_id": show,
        "name": "Act 1",
        "interval_after": True,
        "first_scene": None,
        "previous_act": None,
        "next_act": two,
        "scene_list": [],
    }
    assert (await admin.get("/show")).json["first_act_id"] == one
    assert one < three < two


@pytest.mark.gen_test
async def test_an_act_added_with_no_previous_act_waits_to_be_placed(admin, show):
    """As in DigiScript: the show's first act stays first and nothing links to the new act
    until it is given a previous act."""
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2")
    found = await layout(admin)
    assert (found["order"], found["unplaced_acts"]) == ([("Act 1", [])], ["Act 2"])
    r = await admin.patch(ACT, {"id": two, "name": "Act Two", "interval_after": False})
    assert r.code == 200, r
    assert (await layout(admin))["unplaced_acts"] == ["Act Two"]
    r = await admin.patch(
        ACT, {"id": two, "name": "Act Two", "interval_after": False, "previous_act_id": one}
    )
    assert r.code == 200, r
    assert await running_order(admin) == [("Act 1", []), ("Act Two", [])]


@pytest.mark.gen_test
async def test_acts_move_and_are_renamed_keeping_the_lists_whole(admin, show, ws_connect):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    three = await add_act(admin, "Act 3", previous=two)
    client = await ws_connect()

    r = await admin.patch(
        ACT, {"id": two, "name": "Act Two", "interval_after": True, "previous_act_id": one}
    )
    assert (r.code, r.message) == (200, "Successfully updated act")
    assert await actions(client, 1) == ["GET_ACT_LIST"]
    assert await running_order(admin) == [("Act 1", []), ("Act Two", []), ("Act 3", [])]

    # Into the middle, from the front: the next act becomes the first.
    r = await admin.patch(
        ACT, {"id": one, "name": "Act 1", "interval_after": False, "previous_act_id": two}
    )
    assert r.code == 200, r
    assert await actions(client, 2) == ["GET_ACT_LIST", "GET_SHOW_DETAILS"]
    assert await running_order(admin) == [("Act Two", []), ("Act 1", []), ("Act 3", [])]

    # No previous act: out of the running order, the gap closed behind it.
    r = await admin.patch(ACT, {"id": one, "name": "Interval", "interval_after": False})
    assert r.code == 200, r
    found = await layout(admin)
    assert (found["order"], found["unplaced_acts"]) == (
        [("Act Two", []), ("Act 3", [])],
        ["Interval"],
    )
    # The first act named with no previous act stays first.
    r = await admin.patch(ACT, {"id": two, "name": "Act 2", "interval_after": True})
    assert r.code == 200, r
    assert (await layout(admin))["order"] == [("Act 2", []), ("Act 3", [])]

    # After the last act: last.
    r = await admin.patch(
        ACT, {"id": one, "name": "Epilogue", "interval_after": False, "previous_act_id": three}
    )
    assert r.code == 200, r
    assert await running_order(admin) == [("Act 2", []), ("Act 3", []), ("Epilogue", [])]
    [act_two] = [a for a in (await admin.get(ACT)).json["acts"] if a["id"] == two]
    assert act_two["interval_after"] is True


@pytest.mark.gen_test
async def test_a_move_is_refused_when_it_names_itself_or_no_act_of_the_show(admin, show):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    await admin.create_show("Macbeth", load=True)
    theirs = await add_act(admin, "Macbeth Act 1")
    await admin.load_show(show)
    body = {"name": "Act 2", "interval_after": False}

    r = await admin.patch(ACT, {**body, "id": two, "previous_act_id": two})
    assert (r.code, r.message) == (400, "Previous act cannot be current act")
    for missing in (theirs, 99999):
        r = await admin.patch(ACT, {**body, "id": two, "previous_act_id": missing})
        assert (r.code, r.message) == (400, "Previous act not found")
        r = await admin.post(ACT, {**body, "previous_act_id": missing})
        assert (r.code, r.message) == (400, "Previous act not found")
        r = await admin.patch(ACT, {**body, "id": missing})
        assert (r.code, r.message) == (404, "404 act not found")
        r = await admin.delete(f"{ACT}?id={missing}")
        assert (r.code, r.message) == (404, "404 act not found")
    assert await running_order(admin) == [("Act 1", []), ("Act 2", [])]


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": None}, "Name missing"),
        ({"name": "  "}, "Name missing"),
        ({"name": 7}, "Name must be a string"),
        ({"name": "x" * 256}, "Name must be 255 characters or fewer"),
        ({"interval_after": None}, "Interval after missing"),
        ({"interval_after": "no"}, "Interval after must be true or false"),
        ({"previous_act_id": "1"}, "Previous act ID must be an integer"),
    ],
)
async def test_bad_acts_are_refused(admin, show, body, message):
    act = await add_act(admin, "Act 1")
    good = {"name": "Act 2", "interval_after": False}
    r = await admin.post(ACT, {**good, **body})
    assert (r.code, r.message) == (400, message)
    r = await admin.patch(ACT, {**good, "id": act, **body})
    assert (r.code, r.message) == (400, message)
    r = await admin.patch(ACT, good)
    assert (r.code, r.message) == (400, "ID missing")
    assert [a["name"] for a in (await admin.get(ACT)).json["acts"]] == ["Act 1"]


@pytest.mark.gen_test
async def test_deleting_acts_closes_the_gap_and_takes_their_scenes(
    admin, show, database, ws_connect
):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    three = await add_act(admin, "Act 3", previous=two)
    four = await add_act(admin, "Act 4", previous=three)
    kept = await add_scene(admin, one, "Kept")
    doomed = await add_scene(admin, two, "Doomed")
    await add_scene(admin, two, "Doomed too", previous=doomed)
    with database.write() as db:
        prop_type = PropType(show_id=show, name="Hand props")
        db.add(prop_type)
        db.flush()
        prop = Props(show_id=show, prop_type_id=prop_type.id, name="Skull")
        db.add(prop)
        db.flush()
        db.add_all(
            [
                PropsAllocation(props_id=prop.id, scene_id=doomed),
                PropsAllocation(props_id=prop.id, scene_id=kept),
            ]
        )
    client = await ws_connect()

    r = await admin.delete(f"{ACT}?id={two}")
    assert (r.code, r.message) == (200, "Successfully deleted act")
    assert await actions(client, 2) == ["GET_ACT_LIST", "GET_SCENE_LIST"]
    assert await running_order(admin) == [("Act 1", ["Kept"]), ("Act 3", []), ("Act 4", [])]
    assert count(database, PropsAllocation) == 1
    assert count(database, Props) == 1

    r = await admin.delete(f"{ACT}?id={one}")
    assert r.code == 200, r
    assert await actions(client, 3) == ["GET_ACT_LIST", "GET_SHOW_DETAILS", "GET_SCENE_LIST"]
    assert (await admin.get("/show")).json["first_act_id"] == three
    assert await running_order(admin) == [("Act 3", []), ("Act 4", [])]
    assert count(database, PropsAllocation) == 0

    assert (await admin.delete(f"{ACT}?id={four}")).code == 200
    assert (await admin.delete(f"{ACT}?id={three}")).code == 200
    assert await running_order(admin) == []
    assert (await admin.get("/show")).json["first_act_id"] is None
    assert count(database, Scene) == 0

    r = await admin.delete(ACT)
    assert (r.code, r.message) == (400, "ID missing")
    r = await admin.delete(f"{ACT}?id=one")
    assert (r.code, r.message) == (400, "Invalid ID")


# -- scenes -----------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_scenes_are_inserted_in_order_within_their_act(admin, show, ws_connect):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    client = await ws_connect()
    first = await add_scene(admin, one, "Scene 1")
    assert await actions(client, 2) == ["GET_SCENE_LIST", "GET_ACT_LIST"]
    third = await add_scene(admin, one, "Scene 3", previous=first)
    second = await add_scene(admin, one, "Scene 2", previous=first)
    await add_scene(admin, two, "Scene 4")
    assert await running_order(admin) == [
        ("Act 1", ["Scene 1", "Scene 2", "Scene 3"]),
        ("Act 2", ["Scene 4"]),
    ]
    scenes = (await admin.get(SCENE)).json["scenes"]
    assert scenes[0] == {
        "id": first,
        "show_id": show,
        "act": one,
        "name": "Scene 1",
        "previous_scene": None,
        "next_scene": second,
    }
    [act] = [a for a in (await admin.get(ACT)).json["acts"] if a["id"] == one]
    assert (act["first_scene"], act["scene_list"]) == (first, [first, third, second])


@pytest.mark.gen_test
async def test_a_scene_added_with_no_previous_scene_waits_to_be_placed(admin, show):
    one = await add_act(admin, "Act 1")
    first = await add_scene(admin, one, "Scene 1")
    second = await add_scene(admin, one, "Scene 2")
    found = await layout(admin)
    assert (found["order"], found["unplaced_scenes"]) == ([("Act 1", ["Scene 1"])], ["Scene 2"])
    r = await admin.patch(
        SCENE, {"scene_id": second, "act_id": one, "name": "Scene 2", "previous_scene_id": first}
    )
    assert r.code == 200, r
    assert await running_order(admin) == [("Act 1", ["Scene 1", "Scene 2"])]


@pytest.mark.gen_test
async def test_scenes_move_within_and_between_acts(admin, show, ws_connect):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    a = await add_scene(admin, one, "A")
    b = await add_scene(admin, one, "B", previous=a)
    c = await add_scene(admin, one, "C", previous=b)
    d = await add_scene(admin, two, "D")
    client = await ws_connect()

    r = await admin.patch(
        SCENE, {"scene_id": c, "act_id": one, "name": "C", "previous_scene_id": a}
    )
    assert (r.code, r.message) == (200, "Successfully updated scene")
    assert await actions(client, 2) == ["GET_SCENE_LIST", "GET_ACT_LIST"]
    assert await running_order(admin) == [("Act 1", ["A", "C", "B"]), ("Act 2", ["D"])]

    r = await admin.patch(
        SCENE, {"scene_id": c, "act_id": two, "name": "C moved", "previous_scene_id": d}
    )
    assert r.code == 200, r
    assert await running_order(admin) == [("Act 1", ["A", "B"]), ("Act 2", ["D", "C moved"])]

    # To an act with scenes, with no previous scene: left out until placed.
    r = await admin.patch(SCENE, {"scene_id": a, "act_id": two, "name": "A"})
    assert r.code == 200, r
    found = await layout(admin)
    assert (found["order"], found["unplaced_scenes"]) == (
        [("Act 1", ["B"]), ("Act 2", ["D", "C moved"])],
        ["A"],
    )
    # To an act with none: its first scene.
    three = await add_act(admin, "Act 3", previous=two)
    r = await admin.patch(SCENE, {"scene_id": a, "act_id": three, "name": "A"})
    assert r.code == 200, r
    assert await running_order(admin) == [
        ("Act 1", ["B"]),
        ("Act 2", ["D", "C moved"]),
        ("Act 3", ["A"]),
    ]
    # The first scene named with no previous scene stays first.
    r = await admin.patch(SCENE, {"scene_id": d, "act_id": two, "name": "D"})
    assert r.code == 200, r
    assert (await layout(admin))["order"][1] == ("Act 2", ["D", "C moved"])


@pytest.mark.gen_test
async def test_bad_scenes_and_other_shows_ids_are_refused(admin, show):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    a = await add_scene(admin, one, "A")
    b = await add_scene(admin, one, "B", previous=a)
    elsewhere = await add_scene(admin, two, "Elsewhere")
    await admin.create_show("Macbeth", load=True)
    their_act = await add_act(admin, "Macbeth Act 1")
    their_scene = await add_scene(admin, their_act, "Heath")
    await admin.load_show(show)

    cases = [
        (SCENE, "POST", {"name": "X"}, 400, "Act ID missing"),
        (SCENE, "POST", {"act_id": one}, 400, "Name missing"),
        (SCENE, "POST", {"act_id": "1", "name": "X"}, 400, "Act ID must be an integer"),
        (SCENE, "POST", {"act_id": their_act, "name": "X"}, 404, "404 act not found"),
        (
            SCENE,
            "POST",
            {"act_id": one, "name": "X", "previous_scene_id": their_scene},
            400,
            "Previous scene not found",
        ),
        (
            SCENE,
            "POST",
            {"act_id": one, "name": "X", "previous_scene_id": elsewhere},
            400,
            "Previous scene must be in the same act as new scene",
        ),
        (SCENE, "PATCH", {"act_id": one, "name": "X"}, 400, "ID missing"),
        (SCENE, "PATCH", {"scene_id": a, "name": "X"}, 400, "Act ID missing"),
        (
            SCENE,
            "PATCH",
            {"scene_id": their_scene, "act_id": one, "name": "X"},
            404,
            "404 scene not found",
        ),
        (
            SCENE,
            "PATCH",
            {"scene_id": a, "act_id": one, "name": "X", "previous_scene_id": a},
            400,
            "Previous scene cannot be current scene",
        ),
        (
            SCENE,
            "PATCH",
            {"scene_id": a, "act_id": their_act, "name": "X"},
            404,
            "404 act not found",
        ),
        (
            SCENE,
            "PATCH",
            {"scene_id": a, "act_id": one, "name": "X", "previous_scene_id": elsewhere},
            400,
            "Previous scene must be in the same act as new scene",
        ),
        (f"{SCENE}?id={their_scene}", "DELETE", None, 404, "404 scene not found"),
        (f"{SCENE}?id=x", "DELETE", None, 400, "Invalid ID"),
        (SCENE, "DELETE", None, 400, "ID missing"),
    ]
    for path, method, body, code, message in cases:
        r = await admin.request(method, path, body)
        assert (r.code, r.message) == (code, message), (method, body)
    assert await running_order(admin) == [("Act 1", ["A", "B"]), ("Act 2", ["Elsewhere"])]
    assert b > a


@pytest.mark.gen_test
async def test_deleting_scenes_closes_the_gap(admin, show, ws_connect):
    one = await add_act(admin, "Act 1")
    a = await add_scene(admin, one, "A")
    b = await add_scene(admin, one, "B", previous=a)
    c = await add_scene(admin, one, "C", previous=b)
    client = await ws_connect()
    r = await admin.delete(f"{SCENE}?id={b}")
    assert (r.code, r.message) == (200, "Successfully deleted scene")
    assert await actions(client, 2) == ["GET_SCENE_LIST", "GET_ACT_LIST"]
    assert await running_order(admin) == [("Act 1", ["A", "C"])]
    assert (await admin.delete(f"{SCENE}?id={a}")).code == 200
    assert await running_order(admin) == [("Act 1", ["C"])]
    assert (await admin.delete(f"{SCENE}?id={c}")).code == 200
    assert await running_order(admin) == [("Act 1", [])]


@pytest.mark.gen_test
async def test_first_scene_names_the_head_of_an_acts_scenes(admin, show, ws_connect):
    one = await add_act(admin, "Act 1")
    two = await add_act(admin, "Act 2", previous=one)
    a = await add_scene(admin, one, "A")
    b = await add_scene(admin, one, "B", previous=a)
    other = await add_scene(admin, two, "Other")
    first = "/show/act/first_scene"
    client = await ws_connect()

    r = await admin.post(first, {"act_id": one, "scene_id": a})
    assert (r.code, r.message) == (200, "Successfully set first scene")
    assert await actions(client, 1) == ["GET_ACT_LIST"]
    cases = [
        ({"scene_id": a}, 400, "Act ID missing"),
        ({"act_id": one}, 400, "Scene ID missing"),
        ({"act_id": one, "scene_id": 99999}, 404, "404 scene not found"),
        ({"act_id": one, "scene_id": b}, 400, "First scene cannot already have previous scene"),
        ({"act_id": 99999, "scene_id": a}, 404, "Act not found"),
        ({"act_id": one, "scene_id": other}, 400, "First scene must be a scene of the act"),
    ]
    for body, code, message in cases:
        r = await admin.post(first, body)
        assert (r.code, r.message) == (code, message), body
    assert await running_order(admin) == [("Act 1", ["A", "B"]), ("Act 2", ["Other"])]

    # Cleared, the act's scenes wait to be placed; named again, they are back in order.
    assert (await admin.post(first, {"act_id": one, "scene_id": None})).code == 200
    found = await layout(admin)
    assert (found["order"], found["unplaced_scenes"]) == (
        [("Act 1", []), ("Act 2", ["Other"])],
        ["A", "B"],
    )
    assert (await admin.post(first, {"act_id": one, "scene_id": a})).code == 200
    assert await running_order(admin) == [("Act 1", ["A", "B"]), ("Act 2", ["Other"])]


# -- who may, and when ------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_changes_need_write_and_no_live_session(admin, show, ws_connect):
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    act = await add_act(admin, "Act 1")
    scene = await add_scene(admin, act, "A")
    assert (await admin.get(ACT, token="")).code == 200
    assert (await admin.get(SCENE, token=reader)).code == 200
    changes = [
        ("POST", ACT, {"name": "B", "interval_after": False}),
        ("PATCH", ACT, {"id": act, "name": "B", "interval_after": False}),
        ("POST", "/show/act/first_scene", {"act_id": act, "scene_id": scene}),
        ("POST", SCENE, {"act_id": act, "name": "B"}),
        ("PATCH", SCENE, {"scene_id": scene, "act_id": act, "name": "B"}),
        ("DELETE", f"{SCENE}?id={scene}", None),
        ("DELETE", f"{ACT}?id={act}", None),
    ]
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=reader)
        assert (r.code, r.message) == (403, "WRITE role required for this show"), path
        r = await admin.request(method, path, body, token="")
        assert r.code == 401, path
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert (r.code, r.message) == (409, "Current session in progress"), path
    assert await running_order(admin) == [("Act 1", ["A"])]
    await admin.post("/show/sessions/stop")
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert r.code == 200, (path, r)


@pytest.mark.gen_test
async def test_the_lists_are_cacheable_until_a_change(admin, show):
    await add_act(admin, "Act 1")
    for path in (ACT, SCENE):
        r = await admin.get(path)
        etag = r.headers["Etag"]
        assert (await admin.get(path, headers={"If-None-Match": etag})).code == 304
        await add_act(admin, f"After {path}")
        assert (await admin.get(path, headers={"If-None-Match": etag})).code == 200


@pytest.mark.gen_test
async def test_lists_need_a_loaded_show(admin):
    for path in (ACT, SCENE):
        r = await admin.get(path)
        assert (r.code, r.message) == (400, "No show loaded")


# -- concurrency ------------------------------------------------------------------------------


def insert_after(database: Database, previous: int, name: str, scene_of: int | None) -> None:
    with database.write() as db:
        show = settings.current_show(db)
        assert show is not None
        if scene_of is None:
            structure.create_act(db, show, name, False, previous)
        else:
            structure.create_scene(db, show, scene_of, name, previous)


def run_together(database: Database, previous: int, scene_of: int | None, n: int) -> None:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            insert_after(database, previous, f"Inserted {i}", scene_of)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


@pytest.mark.gen_test(timeout=120)
async def test_concurrent_inserts_after_the_same_act_or_scene_keep_one_chain(admin, show, database):
    one = await add_act(admin, "Act 1")
    await add_act(admin, "Act 2", previous=one)
    a = await add_scene(admin, one, "A")
    await add_scene(admin, one, "B", previous=a)
    for _ in range(3):
        run_together(database, one, None, 4)
        run_together(database, a, one, 4)
    order = await running_order(admin)
    assert len(order) == 2 + 12
    assert order[0][0] == "Act 1" and order[-1][0] == "Act 2"
    assert order[0][1][0] == "A" and order[0][1][-1] == "B"
    assert len(order[0][1]) == 2 + 12
    with database.read() as db:
        assert db.scalar(select(func.count()).select_from(Act)) == 14

"""Casting pools: /show/casting/pools lists each character's eligible cast members, principal
first; PUT /show/casting/pools/{character_id} replaces one. The principal is always the
character's played_by, whichever of the two is set."""

from __future__ import annotations

import pytest

from server.roles import Role
from tests.casting.helpers import (
    POOLS,
    add_cast,
    add_character,
    casting,
    cells,
    played_by,
    pools,
    set_pool,
)
from tests.structure.helpers import actions


@pytest.mark.gen_test
async def test_a_pool_is_replaced_its_principal_is_played_by_and_clients_are_told(
    admin, show, ws_connect
):
    ada, sam, kit = [await add_cast(admin, n) for n in ("Ada", "Sam", "Kit")]
    hamlet = await add_character(admin, "Hamlet", ada)
    ghost = await add_character(admin, "Ghost")
    assert await pools(admin) == {hamlet: [ada], ghost: []}

    client = await ws_connect()
    r = await admin.request("PUT", f"{POOLS}/{hamlet}", {"cast_ids": [sam, ada, kit]})
    assert (r.code, r.json) == (200, {"character_id": hamlet, "cast_ids": [sam, ada, kit]})
    assert set(await actions(client, 3)) == {
        "GET_CHARACTER_LIST",
        "GET_CAST_LIST",
        "GET_SESSION_CASTING",
    }
    assert await pools(admin) == {hamlet: [sam, ada, kit], ghost: []}
    assert (await played_by(admin))[hamlet] == sam

    await set_pool(admin, hamlet, [])
    assert await pools(admin) == {hamlet: [], ghost: []}
    assert (await played_by(admin))[hamlet] is None


@pytest.mark.gen_test
async def test_setting_played_by_moves_that_member_to_the_front_and_clearing_it_empties_the_pool(
    admin, show
):
    ada, sam, kit = [await add_cast(admin, n) for n in ("Ada", "Sam", "Kit")]
    hamlet = await add_character(admin, "Hamlet", ada)
    await set_pool(admin, hamlet, [ada, sam])

    r = await admin.patch("/show/character", {"id": hamlet, "name": "Hamlet", "played_by": sam})
    assert r.code == 200, r
    assert (await pools(admin))[hamlet] == [sam, ada]
    r = await admin.patch("/show/character", {"id": hamlet, "name": "Hamlet", "played_by": kit})
    assert (await pools(admin))[hamlet] == [kit, sam, ada]

    r = await admin.patch("/show/character", {"id": hamlet, "name": "Hamlet", "played_by": None})
    assert r.code == 200, r
    assert (await pools(admin))[hamlet] == []


@pytest.mark.gen_test
async def test_deleting_a_character_or_cast_member_takes_them_out_of_pools(admin, show):
    ada, sam = [await add_cast(admin, n) for n in ("Ada", "Sam")]
    hamlet = await add_character(admin, "Hamlet", ada)
    ghost = await add_character(admin, "Ghost", sam)
    await set_pool(admin, ghost, [sam, ada])
    assert (await admin.delete(f"/show/character?id={hamlet}")).code == 200
    assert await pools(admin) == {ghost: [sam, ada]}


@pytest.mark.gen_test
async def test_replacing_a_pool_is_refused_with_a_message(admin, show):
    ada = await add_cast(admin, "Ada")
    hamlet = await add_character(admin, "Hamlet", ada)
    other = await admin.create_show("Macbeth", load=True)
    stranger = await add_cast(admin, "Stranger")
    witch = await add_character(admin, "Witch")
    await admin.load_show(show)

    cases = [
        (f"{POOLS}/{witch}", {"cast_ids": [ada]}, 404, "404 character not found"),
        (f"{POOLS}/999999", {"cast_ids": [ada]}, 404, "404 character not found"),
        (f"{POOLS}/x1", {"cast_ids": [ada]}, 404, "404 character not found"),
        (f"{POOLS}/{hamlet}", {"cast_ids": [stranger]}, 404, "404 cast member not found"),
        (f"{POOLS}/{hamlet}", {}, 400, "cast_ids is required"),
        (f"{POOLS}/{hamlet}", {"cast_ids": "1"}, 400, "cast_ids must be a list of cast member ids"),
        (
            f"{POOLS}/{hamlet}",
            {"cast_ids": [True]},
            400,
            "cast_ids must be a list of cast member ids",
        ),
        (
            f"{POOLS}/{hamlet}",
            {"cast_ids": [ada, ada]},
            400,
            "cast_ids must not name a cast member twice",
        ),
    ]
    for path, body, status, message in cases:
        r = await admin.request("PUT", path, body)
        assert (r.code, r.json) == (status, {"message": message}), (path, body)
    assert await pools(admin) == {hamlet: [ada]}
    assert other != show


@pytest.mark.gen_test
async def test_reading_and_replacing_pools_need_read_and_write(admin, show):
    ada = await add_cast(admin, "Ada")
    hamlet = await add_character(admin, "Hamlet", ada)
    reader = await admin.user_token("reader", Role.READ.value, show)
    r = await admin.request("PUT", f"{POOLS}/{hamlet}", {"cast_ids": []}, token=reader)
    assert (r.code, r.json["message"]) == (403, "WRITE role required for this show")
    r = await admin.get(POOLS, token=reader)
    assert r.code == 200


@pytest.mark.gen_test
async def test_merging_characters_merges_their_pools_and_session_casting(admin, show, ws_connect):
    ada, sam, kit = [await add_cast(admin, name) for name in ("Ada", "Sam", "Kit")]
    ghost = await add_character(admin, "Ghost", played_by=ada)
    await set_pool(admin, ghost, [ada, kit])
    session = await admin.schedule("2026-12-10T19:30:00")
    r = await admin.request(
        "PATCH", f"/show/sessions/{session}/casting", {"casting": {str(ghost): kit}}
    )
    assert r.code == 200, r
    # Made after the session was cast, so the session has no cell for it yet.
    old_hamlet = await add_character(admin, "Old Hamlet", played_by=sam)
    client = await ws_connect()

    r = await admin.post(
        "/show/character/merge", {"source_id": ghost, "destination_id": old_hamlet}
    )
    assert r.code == 200, r
    assert await pools(admin) == {old_hamlet: [sam, ada, kit]}
    assert (await played_by(admin))[old_hamlet] == sam
    # The session keeps who was cast in the merged part.
    assert cells(await casting(admin, session)) == {old_hamlet: kit}
    actions = [(await client.receive())["ACTION"] for _ in range(4)]
    assert "GET_SESSION_CASTING" in actions


@pytest.mark.gen_test
async def test_merging_into_an_unplayed_character_leaves_it_unplayed(admin, show):
    ada = await add_cast(admin, "Ada")
    ghost = await add_character(admin, "Ghost", played_by=ada)
    session = await admin.schedule("2026-12-10T19:30:00")
    old_hamlet = await add_character(admin, "Old Hamlet")
    r = await admin.post(
        "/show/character/merge", {"source_id": ghost, "destination_id": old_hamlet}
    )
    assert r.code == 200, r
    assert await pools(admin) == {old_hamlet: []}
    assert (await played_by(admin))[old_hamlet] is None
    # Ada's cell moved over and fell back: nobody is in the pool.
    assert cells(await casting(admin, session)) == {old_hamlet: None}
    r = await admin.get(f"/show/sessions/{session}/log")
    kinds = [e["kind"] for e in r.json["events"]]
    assert "casting_fallback" in kinds


@pytest.mark.gen_test
async def test_merging_keeps_the_destinations_own_casting(admin, show):
    ada, sam = [await add_cast(admin, name) for name in ("Ada", "Sam")]
    ghost = await add_character(admin, "Ghost", played_by=ada)
    old_hamlet = await add_character(admin, "Old Hamlet", played_by=sam)
    session = await admin.schedule("2026-12-10T19:30:00")
    r = await admin.post(
        "/show/character/merge", {"source_id": ghost, "destination_id": old_hamlet}
    )
    assert r.code == 200, r
    assert await pools(admin) == {old_hamlet: [sam, ada]}
    assert cells(await casting(admin, session)) == {old_hamlet: sam}

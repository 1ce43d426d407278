"""A session's casting: seeded with the principals when scheduled (or, ad hoc, when started),
read with its warnings, changed cell by cell from each character's pool until the session
starts, every change logged and announced; cells left outside a changed pool fall back."""

from __future__ import annotations

import pytest

from server.roles import Role
from tests.casting.helpers import add_cast, add_character, casting, cells, set_pool
from tests.structure.helpers import actions


async def company(admin):
    """Ada plays Hamlet (Sam covers), Sam plays Horatio (Kit covers), nobody plays the Ghost."""
    ada, sam, kit = [await add_cast(admin, n) for n in ("Ada", "Sam", "Kit")]
    hamlet = await add_character(admin, "Hamlet", ada)
    horatio = await add_character(admin, "Horatio", sam)
    ghost = await add_character(admin, "Ghost")
    await set_pool(admin, hamlet, [ada, sam])
    await set_pool(admin, horatio, [sam, kit])
    return ada, sam, kit, hamlet, horatio, ghost


async def log(admin, session: int, kind: str) -> list[dict]:
    r = await admin.get(f"/show/sessions/{session}/log")
    return [e for e in r.json["events"] if e["kind"] == kind]


@pytest.mark.gen_test
async def test_a_scheduled_session_is_cast_with_the_principals(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    # A later change of principal leaves the seeded cell where it was (still in the pool).
    await set_pool(admin, hamlet, [sam, ada])
    answer = await casting(admin, session)
    assert answer["session_id"] == session
    assert answer["casting"] == [
        {"character_id": hamlet, "cast_id": ada, "principal_cast_id": sam, "is_cover": True},
        {"character_id": horatio, "cast_id": sam, "principal_cast_id": sam, "is_cover": False},
        {"character_id": ghost, "cast_id": None, "principal_cast_id": None, "is_cover": False},
    ]


@pytest.mark.gen_test
async def test_series_sessions_are_seeded_too(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    r = await admin.post(
        "/show/sessions/schedule/series",
        {"from": "2026-12-14", "to": "2026-12-15", "slots": [{"weekday": 1, "time": "19:30"}]},
    )
    assert r.code == 200, r
    [first] = [s["id"] for s in (await admin.sessions())["sessions"]]
    await set_pool(admin, hamlet, [sam, ada])
    assert cells(await casting(admin, first))[hamlet] == ada


@pytest.mark.gen_test
async def test_an_ad_hoc_session_gets_the_principals_when_it_starts(admin, show, client, database):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    assert (await admin.start(client)).code == 200
    session = (await admin.sessions())["current_session"]["id"]
    # Fixed at start: a later change of principal does not move it.
    await admin.post("/show/sessions/stop", {})
    await set_pool(admin, hamlet, [sam])
    assert cells(await casting(admin, session)) == {hamlet: ada, horatio: sam, ghost: None}


@pytest.mark.gen_test
async def test_cells_are_changed_from_the_pool_logged_and_announced(admin, show, ws_connect):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    client = await ws_connect()
    path = f"/show/sessions/{session}/casting"
    r = await admin.patch(path, {"casting": {str(hamlet): sam, str(horatio): kit}})
    assert r.code == 200, r
    assert r.json == await casting(admin, session)
    assert cells(r.json) == {hamlet: sam, horatio: kit, ghost: None}
    assert await actions(client, 1) == ["GET_SESSION_CASTING"]
    [event] = await log(admin, session, "casting_changed")
    assert event["username"] == "admin"
    assert event["details"]["changes"] == [
        {"character_id": hamlet, "character": "Hamlet", "old_cast_id": ada, "new_cast_id": sam},
        {"character_id": horatio, "character": "Horatio", "old_cast_id": sam, "new_cast_id": kit},
    ]


@pytest.mark.gen_test
async def test_changing_casting_is_refused_with_a_message(admin, show, client):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    path = f"/show/sessions/{session}/casting"
    await admin.create_show("Macbeth", load=True)
    stranger_part = await add_character(admin, "Witch")
    await admin.load_show(show)
    invalid = "casting must map character ids to cast member ids (or null)"
    cases = [
        (
            path,
            {"casting": {str(hamlet): kit}},
            400,
            "Kit Lane is not in the casting pool of Hamlet",
        ),
        (path, {"casting": {str(stranger_part): ada}}, 404, "404 character not found"),
        (path, {"casting": {}}, 400, invalid),
        (path, {"casting": {"x": ada}}, 400, invalid),
        (path, {"casting": {str(hamlet): "1"}}, 400, invalid),
        (path, {"casting": [hamlet]}, 400, invalid),
        (path, {}, 400, invalid),
        (
            "/show/sessions/999999/casting",
            {"casting": {str(hamlet): ada}},
            404,
            "404 session not found",
        ),
        (
            "/show/sessions/abc/casting",
            {"casting": {str(hamlet): ada}},
            404,
            "404 session not found",
        ),
    ]
    for url, body, status, message in cases:
        r = await admin.patch(url, body)
        assert (r.code, r.json) == (status, {"message": message}), body
    assert cells(await casting(admin, session))[hamlet] == ada

    assert (await admin.start(client, session)).code == 200
    r = await admin.patch(path, {"casting": {str(hamlet): sam}})
    assert (r.code, r.json) == (409, {"message": "409 session already started"})


@pytest.mark.gen_test
async def test_changing_casting_needs_execute(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    writer = await admin.user_token("writer", Role.WRITE.value, show)
    r = await admin.patch(
        f"/show/sessions/{session}/casting", {"casting": {str(hamlet): sam}}, token=writer
    )
    assert (r.code, r.json) == (403, {"message": "EXECUTE role required for this show"})
    assert (await admin.get(f"/show/sessions/{session}/casting", token=writer)).code == 200


@pytest.mark.gen_test
async def test_a_pool_change_moves_cells_left_outside_it_to_the_next_eligible(admin, show, client):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    past = await admin.schedule("2026-12-09T19:30:00")
    future = await admin.schedule("2026-12-10T19:30:00")
    assert (await admin.start(client, past)).code == 200
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    r = await admin.patch(f"/show/sessions/{future}/casting", {"casting": {str(horatio): kit}})
    assert r.code == 200, r

    await set_pool(admin, horatio, [ada, sam])  # Kit leaves Horatio's pool
    assert cells(await casting(admin, future))[horatio] == ada
    assert cells(await casting(admin, past))[horatio] == sam  # started: fixed
    [event] = await log(admin, future, "casting_fallback")
    assert event["details"] == {
        "reason": "pool changed",
        "changes": [{"character_id": horatio, "old_cast_id": kit, "new_cast_id": ada}],
    }
    await set_pool(admin, horatio, [])
    assert cells(await casting(admin, future))[horatio] is None


@pytest.mark.gen_test
async def test_warnings_name_nobody_available_new_doubling_and_a_cover_cascade(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    assert (await casting(admin, session))["warnings"] == [
        {
            "kind": "nobody_available",
            "message": "Nobody is available to play Ghost",
            "character_ids": [ghost],
            "cast_id": None,
        }
    ]
    # Sam covers Hamlet and keeps Horatio: a new doubling, and no cascade (Sam still plays
    # their own part).
    r = await admin.patch(f"/show/sessions/{session}/casting", {"casting": {str(hamlet): sam}})
    kinds = [(w["kind"], w["character_ids"], w["cast_id"]) for w in r.json["warnings"]]
    assert ("doubling", [hamlet, horatio], sam) in kinds
    assert not [k for k in kinds if k[0] == "cascade"]
    [doubling] = [w for w in r.json["warnings"] if w["kind"] == "doubling"]
    assert doubling["message"] == (
        "Sam Lane plays Hamlet and Horatio, which the principal casting gives to different people"
    )
    # Kit moves up into Horatio: Sam's cover of Hamlet is now a cascade, and no doubling.
    r = await admin.patch(f"/show/sessions/{session}/casting", {"casting": {str(horatio): kit}})
    warnings = [w for w in r.json["warnings"] if w["kind"] != "nobody_available"]
    assert warnings == [
        {
            "kind": "cascade",
            "message": "Sam Lane covers Hamlet, leaving Horatio to Kit Lane",
            "character_ids": [hamlet, horatio],
            "cast_id": sam,
        }
    ]

"""The casting matrix (GET /show/casting?from=&to=) and the fall-back when a cast member is
deleted."""

from __future__ import annotations

import pytest

from tests.casting.helpers import (
    add_cast,
    add_character,
    casting,
    cells,
    played_by,
    pools,
    set_pool,
)

MATRIX = "/show/casting"


@pytest.mark.gen_test
async def test_the_matrix_lists_the_range_in_time_order_with_covers_and_warnings(admin, show):
    ada, sam = [await add_cast(admin, n) for n in ("Ada", "Sam")]
    hamlet = await add_character(admin, "Hamlet", ada)
    ghost = await add_character(admin, "Ghost")
    await set_pool(admin, hamlet, [ada, sam])
    late = await admin.schedule("2026-12-12T19:30:00")
    early = await admin.schedule("2026-12-10T19:30:00")
    await admin.schedule("2026-12-20T19:30:00")  # outside the range
    r = await admin.patch(f"/show/sessions/{late}/casting", {"casting": {str(hamlet): sam}})
    assert r.code == 200, r

    r = await admin.get(f"{MATRIX}?from=2026-12-10&to=2026-12-12")
    assert r.code == 200, r
    assert r.json["sessions"] == [early, late]
    assert r.json["characters"] == [hamlet, ghost]
    assert r.json["cells"] == [
        {"session_id": early, "character_id": hamlet, "cast_id": ada, "is_cover": False},
        {"session_id": early, "character_id": ghost, "cast_id": None, "is_cover": False},
        {"session_id": late, "character_id": hamlet, "cast_id": sam, "is_cover": True},
        {"session_id": late, "character_id": ghost, "cast_id": None, "is_cover": False},
    ]
    assert [(w["session_id"], w["kind"]) for w in r.json["warnings"]] == [
        (early, "nobody_available"),
        (late, "nobody_available"),
    ]


@pytest.mark.gen_test
async def test_the_matrix_range_is_checked(admin, show):
    cases = [
        ("", "from missing"),
        ("?from=2026-12-01", "to missing"),
        ("?from=x&to=2026-12-01", "from must be a date, YYYY-MM-DD"),
        ("?from=2026-12-02&to=2026-12-01", "to must not be before from"),
        ("?from=2026-01-01&to=2027-01-03", "from and to may be at most 366 days apart"),
    ]
    for query, message in cases:
        r = await admin.get(MATRIX + query)
        assert (r.code, r.json) == (400, {"message": message}), query


@pytest.mark.gen_test
async def test_deleting_a_cast_member_moves_their_parts_to_the_next_in_each_pool(admin, show):
    ada, sam, kit = [await add_cast(admin, n) for n in ("Ada", "Sam", "Kit")]
    hamlet = await add_character(admin, "Hamlet", ada)
    horatio = await add_character(admin, "Horatio", sam)
    await set_pool(admin, hamlet, [ada, sam, kit])
    await set_pool(admin, horatio, [sam, ada])
    session = await admin.schedule("2026-12-10T19:30:00")
    r = await admin.patch(f"/show/sessions/{session}/casting", {"casting": {str(horatio): ada}})
    assert r.code == 200, r

    assert (await admin.delete(f"/show/cast?id={ada}")).code == 200
    assert await pools(admin) == {hamlet: [sam, kit], horatio: [sam]}
    assert await played_by(admin) == {hamlet: sam, horatio: sam}
    assert cells(await casting(admin, session)) == {hamlet: sam, horatio: sam}
    r = await admin.get(f"/show/sessions/{session}/log")
    [event] = [e for e in r.json["events"] if e["kind"] == "casting_fallback"]
    assert event["details"] == {
        "reason": "cast member deleted",
        "changes": [
            {"character_id": hamlet, "old_cast_id": ada, "new_cast_id": sam},
            {"character_id": horatio, "old_cast_id": ada, "new_cast_id": sam},
        ],
    }


@pytest.mark.gen_test
async def test_the_longest_range_is_366_days(admin, show):
    assert (await admin.get(f"{MATRIX}?from=2026-01-01&to=2027-01-02")).code == 200

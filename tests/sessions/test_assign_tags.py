"""PATCH /show/sessions/assign-tags: replacing a session's tags."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import session_tag_associations

PATH = "/show/sessions/assign-tags"


def assigned(database: Database, session_id: int) -> list[int]:
    with database.read() as db:
        return sorted(
            db.scalars(
                select(session_tag_associations.c.tag_id).where(
                    session_tag_associations.c.session_id == session_id
                )
            )
        )


@pytest.fixture
def tagged(admin: Any, show: int, database: Database, io_loop: Any, ws_connect: Any) -> dict:
    """A finished session of the loaded show tagged Preview, and a spare Gala tag."""

    async def setup() -> dict:
        preview = await admin.create_tag("Preview")
        gala = await admin.create_tag("Gala")
        session = await admin.finished_session((await ws_connect()).internal_id)
        r = await admin.patch(PATH, {"session_id": session, "tag_ids": [preview]})
        assert r.code == 200, r
        return {"session": session, "preview": preview, "gala": gala}

    return io_loop.run_sync(setup)  # type: ignore[no-any-return]


@pytest.mark.gen_test
async def test_assign_tags_replaces_the_sessions_tags(admin, database, tagged):
    session, gala = tagged["session"], tagged["gala"]
    r = await admin.patch(PATH, {"session_id": session, "tag_ids": [gala]})
    assert r.code == 200
    assert r.json["message"]
    assert assigned(database, session) == [gala]
    listed = (await admin.sessions())["sessions"][0]
    assert listed["tags"] == [
        {"id": gala, "show_id": listed["show_id"], "tag": "Gala", "colour": "#3366ff"}
    ]


@pytest.mark.gen_test
async def test_assign_tags_with_several_tags(admin, database, tagged):
    session = tagged["session"]
    both = [tagged["preview"], tagged["gala"]]
    assert (await admin.patch(PATH, {"session_id": session, "tag_ids": both})).code == 200
    assert assigned(database, session) == sorted(both)


@pytest.mark.gen_test
async def test_assign_an_empty_list_clears_the_tags(admin, database, tagged):
    session = tagged["session"]
    assert (await admin.patch(PATH, {"session_id": session, "tag_ids": []})).code == 200
    assert assigned(database, session) == []


@pytest.mark.parametrize(
    "body, message",
    [
        ({"tag_ids": []}, "session_id missing"),
        ({"session_id": None, "tag_ids": []}, "session_id missing"),
        ({"session_id": "SESSION_AS_TEXT", "tag_ids": []}, "session_id must be an integer"),
        ({"session_id": 1.5, "tag_ids": []}, "session_id must be an integer"),
        ({"session_id": True, "tag_ids": []}, "session_id must be an integer"),
        ({"session_id": "SESSION"}, "tag_ids missing"),
        ({"session_id": "SESSION", "tag_ids": None}, "tag_ids missing"),
        ({"session_id": "SESSION", "tag_ids": "GALA"}, "tag_ids must be a list"),
        ({"session_id": "SESSION", "tag_ids": {"id": 1}}, "tag_ids must be a list"),
    ],
)
@pytest.mark.gen_test
async def test_assign_tags_rejects_bad_input(admin, database, tagged, body, message):
    names = {
        "SESSION": tagged["session"],
        "SESSION_AS_TEXT": str(tagged["session"]),
        "GALA": str(tagged["gala"]),
    }
    body = {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    r = await admin.patch(PATH, body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert assigned(database, tagged["session"]) == [tagged["preview"]]


@pytest.mark.parametrize(
    "tag_ids",
    [
        ["GALA", 9999],
        ["GALA", "GALA"],
        ["GALA", "FOREIGN"],
        ["GALA", "2"],
        ["GALA", None],
        ["GALA", True],
        ["GALA", 2**70],
    ],
    ids=["unknown", "duplicate", "another show's", "text", "null", "boolean", "huge"],
)
@pytest.mark.gen_test
async def test_invalid_tag_ids_change_nothing(admin, show, database, tagged, tag_ids):
    await admin.create_show("Macbeth", load=True)
    foreign = await admin.create_tag("Foreign")
    await admin.load_show(show)
    names = {"GALA": tagged["gala"], "FOREIGN": foreign}
    tag_ids = [names.get(t, t) if isinstance(t, str) and t in names else t for t in tag_ids]
    r = await admin.patch(PATH, {"session_id": tagged["session"], "tag_ids": tag_ids})
    assert r.code == 400
    assert r.json == {"message": "One or more tag IDs are invalid"}
    assert assigned(database, tagged["session"]) == [tagged["preview"]]


@pytest.mark.gen_test
async def test_assign_tags_to_an_unknown_session_is_a_404(admin, database, tagged):
    r = await admin.patch(PATH, {"session_id": 9999, "tag_ids": [tagged["gala"]]})
    assert r.code == 404
    assert r.json == {"message": "404 session not found"}


@pytest.mark.gen_test
async def test_assign_tags_to_another_shows_session_is_a_403(
    admin, show, database, tagged, ws_connect
):
    await admin.create_show("Macbeth", load=True)
    foreign_session = await admin.finished_session((await ws_connect()).internal_id)
    await admin.load_show(show)
    r = await admin.patch(PATH, {"session_id": foreign_session, "tag_ids": [tagged["gala"]]})
    assert r.code == 403
    assert r.json == {"message": "Session does not belong to current show"}
    assert assigned(database, foreign_session) == []


@pytest.mark.gen_test
async def test_assign_tags_is_refused_while_a_session_is_live(admin, database, tagged, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    r = await admin.patch(PATH, {"session_id": tagged["session"], "tag_ids": [tagged["gala"]]})
    assert r.code == 409
    assert r.json == {"message": "Current session in progress"}
    assert assigned(database, tagged["session"]) == [tagged["preview"]]

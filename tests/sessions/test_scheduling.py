"""Scheduling, editing and deleting performances ahead of time (contract 6.1 and 6.2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from tornado.websocket import WebSocketClientConnection

from server.db import Database
from tests.conftest import SESSION_KEYS, Api, connect_client
from tests.db_state import snapshot

EXECUTE_NEEDED = "EXECUTE role required for this show"
INVALID_TAGS = "One or more tag IDs are invalid"
BAD_TIME = "scheduled_date_time must be an ISO-8601 date and time"
BAD_REVISION = "Script revision not found for this show"
BAD_TAG_LIST = "tag_ids must be a list of integers"
BAD_REVISION_ID = "script_revision_id must be an integer"
WHEN = "2026-12-01T19:30:00"


def at_when(**fields: Any) -> dict[str, Any]:
    return {"scheduled_date_time": WHEN, **fields}


def tag_links(database: Database, session_id: int) -> list[int]:
    with database.read() as db:
        rows = db.execute(
            text(
                "SELECT tag_id FROM session_tag_associations WHERE session_id = :s ORDER BY tag_id"
            ),
            {"s": session_id},
        )
        return [r[0] for r in rows]


async def add_revision(api: Api, description: str, set_as_current: bool = False) -> int:
    r = await api.post(
        "/show/script/revisions",
        {"description": description, "set_as_current": set_as_current},
    )
    assert r.code == 200, r
    return int(r.json["id"])


async def start_adhoc(api: Api, base_url: str) -> WebSocketClientConnection:
    """Start an ad-hoc session led by a fresh WebSocket client; the caller closes the client."""
    conn, client_id = await connect_client(base_url)
    r = await api.start(client_id)
    assert r.code == 200, r
    return conn


@pytest.fixture
def crew(role_user: Any) -> str:
    """A token for a user who may write to the show (READ|WRITE) but not run it (no EXECUTE)."""
    token, _user_id = role_user("crew", 1 | 2)
    return str(token)


@pytest.fixture
def other_show(admin: Api, show: int, io_loop: Any) -> dict[str, int]:
    """A second show with a tag, a revision and a scheduled session; the first stays loaded."""

    async def setup() -> dict[str, int]:
        other = await admin.create_show("Macbeth", load=False)
        await admin.load_show(other)
        ids = {
            "show": other,
            "tag": await admin.create_tag("Gala"),
            "revision": await admin.current_revision(),
            "session": await admin.schedule("2026-12-05T19:30:00"),
        }
        await admin.load_show(show)
        return ids

    return dict(io_loop.run_sync(setup))


# -- POST /show/sessions/schedule ----------------------------------------------------------


@pytest.mark.gen_test
async def test_schedule_answers_the_new_id_and_message(admin, show):
    r = await admin.post("/show/sessions/schedule", {"scheduled_date_time": "2026-12-01T19:30:00"})
    assert r.code == 200
    assert r.json["message"] == "Successfully scheduled show session"
    assert [s["id"] for s in (await admin.sessions())["sessions"]] == [r.json["id"]]


@pytest.mark.gen_test
async def test_scheduled_session_has_not_started_and_uses_the_current_revision(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    session = await admin.session(sid)
    assert session["show_id"] == show
    assert session["scheduled_date_time"] == "2026-12-01T19:30:00"
    assert session["start_date_time"] is None
    assert session["end_date_time"] is None
    assert session["user_id"] is None
    assert session["client_internal_id"] is None
    assert session["script_revision_id"] == await admin.current_revision()
    assert session["revision"] == session["script_revision_id"]
    assert session["tags"] == []
    assert session["status"] == "next_up"


@pytest.mark.gen_test
async def test_a_scheduled_session_has_exactly_the_keys_of_the_session_object(admin, show):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    session = await admin.session(sid)
    assert set(session) == SESSION_KEYS
    assert set(session["tags"][0]) == {"id", "show_id", "tag", "colour"}
    assert (session["show"], session["user"], session["client"]) == (show, None, None)


@pytest.mark.gen_test
async def test_schedule_keeps_the_given_tags_and_revision(admin, show, database):
    preview = await admin.create_tag("Preview", "#ff0000")
    press = await admin.create_tag("Press Night", "#00ff00")
    older = await admin.current_revision()
    await add_revision(admin, "Cuts for the tour", set_as_current=True)
    sid = await admin.schedule(
        "2026-12-01T19:30:00", tag_ids=[press, preview], script_revision_id=older
    )
    session = await admin.session(sid)
    assert session["script_revision_id"] == older
    assert session["tags"] == [
        {"id": preview, "show_id": show, "tag": "Preview", "colour": "#ff0000"},
        {"id": press, "show_id": show, "tag": "Press Night", "colour": "#00ff00"},
    ]
    assert tag_links(database, sid) == sorted([preview, press])


@pytest.mark.gen_test
async def test_schedule_without_a_revision_takes_the_revision_current_at_that_moment(admin, show):
    newer = await add_revision(admin, "Act two rewrite", set_as_current=True)
    sid = await admin.schedule("2026-12-01T19:30:00")
    assert (await admin.session(sid))["script_revision_id"] == newer


@pytest.mark.gen_test
async def test_schedule_accepts_an_explicit_null_revision_as_the_current_one(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00", script_revision_id=None)
    assert (await admin.session(sid))["script_revision_id"] == await admin.current_revision()


@pytest.mark.gen_test
async def test_schedule_may_place_two_performances_at_the_same_time(admin, show):
    first = await admin.schedule("2026-12-01T19:30:00")
    second = await admin.schedule("2026-12-01T19:30:00")
    assert [s["id"] for s in (await admin.sessions())["sessions"]] == [first, second]


BAD_SCHEDULE_BODIES = [
    ({}, "scheduled_date_time missing"),
    ({"scheduled_date_time": None}, "scheduled_date_time missing"),
    ({"scheduled_date_time": ""}, BAD_TIME),
    ({"scheduled_date_time": "tomorrow evening"}, BAD_TIME),
    ({"scheduled_date_time": "2026-12-01"}, BAD_TIME),
    ({"scheduled_date_time": "2026-13-01T19:30:00"}, BAD_TIME),
    ({"scheduled_date_time": "2026-12-01T25:30:00"}, BAD_TIME),
    ({"scheduled_date_time": 1764617400}, BAD_TIME),
    ({"scheduled_date_time": ["2026-12-01T19:30:00"]}, BAD_TIME),
    (at_when(tag_ids="1"), BAD_TAG_LIST),
    (at_when(tag_ids=None), BAD_TAG_LIST),
    (at_when(tag_ids=["1"]), BAD_TAG_LIST),
    (at_when(tag_ids=[True]), BAD_TAG_LIST),
    (at_when(tag_ids=[1.5]), BAD_TAG_LIST),
    (at_when(tag_ids=[999999]), INVALID_TAGS),
    (at_when(tag_ids=[2**70]), INVALID_TAGS),
    (at_when(script_revision_id="1"), BAD_REVISION_ID),
    (at_when(script_revision_id=1.5), BAD_REVISION_ID),
    (at_when(script_revision_id=True), BAD_REVISION_ID),
    (at_when(script_revision_id=2**70), BAD_REVISION_ID),
    (at_when(script_revision_id=999999), BAD_REVISION),
]


@pytest.mark.parametrize(("body", "message"), BAD_SCHEDULE_BODIES)
@pytest.mark.gen_test
async def test_schedule_refuses_bad_input_and_creates_nothing(admin, show, database, body, message):
    await admin.create_tag("Preview")
    before = snapshot(database)
    r = await admin.post("/show/sessions/schedule", body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_schedule_refuses_repeated_tag_ids(admin, show, database):
    preview = await admin.create_tag("Preview")
    before = snapshot(database)
    r = await admin.post(
        "/show/sessions/schedule",
        {"scheduled_date_time": "2026-12-01T19:30:00", "tag_ids": [preview, preview]},
    )
    assert (r.code, r.message) == (400, INVALID_TAGS)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_schedule_refuses_a_tag_of_another_show(admin, show, other_show, database):
    own = await admin.create_tag("Preview")
    before = snapshot(database)
    r = await admin.post(
        "/show/sessions/schedule",
        {"scheduled_date_time": "2026-12-01T19:30:00", "tag_ids": [own, other_show["tag"]]},
    )
    assert (r.code, r.message) == (400, INVALID_TAGS)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_schedule_refuses_a_revision_of_another_show(admin, show, other_show, database):
    before = snapshot(database)
    r = await admin.post(
        "/show/sessions/schedule",
        {
            "scheduled_date_time": "2026-12-01T19:30:00",
            "script_revision_id": other_show["revision"],
        },
    )
    assert (r.code, r.message) == (400, BAD_REVISION)
    assert snapshot(database) == before


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"2026-12-01T19:30:00"', b"null"])
@pytest.mark.gen_test
async def test_schedule_refuses_a_body_that_is_not_a_json_object(admin, show, database, raw):
    before = snapshot(database)
    r = await admin.post("/show/sessions/schedule", raw=raw)
    assert (r.code, r.message) == (400, "Invalid JSON body")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_schedule_needs_a_login(admin, show, database):
    before = snapshot(database)
    admin.token = None
    r = await admin.post("/show/sessions/schedule", {"scheduled_date_time": "2026-12-01T19:30:00"})
    assert (r.code, r.message) == (401, "Not logged in")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_schedule_needs_the_execute_role(admin, show, crew, database):
    before = snapshot(database)
    r = await admin.post(
        "/show/sessions/schedule", {"scheduled_date_time": "2026-12-01T19:30:00"}, token=crew
    )
    assert (r.code, r.message) == (403, EXECUTE_NEEDED)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_schedule_is_allowed_with_the_execute_role_alone(admin, show):
    await admin.create_user("stage_manager")
    token = await admin.login("stage_manager")
    await admin.grant(await admin.user_id(token), show, 4)
    r = await admin.post(
        "/show/sessions/schedule", {"scheduled_date_time": "2026-12-01T19:30:00"}, token=token
    )
    assert r.code == 200, r
    listed = (await admin.sessions())["sessions"]
    assert [s["id"] for s in listed] == [r.json["id"]]


@pytest.mark.gen_test
async def test_schedule_needs_a_loaded_show(admin):
    r = await admin.post("/show/sessions/schedule", {"scheduled_date_time": "2026-12-01T19:30:00"})
    assert (r.code, r.message) == (400, "No show loaded")


# -- PATCH /show/sessions/{id} ------------------------------------------------------------


@pytest.mark.gen_test
async def test_patch_moves_a_scheduled_session(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.patch(f"/show/sessions/{sid}", {"scheduled_date_time": "2026-12-02T14:00:00"})
    assert r.code == 200
    assert r.json == {"message": "Successfully updated show session"}
    assert (await admin.session(sid))["scheduled_date_time"] == "2026-12-02T14:00:00"


@pytest.mark.gen_test
async def test_patch_changes_the_revision(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    newer = await add_revision(admin, "Understudy cut")
    r = await admin.patch(f"/show/sessions/{sid}", {"script_revision_id": newer})
    assert r.code == 200, r
    session = await admin.session(sid)
    assert session["script_revision_id"] == newer
    assert session["scheduled_date_time"] == "2026-12-01T19:30:00"


@pytest.mark.gen_test
async def test_patch_replaces_the_tags_rather_than_adding_to_them(admin, show, database):
    preview = await admin.create_tag("Preview")
    press = await admin.create_tag("Press Night")
    matinee = await admin.create_tag("Matinee")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview, press])
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": [matinee]})
    assert r.code == 200, r
    assert [t["id"] for t in (await admin.session(sid))["tags"]] == [matinee]
    assert tag_links(database, sid) == [matinee]


@pytest.mark.gen_test
async def test_patch_with_an_empty_tag_list_removes_every_tag(admin, show, database):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": []})
    assert r.code == 200, r
    assert (await admin.session(sid))["tags"] == []
    assert tag_links(database, sid) == []
    assert [t["id"] for t in (await admin.get("/show/session/tags")).json["tags"]] == [preview]


@pytest.mark.gen_test
async def test_patch_changes_every_field_at_once(admin, show):
    preview = await admin.create_tag("Preview")
    newer = await add_revision(admin, "Final")
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.patch(
        f"/show/sessions/{sid}",
        {
            "scheduled_date_time": "2026-12-03T19:00:00",
            "script_revision_id": newer,
            "tag_ids": [preview],
        },
    )
    assert r.code == 200, r
    session = await admin.session(sid)
    assert session["scheduled_date_time"] == "2026-12-03T19:00:00"
    assert session["script_revision_id"] == newer
    assert [t["id"] for t in session["tags"]] == [preview]


@pytest.mark.gen_test
async def test_patch_leaves_other_sessions_alone(admin, show):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    other = await admin.schedule("2026-12-02T19:30:00", tag_ids=[preview])
    before = await admin.session(other)
    r = await admin.patch(
        f"/show/sessions/{sid}", {"tag_ids": [], "scheduled_date_time": "2026-12-09T19:30:00"}
    )
    assert r.code == 200, r
    after = await admin.session(other)
    # Only what is computed moves: it is now the next performance, and the first.
    assert (before["status"], after["status"]) == ("scheduled", "next_up")
    assert (before["performance_number"], after["performance_number"]) == (2, 1)
    computed = {"status": None, "performance_number": None}
    assert {**after, **computed} == {**before, **computed}


@pytest.mark.parametrize(
    "body", [{}, {"latest_line_ref": "1:2"}, {"start_date_time": "2026-12-01T19:30:00"}]
)
@pytest.mark.gen_test
async def test_patch_without_an_editable_field_is_refused(admin, show, database, body):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", body)
    assert (r.code, r.message) == (400, "No fields to update")
    assert snapshot(database) == before


BAD_PATCH_BODIES = [
    ({"scheduled_date_time": None}, "scheduled_date_time missing"),
    ({"scheduled_date_time": "next friday"}, BAD_TIME),
    ({"scheduled_date_time": "2026-12-01"}, BAD_TIME),
    ({"tag_ids": None}, "tag_ids must be a list of integers"),
    ({"tag_ids": 3}, "tag_ids must be a list of integers"),
    ({"tag_ids": [None]}, "tag_ids must be a list of integers"),
    ({"tag_ids": [999999]}, INVALID_TAGS),
    ({"script_revision_id": None}, "script_revision_id must be an integer"),
    ({"script_revision_id": "2"}, "script_revision_id must be an integer"),
    ({"script_revision_id": 999999}, BAD_REVISION),
    # A valid field beside an invalid one: the whole request is refused.
    ({"scheduled_date_time": "2026-12-24T19:30:00", "tag_ids": [999999]}, INVALID_TAGS),
    ({"tag_ids": [], "script_revision_id": 999999}, BAD_REVISION),
]


@pytest.mark.parametrize(("body", "message"), BAD_PATCH_BODIES)
@pytest.mark.gen_test
async def test_patch_refuses_bad_input_and_changes_nothing(admin, show, database, body, message):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_patch_refuses_repeated_tag_ids(admin, show, database):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": [preview, preview]})
    assert (r.code, r.message) == (400, INVALID_TAGS)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_patch_refuses_a_tag_of_another_show(admin, show, other_show, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": [other_show["tag"]]})
    assert (r.code, r.message) == (400, INVALID_TAGS)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_patch_refuses_a_revision_of_another_show(admin, show, other_show, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", {"script_revision_id": other_show["revision"]})
    assert (r.code, r.message) == (400, BAD_REVISION)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_patch_of_a_session_in_progress_is_a_conflict(admin, show, database, base_url):
    conn, client_id = await connect_client(base_url)
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.start(client_id, sid)
    assert r.code == 200, r
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", {"scheduled_date_time": "2026-12-02T19:30:00"})
    assert (r.code, r.message) == (409, "409 session already started")
    assert snapshot(database) == before
    conn.close()


@pytest.mark.gen_test
async def test_patch_of_a_complete_session_is_a_conflict(admin, show, database, base_url):
    conn = await start_adhoc(admin, base_url)
    assert (await admin.post("/show/sessions/stop")).code == 200
    sid = (await admin.sessions())["sessions"][0]["id"]
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": []})
    assert (r.code, r.message) == (409, "409 session already started")
    assert snapshot(database) == before
    conn.close()


@pytest.mark.gen_test
async def test_patch_of_a_missing_session_is_not_found(admin, show, database):
    before = snapshot(database)
    r = await admin.patch("/show/sessions/4242", {"tag_ids": []})
    assert (r.code, r.message) == (404, "404 session not found")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_patch_of_another_shows_session_is_not_found(admin, show, other_show, database):
    before = snapshot(database)
    r = await admin.patch(
        f"/show/sessions/{other_show['session']}", {"scheduled_date_time": "2026-12-02T19:30:00"}
    )
    assert (r.code, r.message) == (404, "404 session not found")
    assert snapshot(database) == before


@pytest.mark.parametrize(
    "raw_id", ["abc", "1.0", "-1", "1e3", "0x1", "%201", "99999999999999999999"]
)
@pytest.mark.gen_test
async def test_patch_with_a_session_id_that_is_not_an_integer_is_not_found(admin, show, raw_id):
    await admin.schedule("2026-12-01T19:30:00")
    r = await admin.patch(f"/show/sessions/{raw_id}", {"tag_ids": []})
    assert r.code == 404
    assert r.json == {"message": "404 session not found"}


@pytest.mark.gen_test
async def test_patch_needs_a_login(admin, show, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    admin.token = None
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": []})
    assert (r.code, r.message) == (401, "Not logged in")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_patch_needs_the_execute_role(admin, show, crew, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.patch(f"/show/sessions/{sid}", {"tag_ids": []}, token=crew)
    assert (r.code, r.message) == (403, EXECUTE_NEEDED)
    assert snapshot(database) == before


# -- DELETE /show/sessions/{id} -----------------------------------------------------------


@pytest.mark.gen_test
async def test_delete_removes_a_scheduled_session_and_its_tag_links(admin, show, database):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    keep = await admin.schedule("2026-12-02T19:30:00", tag_ids=[preview])
    r = await admin.delete(f"/show/sessions/{sid}")
    assert r.code == 200
    assert r.json == {"message": "Successfully deleted show session"}
    assert [s["id"] for s in (await admin.sessions())["sessions"]] == [keep]
    assert tag_links(database, sid) == []
    assert tag_links(database, keep) == [preview]
    assert [t["id"] for t in (await admin.get("/show/session/tags")).json["tags"]] == [preview]


@pytest.mark.gen_test
async def test_delete_of_a_session_in_progress_is_a_conflict(admin, show, database, base_url):
    conn = await start_adhoc(admin, base_url)
    sid = (await admin.sessions())["current_session"]["id"]
    before = snapshot(database)
    r = await admin.delete(f"/show/sessions/{sid}")
    assert (r.code, r.message) == (409, "409 session already started")
    assert snapshot(database) == before
    conn.close()


@pytest.mark.gen_test
async def test_delete_of_a_complete_session_is_a_conflict(admin, show, database, base_url):
    conn, client_id = await connect_client(base_url)
    sid = await admin.schedule("2026-12-01T19:30:00")
    await admin.start(client_id, sid)
    assert (await admin.post("/show/sessions/stop")).code == 200
    before = snapshot(database)
    r = await admin.delete(f"/show/sessions/{sid}")
    assert (r.code, r.message) == (409, "409 session already started")
    assert snapshot(database) == before
    conn.close()


@pytest.mark.gen_test
async def test_delete_of_a_missing_session_is_not_found(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    assert (await admin.delete(f"/show/sessions/{sid}")).code == 200
    r = await admin.delete(f"/show/sessions/{sid}")
    assert (r.code, r.message) == (404, "404 session not found")


@pytest.mark.gen_test
async def test_delete_of_another_shows_session_is_not_found(admin, show, other_show, database):
    before = snapshot(database)
    r = await admin.delete(f"/show/sessions/{other_show['session']}")
    assert (r.code, r.message) == (404, "404 session not found")
    assert snapshot(database) == before


@pytest.mark.parametrize("raw_id", ["abc", "1.0", "-1", "true"])
@pytest.mark.gen_test
async def test_delete_with_a_session_id_that_is_not_an_integer_is_not_found(
    admin, show, database, raw_id
):
    await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.delete(f"/show/sessions/{raw_id}")
    assert (r.code, r.message) == (404, "404 session not found")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_delete_needs_a_login(admin, show, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    admin.token = None
    r = await admin.delete(f"/show/sessions/{sid}")
    assert (r.code, r.message) == (401, "Not logged in")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_delete_needs_the_execute_role(admin, show, crew, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    before = snapshot(database)
    r = await admin.delete(f"/show/sessions/{sid}", token=crew)
    assert (r.code, r.message) == (403, EXECUTE_NEEDED)
    assert snapshot(database) == before


# -- time zones ----------------------------------------------------------------------------

TIMES = [
    ("2026-12-01T19:30:00+01:00", "2026-12-01T18:30:00"),
    ("2026-12-01T19:30:00-05:00", "2026-12-02T00:30:00"),
    ("2026-12-01T00:30:00+02:00", "2026-11-30T22:30:00"),
    ("2026-12-01T19:30:00Z", "2026-12-01T19:30:00"),
    ("2026-12-01T19:30:00+00:00", "2026-12-01T19:30:00"),
    ("2026-12-01T19:30:00", "2026-12-01T19:30:00"),
    ("2026-12-01 19:30:00", "2026-12-01T19:30:00"),
    ("2026-12-01T19:30", "2026-12-01T19:30:00"),
    ("2026-12-01T19:30:00.750", "2026-12-01T19:30:00"),
]


@pytest.mark.parametrize(("sent", "stored"), TIMES)
@pytest.mark.gen_test
async def test_schedule_stores_the_utc_instant_and_answers_it_without_an_offset(
    admin, show, sent, stored
):
    sid = await admin.schedule(sent)
    assert (await admin.session(sid))["scheduled_date_time"] == stored


@pytest.mark.parametrize(("sent", "stored"), TIMES)
@pytest.mark.gen_test
async def test_patch_stores_the_utc_instant_and_answers_it_without_an_offset(
    admin, show, sent, stored
):
    sid = await admin.schedule("2027-01-01T00:00:00")
    r = await admin.patch(f"/show/sessions/{sid}", {"scheduled_date_time": sent})
    assert r.code == 200, r
    assert (await admin.session(sid))["scheduled_date_time"] == stored


@pytest.mark.gen_test
async def test_the_database_holds_the_utc_wall_clock_time(admin, show, database):
    sid = await admin.schedule("2026-12-01T19:30:00+01:00")
    with database.read() as db:
        raw = db.execute(
            text("SELECT scheduled_date_time FROM showsession WHERE id = :i"), {"i": sid}
        ).scalar_one()
    # SQLite hands back text, PostgreSQL a naive datetime: both must read 18:30 UTC.
    assert str(raw).startswith("2026-12-01 18:30:00")


@pytest.mark.gen_test
async def test_the_same_instant_in_two_zones_orders_as_one(admin, show):
    paris = await admin.schedule("2026-12-01T20:30:00+01:00")
    new_york = await admin.schedule("2026-12-01T14:29:00-05:00")
    london = await admin.schedule("2026-12-01T19:31:00Z")
    listed = (await admin.sessions())["sessions"]
    assert [s["id"] for s in listed] == [new_york, paris, london]
    assert [s["scheduled_date_time"] for s in listed] == [
        "2026-12-01T19:29:00",
        "2026-12-01T19:30:00",
        "2026-12-01T19:31:00",
    ]


# -- ordering ------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_sessions_are_listed_by_planned_or_actual_start_then_id(admin, show, base_url):
    late = await admin.schedule("2026-12-20T19:30:00")
    early = await admin.schedule("2026-11-23T10:00:00")
    same_time_first = await admin.schedule("2026-12-10T19:30:00")
    same_time_second = await admin.schedule("2026-12-10T19:30:00")
    # An ad-hoc performance started now (2026-11-23T12:00:00) sits between the scheduled ones.
    conn = await start_adhoc(admin, base_url)
    adhoc = (await admin.sessions())["current_session"]["id"]
    listed = (await admin.sessions())["sessions"]
    assert [s["id"] for s in listed] == [early, adhoc, same_time_first, same_time_second, late]
    conn.close()


@pytest.mark.gen_test
async def test_a_started_scheduled_session_keeps_its_place_by_its_planned_time(
    admin, show, base_url
):
    first = await admin.schedule("2026-11-23T19:30:00")
    second = await admin.schedule("2026-11-24T19:30:00")
    conn, client_id = await connect_client(base_url)
    # Starting the second one early does not move it before the first.
    r = await admin.start(client_id, second)
    assert r.code == 200, r
    assert [s["id"] for s in (await admin.sessions())["sessions"]] == [first, second]
    conn.close()


@pytest.mark.gen_test
async def test_listing_shows_only_the_loaded_shows_sessions(admin, show, other_show):
    own = await admin.schedule("2026-12-01T19:30:00")
    listed = (await admin.sessions())["sessions"]
    assert [s["id"] for s in listed] == [own]
    assert other_show["session"] not in [s["id"] for s in listed]


# -- broadcasts ----------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_schedule_patch_and_delete_tell_every_client_to_reload_sessions(
    admin, show, base_url
):
    conn, _ = await connect_client(base_url)
    reload = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_SHOW_SESSION_DATA"}

    sid = await admin.schedule("2026-12-01T19:30:00")
    assert json.loads(await conn.read_message()) == reload

    # A refused request says nothing: the next message is the one for the PATCH that succeeds.
    assert (await admin.patch(f"/show/sessions/{sid}", {})).code == 400
    assert (await admin.patch(f"/show/sessions/{sid}", {"tag_ids": []})).code == 200
    assert json.loads(await conn.read_message()) == reload

    assert (await admin.delete(f"/show/sessions/{sid + 1}")).code == 404
    assert (await admin.delete(f"/show/sessions/{sid}")).code == 200
    assert json.loads(await conn.read_message()) == reload
    conn.close()

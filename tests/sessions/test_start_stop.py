"""Starting a scheduled performance, and stopping it (contract 6.2, start and stop)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from server.db import Database
from tests.conftest import connect_client
from tests.db_state import snapshot


def rows(database: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with database.read() as db:
        return [tuple(r) for r in db.execute(text(sql), params).all()]


@pytest.fixture
def executor(role_user: Any) -> tuple[str, int]:
    """A token and user id for a non-admin user with only the EXECUTE role on the show."""
    return role_user("stage_manager", 4)  # type: ignore[no-any-return]


# -- starting a scheduled session ----------------------------------------------------------


@pytest.mark.gen_test
async def test_start_of_a_scheduled_session_answers_success(admin, show, client):
    sid = await admin.schedule("2026-11-23T19:30:00")
    r = await admin.start(client, sid)
    assert r.code == 200
    assert r.json == {"message": "Successfully started show session"}


@pytest.mark.gen_test
async def test_start_of_a_scheduled_session_creates_no_row(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    assert rows(database, "SELECT id FROM showsession") == [(sid,)]
    assert [s["id"] for s in (await admin.sessions())["sessions"]] == [sid]


@pytest.mark.gen_test
async def test_start_stamps_the_time_the_leader_and_the_user(admin, show, client, executor):
    token, user_id = executor
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid, token=token)).code == 200
    session = await admin.session(sid)
    assert session["start_date_time"] == "2026-11-23T12:00:00"  # the clock, not the plan
    assert session["end_date_time"] is None
    assert session["client_internal_id"] == client
    assert session["client"] == client
    assert session["last_client_internal_id"] == client
    assert session["user_id"] == user_id
    assert session["user"] == user_id
    assert session["scheduled_date_time"] == "2026-11-23T19:30:00"


@pytest.mark.gen_test
async def test_start_keeps_the_sessions_own_revision_and_tags(admin, show, client, database):
    preview = await admin.create_tag("Preview")
    press = await admin.create_tag("Press Night")
    planned_revision = await admin.current_revision()
    sid = await admin.schedule("2026-11-23T19:30:00", tag_ids=[preview, press])
    r = await admin.post(
        "/show/script/revisions", {"description": "Late rewrite", "set_as_current": True}
    )
    assert r.code == 200, r
    assert await admin.current_revision() != planned_revision

    assert (await admin.start(client, sid)).code == 200
    session = await admin.session(sid)
    assert session["script_revision_id"] == planned_revision
    assert [t["id"] for t in session["tags"]] == [preview, press]
    assert rows(
        database,
        "SELECT tag_id FROM session_tag_associations WHERE session_id = :s ORDER BY 1",
        s=sid,
    ) == [(preview,), (press,)]


@pytest.mark.gen_test
async def test_start_makes_it_the_current_session(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    assert (await admin.sessions())["current_session"]["id"] == sid
    assert (await admin.get("/show")).json["current_session_id"] == sid
    assert rows(database, "SELECT current_session_id FROM shows WHERE id = :i", i=show) == [(sid,)]


@pytest.mark.gen_test
async def test_start_may_begin_a_session_before_its_planned_time(admin, show, client):
    sid = await admin.schedule("2026-12-24T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    assert (await admin.session(sid))["start_date_time"] == "2026-11-23T12:00:00"


@pytest.mark.gen_test
async def test_start_leaves_the_other_scheduled_sessions_unstarted(admin, show, client):
    sid = await admin.schedule("2026-11-23T19:30:00")
    later = await admin.schedule("2026-11-24T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    other = await admin.session(later)
    assert other["start_date_time"] is None
    assert other["client_internal_id"] is None


@pytest.mark.gen_test
async def test_start_twice_is_a_conflict(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    before = snapshot(database)
    r = await admin.start(client, sid)
    assert (r.code, r.json) == (409, {"message": "409 session already started"})
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_of_a_complete_session_is_a_conflict(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    assert (await admin.post("/show/sessions/stop")).code == 200
    before = snapshot(database)
    r = await admin.start(client, sid)
    assert (r.code, r.message) == (409, "409 session already started")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_while_another_scheduled_session_is_live_is_a_conflict(
    admin, show, client, database
):
    live = await admin.schedule("2026-11-23T19:30:00")
    waiting = await admin.schedule("2026-11-24T19:30:00")
    assert (await admin.start(client, live)).code == 200
    before = snapshot(database)
    r = await admin.start(client, waiting)
    assert (r.code, r.message) == (409, "409 session already active")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_while_an_ad_hoc_session_is_live_is_a_conflict(admin, show, client, database):
    waiting = await admin.schedule("2026-11-24T19:30:00")
    assert (await admin.start(client)).code == 200
    before = snapshot(database)
    r = await admin.start(client, waiting)
    assert (r.code, r.message) == (409, "409 session already active")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_ad_hoc_start_while_a_scheduled_session_is_live_is_a_conflict(
    admin, show, client, database
):
    live = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, live)).code == 200
    before = snapshot(database)
    r = await admin.start(client)
    assert (r.code, r.message) == (409, "409 session already active")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_of_a_missing_session_is_not_found(admin, show, client, database):
    before = snapshot(database)
    r = await admin.start(client, 4242)
    assert (r.code, r.json) == (404, {"message": "404 session not found"})
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_of_a_deleted_session_is_not_found(admin, show, client):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.delete(f"/show/sessions/{sid}")).code == 200
    r = await admin.start(client, sid)
    assert (r.code, r.message) == (404, "404 session not found")


@pytest.mark.gen_test
async def test_start_of_another_shows_session_is_not_found(admin, show, client, database):
    other = await admin.create_show("Macbeth")  # created and loaded
    theirs = await admin.schedule("2026-11-24T19:30:00")
    await admin.load_show(show)
    before = snapshot(database)
    r = await admin.start(client, theirs)
    assert (r.code, r.message) == (404, "404 session not found")
    assert snapshot(database) == before
    assert other != show


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "session_id missing"),
        ({"session_id": None}, "session_id missing"),
        ({"session_id": ""}, "session_id missing"),
        ({"session_id": 12}, "Unable to find session given session_id"),
        ({"session_id": "no-such-client"}, "Unable to find session given session_id"),
    ],
)
@pytest.mark.gen_test
async def test_start_needs_a_connected_client(admin, show, database, body, message):
    sid = await admin.schedule("2026-11-23T19:30:00")
    before = snapshot(database)
    r = await admin.post("/show/sessions/start", {**body, "show_session_id": sid})
    assert (r.code, r.message) == (400, message)
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_with_the_id_of_a_client_that_has_gone_is_refused(
    admin, show, base_url, database
):
    conn, gone = await connect_client(base_url)
    sid = await admin.schedule("2026-11-23T19:30:00")
    conn.close()
    # The server drops the client's row when it notices the close; wait until it has.
    while rows(database, "SELECT 1 FROM sessions WHERE internal_id = :i", i=gone):
        await admin.get("/health")
    r = await admin.start(gone, sid)
    assert (r.code, r.message) == (400, "Unable to find session given session_id")
    assert (await admin.session(sid))["start_date_time"] is None


@pytest.mark.parametrize("value", ["1", 1.0, True, [1]])
@pytest.mark.gen_test
async def test_start_refuses_a_show_session_id_that_is_not_an_integer(
    admin, show, client, database, value
):
    await admin.schedule("2026-11-23T19:30:00")
    before = snapshot(database)
    r = await admin.post("/show/sessions/start", {"session_id": client, "show_session_id": value})
    assert (r.code, r.message) == (400, "show_session_id must be an integer")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_of_a_scheduled_session_needs_a_login(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    before = snapshot(database)
    admin.token = None
    r = await admin.start(client, sid)
    assert (r.code, r.message) == (401, "Not logged in")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_start_of_a_scheduled_session_needs_the_execute_role(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    await admin.create_user("writer")
    token = await admin.login("writer")
    await admin.grant(await admin.user_id(token), show, 1 | 2)
    before = snapshot(database)
    r = await admin.start(client, sid, token=token)
    assert (r.code, r.message) == (403, "EXECUTE role required for this show")
    assert snapshot(database) == before


# -- the ad-hoc path beside scheduled sessions ---------------------------------------------


@pytest.mark.gen_test
async def test_ad_hoc_start_creates_a_new_row_on_the_current_revision(
    admin, show, client, database
):
    planned_revision = await admin.current_revision()
    scheduled = await admin.schedule("2026-11-23T19:30:00")
    r = await admin.post("/show/script/revisions", {"description": "Tonight's cuts"})
    assert r.code == 200, r
    tonight = await admin.current_revision()
    assert tonight != planned_revision

    assert (await admin.start(client)).code == 200
    ids = [r[0] for r in rows(database, "SELECT id FROM showsession ORDER BY id")]
    assert len(ids) == 2
    adhoc = await admin.session(ids[1])
    assert adhoc["script_revision_id"] == tonight
    assert adhoc["scheduled_date_time"] is None
    assert adhoc["start_date_time"] == "2026-11-23T12:00:00"
    assert adhoc["client_internal_id"] == client
    assert adhoc["tags"] == []
    assert (await admin.session(scheduled))["start_date_time"] is None


@pytest.mark.gen_test
async def test_start_with_a_null_show_session_id_is_ad_hoc(admin, show, client, database):
    scheduled = await admin.schedule("2026-11-23T19:30:00")
    r = await admin.post("/show/sessions/start", {"session_id": client, "show_session_id": None})
    assert r.code == 200, r
    live = (await admin.sessions())["current_session"]
    assert live["id"] != scheduled
    assert live["scheduled_date_time"] is None
    assert len(rows(database, "SELECT id FROM showsession")) == 2


# -- stopping ------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_stop_ends_a_started_scheduled_session(admin, show, client, clock, database):
    sid = await admin.schedule("2026-11-23T12:00:00")
    assert (await admin.start(client, sid)).code == 200
    clock.advance(dt.timedelta(hours=2, minutes=45))
    r = await admin.post("/show/sessions/stop")
    assert (r.code, r.json) == (200, {"message": "Successfully stopped show session"})
    session = await admin.session(sid)
    assert session["start_date_time"] == "2026-11-23T12:00:00"
    assert session["end_date_time"] == "2026-11-23T14:45:00"
    assert session["client_internal_id"] is None
    assert session["last_client_internal_id"] == client
    assert session["scheduled_date_time"] == "2026-11-23T12:00:00"
    assert (await admin.sessions())["current_session"] is None
    assert rows(database, "SELECT current_session_id FROM shows WHERE id = :i", i=show) == [(None,)]


@pytest.mark.gen_test
async def test_stop_keeps_the_revision_and_tags(admin, show, client):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-11-23T12:00:00", tag_ids=[preview])
    before = await admin.session(sid)
    assert (await admin.start(client, sid)).code == 200
    assert (await admin.post("/show/sessions/stop")).code == 200
    after = await admin.session(sid)
    assert after["script_revision_id"] == before["script_revision_id"]
    assert after["tags"] == before["tags"]


@pytest.mark.gen_test
async def test_stop_with_nothing_live_is_a_conflict(admin, show, database):
    await admin.schedule("2026-11-23T19:30:00")
    before = snapshot(database)
    r = await admin.post("/show/sessions/stop")
    assert (r.code, r.json) == (409, {"message": "409 no active session"})
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_stop_twice_is_a_conflict(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    assert (await admin.post("/show/sessions/stop")).code == 200
    before = snapshot(database)
    r = await admin.post("/show/sessions/stop")
    assert (r.code, r.message) == (409, "409 no active session")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_stop_needs_the_execute_role(admin, show, client, database):
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, sid)).code == 200
    await admin.create_user("reader")
    token = await admin.login("reader")
    await admin.grant(await admin.user_id(token), show, 1)
    before = snapshot(database)
    r = await admin.post("/show/sessions/stop", token=token)
    assert (r.code, r.message) == (403, "EXECUTE role required for this show")
    admin.token = None
    r = await admin.post("/show/sessions/stop")
    assert (r.code, r.message) == (401, "Not logged in")
    assert snapshot(database) == before


@pytest.mark.gen_test
async def test_after_a_stop_the_next_scheduled_session_can_start(admin, show, client):
    first = await admin.schedule("2026-11-23T14:00:00")
    second = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(client, first)).code == 200
    assert (await admin.post("/show/sessions/stop")).code == 200
    assert (await admin.start(client, second)).code == 200
    assert (await admin.sessions())["current_session"]["id"] == second


@pytest.mark.gen_test
async def test_a_started_session_stays_live_when_its_leader_disconnects(
    admin, show, base_url, database
):
    conn, leader = await connect_client(base_url)
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert (await admin.start(leader, sid)).code == 200
    conn.close()
    while rows(database, "SELECT 1 FROM sessions WHERE internal_id = :i", i=leader):
        await admin.get("/health")
    session = (await admin.sessions())["current_session"]
    assert session["id"] == sid
    assert session["client_internal_id"] is None
    assert session["last_client_internal_id"] == leader
    assert (await admin.post("/show/sessions/stop")).code == 200


@pytest.mark.gen_test
async def test_starting_and_stopping_a_session_is_no_edit_of_the_show(admin, show, client):
    before = (await admin.get("/show")).json["edited_at"]
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.start(client, sid)
    assert r.code == 200, r
    assert (await admin.post("/show/sessions/stop")).code == 200
    assert (await admin.get("/show")).json["edited_at"] == before

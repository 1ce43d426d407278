"""The session list, and ad-hoc sessions: started with no plan, then stopped."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import Show, ShowSession, User
from server.operations import sessions as session_ops
from tests.conftest import SESSION_KEYS


def session_rows(database: Database) -> list[ShowSession]:
    with database.read() as db:
        return list(db.scalars(select(ShowSession).order_by(ShowSession.id)))


def live_session_id(database: Database, show_id: int) -> int | None:
    with database.read() as db:
        return db.get(Show, show_id).current_session_id  # type: ignore[union-attr]


def plan(database: Database, show_id: int, when: dt.datetime) -> int:
    """A not-yet-started planned session, made directly so that the list has both kinds."""
    with database.write() as db:
        show = db.get(Show, show_id)
        actor = db.scalar(select(User).where(User.username == "admin"))
        assert show is not None and actor is not None
        return session_ops.schedule_session(db, show, actor, when, when)


# -- the list --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_session_list_of_a_show_without_sessions(admin, show):
    r = await admin.get("/show/sessions", token="")
    assert r.code == 200
    assert r.json == {"sessions": [], "current_session": None, "current_interval": None}


@pytest.mark.gen_test
async def test_session_list_is_ordered_by_planned_or_start_time_then_id(
    admin, show, database, clock, ws_connect
):
    client = await ws_connect()
    early_plan = plan(database, show, dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    late_plan = plan(database, show, dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC))
    await admin.start_adhoc(client.internal_id)  # 12:00
    await admin.post("/show/sessions/stop", {})
    clock.advance(dt.timedelta(hours=2))
    await admin.start_adhoc(client.internal_id)  # 14:00
    await admin.post("/show/sessions/stop", {})
    same_time_plan = plan(database, show, dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC))
    noon, two = (s.id for s in session_rows(database) if s.scheduled_date_time is None)

    listed = [s["id"] for s in (await admin.sessions())["sessions"]]
    assert listed == [early_plan, noon, two, same_time_plan, late_plan]


@pytest.mark.gen_test
async def test_session_list_leaves_out_other_shows_sessions(admin, show, database, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    await admin.post("/show/sessions/stop", {})
    await admin.create_show("Macbeth", load=True)
    assert (await admin.sessions())["sessions"] == []


@pytest.mark.gen_test
async def test_current_session_is_the_live_one(admin, show, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    data = await admin.sessions()
    assert data["current_session"] is not None
    assert data["current_session"] == data["sessions"][0]
    assert data["current_interval"] is None


# -- starting --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_start_creates_a_live_session_on_the_current_revision(
    admin, show, database, ws_connect
):
    await admin.post("/show/script/revisions", {"description": "Second"})
    revision = (await admin.get("/show/script/revisions/current")).json["current_revision"]
    client = await ws_connect()
    r = await admin.start_adhoc(client.internal_id)
    assert r.code == 200
    assert r.json == {"message": "Successfully started show session"}
    (row,) = session_rows(database)
    assert live_session_id(database, show) == row.id
    admin_id = await admin.user_id(admin.token)
    session = (await admin.sessions())["current_session"]
    assert session == {
        "id": row.id,
        "show_id": show,
        "script_revision_id": revision,
        "scheduled_date_time": None,
        "start_date_time": "2026-11-23T12:00:00",
        "end_date_time": None,
        "user_id": admin_id,
        "client_internal_id": client.internal_id,
        "last_client_internal_id": client.internal_id,
        "latest_line_ref": None,
        "current_interval_id": None,
        "tags": [],
        "show": show,
        "revision": revision,
        "user": admin_id,
        "client": client.internal_id,
        "status": "in_progress",
        "cancelled_at": None,
        "cancel_reason": None,
        "performance_number": 1,
    }
    assert set(session) == SESSION_KEYS


@pytest.mark.parametrize("body", [{}, {"session_id": ""}, {"session_id": None}])
@pytest.mark.gen_test
async def test_start_needs_a_session_id(admin, show, database, body):
    r = await admin.post("/show/sessions/start", body)
    assert r.code == 400
    assert r.json == {"message": "session_id missing"}
    assert session_rows(database) == []


@pytest.mark.parametrize("session_id", ["4f0c8d6e-0000-4000-8000-000000000000", 5, ["x"]])
@pytest.mark.gen_test
async def test_start_needs_a_connected_websocket_client(admin, show, database, session_id):
    r = await admin.start(session_id)
    assert r.code == 400
    assert r.json == {"message": "Unable to find session given session_id"}
    assert session_rows(database) == []
    assert live_session_id(database, show) is None


@pytest.mark.gen_test
async def test_start_is_refused_while_another_session_is_live(admin, show, database, ws_connect):
    first, second = await ws_connect(), await ws_connect()
    await admin.start_adhoc(first.internal_id)
    live = live_session_id(database, show)
    r = await admin.start_adhoc(second.internal_id)
    assert r.code == 409
    assert r.json == {"message": "409 session already active"}
    assert [s.id for s in session_rows(database)] == [live]
    assert live_session_id(database, show) == live


# -- stopping --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_stop_ends_the_live_session(admin, show, database, clock, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    clock.advance(dt.timedelta(hours=2, minutes=45))
    r = await admin.post("/show/sessions/stop", {})
    assert r.code == 200
    assert r.json == {"message": "Successfully stopped show session"}
    assert live_session_id(database, show) is None
    data = await admin.sessions()
    assert data["current_session"] is None
    (session,) = data["sessions"]
    assert session["start_date_time"] == "2026-11-23T12:00:00"
    assert session["end_date_time"] == "2026-11-23T14:45:00"
    assert session["last_client_internal_id"] == client.internal_id
    assert session["status"] == "complete"


@pytest.mark.gen_test
async def test_stop_without_a_live_session_is_a_409(admin, show, database):
    r = await admin.post("/show/sessions/stop", {})
    assert r.code == 409
    assert r.json == {"message": "409 no active session"}


@pytest.mark.gen_test
async def test_stopping_twice_is_a_409(admin, show, database, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    r = await admin.post("/show/sessions/stop", {})
    assert r.code == 409
    assert r.json == {"message": "409 no active session"}


@pytest.mark.gen_test
async def test_after_a_stop_a_new_session_can_start(admin, show, database, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    await admin.post("/show/sessions/stop", {})
    assert (await admin.start_adhoc(client.internal_id)).code == 200
    first, second = session_rows(database)
    assert first.end_date_time is not None
    assert second.end_date_time is None
    assert live_session_id(database, show) == second.id

"""Conditional GET on the session list, the session tags and the script revisions: each answers
with an ETag, a request naming the current one gets 304 with no body, and the tag changes
whenever anything in the response does, the statuses that move with the clock included.

The clock fixture stands at 2026-11-23T12:00:00Z unless a test moves it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from server.db import Database
from server.models import Show, ShowSession
from server.operations import clients
from tests.conftest import Api, client_row, eventually
from tests.sessions.test_list_cache import schema_body

SESSIONS = "/show/sessions"
TAGS = "/show/session/tags"
REVISIONS = "/show/script/revisions"


async def read(api: Api, path: str, etag: str | None = None) -> Any:
    """GET without a token, as anyone may read; with `etag`, a conditional GET."""
    headers = {} if etag is None else {"If-None-Match": etag}
    return await api.get(path, token="", headers=headers)


async def etag_of(api: Api, path: str) -> str:
    r = await read(api, path)
    assert r.code == 200, r
    return str(r.headers["Etag"])


# The database and clock of the test under way, for `changes_etag` to build the list afresh.
_FRESH: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _fresh_build(database: Database, clock: Any) -> Iterator[None]:
    _FRESH.update(database=database, clock=clock)
    yield
    _FRESH.clear()


async def changes_etag(api: Api, path: str, change: Callable[[], Awaitable[Any]]) -> bool:
    """Whether `change` gives `path` a new ETag, and the old one then gets the whole body; for
    the session list, the very body a list built afresh from the database has (never the list
    kept from before the change)."""
    before = await etag_of(api, path)
    await change()
    r = await read(api, path, before)
    assert r.code in (200, 304), r
    if r.code == 200 and path == SESSIONS:
        database, clock = _FRESH["database"], _FRESH["clock"]
        show_id = r.json["sessions"][0]["show_id"] if r.json["sessions"] else None
        if show_id is not None:
            assert r.body == schema_body(database, show_id, clock())
    return r.code == 200 and r.headers["Etag"] != before


async def ok(response: Awaitable[Any]) -> None:
    r = await response
    assert r.code == 200, r


def data_version(database: Database, show_id: int) -> int:
    with database.read() as db:
        return int(db.scalar(select(Show.data_version).where(Show.id == show_id)) or 0)


# -- 304 -------------------------------------------------------------------------------------


@pytest.mark.gen_test
@pytest.mark.parametrize("path", [SESSIONS, TAGS, REVISIONS])
async def test_the_current_etag_gets_304_with_no_body(admin, show, path):
    await admin.schedule("2026-11-30T19:30:00")
    tag = await etag_of(admin, path)
    r = await read(admin, path, tag)
    assert r.code == 304
    assert r.body == b""


@pytest.mark.gen_test
@pytest.mark.parametrize("path", [SESSIONS, TAGS, REVISIONS])
async def test_another_etag_gets_the_whole_body(admin, show, path):
    first = await read(admin, path)
    r = await read(admin, path, '"sessions.1.0.0.0.0"')
    assert r.code == 200
    assert r.body == first.body
    assert r.headers["Etag"] == first.headers["Etag"]


@pytest.mark.gen_test
async def test_the_etag_stays_the_same_while_nothing_changes(admin, show):
    await admin.schedule("2026-11-30T19:30:00")
    first = await read(admin, SESSIONS)
    again = await read(admin, SESSIONS)
    assert again.headers["Etag"] == first.headers["Etag"]
    assert again.body == first.body


@pytest.mark.gen_test
async def test_a_conditional_get_without_a_loaded_show_is_400(admin):
    r = await read(admin, SESSIONS, "*")
    assert r.code == 400
    assert r.message == "No show loaded"


@pytest.mark.gen_test
async def test_each_show_has_its_own_etags(admin, show):
    hamlet = await etag_of(admin, SESSIONS)
    await admin.create_show("Macbeth")
    assert await etag_of(admin, SESSIONS) != hamlet


# -- every change moves the session list's ETag on -------------------------------------------


@pytest.mark.gen_test
async def test_scheduling_changes_the_list_etag(admin, show):
    assert await changes_etag(admin, SESSIONS, lambda: admin.schedule("2026-11-30T19:30:00"))


@pytest.mark.gen_test
async def test_editing_a_session_changes_the_list_etag(admin, show):
    sid = await admin.schedule("2026-11-30T19:30:00")
    change = {"scheduled_date_time": "2026-11-30T20:00:00"}
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.patch(f"{SESSIONS}/{sid}", change)))


@pytest.mark.gen_test
async def test_deleting_a_session_changes_the_list_etag(admin, show):
    sid = await admin.schedule("2026-11-30T19:30:00")
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.delete(f"{SESSIONS}/{sid}")))


@pytest.mark.gen_test
async def test_starting_a_scheduled_session_changes_the_list_etag(admin, show, ws_connect):
    client = await ws_connect()
    sid = await admin.schedule("2026-11-23T19:30:00")
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.start(client.internal_id, sid)))


@pytest.mark.gen_test
async def test_starting_an_ad_hoc_session_changes_the_list_etag(admin, show, ws_connect):
    client = await ws_connect()
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.start(client.internal_id)))


@pytest.mark.gen_test
async def test_stopping_changes_the_list_etag(admin, show, ws_connect):
    client = await ws_connect()
    await ok(admin.start(client.internal_id))
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.post("/show/sessions/stop")))


@pytest.mark.gen_test
async def test_assigning_tags_changes_the_list_etag(admin, show):
    sid = await admin.schedule("2026-11-30T19:30:00")
    tag = await admin.create_tag("Preview")
    body = {"session_id": sid, "tag_ids": [tag]}
    assert await changes_etag(
        admin, SESSIONS, lambda: ok(admin.patch("/show/sessions/assign-tags", body))
    )


@pytest.mark.gen_test
async def test_renaming_a_tag_changes_the_list_etag(admin, show):
    tag = await admin.create_tag("Preview")
    await admin.schedule("2026-11-30T19:30:00", tag_ids=[tag])
    body = {"id": tag, "tag": "Final Preview", "colour": "#3366ff"}
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.patch(TAGS, body)))


@pytest.mark.gen_test
async def test_deleting_a_tag_changes_the_list_etag(admin, show):
    tag = await admin.create_tag("Preview")
    await admin.schedule("2026-11-30T19:30:00", tag_ids=[tag])
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.delete(f"{TAGS}?id={tag}")))


@pytest.mark.gen_test
async def test_a_new_revision_changes_the_list_etag(admin, show):
    """A session scheduled without a revision follows the current one; the list must too."""
    body = {"description": "Cuts for the tour"}
    assert await changes_etag(admin, SESSIONS, lambda: ok(admin.post(REVISIONS, body)))


@pytest.mark.gen_test
async def test_the_leader_disconnecting_changes_the_list_etag(admin, show, ws_connect, database):
    leader = await ws_connect()
    await ok(admin.start(leader.internal_id))

    async def disconnect() -> None:
        leader.close()
        await eventually(lambda: client_row(database, leader.internal_id) is None)

    assert await changes_etag(admin, SESSIONS, disconnect)
    assert (await admin.sessions())["current_session"]["client_internal_id"] is None


@pytest.mark.gen_test
async def test_a_returning_leader_changes_the_list_etag(admin, show, ws_connect, database):
    leader = await ws_connect()
    await leader.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
    await leader.receive()
    await ok(admin.start(leader.internal_id))
    leader.close()
    await eventually(lambda: client_row(database, leader.internal_id) is None)
    back = await ws_connect()

    async def reclaim() -> None:
        await back.send({"OP": "REFRESH_CLIENT", "DATA": leader.internal_id})
        await back.send({"OP": "AUTHENTICATE", "DATA": {"token": admin.token}})
        for _ in range(3):
            if (await back.receive()).get("ACTION") == "GET_SHOW_SESSION_DATA":
                return
        raise AssertionError("the returning leader was not told the sessions changed")

    assert await changes_etag(admin, SESSIONS, reclaim)
    current = (await admin.sessions())["current_session"]
    assert current["client_internal_id"] == leader.internal_id


@pytest.mark.gen_test
async def test_deleting_the_user_who_ran_a_session_changes_the_list_etag(admin, show, ws_connect):
    """The session stays, its user_id goes (ON DELETE SET NULL)."""
    manager = await admin.user_token("stage_manager", role=4, show_id=show)
    client = await ws_connect()
    r = await admin.start(client.internal_id, token=manager)
    assert r.code == 200, r
    await ok(admin.post("/show/sessions/stop"))
    user_id = (await read(admin, SESSIONS)).json["sessions"][0]["user_id"]
    assert user_id is not None
    assert await changes_etag(
        admin, SESSIONS, lambda: ok(admin.delete(f"/api/v2/users?id={user_id}"))
    )
    assert (await read(admin, SESSIONS)).json["sessions"][0]["user_id"] is None


@pytest.mark.gen_test
async def test_a_show_loaded_in_its_place_changes_the_list_etag(admin, show):
    other = await admin.create_show("Macbeth", load=False)
    assert await changes_etag(admin, SESSIONS, lambda: admin.load_show(other))


# -- the clock -------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_next_up_turning_overdue_changes_the_list_etag(admin, show, clock):
    sid = await admin.schedule("2026-11-23T19:30:00")
    before = await read(admin, SESSIONS)
    assert before.json["sessions"][0]["status"] == "next_up"
    clock.set(dt.datetime(2026, 11, 24, 7, 30, 1, tzinfo=dt.UTC))
    r = await read(admin, SESSIONS, before.headers["Etag"])
    assert r.code == 200
    assert r.json["sessions"] == [{**before.json["sessions"][0], "status": "overdue"}]
    assert r.json["sessions"][0]["id"] == sid


@pytest.mark.gen_test
async def test_next_up_handing_over_changes_the_list_etag(admin, show, clock):
    first = await admin.schedule("2026-11-23T19:30:00")
    second = await admin.schedule("2026-11-24T19:30:00")
    before = await read(admin, SESSIONS)
    clock.set(dt.datetime(2026, 11, 24, 7, 30, 1, tzinfo=dt.UTC))
    r = await read(admin, SESSIONS, before.headers["Etag"])
    assert r.code == 200
    assert {s["id"]: s["status"] for s in r.json["sessions"]} == {
        first: "overdue",
        second: "next_up",
    }


@pytest.mark.gen_test
async def test_up_to_the_moment_a_status_changes_the_etag_holds(admin, show, clock):
    await admin.schedule("2026-11-23T19:30:00")
    tag = await etag_of(admin, SESSIONS)
    clock.set(dt.datetime(2026, 11, 24, 7, 30, 0, tzinfo=dt.UTC))
    r = await read(admin, SESSIONS, tag)
    assert r.code == 304


@pytest.mark.gen_test
async def test_a_clock_set_back_before_a_change_of_status_brings_the_earlier_list_back(
    admin, show, clock
):
    await admin.schedule("2026-11-23T19:30:00")
    earlier = await read(admin, SESSIONS)
    clock.set(dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert (await read(admin, SESSIONS)).json["sessions"][0]["status"] == "overdue"
    clock.set(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC))
    r = await read(admin, SESSIONS)
    assert r.headers["Etag"] == earlier.headers["Etag"]
    assert r.body == earlier.body


@pytest.mark.gen_test
async def test_time_passing_leaves_the_tags_and_revisions_etags_alone(admin, show, clock):
    await admin.schedule("2026-11-23T19:30:00")
    tags, revisions = await etag_of(admin, TAGS), await etag_of(admin, REVISIONS)
    clock.set(dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert (await read(admin, TAGS, tags)).code == 304
    assert (await read(admin, REVISIONS, revisions)).code == 304


# -- the tags' and revisions' ETags ------------------------------------------------------------


@pytest.mark.gen_test
async def test_creating_a_tag_changes_the_tags_etag(admin, show):
    assert await changes_etag(admin, TAGS, lambda: admin.create_tag("Preview"))


@pytest.mark.gen_test
async def test_editing_a_tag_changes_the_tags_etag(admin, show):
    tag = await admin.create_tag("Preview")
    body = {"id": tag, "tag": "Preview", "colour": "#000000"}
    assert await changes_etag(admin, TAGS, lambda: ok(admin.patch(TAGS, body)))


@pytest.mark.gen_test
async def test_deleting_a_tag_changes_the_tags_etag(admin, show):
    tag = await admin.create_tag("Preview")
    assert await changes_etag(admin, TAGS, lambda: ok(admin.delete(f"{TAGS}?id={tag}")))


@pytest.mark.gen_test
async def test_creating_a_revision_changes_the_revisions_etag(admin, show):
    body = {"description": "Cuts for the tour", "set_as_current": False}
    assert await changes_etag(admin, REVISIONS, lambda: ok(admin.post(REVISIONS, body)))


@pytest.mark.gen_test
async def test_changing_the_current_revision_changes_the_revisions_etag(admin, show):
    first = (await admin.get(REVISIONS)).json["current_revision"]
    await ok(admin.post(REVISIONS, {"description": "Cuts for the tour"}))
    body = {"new_rev_id": first}
    assert await changes_etag(
        admin, REVISIONS, lambda: ok(admin.post(f"{REVISIONS}/current", body))
    )


@pytest.mark.gen_test
async def test_a_refused_change_leaves_the_etags_alone(admin, show):
    await admin.create_tag("Preview")
    tags = await etag_of(admin, TAGS)
    r = await admin.post(TAGS, {"tag": "preview", "colour": "#000000"})
    assert r.code == 400
    assert (await read(admin, TAGS, tags)).code == 304


# -- the counter behind the tags ---------------------------------------------------------------


def test_deleting_a_client_row_moves_on_the_shows_whose_sessions_it_led(
    admin, show, database, clock
):
    """ON DELETE SET NULL changes the session without the ORM seeing it."""
    client_id = str(uuid.uuid4())
    with database.write() as db:
        clients.register_client(db, client_id, "127.0.0.1", clock())
        session = ShowSession(
            show_id=show, start_date_time=clock(), end_date_time=clock(), client_internal_id=None
        )
        db.add(session)
        db.flush()
        db.execute(
            update(ShowSession)
            .where(ShowSession.id == session.id)
            .values(client_internal_id=client_id)
            .execution_options(synchronize_session=False)
        )
    before = data_version(database, show)
    with database.write() as db:
        clients.remove_client(db, client_id)
    assert data_version(database, show) > before
    with database.read() as db:
        assert db.get(ShowSession, session.id).client_internal_id is None  # type: ignore[union-attr]


def test_deleting_a_client_that_led_nothing_leaves_the_counter_alone(admin, show, database, clock):
    client_id = str(uuid.uuid4())
    with database.write() as db:
        clients.register_client(db, client_id, "127.0.0.1", clock())
    before = data_version(database, show)
    with database.write() as db:
        clients.remove_client(db, client_id)
    assert data_version(database, show) == before


@pytest.mark.gen_test
async def test_moving_the_counter_on_is_not_an_edit_of_the_show(admin, show, database):
    with database.read() as db:
        edited = db.scalar(select(Show.edited_at).where(Show.id == show))
    before = data_version(database, show)
    await admin.schedule("2026-12-01T19:30:00")
    assert data_version(database, show) > before
    with database.read() as db:
        assert db.scalar(select(Show.edited_at).where(Show.id == show)) == edited

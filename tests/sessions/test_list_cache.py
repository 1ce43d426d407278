"""The session list and what makes it fast at theatre scale: its body is the very bytes
ShowSessionSchema dumps; it costs a fixed handful of SQL statements however many sessions
there are (contract 6.2), one while it is unchanged (the kept body), and checking a token one
more; and a change made by another server process sharing the database shows at once. (How
fast it is belongs to bench/.)

The clock fixture stands at 2026-11-23T12:00:00Z unless a test moves it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from server.db import Database
from server.models import Show, ShowSession, User
from server.operations import clients, tags
from server.operations import sessions as session_ops
from server.schemas.sessions import ShowSessionSchema
from tests.conftest import Api
from tests.seeding import StatementCounter, add_sessions

SESSIONS = "/show/sessions"


def schema_body(database: Database, show_id: int, now: dt.datetime) -> bytes:
    """The list as the schema path makes it: ORM objects dumped by ShowSessionSchema with the
    StatusBoard's statuses, encoded by json.dumps as the API encodes every body."""
    with database.read() as db:
        show = db.get(Show, show_id)
        assert show is not None
        board = session_ops.status_board(db, show.id, now)
        schema = ShowSessionSchema(board.status, board.number)
        listed = session_ops.list_sessions(db, show)
        live = next((s for s in listed if s.id == show.current_session_id), None)
        data = {
            "sessions": schema.dump(listed, many=True),
            "current_session": None if live is None else schema.dump(live),
            "current_interval": None,
        }
    return json.dumps(data).encode()


async def list_body(api: Api) -> bytes:
    r = await api.get(SESSIONS, token="")
    assert r.code == 200, r
    return r.body


@pytest.fixture
def every_kind_of_session(admin: Any, show: int, database: Database, clock: Any) -> Iterator[int]:
    """The loaded show with a session of every status, tags that need escaping, and every
    nullable column both null and set."""
    now = clock()
    with database.write() as db:
        loaded = db.get(Show, show)
        actor = db.scalar(select(User).where(User.username == "admin"))
        assert loaded is not None and actor is not None
        gala = tags.create_tag(db, loaded, 'Première "gala" \\ ✨', "#ff0000")
        matinee = tags.create_tag(db, loaded, "Matinee", "rgb(0, 128, 0)")
        schedule = session_ops.schedule_session
        # Complete: scheduled, started, stopped; with its line and interval set.
        done = schedule(db, loaded, actor, now, now - dt.timedelta(days=3), [gala.id])
        client_id = str(uuid.uuid4())
        clients.register_client(db, client_id, "127.0.0.1", now - dt.timedelta(days=3))
        session_ops.start_session(db, loaded, actor, now - dt.timedelta(days=3), client_id, done)
        session_ops.stop_session(db, loaded, actor, now - dt.timedelta(days=3, hours=-3))
        db.execute(
            update(ShowSession)
            .where(ShowSession.id == done)
            .values(latest_line_ref="2:17\t<end>", current_interval_id=2)
        )
        # Overdue: two days late; and one with no script revision.
        schedule(db, loaded, actor, now, now - dt.timedelta(days=2), [matinee.id, gala.id])
        lost = schedule(db, loaded, actor, now, now - dt.timedelta(days=1))
        db.execute(
            update(ShowSession).where(ShowSession.id == lost).values(script_revision_id=None)
        )
        # Next up and scheduled, with and without tags.
        schedule(db, loaded, actor, now, now + dt.timedelta(hours=7), [matinee.id])
        schedule(db, loaded, actor, now, now + dt.timedelta(days=1), [gala.id, matinee.id])
        schedule(db, loaded, actor, now, now + dt.timedelta(days=2))
        # Cancelled, with a reason that needs escaping; it is never next up.
        off = schedule(db, loaded, actor, now, now + dt.timedelta(hours=3), [gala.id])
        session_ops.cancel_session(db, loaded, off, 'Storm "Ciarán" \\ ✨', actor, now)
        # In progress: an ad-hoc session led by a connected client.
        session_ops.start_session(db, loaded, actor, now - dt.timedelta(minutes=20), client_id)
    yield show


# -- the bytes ---------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_the_list_is_byte_for_byte_what_the_schema_dumps(
    admin, every_kind_of_session, database, clock
):
    body = await list_body(admin)
    statuses = {s["status"] for s in json.loads(body)["sessions"]}
    assert statuses == {"complete", "in_progress", "next_up", "scheduled", "overdue", "cancelled"}
    numbers = [s["performance_number"] for s in json.loads(body)["sessions"]]
    assert None in numbers and sorted(n for n in numbers if n) == list(range(1, len(numbers)))
    assert body == schema_body(database, every_kind_of_session, clock())


@pytest.mark.gen_test
@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 11, 24, 7, 0, 0, tzinfo=dt.UTC),  # the next-up one twelve hours late
        dt.datetime(2026, 11, 24, 7, 0, 1, tzinfo=dt.UTC),  # ... and a second: next up moves on
        dt.datetime(2026, 11, 26, tzinfo=dt.UTC),  # every planned one overdue
        dt.datetime(2026, 11, 1, tzinfo=dt.UTC),  # before all of them
    ],
)
async def test_the_list_is_what_the_schema_dumps_at_every_turn_of_the_clock(
    admin, every_kind_of_session, database, clock, now
):
    await list_body(admin)
    clock.set(now)
    assert await list_body(admin) == schema_body(database, every_kind_of_session, now)


@pytest.mark.gen_test
async def test_an_empty_list_is_what_the_schema_dumps(admin, show, database, clock):
    body = await list_body(admin)
    assert body == b'{"sessions": [], "current_session": null, "current_interval": null}'
    assert body == schema_body(database, show, clock())


# -- statements ---------------------------------------------------------------------------------


@pytest.fixture
def tagged_show(admin: Any, show: int, database: Database) -> int:
    with database.write() as db:
        loaded = db.get(Show, show)
        assert loaded is not None
        for name in ("Preview", "Press Night", "Matinee"):
            tags.create_tag(db, loaded, name, "#3366ff")
    return show


async def statements_for_a_fresh_list(admin: Api, database: Database, expected: int) -> int:
    with StatementCounter(database) as counter:
        r = await admin.get(SESSIONS, token="")
    assert r.code == 200
    assert len(r.json["sessions"]) == expected
    assert all(len(s["tags"]) == 2 for s in r.json["sessions"])
    return counter.count


@pytest.mark.gen_test(timeout=60)
async def test_a_list_built_afresh_costs_at_most_four_statements_however_many_sessions(
    admin, tagged_show, database
):
    add_sessions(database, tagged_show, 0, 1)
    one = await statements_for_a_fresh_list(admin, database, 1)
    assert 0 < one <= 4

    add_sessions(database, tagged_show, 1, 299)
    assert await statements_for_a_fresh_list(admin, database, 300) == one


@pytest.fixture
def live_show(admin: Any, show: int, database: Database, clock: Any) -> Iterator[int]:
    """The loaded show with three tags and a live ad-hoc session."""
    with database.write() as db:
        loaded = db.get(Show, show)
        actor = db.scalar(select(User).where(User.username == "admin"))
        assert loaded is not None and actor is not None
        for name in ("Preview", "Press Night", "Matinee"):
            tags.create_tag(db, loaded, name, "#3366ff")
        client_id = str(uuid.uuid4())
        clients.register_client(db, client_id, "127.0.0.1", clock())
        session_ops.start_session(db, loaded, actor, clock(), client_id)
    yield show


async def statements_for_the_list(admin: Any, database: Database, expected: int) -> int:
    with StatementCounter(database) as counter:
        r = await admin.get("/show/sessions", token="")
    assert r.code == 200
    assert len(r.json["sessions"]) == expected
    assert r.json["current_session"] is not None
    assert all(len(s["tags"]) == 2 for s in r.json["sessions"] if s["scheduled_date_time"])
    return counter.count


@pytest.mark.gen_test(timeout=60)
async def test_session_list_statement_count_does_not_grow_with_the_sessions(
    admin, live_show, database
):
    add_sessions(database, live_show, 0, 1)
    one = await statements_for_the_list(admin, database, 2)
    assert one > 0

    add_sessions(database, live_show, 1, 299)
    assert await statements_for_the_list(admin, database, 301) == one

    # Past 500 rows, loaders that batch their IN lists would start to add statements.
    add_sessions(database, live_show, 300, 300)
    assert await statements_for_the_list(admin, database, 601) == one


@pytest.mark.gen_test
async def test_checking_a_token_is_one_statement(admin, live_show, database):
    await admin.get("/show/sessions", token="")  # the list is built and kept
    # The token check is the one statement that asks about revoked tokens.
    with StatementCounter(database, reading="revoked_tokens") as anonymous:
        assert (await admin.get("/show/sessions", token="")).code == 200
    with StatementCounter(database, reading="revoked_tokens") as signed_in:
        assert (await admin.get("/show/sessions")).code == 200
    with StatementCounter(database) as everything:
        assert (await admin.get("/show/sessions")).code == 200
    assert (anonymous.count, signed_in.count) == (0, 1)
    assert everything.count <= 2  # the token, and at most the loaded show's stamp


# -- the kept body: built once, then at most one statement while the show is unchanged ---------
# (none once the change feed can vouch for the loaded show's stamp)


@pytest.mark.gen_test
async def test_an_unchanged_list_costs_at_most_one_statement(admin, tagged_show, database):
    add_sessions(database, tagged_show, 0, 20)
    first = await admin.get(SESSIONS, token="")
    with StatementCounter(database) as counter:
        again = await admin.get(SESSIONS, token="")
    assert counter.count <= 1
    assert again.body == first.body


@pytest.mark.gen_test
async def test_a_conditional_get_of_an_unchanged_list_costs_at_most_one_statement(
    admin, tagged_show, database
):
    add_sessions(database, tagged_show, 0, 20)
    tag = (await admin.get(SESSIONS, token="")).headers["Etag"]
    with StatementCounter(database) as counter:
        r = await admin.get(SESSIONS, token="", headers={"If-None-Match": tag})
    assert r.code == 304
    assert counter.count <= 1


@pytest.mark.gen_test
async def test_requests_arriving_together_build_the_list_once(
    admin, tagged_show, database, http_client, base_url
):
    add_sessions(database, tagged_show, 0, 50)
    with StatementCounter(database, reading="showsession") as counter:
        await list_body(admin)
    one_build = counter.count
    assert one_build > 0
    add_sessions(database, tagged_show, 50, 1)

    fetches = [http_client.fetch(f"{base_url}/api/v1{SESSIONS}") for _ in range(5)]
    with StatementCounter(database, reading="showsession") as counter:
        bodies = {(await fetch).body for fetch in fetches}
    assert len(bodies) == 1
    assert counter.count == one_build


# -- more than one server process ---------------------------------------------------------------


@pytest.mark.gen_test
async def test_a_change_made_by_another_process_shows_at_once(
    admin, tagged_show, database, database_url, clock
):
    add_sessions(database, tagged_show, 0, 3)
    before = await admin.get(SESSIONS, token="")
    elsewhere = Database(database_url)  # another process's engine, sharing only the database
    try:
        add_sessions(elsewhere, tagged_show, 3, 1)
    finally:
        elsewhere.dispose()
    r = await admin.get(SESSIONS, token="", headers={"If-None-Match": before.headers["Etag"]})
    assert r.code == 200
    assert len(r.json["sessions"]) == 4
    assert r.body == schema_body(database, tagged_show, clock())

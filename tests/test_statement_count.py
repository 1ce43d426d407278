"""GET /show/sessions costs the same number of SQL statements however many sessions there are
(contract 6.2), and checking a token one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import Show, User
from server.operations import clients, tags
from server.operations import sessions as session_ops
from tests.seeding import StatementCounter, add_sessions


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


# -- the writes of show day --------------------------------------------------------------------


@pytest.mark.gen_test
async def test_checking_a_token_is_one_statement(admin, live_show, database):
    await admin.get("/show/sessions", token="")  # the list is built and kept
    with StatementCounter(database) as anonymous:
        assert (await admin.get("/show/sessions", token="")).code == 200
    with StatementCounter(database) as signed_in:
        assert (await admin.get("/show/sessions")).code == 200
    assert signed_in.count == anonymous.count + 1

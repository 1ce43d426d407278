"""GET /show/sessions costs the same number of SQL statements however many sessions there are."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from server.db import Database
from server.models import SessionTag, Show, User
from server.operations import clients, tags
from server.operations import sessions as session_ops

FIRST_PERFORMANCE = dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)


class StatementCounter:
    def __init__(self, database: Database) -> None:
        self.engine = database.engine
        self.count = 0

    def _count(self, *_args: Any) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


def add_sessions(database: Database, show_id: int, first: int, count: int) -> None:
    """`count` planned sessions, each with two of the show's tags, in one transaction."""
    with database.write() as db:
        show = db.get(Show, show_id)
        actor = db.scalar(select(User).where(User.username == "admin"))
        assert show is not None and actor is not None
        tag_ids = list(db.scalars(select(SessionTag.id).where(SessionTag.show_id == show_id)))
        for n in range(first, first + count):
            when = FIRST_PERFORMANCE + dt.timedelta(days=n)
            chosen = [tag_ids[n % len(tag_ids)], tag_ids[(n + 1) % len(tag_ids)]]
            session_ops.schedule_session(db, show, actor, when, when, chosen)


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

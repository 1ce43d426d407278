"""Helpers for tests that need many sessions or count SQL statements: seeding goes straight
through the operations in one transaction, which is what a test of the list needs, not 300
HTTP round trips."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, select

from server.db import Database
from server.models import SessionTag, Show, User
from server.operations import sessions as session_ops

FIRST_NIGHT = dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)


class StatementCounter:
    """Counts the SQL statements the database's engines run (from any thread) while it is
    entered."""

    def __init__(self, database: Database, reading: str | None = None) -> None:
        self.engines = database.engines
        # Only statements that name this table, when given.
        self.reading = reading
        self.count = 0

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.reading is None or self.reading in statement:
            self.count += 1

    def __enter__(self) -> StatementCounter:
        self.count = 0
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc: Any) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._count)


def add_sessions(database: Database, show_id: int, first: int, count: int) -> None:
    """`count` planned sessions a day apart, each with two of the show's tags, scheduled by
    "admin" in one transaction."""
    with database.write() as db:
        show = db.get(Show, show_id)
        actor = db.scalar(select(User).where(User.username == "admin"))
        assert show is not None and actor is not None
        tag_ids = list(db.scalars(select(SessionTag.id).where(SessionTag.show_id == show_id)))
        for n in range(first, first + count):
            when = FIRST_NIGHT + dt.timedelta(days=n)
            chosen = [tag_ids[n % len(tag_ids)], tag_ids[(n + 1) % len(tag_ids)]]
            session_ops.schedule_session(db, show, actor, when, when, chosen)

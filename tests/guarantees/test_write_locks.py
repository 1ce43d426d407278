"""A write transaction holds the loaded show's row, so what it checked about the show (no
session live, say) still holds when it commits, whatever another process does meanwhile."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from server.db import Database, is_writing
from server.models import Show
from server.operations import settings
from tests.conftest import BACKEND


def test_only_write_transactions_say_they_write(database: Database) -> None:
    with database.read() as db:
        assert not is_writing(db)
    with database.write() as db:
        assert is_writing(db)


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite admits one writer at a time")
def test_a_write_transaction_holds_the_loaded_shows_row(show: int, database_url: str) -> None:
    holder = Database(database_url)
    other = Database(database_url)
    try:
        with holder.write() as db:
            loaded = settings.current_show(db)
            assert loaded is not None and loaded.id == show
            with pytest.raises(OperationalError), other.write() as db2:
                db2.execute(text("SET LOCAL lock_timeout = '200ms'"))
                db2.execute(select(Show.id).where(Show.id == show).with_for_update())
        with other.write() as db2:
            # Once the holder has committed, the row is free again.
            db2.execute(text("SET LOCAL lock_timeout = '2s'"))
            assert db2.scalar(select(Show.id).where(Show.id == show).with_for_update()) == show
    finally:
        holder.dispose()
        other.dispose()


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite admits one writer at a time")
def test_a_read_transaction_leaves_the_loaded_shows_row_free(show: int, database_url: str) -> None:
    reader = Database(database_url)
    other = Database(database_url)
    try:
        with reader.read() as db:
            assert settings.current_show(db) is not None
            with other.write() as db2:
                db2.execute(text("SET LOCAL lock_timeout = '200ms'"))
                assert db2.scalar(select(Show.id).where(Show.id == show).with_for_update()) == show
    finally:
        reader.dispose()
        other.dispose()

"""Database.first: one-statement reads outside any transaction, for the reads every request
makes (the token's user, the loaded show's change counter)."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select, text

from server.db import Database
from server.models import Setting
from tests.conftest import BACKEND

BY_KEY = select(Setting.key, Setting.value).where(Setting.key == bindparam("key"))


def store(database: Database, key: str, value: str) -> None:
    with database.write() as db:
        db.add(Setting(key=key, value=value))


def test_reads_the_first_row_or_none(database: Database) -> None:
    store(database, "greeting", '"hello"')
    assert tuple(database.first(BY_KEY, {"key": "greeting"})) == ("greeting", '"hello"')
    assert database.first(BY_KEY, {"key": "farewell"}) is None


def test_sees_what_other_transactions_have_committed_since(database: Database) -> None:
    assert database.first(BY_KEY, {"key": "greeting"}) is None
    store(database, "greeting", '"hello"')
    assert database.first(BY_KEY, {"key": "greeting"}) is not None


def test_leaves_no_transaction_open(database: Database) -> None:
    # A read outside any transaction must not hold a snapshot (or, on SQLite, a read lock that
    # would keep a writer of another process waiting) between requests.
    database.first(BY_KEY, {"key": "greeting"})
    store(database, "greeting", '"hello"')
    assert database.first(BY_KEY, {"key": "greeting"}) is not None


@pytest.mark.skipif(BACKEND != "postgresql", reason="a database server drops connections")
def test_a_connection_the_database_dropped_is_replaced(database: Database) -> None:
    store(database, "greeting", '"hello"')
    assert database.first(BY_KEY, {"key": "greeting"}) is not None
    # As a server restart would: every backend behind the pool's connections goes away.
    with database.engine.connect() as other:
        other.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert database.first(BY_KEY, {"key": "greeting"}) is not None

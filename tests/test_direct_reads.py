"""Database.direct: one-statement reads outside any transaction, for the reads every request
makes (the token's user, the loaded show's stamp)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, select, text

from server.db import Database
from server.models import Setting
from tests.conftest import BACKEND
from tests.seeding import StatementCounter

BY_KEY = select(Setting.key, Setting.value).where(Setting.key == bindparam("key"))
ANY_OF = select(Setting.key).where(Setting.key.in_(bindparam("keys", expanding=True)))
MISSING = Table("no_such_table", MetaData(), Column("id", Integer))
FROM_MISSING = select(MISSING.c.id).where(MISSING.c.id == bindparam("id"))


def store(database: Database, key: str, value: str) -> None:
    with database.write() as db:
        db.add(Setting(key=key, value=value))


def test_reads_the_first_row_or_none(database: Database) -> None:
    store(database, "greeting", '"hello"')
    assert tuple(database.direct.first(BY_KEY, {"key": "greeting"})) == ("greeting", '"hello"')
    assert database.direct.first(BY_KEY, {"key": "nothing"}) is None


def test_sees_what_other_transactions_have_committed_since(database: Database) -> None:
    assert database.direct.first(BY_KEY, {"key": "later"}) is None
    store(database, "later", "1")
    assert database.direct.first(BY_KEY, {"key": "later"}) is not None


def test_a_missing_or_unknown_parameter_is_refused_not_read_as_null(database: Database) -> None:
    with pytest.raises(ValueError, match="missing"):
        database.direct.first(BY_KEY)
    with pytest.raises(ValueError, match="not named"):
        database.direct.first(BY_KEY, {"key": "a", "other": 1})


def test_a_statement_rendered_per_call_is_refused(database: Database) -> None:
    with pytest.raises(ValueError, match="expanding"):
        database.direct.first(ANY_OF, {"keys": ["a", "b"]})


def test_an_error_of_the_statement_is_raised_once_not_retried(database: Database) -> None:
    error = database.engine.dialect.loaded_dbapi.Error
    with StatementCounter(database) as counter, pytest.raises(error):
        database.direct.first(FROM_MISSING, {"id": 1})
    assert counter.count == 1


def test_a_connection_the_database_dropped_is_replaced(database: Database) -> None:
    store(database, "greeting", '"hello"')
    assert database.direct.first(BY_KEY, {"key": "greeting"}) is not None
    driver_conn = database.direct.local.conn.connection.dbapi_connection
    if BACKEND == "postgresql":
        # As a server restart would: the backend behind the reader's connection goes away.
        with database.engine.connect() as other:
            pid = driver_conn.info.backend_pid
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    else:
        driver_conn.close()
    assert database.direct.first(BY_KEY, {"key": "greeting"}) is not None

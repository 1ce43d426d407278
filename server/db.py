"""Database plumbing: engine, SQLite pragmas, write transactions, the UTC column type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

DEFAULT_DATABASE_URL = "sqlite:///data/digiscript.sqlite"

# A fixed naming convention keeps constraint names identical on SQLite and PostgreSQL, which
# Alembic's batch mode needs to find them again when it rebuilds a SQLite table.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores instants as naive UTC and hands them back aware, so SQLite and PostgreSQL agree."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return as_utc(value)


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, **kwargs: Any) -> Engine:
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A transaction that reads before it writes must take the write lock up front: otherwise
        # a second process can make it fail with "database is locked" instead of waiting.
        immediate = conn.get_execution_options().get("sqlite_immediate")
        run_on_driver(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN")


def run_on_driver(conn: Connection, sql: str, parameters: Any = (), many: bool = False) -> Any:
    """Run `sql` on the DBAPI connection under `conn`, telling the engine's listeners first as
    SQLAlchemy itself would (statement counters, SQL logs); a SELECT's first row is returned."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for listener in conn.dispatch.before_cursor_execute:
            sql, parameters = listener(conn, cursor, sql, parameters, None, many)
        if many:
            cursor.executemany(sql, parameters)
            return None
        cursor.execute(sql, parameters)
        return cursor.fetchone() if cursor.description else None
    finally:
        cursor.close()


WRITING = "writing"
KEPT = "kept"


def is_writing(db: Session) -> bool:
    """Whether `db` is a write transaction opened by `Database.write()`."""
    return bool(db.info.get(WRITING))


def kept_values(db: Session) -> dict[str, Any]:
    """Values that never change once stored (the token-signing secret), which this process
    keeps after reading them once; shared by every transaction of the same `Database`."""
    return db.info[KEPT]  # type: ignore[no-any-return]


class Database:
    """One engine and the two kinds of unit of work the handlers use: read and write."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        kept: dict[str, Any] = {}
        self._read = sessionmaker(self.engine, expire_on_commit=False, info={KEPT: kept})
        write_engine = self.engine.execution_options(sqlite_immediate=True)
        self._write = sessionmaker(
            write_engine, expire_on_commit=False, info={WRITING: True, KEPT: kept}
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

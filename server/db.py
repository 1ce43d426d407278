"""Database plumbing: engine, SQLite pragmas, write transactions, the UTC column type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Executable, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from server import changes
from server.feed import ChangeFeed
from server.feed import payload as feed_payload

Publish = Callable[[Sequence[changes.Notice]], None]

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


# An engine whose connections run each statement on its own (no BEGIN).
AUTOCOMMIT = "autocommit"


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
        options = conn.get_execution_options()
        if options.get(AUTOCOMMIT):
            return  # each statement on its own (see Database.first)
        # A transaction that reads before it writes must take the write lock up front: otherwise
        # a second process can make it fail with "database is locked" instead of waiting.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")


WRITING = "writing"


def is_writing(db: Session) -> bool:
    """Whether `db` is a write transaction opened by `Database.write()`."""
    return bool(db.info.get(WRITING))


class Database:
    """One engine and the units of work the handlers use: a read transaction, a write
    transaction (which settles what its operations recorded: see `server.changes`), and a
    single statement read on its own."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # Reads that one statement answers consistently on its own (a token's user, the loaded
        # show's change counter) need no transaction around them. An engine of their own whose
        # connections are in autocommit from the start: switching a pooled connection in and
        # out of it would cost a statement each way on every read.
        self._single = make_engine(
            url, isolation_level="AUTOCOMMIT", execution_options={AUTOCOMMIT: True}
        )
        self.feed = ChangeFeed(url, self._single)
        # Values that never change once stored (the token-signing secret), kept by this
        # process after it has read them once.
        self.kept: dict[str, Any] = {}
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        write_engine = self.engine.execution_options(sqlite_immediate=True)
        self._write = sessionmaker(write_engine, expire_on_commit=False, info={WRITING: True})

    def first(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Any:
        """The first row of one statement run outside any transaction, or None. A pooled
        connection the database has dropped (a restart, say) is replaced, once."""
        for attempt in (1, 2):
            try:
                with self._single.connect() as conn:
                    return conn.execute(statement, dict(params or {})).first()
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        return None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self, publish: Publish | None = None) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back if it raises.

        What its operations recorded is settled just before the commit (`changes.settle`);
        the notices are handed to `publish` once the commit has succeeded, never before and
        never for a transaction that rolled back."""
        with self._write() as session:
            try:
                with session.begin():
                    yield session
                    notices = changes.settle(session, tell=self._tell)
            finally:
                changes.discard(session)
        self.feed.committed()
        if publish is not None and notices:
            publish(notices)

    def _tell(self, notices: list[changes.Notice]) -> str:
        return feed_payload(self.feed.origin, notices)

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every engine this database runs statements on."""
        return (self.engine, self._single)

    def dispose(self) -> None:
        self.feed.stop()
        self.engine.dispose()
        self._single.dispose()

"""Database plumbing: engine, SQLite pragmas, write transactions, the UTC column type."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
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
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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


def is_writing(db: Session) -> bool:
    """Whether `db` is a write transaction opened by `Database.write()`."""
    return bool(db.info.get(WRITING))


class DirectReads:
    """One-statement reads on a connection each thread keeps, outside any transaction and
    straight through the driver: no BEGIN or ROLLBACK, no result object. For the reads every
    request makes (the token's user, the loaded show's stamp), which a single statement answers
    consistently on its own.

    Each thread checks one connection out of the pool for as long as it lives (or until the
    engine is disposed). Statements are compiled once and kept, so give it statements built
    once (module constants). Parameters and rows pass as the driver takes and gives them,
    without SQLAlchemy's type conversions. The statements are still announced to the engine's
    listeners, so statement counts and SQL logs see them as usual."""

    def __init__(self, engine: Engine) -> None:
        # SQLite's driver already leaves statements outside transactions (see _configure_sqlite);
        # others would open one with the SELECT and keep it open between requests.
        self.engine = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        # Each statement's compiled form and the values of its bound literals.
        self.compiled: dict[ClauseElement, tuple[SQLCompiler, dict[str, Any]]] = {}
        self.local = threading.local()
        self.held: list[Connection] = []
        self.lock = threading.Lock()
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def first(self, statement: ClauseElement, params: Mapping[str, Any] | None = None) -> Any:
        """The statement's first row (a plain tuple), or None."""
        compiled, literals = self._compiled(statement)
        given = dict(params or {})
        unknown = given.keys() - compiled.binds.keys()
        missing = [n for n, bind in compiled.binds.items() if bind.required and n not in given]
        if unknown or missing:
            raise ValueError(
                f"parameters not named by the statement {sorted(unknown)}, or missing {missing}"
            )
        values = {**literals, **given}
        if compiled.positional:
            parameters: Any = tuple(values[name] for name in compiled.positiontup or ())
        else:
            parameters = values
        for attempt in (1, 2):
            conn = self._connection()
            driver_conn = conn.connection.dbapi_connection
            try:
                return run_on_driver(conn, compiled.string, parameters)
            except self.engine.dialect.loaded_dbapi.Error as exc:
                # A connection the database has dropped (a restart, say) is replaced once.
                if attempt == 2 or not self.engine.dialect.is_disconnect(exc, driver_conn, None):
                    raise
                self._drop(conn)
        return None

    def _compiled(self, statement: ClauseElement) -> tuple[SQLCompiler, dict[str, Any]]:
        compiled = self.compiled.get(statement)
        if compiled is None:
            made = statement.compile(dialect=self.engine.dialect)
            assert isinstance(made, SQLCompiler)
            if made.post_compile_params or made.literal_execute_params:
                # An IN list or the like is rendered per call: not a statement for here.
                raise ValueError("statements with expanding parameters cannot be read directly")
            compiled = self.compiled[statement] = (made, made.params)
        return compiled

    def _connection(self) -> Connection:
        conn: Connection | None = getattr(self.local, "conn", None)
        if conn is None or conn.closed:
            conn = self.local.conn = self.engine.connect()
            with self.lock:
                self.held.append(conn)
        return conn

    def _drop(self, conn: Connection) -> None:
        with self.lock:
            if conn in self.held:
                self.held.remove(conn)
        conn.invalidate()
        conn.close()
        self.local.conn = None

    def close(self) -> None:
        with self.lock:
            held, self.held = self.held, []
        for conn in held:
            conn.close()


class Database:
    """One engine and the two kinds of unit of work the handlers use: read and write."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.direct = DirectReads(self.engine)
        # Values that never change once stored (the token-signing secret), kept by this
        # process after it has read them once.
        self.kept: dict[str, Any] = {}
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        write_engine = self.engine.execution_options(sqlite_immediate=True)
        self._write = sessionmaker(write_engine, expire_on_commit=False, info={WRITING: True})

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

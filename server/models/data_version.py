"""Moves `shows.data_version` on in the same transaction as every change to a show's sessions,
tags, tag links, script or revisions, whether made through the ORM or a bulk UPDATE/DELETE run
through a session. Statements run on a session's connection pass these hooks by: the writers
that do so (scheduling, starting, stopping in operations/sessions.py) move the counter
themselves, with `bump_shows` or in their UPDATE of the show."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    Column,
    Delete,
    Insert,
    Table,
    Update,
    event,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import (
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    ColumnElement,
)

from server.db import run_on_driver
from server.models.client import WebClient
from server.models.session import SessionTag, ShowSession, session_tag_associations
from server.models.show import Script, ScriptRevision, Show
from server.models.user import User

SHOWS: Table = Show.__table__  # type: ignore[assignment]
SESSIONS: Table = ShowSession.__table__  # type: ignore[assignment]
SCRIPTS: Table = Script.__table__  # type: ignore[assignment]
REVISIONS: Table = ScriptRevision.__table__  # type: ignore[assignment]
TAGS: Table = SessionTag.__table__  # type: ignore[assignment]
LINKS: Table = session_tag_associations
CLIENTS: Table = WebClient.__table__  # type: ignore[assignment]
USERS: Table = User.__table__  # type: ignore[assignment]

Condition = ColumnElement[bool]

# For each table whose rows the session list, the tags or the revisions show: given a WHERE
# clause on that table, the shows its matching rows belong to.
_SHOWS_OF_ROWS: dict[str, Callable[[Condition], Condition]] = {
    SESSIONS.name: lambda where: SHOWS.c.id.in_(select(SESSIONS.c.show_id).where(where)),
    TAGS.name: lambda where: SHOWS.c.id.in_(select(TAGS.c.show_id).where(where)),
    SCRIPTS.name: lambda where: SHOWS.c.id.in_(select(SCRIPTS.c.show_id).where(where)),
    REVISIONS.name: lambda where: SHOWS.c.id.in_(
        select(SCRIPTS.c.show_id).where(
            SCRIPTS.c.id.in_(select(REVISIONS.c.script_id).where(where))
        )
    ),
    LINKS.name: lambda where: SHOWS.c.id.in_(
        select(SESSIONS.c.show_id).where(SESSIONS.c.id.in_(select(LINKS.c.session_id).where(where)))
    ),
}

# Rows whose deletion changes sessions through ON DELETE SET NULL: the session column that
# refers to them, and the column it refers to.
_NULLED_ON_DELETE: dict[str, tuple[Column[Any], Column[Any]]] = {
    CLIENTS.name: (SESSIONS.c.client_internal_id, CLIENTS.c.internal_id),
    USERS.name: (SESSIONS.c.user_id, USERS.c.id),
}


def bump(db: Session, *conditions: Condition) -> None:
    """Move on the counter of the shows matching any of `conditions` (every show if none)."""
    statement = update(SHOWS).values(
        data_version=SHOWS.c.data_version + 1,
    )
    if conditions:
        statement = statement.where(or_(*conditions))
    db.connection().execute(statement)
    _forget_loaded_versions(db)


def bump_shows(db: Session, show_ids: Iterable[int]) -> None:
    """Move on the counter of these shows: the common case (a write names its show), sent
    straight to the driver in the session's transaction, which takes a fraction of the time
    a statement through SQLAlchemy does."""
    conn = db.connection()
    placeholder = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"UPDATE shows SET data_version = data_version + 1 WHERE id = {placeholder}"
    run_on_driver(conn, sql, [(show_id,) for show_id in sorted(show_ids)], many=True)
    _forget_loaded_versions(db)


def _forget_loaded_versions(db: Session) -> None:
    for obj in list(db.identity_map.values()):
        if isinstance(obj, Show):
            db.expire(obj, ["data_version"])


def _sessions_referring_to(table: str, where: Condition | None) -> Condition:
    """The shows with sessions that refer to the rows of `table` matching `where`."""
    session_column, target = _NULLED_ON_DELETE[table]
    referred = select(target)
    if where is not None:
        referred = referred.where(where)
    return SHOWS.c.id.in_(select(SESSIONS.c.show_id).where(session_column.in_(referred)))


@event.listens_for(Session, "before_flush")
def _before_flush(db: Session, _flush: UOWTransaction, _instances: Any) -> None:
    # Before the flush's own statements: a deleted row still says which show it belonged to, a
    # deleted client or user still has the sessions that ON DELETE SET NULL is about to change,
    # and the show's row is locked ahead of its sessions' rows, the order every writer keeps.
    show_ids: set[int] = set()
    script_ids: set[int] = set()
    conditions: list[Condition] = []
    for obj in (*db.new, *db.dirty, *db.deleted):
        if obj in db.dirty and not db.is_modified(obj):
            continue
        if isinstance(obj, ShowSession | SessionTag | Script):
            show_ids.update(_values(obj, "show_id"))
        elif isinstance(obj, ScriptRevision):
            script_ids.update(_values(obj, "script_id"))
        elif isinstance(obj, Show) and obj not in db.new:
            show_ids.add(obj.id)
        elif isinstance(obj, WebClient) and obj in db.deleted:
            where = CLIENTS.c.internal_id == obj.internal_id
            conditions.append(_sessions_referring_to(CLIENTS.name, where))
        elif isinstance(obj, User) and obj in db.deleted:
            conditions.append(_sessions_referring_to(USERS.name, USERS.c.id == obj.id))
    if show_ids and not (script_ids or conditions):
        bump_shows(db, show_ids)
        return
    if show_ids:
        conditions.append(SHOWS.c.id.in_(sorted(show_ids)))
    if script_ids:
        conditions.append(_SHOWS_OF_ROWS[SCRIPTS.name](SCRIPTS.c.id.in_(sorted(script_ids))))
    if conditions:
        bump(db, *conditions)


def _values(obj: Any, key: str) -> set[Any]:
    """The attribute's value now and as it was loaded (a row moved to another show changes
    both shows); None, as a new object may not know its parent's id yet, is left out."""
    now = getattr(obj, key)
    before = inspect(obj).attrs[key].history.deleted
    return {v for v in (now, *before) if v is not None}


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> Any:
    """Bulk statements run through a session (conditional UPDATEs, DELETEs by WHERE)."""
    statement = state.statement
    if not isinstance(statement, Update | Delete | Insert):
        return None
    # The ORM hands over its tables wrapped (annotated); their names are what stays the same.
    table = getattr(statement.table, "name", None)
    if table == SHOWS.name:
        if not isinstance(statement, Update):
            return None
        # The statement moves the counter itself, on exactly the rows it changes.
        state.statement = statement.values(data_version=SHOWS.c.data_version + 1)
        _forget_loaded_versions(state.session)
        return None
    where = None if isinstance(statement, Insert) else statement.whereclause
    if table in _NULLED_ON_DELETE:
        if isinstance(statement, Delete):
            lock_every_show(state.session)
            bump(state.session, _sessions_referring_to(table, where))
        return None
    if table is None or (shows_of := _SHOWS_OF_ROWS.get(table)) is None:
        return None
    row_id = _pinned_id(table, where)
    if row_id is not None and table in _SHOW_OF_ROW:
        # One row named by its id (UPDATE showsession ... WHERE id = 7): its show, whatever the
        # rest of the WHERE clause says, and no race to guard against, as rows keep their show.
        conn = state.session.connection()
        placeholder = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        found = run_on_driver(conn, _SHOW_OF_ROW[table] % placeholder, (row_id,))
        if found is not None:
            bump_shows(state.session, [found[0]])
        return None
    lock_every_show(state.session)
    if where is None:
        bump(state.session)
    else:
        bump(state.session, shows_of(where))
    return None


# The show of one row, by the row's id (a driver placeholder goes in for %s).
_SHOW_OF_ROW = {
    table.name: f"SELECT show_id FROM {table.name} WHERE id = %s"
    for table in (SESSIONS, TAGS, SCRIPTS)
}


def _pinned_id(table: str, where: Condition | None) -> Any:
    """The value X when `where` is `<table>.id = X` or `<table>.id = X AND ...`, else None."""
    if where is None:
        return None
    clauses = where.clauses if isinstance(where, BooleanClauseList) else [where]
    if isinstance(where, BooleanClauseList) and where.operator is not operators.and_:
        return None
    for clause in clauses:
        if (
            isinstance(clause, BinaryExpression)
            and clause.operator is operators.eq
            and getattr(clause.left, "key", None) == "id"
            and getattr(getattr(clause.left, "table", None), "name", None) == table
            and isinstance(clause.right, BindParameter)
            and isinstance(clause.right.effective_value, int)
        ):
            return clause.right.effective_value
    return None


def lock_every_show(db: Session) -> None:
    """On PostgreSQL, wait for the other writers of any show's rows before reading which rows
    a WHERE clause matches. Each of them locks its show first (by bumping it), so once they
    have committed, the rows matched below are the rows the statement will change, even
    though READ COMMITTED re-reads rows it had to wait for. SQLite admits one writer at a time.

    The rows are locked in id order, so two transactions taking them all queue rather than
    deadlock; a transaction that will need them all should take them before any one show."""
    if db.get_bind().dialect.name == "postgresql":
        db.connection().execute(select(SHOWS.c.id).order_by(SHOWS.c.id).with_for_update())

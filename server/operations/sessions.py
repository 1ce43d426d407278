"""The life of a show session.

    scheduled --start--> in progress --stop--> complete
    (ad-hoc)  --start--> in progress --stop--> complete
    scheduled --cancel--> cancelled --reinstate--> scheduled

Every function that changes a session appends its event to the session's log in the same
transaction, so the log can never disagree with the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session, selectinload, subqueryload

from server.auth import Actor
from server.changes import Change, Notice, record
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.models import (
    Character,
    Script,
    ScriptRevision,
    SessionCasting,
    SessionEvent,
    SessionTag,
    Show,
    ShowSession,
    WebClient,
    session_tag_associations,
)
from server.operations.tags import tags_by_ids, valid_tag_ids
from server.schemas.base import format_utc

# A scheduled session stays "scheduled"/"next up" for this long after its time before it is
# called overdue: a curtain can go up late, but not half a day late.
OVERDUE_AFTER = dt.timedelta(hours=12)

COMPLETE = "complete"
IN_PROGRESS = "in_progress"
NEXT_UP = "next_up"
SCHEDULED = "scheduled"
OVERDUE = "overdue"
CANCELLED = "cancelled"


SHOWS: Table = Show.__table__  # type: ignore[assignment]
SESSIONS: Table = ShowSession.__table__  # type: ignore[assignment]
EVENTS: Table = SessionEvent.__table__  # type: ignore[assignment]
SCRIPTS: Table = Script.__table__  # type: ignore[assignment]
REVISIONS: Table = ScriptRevision.__table__  # type: ignore[assignment]
LINKS = session_tag_associations
CLIENTS: Table = WebClient.__table__  # type: ignore[assignment]

# Scheduling, starting and stopping are the writes of show day, so they run statements built
# once, on the transaction's connection, rather than through the ORM's unit of work (a few
# times slower per statement).
_NEW_SESSION = insert(SESSIONS)
_NEW_LINKS = insert(LINKS)
_NEW_EVENT = insert(EVENTS)
_CURRENT_REVISION = select(SCRIPTS.c.id, SCRIPTS.c.current_revision).where(
    SCRIPTS.c.show_id == bindparam("show_id")
)
_REVISION_OF_SHOW = (
    select(REVISIONS.c.id)
    .join(SCRIPTS, SCRIPTS.c.id == REVISIONS.c.script_id)
    .where(REVISIONS.c.id == bindparam("revision_id"), SCRIPTS.c.show_id == bindparam("show_id"))
)
_CLIENT_EXISTS = select(CLIENTS.c.internal_id).where(
    CLIENTS.c.internal_id == bindparam("client_id")
)
# A session's show and start, its row locked until the transaction ends (PostgreSQL; SQLite
# runs one write transaction at a time anyway).
_SESSION_STATE = (
    select(SESSIONS.c.show_id, SESSIONS.c.start_date_time, SESSIONS.c.cancelled_at)
    .where(SESSIONS.c.id == bindparam("session_id"))
    .with_for_update()
)
# One conditional UPDATE claims the show for a session: the database serialises concurrent
# claims on the show's row, so of two requests racing (even from two processes) exactly one
# sees its row updated. Releasing it is the same, the other way round.
_CLAIM_SHOW = (
    update(SHOWS)
    .where(SHOWS.c.id == bindparam("show_id"), SHOWS.c.current_session_id.is_(None))
    .values(current_session_id=bindparam("session_id"))
)
_RELEASE_SHOW = (
    update(SHOWS)
    .where(SHOWS.c.id == bindparam("show_id"), SHOWS.c.current_session_id == bindparam("live_id"))
    .values(current_session_id=None)
)
_START = (
    update(SESSIONS)
    .where(
        SESSIONS.c.id == bindparam("session_id"),
        SESSIONS.c.start_date_time.is_(None),
        SESSIONS.c.cancelled_at.is_(None),
    )
    .values(
        start_date_time=bindparam("now"),
        user_id=bindparam("user_id"),
        client_internal_id=bindparam("client_id"),
        last_client_internal_id=bindparam("client_id"),
    )
)
_STOP = (
    update(SESSIONS)
    .where(SESSIONS.c.id == bindparam("session_id"))
    .values(end_date_time=bindparam("now"), client_internal_id=None)
)
_STARTED_AT = select(SESSIONS.c.start_date_time).where(SESSIONS.c.id == bindparam("session_id"))


@dataclass(frozen=True)
class StatusBoard:
    """What a session's status depends on besides the session itself: the time, which
    scheduled session of the show is next up and (for `number`) the performance numbers."""

    now: dt.datetime
    next_up_id: int | None
    numbers: dict[int, int] = field(default_factory=dict)

    def status(self, session: ShowSession) -> str:
        if session.start_date_time is not None:
            return IN_PROGRESS if session.end_date_time is None else COMPLETE
        if session.cancelled_at is not None:
            return CANCELLED
        planned = session.scheduled_date_time
        if planned is None or planned < self.now - OVERDUE_AFTER:
            return OVERDUE
        return NEXT_UP if session.id == self.next_up_id else SCHEDULED

    def number(self, session: ShowSession) -> int | None:
        """The session's performance number: its 1-based place among the show's sessions that
        are not cancelled, in the list's order; None for a cancelled one."""
        return self.numbers.get(session.id)


# The list's order (contract 6.2).
IN_TIME_ORDER = (
    func.coalesce(SESSIONS.c.scheduled_date_time, SESSIONS.c.start_date_time),
    SESSIONS.c.id,
)


def status_board(db: Session, show_id: int, now: dt.datetime) -> StatusBoard:
    next_up_id = db.scalar(
        select(ShowSession.id)
        .where(
            ShowSession.show_id == show_id,
            ShowSession.start_date_time.is_(None),
            ShowSession.cancelled_at.is_(None),
            ShowSession.scheduled_date_time.is_not(None),
            ShowSession.scheduled_date_time >= now - OVERDUE_AFTER,
        )
        .order_by(ShowSession.scheduled_date_time, ShowSession.id)
        .limit(1)
    )
    counted = db.scalars(
        select(SESSIONS.c.id)
        .where(SESSIONS.c.show_id == show_id, SESSIONS.c.cancelled_at.is_(None))
        .order_by(*IN_TIME_ORDER)
    )
    numbers = {session_id: place for place, session_id in enumerate(counted, 1)}
    return StatusBoard(now=now, next_up_id=next_up_id, numbers=numbers)


def list_sessions(db: Session, show: Show) -> list[ShowSession]:
    """The show's sessions, in the order they happen, with their tags (two statements).

    subqueryload rather than selectinload: the latter splits its IN list every 500 sessions."""
    return list(
        db.scalars(
            select(ShowSession)
            .where(ShowSession.show_id == show.id)
            .options(subqueryload(ShowSession.tags))
            .order_by(
                func.coalesce(ShowSession.scheduled_date_time, ShowSession.start_date_time),
                ShowSession.id,
            )
        )
    )


def live_session(db: Session, show: Show) -> ShowSession | None:
    if show.current_session_id is None:
        return None
    return db.scalar(
        select(ShowSession)
        .where(ShowSession.id == show.current_session_id)
        .options(selectinload(ShowSession.tags))
    )


def get_session(db: Session, show: Show, session_id: int, lock: bool = False) -> ShowSession:
    """The session with this id; another show's session is as missing as a deleted one.

    `lock` holds its row until the transaction ends, for writers that check a session's state
    before changing it: on PostgreSQL another process could otherwise start or delete it in
    between (SQLite runs write transactions one at a time anyway)."""
    session = db.get(ShowSession, session_id, with_for_update=lock)
    if session is None or session.show_id != show.id:
        raise NotFound("404 session not found")
    return session


def record_event(
    db: Session,
    session_id: int,
    kind: str,
    actor: Actor | None,
    now: dt.datetime,
    details: dict[str, Any] | None = None,
) -> None:
    db.connection().execute(
        _NEW_EVENT,
        {
            "session_id": session_id,
            "at": now,
            "kind": kind,
            "user_id": actor.id if actor else None,
            "username": actor.username if actor else None,
            "details": details or {},
        },
    )


def session_log(db: Session, session: ShowSession) -> list[SessionEvent]:
    return list(
        db.scalars(
            select(SessionEvent)
            .where(SessionEvent.session_id == session.id)
            .order_by(SessionEvent.at, SessionEvent.id)
        )
    )


def _current_revision(db: Session, show: Show) -> int | None:
    row = db.connection().execute(_CURRENT_REVISION, {"show_id": show.id}).first()
    if row is None:  # every show is created with a script; a missing one is a broken database
        raise NotFound("404 script not found")
    return row.current_revision  # type: ignore[no-any-return]


def _revision_for(db: Session, show: Show, revision_id: int | None) -> int | None:
    if revision_id is None:
        return _current_revision(db, show)
    params = {"revision_id": revision_id, "show_id": show.id}
    if db.connection().execute(_REVISION_OF_SHOW, params).first() is None:
        raise Invalid("Script revision not found for this show")
    return revision_id


def _new_session(db: Session, **values: Any) -> int:
    """Insert a session's row; its id."""
    key = db.connection().execute(_NEW_SESSION, values).inserted_primary_key
    return int(key[0])  # type: ignore[index]


def _refuse_if_started(session: ShowSession) -> None:
    if session.start_date_time is not None:
        raise Conflict("409 session already started")


@dataclass(frozen=True)
class Plan:
    """What every session scheduled with the same choices shares, checked once: tags of this
    show, and a revision of its script (the current one unless named)."""

    tag_ids: list[int]
    script_revision_id: int | None


def plan(
    db: Session, show: Show, tag_ids: Sequence[int] = (), script_revision_id: int | None = None
) -> Plan:
    """The checked choices for scheduling; Invalid when a tag or the revision is not this
    show's."""
    return Plan(valid_tag_ids(db, show, tag_ids), _revision_for(db, show, script_revision_id))


def schedule_session(
    db: Session,
    show: Show,
    actor: Actor,
    now: dt.datetime,
    scheduled_date_time: dt.datetime,
    tag_ids: Sequence[int] = (),
    script_revision_id: int | None = None,
) -> int:
    """Plan a session; its id."""
    return schedule_planned(
        db, show, actor, now, scheduled_date_time, plan(db, show, tag_ids, script_revision_id)
    )


def schedule_planned(
    db: Session,
    show: Show,
    actor: Actor,
    now: dt.datetime,
    scheduled_date_time: dt.datetime,
    checked: Plan,
) -> int:
    """Plan a session with choices already checked by `plan`; its id."""
    tag_ids, revision_id = checked.tag_ids, checked.script_revision_id
    session_id = _new_session(
        db, show_id=show.id, scheduled_date_time=scheduled_date_time, script_revision_id=revision_id
    )
    if tag_ids:
        links = [{"session_id": session_id, "tag_id": tag_id} for tag_id in tag_ids]
        db.connection().execute(_NEW_LINKS, links)
    details = {
        "scheduled_date_time": format_utc(scheduled_date_time),
        "script_revision_id": revision_id,
        "tag_ids": tag_ids,
    }
    # Cast with the principals until someone changes it.
    cast_with_principals(db, show.id, session_id)
    record_event(db, session_id, "scheduled", actor, now, details)
    record(db, show.id, Change.SESSIONS)
    return session_id


def update_session(
    db: Session,
    show: Show,
    session_id: int,
    actor: Actor,
    now: dt.datetime,
    changes: dict[str, Any],
) -> ShowSession:
    """Change a scheduled session's time, revision or tags (tags are replaced, not merged)."""
    session = get_session(db, show, session_id, lock=True)
    _refuse_if_started(session)
    changed: dict[str, dict[str, Any]] = {}
    if "scheduled_date_time" in changes:
        new_time = changes["scheduled_date_time"]
        old_time = session.scheduled_date_time
        if old_time != new_time:
            changed["scheduled_date_time"] = {
                "old": format_utc(old_time) if old_time else None,
                "new": format_utc(new_time),
            }
            session.scheduled_date_time = new_time
    if "script_revision_id" in changes:
        new_revision = _revision_for(db, show, changes["script_revision_id"])
        if new_revision != session.script_revision_id:
            changed["script_revision_id"] = {"old": session.script_revision_id, "new": new_revision}
            session.script_revision_id = new_revision
    if "tag_ids" in changes:
        new_tags = tags_by_ids(db, show, changes["tag_ids"])
        old_ids = sorted(t.id for t in session.tags)
        new_ids = sorted(t.id for t in new_tags)
        if old_ids != new_ids:
            changed["tag_ids"] = {"old": old_ids, "new": new_ids}
            session.tags = new_tags
    db.flush()
    if changed:
        record_event(db, session.id, "updated", actor, now, changed)
    # Announced even when nothing differed: the client that asked refreshes as after any edit.
    record(db, show.id, Change.SESSIONS)
    return session


def delete_session(db: Session, show: Show, session_id: int) -> None:
    """Delete a session that has not started; its tag links and log go with it."""
    session = get_session(db, show, session_id, lock=True)
    _refuse_if_started(session)
    db.delete(session)
    db.flush()
    record(db, show.id, Change.SESSIONS)


def _claim_show(db: Session, show: Show, session_id: int) -> None:
    """Mark `session_id` as the show's live session, if no other session is live."""
    claimed = db.connection().execute(_CLAIM_SHOW, {"show_id": show.id, "session_id": session_id})
    if claimed.rowcount != 1:
        raise Conflict("409 session already active")
    db.expire(show, ["current_session_id"])


def start_session(
    db: Session,
    show: Show,
    actor: Actor,
    now: dt.datetime,
    client_id: str,
    show_session_id: int | None = None,
) -> int:
    """Start a scheduled session (keeping its revision and tags) or, without an id, an ad-hoc
    one on the current script revision; its id. The caller's WebSocket client becomes its
    leader."""
    conn = db.connection()
    if conn.execute(_CLIENT_EXISTS, {"client_id": client_id}).first() is None:
        raise Invalid("Unable to find session given session_id")
    if show_session_id is None:
        session_id = _new_session(
            db,
            show_id=show.id,
            script_revision_id=_current_revision(db, show),
            start_date_time=now,
            user_id=actor.id,
            client_internal_id=client_id,
            last_client_internal_id=client_id,
        )
        _claim_show(db, show, session_id)
    else:
        session_id = show_session_id
        state = conn.execute(_SESSION_STATE, {"session_id": session_id}).first()
        if state is None or state.show_id != show.id:
            raise NotFound("404 session not found")
        if state.start_date_time is not None:
            raise Conflict("409 session already started")
        if state.cancelled_at is not None:
            raise Conflict("409 session cancelled")
        _claim_show(db, show, session_id)
        started = conn.execute(
            _START,
            {"session_id": session_id, "now": now, "user_id": actor.id, "client_id": client_id},
        )
        if started.rowcount != 1:
            raise Conflict("409 session already started")
    # An ad-hoc session is cast with the principals now; a planned one gets a cell for each
    # character added since it was scheduled. From here on its casting is fixed.
    cast_with_principals(db, show.id, session_id)
    details = {"ad_hoc": show_session_id is None, "client_internal_id": client_id}
    record_event(db, session_id, "started", actor, now, details)
    record(db, show.id, Notice("START_SHOW"), Change.SESSIONS)
    return session_id


def stop_session(db: Session, show: Show, actor: Actor, now: dt.datetime) -> int:
    """Stop the show's live session; its id."""
    live_id = show.current_session_id
    if live_id is None:
        raise Conflict("409 no active session")
    conn = db.connection()
    released = conn.execute(_RELEASE_SHOW, {"show_id": show.id, "live_id": live_id})
    if released.rowcount != 1:
        raise Conflict("409 no active session")
    db.expire(show, ["current_session_id"])
    started = conn.execute(_STARTED_AT, {"session_id": live_id}).scalar()
    conn.execute(_STOP, {"session_id": live_id, "now": now})
    run_time = int((now - started).total_seconds()) if started else None
    record_event(db, live_id, "stopped", actor, now, {"run_time_seconds": run_time})
    record(db, show.id, Notice("STOP_SHOW"), Change.SESSIONS)
    return live_id


def cancel_session(
    db: Session, show: Show, session_id: int, reason: str, actor: Actor, now: dt.datetime
) -> ShowSession:
    """Cancel a performance that has not started: it is kept, with the reason, but is never
    next up and cannot start until it is reinstated."""
    session = get_session(db, show, session_id, lock=True)
    _refuse_if_started(session)
    if session.cancelled_at is not None:
        raise Conflict("409 session already cancelled")
    session.cancelled_at = now
    session.cancel_reason = reason
    db.flush()
    record_event(db, session.id, "cancelled", actor, now, {"reason": reason})
    record(db, show.id, Change.SESSIONS)
    return session


def reinstate_session(
    db: Session, show: Show, session_id: int, actor: Actor, now: dt.datetime
) -> ShowSession:
    """Undo a cancellation: the session is scheduled again, at its time."""
    session = get_session(db, show, session_id, lock=True)
    if session.cancelled_at is None:
        raise Conflict("409 session not cancelled")
    reason = session.cancel_reason
    session.cancelled_at = None
    session.cancel_reason = None
    db.flush()
    record_event(db, session.id, "reinstated", actor, now, {"reason": reason})
    record(db, show.id, Change.SESSIONS)
    return session


def assign_tags(
    db: Session, show: Show, session_id: int, tag_ids: Sequence[int], actor: Actor, now: dt.datetime
) -> ShowSession:
    """Replace a session's tags (DigiScript's assign-tags: any session, but not while live)."""
    if show.current_session_id is not None:
        raise Conflict("Current session in progress")
    session = db.get(ShowSession, session_id)
    if session is None:
        raise NotFound("404 session not found")
    if session.show_id != show.id:
        raise Forbidden("Session does not belong to current show")
    tags: list[SessionTag] = tags_by_ids(db, show, tag_ids)
    old_ids = sorted(t.id for t in session.tags)
    session.tags = tags
    db.flush()
    record_event(
        db,
        session.id,
        "tags_assigned",
        actor,
        now,
        {"old": old_ids, "new": sorted(t.id for t in tags)},
    )
    record(db, show.id, Change.SESSIONS)
    return session


def cast_with_principals(db: Session, show_id: int, session_id: int) -> None:
    """Give a session a casting cell, with the character's principal, for each character that
    has none: its casting as scheduled, or as an ad-hoc session starts (server.operations.casting
    edits it from there)."""
    have = exists().where(
        SessionCasting.show_session_id == session_id,
        SessionCasting.character_id == Character.id,
    )
    db.execute(
        insert(SessionCasting).from_select(
            ["show_session_id", "character_id", "cast_id"],
            select(literal(session_id), Character.id, Character.played_by).where(
                Character.show_id == show_id, ~have
            ),
        )
    )

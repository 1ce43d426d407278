"""The life of a show session.

    scheduled --start--> in progress --stop--> complete
    (ad-hoc)  --start--> in progress --stop--> complete

Every function that changes a session appends its event to the session's log in the same
transaction, so the log can never disagree with the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload, subqueryload

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.models import SessionEvent, SessionTag, Show, ShowSession, User, WebClient
from server.operations.shows import revision_of_show, script_of
from server.operations.tags import tags_by_ids
from server.schemas.base import format_utc

# A scheduled session stays "scheduled"/"next up" for this long after its time before it is
# called overdue: a curtain can go up late, but not half a day late.
OVERDUE_AFTER = dt.timedelta(hours=12)

COMPLETE = "complete"
IN_PROGRESS = "in_progress"
NEXT_UP = "next_up"
SCHEDULED = "scheduled"
OVERDUE = "overdue"


@dataclass(frozen=True)
class StatusBoard:
    """What a session's status depends on besides the session itself: the time, and which
    scheduled session of the show is next up."""

    now: dt.datetime
    next_up_id: int | None

    def status(self, session: ShowSession) -> str:
        if session.start_date_time is not None:
            return IN_PROGRESS if session.end_date_time is None else COMPLETE
        planned = session.scheduled_date_time
        if planned is None or planned < self.now - OVERDUE_AFTER:
            return OVERDUE
        return NEXT_UP if session.id == self.next_up_id else SCHEDULED


def status_board(db: Session, show_id: int, now: dt.datetime) -> StatusBoard:
    next_up_id = db.scalar(
        select(ShowSession.id)
        .where(
            ShowSession.show_id == show_id,
            ShowSession.start_date_time.is_(None),
            ShowSession.scheduled_date_time.is_not(None),
            ShowSession.scheduled_date_time >= now - OVERDUE_AFTER,
        )
        .order_by(ShowSession.scheduled_date_time, ShowSession.id)
        .limit(1)
    )
    return StatusBoard(now=now, next_up_id=next_up_id)


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
    session: ShowSession,
    kind: str,
    actor: User | None,
    now: dt.datetime,
    details: dict[str, Any] | None = None,
) -> SessionEvent:
    event = SessionEvent(
        session_id=session.id,
        at=now,
        kind=kind,
        user_id=actor.id if actor else None,
        username=actor.username if actor else None,
        details=details or {},
    )
    db.add(event)
    db.flush()
    return event


def session_log(db: Session, session: ShowSession) -> list[SessionEvent]:
    return list(
        db.scalars(
            select(SessionEvent)
            .where(SessionEvent.session_id == session.id)
            .order_by(SessionEvent.at, SessionEvent.id)
        )
    )


def _revision_for(db: Session, show: Show, revision_id: int | None) -> int | None:
    if revision_id is None:
        return script_of(db, show).current_revision
    if revision_of_show(db, show, revision_id) is None:
        raise Invalid("Script revision not found for this show")
    return revision_id


def _refuse_if_started(session: ShowSession) -> None:
    if session.start_date_time is not None:
        raise Conflict("409 session already started")


def schedule_session(
    db: Session,
    show: Show,
    actor: User,
    now: dt.datetime,
    scheduled_date_time: dt.datetime,
    tag_ids: Sequence[int] = (),
    script_revision_id: int | None = None,
) -> ShowSession:
    tags = tags_by_ids(db, show, tag_ids)
    session = ShowSession(
        show_id=show.id,
        scheduled_date_time=scheduled_date_time,
        script_revision_id=_revision_for(db, show, script_revision_id),
        tags=tags,
    )
    db.add(session)
    db.flush()
    record_event(
        db,
        session,
        "scheduled",
        actor,
        now,
        {
            "scheduled_date_time": format_utc(scheduled_date_time),
            "script_revision_id": session.script_revision_id,
            "tag_ids": [t.id for t in tags],
        },
    )
    return session


def update_session(
    db: Session, show: Show, session_id: int, actor: User, now: dt.datetime, changes: dict[str, Any]
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
        record_event(db, session, "updated", actor, now, changed)
    return session


def delete_session(db: Session, show: Show, session_id: int) -> None:
    """Delete a session that has not started; its tag links and log go with it."""
    session = get_session(db, show, session_id, lock=True)
    _refuse_if_started(session)
    db.delete(session)
    db.flush()


def _claim_show(db: Session, show: Show, session_id: int) -> None:
    """Mark `session_id` as the show's live session, if no other session is live.

    A single conditional UPDATE: the database serialises concurrent claims on the show's row,
    so of two requests racing (even from two processes) exactly one sees its row updated.
    """
    claimed = db.execute(
        update(Show)
        .where(Show.id == show.id, Show.current_session_id.is_(None))
        .values(current_session_id=session_id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("409 session already active")
    db.expire(show, ["current_session_id"])


def start_session(
    db: Session,
    show: Show,
    actor: User,
    now: dt.datetime,
    client_id: str,
    show_session_id: int | None = None,
) -> ShowSession:
    """Start a scheduled session (keeping its revision and tags) or, without an id, an ad-hoc
    one on the current script revision. The caller's WebSocket client becomes its leader."""
    if db.get(WebClient, client_id) is None:
        raise Invalid("Unable to find session given session_id")
    if show_session_id is None:
        session = ShowSession(
            show_id=show.id,
            script_revision_id=script_of(db, show).current_revision,
            start_date_time=now,
            user_id=actor.id,
            client_internal_id=client_id,
            last_client_internal_id=client_id,
        )
        db.add(session)
        db.flush()
        _claim_show(db, show, session.id)
    else:
        session = get_session(db, show, show_session_id, lock=True)
        _refuse_if_started(session)
        _claim_show(db, show, session.id)
        started = db.execute(
            update(ShowSession)
            .where(ShowSession.id == session.id, ShowSession.start_date_time.is_(None))
            .values(
                start_date_time=now,
                user_id=actor.id,
                client_internal_id=client_id,
                last_client_internal_id=client_id,
            )
            .execution_options(synchronize_session=False)
        )
        if started.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("409 session already started")
        db.refresh(session)
    record_event(
        db,
        session,
        "started",
        actor,
        now,
        {"ad_hoc": show_session_id is None, "client_internal_id": client_id},
    )
    return session


def stop_session(db: Session, show: Show, actor: User, now: dt.datetime) -> ShowSession:
    live_id = show.current_session_id
    if live_id is None:
        raise Conflict("409 no active session")
    released = db.execute(
        update(Show)
        .where(Show.id == show.id, Show.current_session_id == live_id)
        .values(current_session_id=None)
        .execution_options(synchronize_session=False)
    )
    if released.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("409 no active session")
    db.expire(show, ["current_session_id"])
    session = db.get(ShowSession, live_id)
    if session is None:  # the foreign key makes this impossible; refuse rather than guess
        raise Conflict("409 no active session")
    session.end_date_time = now
    session.client_internal_id = None
    db.flush()
    started = session.start_date_time
    record_event(
        db,
        session,
        "stopped",
        actor,
        now,
        {"run_time_seconds": int((now - started).total_seconds()) if started else None},
    )
    return session


def assign_tags(
    db: Session, show: Show, session_id: int, tag_ids: Sequence[int], actor: User, now: dt.datetime
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
        session,
        "tags_assigned",
        actor,
        now,
        {"old": old_ids, "new": sorted(t.id for t in tags)},
    )
    return session

"""Who leads a live session: the WebSocket client whose script view the others follow.

A client leads the session it started. When it goes away another connection of the same user
takes over, or the session has no leader until its user's next connection announces itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from server.changes import Change, Notice, record
from server.models import Show, ShowSession, WebClient

# Told to everyone when a live session is left without a leader.
NO_LEADER = Notice("NOOP", "NO_LEADER")


@dataclass(frozen=True)
class Handover:
    """What became of a live session when its leader left."""

    session_id: int
    new_leader: str | None
    latest_line_ref: str | None


def _live_session_ids() -> Select[Any]:
    return select(Show.current_session_id).where(Show.current_session_id.is_not(None))


def reclaim(db: Session, client_id: str, user_id: int) -> bool:
    """A client that led the live session and came back (same uuid, same user) leads it again,
    unless someone else has taken over meanwhile."""
    reclaimed = db.scalars(
        update(ShowSession)
        .where(
            ShowSession.id.in_(_live_session_ids()),
            ShowSession.last_client_internal_id == client_id,
            ShowSession.client_internal_id.is_(None),
            ShowSession.user_id == user_id,
        )
        .values(client_internal_id=client_id)
        .returning(ShowSession.show_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not reclaimed:
        return False
    record(db, reclaimed, Change.SESSIONS)
    return True


def claim(db: Session, client_id: str, user_id: int) -> ShowSession | None:
    """The user's live session that has no leader is led by this client from now on.

    A conditional UPDATE, so of two connections announcing themselves at once only one wins.
    """
    session = db.scalar(
        select(ShowSession).where(
            ShowSession.id.in_(_live_session_ids()),
            ShowSession.client_internal_id.is_(None),
            ShowSession.user_id == user_id,
        )
    )
    if session is None:
        return None
    result = db.execute(
        update(ShowSession)
        .where(ShowSession.id == session.id, ShowSession.client_internal_id.is_(None))
        .values(client_internal_id=client_id, last_client_internal_id=client_id)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    db.refresh(session)
    record(db, session.show_id, Change.SESSIONS)
    return session


def hand_over(
    db: Session, leaving_id: str, candidates: Mapping[str, int | None]
) -> Handover | None:
    """Before `leaving_id`'s client row goes: if it led a live session, pass the lead to the
    first candidate connection (client id -> user id) of the session's user, or to no one.

    Without a successor the session remembers the leaver in last_client_internal_id, so that
    the same client coming back (a page reload) can lead again.
    """
    session = db.scalar(
        select(ShowSession).where(
            ShowSession.id.in_(_live_session_ids()),
            ShowSession.client_internal_id == leaving_id,
        )
    )
    if session is None:
        return None
    successor = next(
        (
            client_id
            for client_id, user_id in candidates.items()
            if client_id != leaving_id
            and user_id is not None
            and user_id == session.user_id
            and db.get(WebClient, client_id) is not None
        ),
        None,
    )
    session.client_internal_id = successor
    session.last_client_internal_id = successor or leaving_id
    db.flush()
    if successor is None:
        record(db, session.show_id, NO_LEADER, Change.SESSIONS)
    else:
        record(db, session.show_id, Change.SESSIONS)
    return Handover(session.id, successor, session.latest_line_ref)


def let_go(db: Session, client_id: str) -> None:
    """`client_id`'s connection is gone without a close this process handled (its process
    died): a live session it led has no leader from now on, and remembers it as the last one,
    so that its user's next connection (or the same client, back) can take the lead."""
    show_ids = db.scalars(
        update(ShowSession)
        .where(
            ShowSession.id.in_(_live_session_ids()),
            ShowSession.client_internal_id == client_id,
        )
        .values(client_internal_id=None, last_client_internal_id=client_id)
        .returning(ShowSession.show_id)
        .execution_options(synchronize_session=False)
    ).all()
    if show_ids:
        record(db, show_ids, NO_LEADER, Change.SESSIONS)

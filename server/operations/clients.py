"""WebSocket client rows: stored on connect, linked to a user on sign-in, removed on close."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server.changes import Change, lock_shows, record
from server.models import ShowSession, WebClient


def register_client(db: Session, internal_id: str, remote_ip: str | None, now: dt.datetime) -> None:
    db.add(WebClient(internal_id=internal_id, remote_ip=remote_ip, connected_at=now))
    db.flush()


def link_user(db: Session, internal_id: str, user_id: int) -> None:
    client = db.get(WebClient, internal_id)
    if client is not None:
        client.user_id = user_id
        db.flush()


def lock_for_removal(db: Session) -> None:
    """Take the locks removing a client needs (every show's row, on PostgreSQL) up front: the
    sessions it leads may be of any show."""
    lock_shows(db)


def _shows_led_by(db: Session, internal_id: str) -> set[int]:
    return set(
        db.scalars(select(ShowSession.show_id).where(ShowSession.client_internal_id == internal_id))
    )


def remove_client(db: Session, internal_id: str) -> None:
    # A session it still led keeps last_client_internal_id; the FK sets client_internal_id to
    # NULL, which changes that show's list.
    show_ids = _shows_led_by(db, internal_id)
    db.execute(delete(WebClient).where(WebClient.internal_id == internal_id))
    if show_ids:
        record(db, show_ids, Change.SESSIONS)


def rekey_client(
    db: Session,
    current_id: str,
    earlier_id: str,
    remote_ip: str | None,
    user_id: int | None,
    now: dt.datetime,
) -> None:
    """A reconnecting client takes back the uuid it had before (DigiScript's client keeps its
    first uuid across reloads and names it when starting a session)."""
    row = db.get(WebClient, earlier_id)
    if row is None:
        db.add(
            WebClient(
                internal_id=earlier_id, remote_ip=remote_ip, user_id=user_id, connected_at=now
            )
        )
    else:
        # Left behind by a connection whose close has not been handled (another process's).
        row.remote_ip = remote_ip
        row.user_id = user_id
        row.connected_at = now
    db.flush()
    # Whatever the new uuid already led, it keeps leading under the earlier one.
    show_ids = db.scalars(
        update(ShowSession)
        .where(ShowSession.client_internal_id == current_id)
        .values(client_internal_id=earlier_id, last_client_internal_id=earlier_id)
        .returning(ShowSession.show_id)
        .execution_options(synchronize_session=False)
    ).all()
    if show_ids:
        record(db, show_ids, Change.SESSIONS)
    remove_client(db, current_id)

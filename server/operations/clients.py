"""WebSocket client rows: stored on connect, linked to a user on sign-in, removed on close; and
the rows of server processes, which tell a client of a live process from one whose process
died without removing it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from server.changes import Change, lock_shows, record
from server.models import ShowSession, WebClient
from server.models.client import ServerProcess
from server.operations import leaders


def register_client(
    db: Session,
    internal_id: str,
    remote_ip: str | None,
    now: dt.datetime,
    process_id: str | None = None,
) -> None:
    db.add(
        WebClient(
            internal_id=internal_id, remote_ip=remote_ip, connected_at=now, process_id=process_id
        )
    )
    db.flush()


def beat(db: Session, process_id: str, now: dt.datetime) -> None:
    """The process is alive at `now` (recorded afresh if its row had been swept away)."""
    result = db.execute(
        update(ServerProcess).where(ServerProcess.id == process_id).values(heartbeat_at=now)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        db.add(ServerProcess(id=process_id, started_at=now, heartbeat_at=now))
        db.flush()


def _stale_clients(db: Session, alive_since: dt.datetime) -> list[str]:
    alive = select(ServerProcess.id).where(ServerProcess.heartbeat_at >= alive_since)
    return list(
        db.scalars(
            select(WebClient.internal_id).where(
                or_(WebClient.process_id.is_(None), WebClient.process_id.not_in(alive))
            )
        )
    )


def sweep_stale(db: Session, alive_since: dt.datetime) -> list[str]:
    """Remove the client rows no live process holds: rows of processes that have not beaten
    since `alive_since` (killed, say), or of none. A live session one of them led is left
    without a leader, as when a leader disconnects, so that its user can take the lead again.
    Returns the uuids removed."""
    if not _stale_clients(db, alive_since):
        return []
    lock_for_removal(db)
    stale = _stale_clients(db, alive_since)  # again, now that other sweepers have queued
    for internal_id in stale:
        leaders.let_go(db, internal_id)
        remove_client(db, internal_id)
    db.execute(delete(ServerProcess).where(ServerProcess.heartbeat_at < alive_since))
    return stale


def held_by_live_process(db: Session, internal_id: str, alive_since: dt.datetime) -> bool:
    """Whether a connection of a live process (this one or another) holds this uuid."""
    return (
        db.scalar(
            select(WebClient.internal_id)
            .join(ServerProcess, ServerProcess.id == WebClient.process_id)
            .where(
                WebClient.internal_id == internal_id,
                ServerProcess.heartbeat_at >= alive_since,
            )
        )
        is not None
    )


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
    process_id: str | None = None,
) -> None:
    """A reconnecting client takes back the uuid it had before (DigiScript's client keeps its
    first uuid across reloads and names it when starting a session). The caller has made sure
    no live connection holds that uuid (`held_by_live_process`)."""
    row = db.get(WebClient, earlier_id)
    if row is None:
        db.add(
            WebClient(
                internal_id=earlier_id,
                remote_ip=remote_ip,
                user_id=user_id,
                connected_at=now,
                process_id=process_id,
            )
        )
    else:
        # Left behind by a connection no live process holds: what it led is let go first, to
        # be given back only once this connection signs in as the session's user.
        leaders.let_go(db, earlier_id)
        row.remote_ip = remote_ip
        row.user_id = user_id
        row.connected_at = now
        row.process_id = process_id
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

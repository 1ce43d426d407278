"""WebSocket client rows: stored on connect, linked to a user on sign-in, removed on close."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.models import WebClient


def register_client(db: Session, internal_id: str, remote_ip: str | None, now: dt.datetime) -> None:
    db.add(WebClient(internal_id=internal_id, remote_ip=remote_ip, connected_at=now))
    db.flush()


def link_user(db: Session, internal_id: str, user_id: int) -> None:
    client = db.get(WebClient, internal_id)
    if client is not None:
        client.user_id = user_id
        db.flush()


def remove_client(db: Session, internal_id: str) -> None:
    # The session it led keeps last_client_internal_id; the FK sets client_internal_id to NULL.
    db.execute(delete(WebClient).where(WebClient.internal_id == internal_id))

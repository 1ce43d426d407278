"""Connected WebSocket clients (DigiScript's `sessions` table), and the server processes that
hold their connections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime, utcnow


class WebClient(Base):
    __tablename__ = "sessions"

    internal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    remote_ip: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    connected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The server process whose connection this is (`ServerProcess.id`); None for a row written
    # by no server process (before processes were recorded).
    process_id: Mapped[str | None] = mapped_column(String(32), index=True)


class ServerProcess(Base):
    """A server process that holds WebSocket connections. It beats every few seconds; one that
    has not beaten for a while has died (`kill -9`, a power cut) and its clients are gone."""

    __tablename__ = "server_processes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

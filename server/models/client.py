"""Connected WebSocket clients (DigiScript's `sessions` table)."""

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

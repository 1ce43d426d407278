"""Show sessions (performances) and the tags that label them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, UTCDateTime

session_tag_associations = Table(
    "session_tag_associations",
    Base.metadata,
    Column("session_id", ForeignKey("showsession.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "tag_id", ForeignKey("session_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class SessionTag(Base):
    __tablename__ = "session_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(255))
    colour: Mapped[str] = mapped_column(String(64))


class ShowSession(Base):
    """One performance. Ad-hoc sessions are created when they start; none is ever half-made."""

    __tablename__ = "showsession"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    script_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("script_revisions.id", ondelete="SET NULL")
    )
    # Set for sessions planned ahead, null for ad-hoc ones; "scheduled" lasts until it starts.
    scheduled_date_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    start_date_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    end_date_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    client_internal_id: Mapped[str | None] = mapped_column(
        ForeignKey("sessions.internal_id", ondelete="SET NULL")
    )
    last_client_internal_id: Mapped[str | None] = mapped_column(String(64))
    latest_line_ref: Mapped[str | None] = mapped_column(String(255))
    current_interval_id: Mapped[int | None] = mapped_column(Integer)
    # Set while a planned performance is cancelled: it is kept (greyed, with the reason), is
    # never next up and cannot start; reinstating clears both.
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(255))

    tags: Mapped[list[SessionTag]] = relationship(
        secondary=session_tag_associations, order_by=SessionTag.id
    )


class SessionEvent(Base):
    """One entry of a session's log: who did what to it, and when."""

    __tablename__ = "session_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("showsession.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Kept beside user_id so the log still names the person after their account is deleted.
    username: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

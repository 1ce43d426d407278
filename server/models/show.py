"""A show, its script and the script's revisions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, UTCDateTime, utcnow
from server.timezones import server_zone_name

if TYPE_CHECKING:
    from server.models.session import ShowSession


class Show(Base):
    __tablename__ = "shows"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by the operations from the server's clock; starting a session is no edit of the show.
    edited_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    script_mode: Mapped[int] = mapped_column(Integer, default=1)
    # The live session, if any. Starting a session claims this column with a conditional UPDATE,
    # which is what makes "at most one live session per show" hold under concurrency.
    current_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("showsession.id", ondelete="SET NULL", use_alter=True)
    )
    # The head of the running order (see server.models.structure).
    first_act_id: Mapped[int | None] = mapped_column(
        ForeignKey("act.id", ondelete="SET NULL", use_alter=True)
    )
    # Moves on in the same transaction as any change to what the session list, the tags or the
    # revisions answer (see server.models.data_version). Their ETags and the cached session
    # list are keyed by it, and it lives here rather than in memory so that every server
    # process sharing the database sees the same value.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The venue's IANA time zone: scheduling takes, and the calendar and CSV give, local times in
    # it. A new show takes the server's zone; the wire keeps UTC.
    time_zone: Mapped[str] = mapped_column(
        String(64), default=server_zone_name, server_default=text("'UTC'")
    )

    script: Mapped[Script] = relationship(
        back_populates="show", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )
    current_session: Mapped[ShowSession | None] = relationship(
        foreign_keys=[current_session_id], post_update=True
    )


class Script(Base):
    __tablename__ = "script"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    current_revision: Mapped[int | None] = mapped_column(
        ForeignKey("script_revisions.id", ondelete="SET NULL", use_alter=True)
    )

    show: Mapped[Show] = relationship(back_populates="script")
    revisions: Mapped[list[ScriptRevision]] = relationship(
        back_populates="script",
        foreign_keys="ScriptRevision.script_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ScriptRevision.revision",
    )


class ScriptRevision(Base):
    __tablename__ = "script_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("script.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    previous_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("script_revisions.id", ondelete="SET NULL")
    )

    script: Mapped[Script] = relationship(back_populates="revisions", foreign_keys=[script_id])

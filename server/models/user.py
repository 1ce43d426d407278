"""Users, their per-show roles and revoked tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime, utcnow


class User(Base):
    __tablename__ = "user"
    # Tokens name their user by id: on SQLite an id must never pass to a later user.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(255), unique=True)
    password: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_on: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    requires_password_change: Mapped[bool] = mapped_column(default=False)
    # SHA-256 (hex) of the user's personal API token, never the token itself. A token is 32
    # random bytes, so a fast digest is enough, and it lets a request find its user by index.
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class UserRole(Base):
    """A user's role bitmask (READ=1, WRITE=2, EXECUTE=4) on one show."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "show_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    role: Mapped[int] = mapped_column(Integer, default=0)


class RevokedToken(Base):
    """A logged-out login: the `fam` claim its tokens share (every token refreshed from it),
    or the jti of a token from before tokens had families, kept until each of its tokens would
    have expired anyway. A token is refused when its jti or its family is here."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)

"""Who may play each character, and who plays it at each performance.

A character's casting pool is its ordered list of eligible cast members: position 0 is the
principal, then the ranked covers (understudies, swings). The principal is always the
character's `played_by`, the one DigiScript's client shows: the casting operations keep the two
the same in both directions (a pool whose first member changes sets `played_by`; setting
`played_by` through the character endpoints moves that member to position 0, adding them if
they were not in the pool; clearing it removes the principal from position 0).

A session's casting is one row per character: who plays it at that performance (null when
nobody in the pool is available). Scheduling a session seeds it with the principals; an ad-hoc
session is seeded when it starts; once a session has started its casting is fixed.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class CastingPool(Base):
    """One member of a character's pool (the show is the character's)."""

    __tablename__ = "casting_pool"
    __table_args__ = (
        UniqueConstraint("character_id", "position", name="uq_casting_pool_position"),
    )

    character_id: Mapped[int] = mapped_column(
        ForeignKey("character.id", ondelete="CASCADE"), primary_key=True
    )
    cast_id: Mapped[int] = mapped_column(
        ForeignKey("cast.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class SessionCasting(Base):
    """Who plays one character at one session."""

    __tablename__ = "session_casting"

    show_session_id: Mapped[int] = mapped_column(
        ForeignKey("showsession.id", ondelete="CASCADE"), primary_key=True
    )
    character_id: Mapped[int] = mapped_column(
        ForeignKey("character.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The operations move a cell whose performer leaves the pool to the next eligible one
    # before the row goes; the key only guards against a cell naming nobody that exists.
    cast_id: Mapped[int | None] = mapped_column(
        ForeignKey("cast.id", ondelete="SET NULL"), index=True
    )

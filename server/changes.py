"""What a write transaction changed, as its operations recorded it: which shows' data moved on
and which notices the WebSocket clients are to be sent once it has committed.

Operations call `record` (a show's data changed: its change counter moves on, and the change's
notice goes out) or `announce` (a notice only, for data no counter covers: users, settings).
`Database.write` calls `settle` once, as the transaction ends: each recorded show's counter
moves on once, the rows taken in id order, before the commit; the notices come back to be
sent after it. Nothing else moves the counter, and nothing else picks a notice.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, column, func, select, table, update
from sqlalchemy.orm import Session

# The counter lives on the show's row (`shows.data_version`): every server process sharing the
# database sees it, so a list kept by one is known stale by all once another has written.
_SHOWS = table("shows", column("id"), column("data_version"))
_MOVE_ON = (
    update(_SHOWS)
    .where(_SHOWS.c.id == bindparam("show_id"))
    .values(data_version=_SHOWS.c.data_version + 1)
)

_KEY = "recorded_changes"
# The channel every process LISTENs on (PostgreSQL).
CHANNEL = "digiscript_changes"


class Change(enum.Enum):
    """What of a show changed; the value is the ACTION of the notice that tells clients to
    fetch it again."""

    SESSIONS = "GET_SHOW_SESSION_DATA"
    TAGS = "GET_SESSION_TAGS"
    REVISIONS = "GET_SCRIPT_REVISIONS"
    ACTS = "GET_ACT_LIST"
    SCENES = "GET_SCENE_LIST"
    CHARACTERS = "GET_CHARACTER_LIST"
    CHARACTER_GROUPS = "GET_CHARACTER_GROUP_LIST"


@dataclass(frozen=True)
class Notice:
    """One WebSocket message: to every connection, or to those signed in as `to_user`.

    The envelope always carries ACTION, as DigiScript's does (START_SHOW/NOOP, ...)."""

    op: str
    action: str = "NOOP"
    data: Any = None
    to_user: int | None = None

    @property
    def message(self) -> dict[str, Any]:
        return {
            "OP": self.op,
            "DATA": {} if self.data is None else self.data,
            "ACTION": self.action,
        }

    @property
    def key(self) -> tuple[str, str, int | None]:
        return (self.op, self.action, self.to_user)


@dataclass
class ChangeSet:
    """What one transaction has recorded so far."""

    show_ids: set[int] = field(default_factory=set)
    # By (op, action, addressee): one notice of a kind per transaction, the latest data winning,
    # in the order they were first recorded.
    notices: dict[tuple[str, str, int | None], Notice] = field(default_factory=dict)

    def add(self, notice: Notice) -> None:
        self.notices[notice.key] = notice  # a key seen before keeps its place


def _changes(db: Session) -> ChangeSet:
    recorded: ChangeSet | None = db.info.get(_KEY)
    if recorded is None:
        recorded = db.info[_KEY] = ChangeSet()
    return recorded


def record(db: Session, show_ids: int | Iterable[int], *changes: Change | Notice) -> None:
    """The data of these shows changed: their counters move on when the transaction ends, and
    each change's notice (or the notice itself) goes out once it has committed."""
    recorded = _changes(db)
    recorded.show_ids.update([show_ids] if isinstance(show_ids, int) else show_ids)
    for change in changes:
        recorded.add(Notice("NOOP", change.value) if isinstance(change, Change) else change)


def announce(db: Session, *notices: Notice) -> None:
    """Send these notices once the transaction has committed (no show's data moved on)."""
    recorded = _changes(db)
    for notice in notices:
        recorded.add(notice)


def settle(db: Session, tell: Callable[[list[Notice]], str] | None = None) -> list[Notice]:
    """At the end of a write transaction, before its commit: move on the counter of every show
    recorded, once each and in id order (so that two transactions writing to several shows
    queue rather than deadlock), and hand back the notices to send after the commit.

    On PostgreSQL, `tell` makes the NOTIFY text that carries them to the other processes (the
    database sends it only if the transaction commits; see `server.feed`)."""
    recorded: ChangeSet | None = db.info.pop(_KEY, None)
    if recorded is None:
        return []
    conn = db.connection()
    for show_id in sorted(recorded.show_ids):
        conn.execute(_MOVE_ON, {"show_id": show_id})
    notices = list(recorded.notices.values())
    if tell is not None and conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_notify(CHANNEL, tell(notices))))
    return notices


def lock_shows(db: Session, show_ids: Iterable[int] | None = None) -> None:
    """On PostgreSQL, take these shows' rows (every show's, given None) now, in id order.

    Every writer takes its show's row before the rows under it (the loaded show is locked as a
    write transaction begins), so an operation about to change rows of several shows at once
    (a user's or a client's sessions, say) takes their shows first, in the same order as
    `settle` does, and queues behind those writers instead of deadlocking with them."""
    if db.get_bind().dialect.name != "postgresql":
        return  # SQLite admits one writer at a time
    query = select(_SHOWS.c.id).order_by(_SHOWS.c.id).with_for_update()
    if show_ids is not None:
        query = query.where(_SHOWS.c.id.in_(sorted(show_ids)))
    db.connection().execute(query)


def discard(db: Session) -> None:
    """Forget what a transaction that is rolling back recorded."""
    db.info.pop(_KEY, None)

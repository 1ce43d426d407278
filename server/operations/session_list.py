"""The session list as ready-to-send JSON, kept until the show's change counter moves on or the
clock changes a status: 200 clients re-fetching the list after a notice cost one build."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Engine, String, bindparam, func, select
from sqlalchemy import cast as sql_cast

from server.db import Database
from server.models import SessionTag, Show, ShowSession, session_tag_associations
from server.operations.sessions import OVERDUE_AFTER, StatusBoard
from server.operations.settings import select_loaded_show
from server.schemas.base import format_utc
from server.schemas.sessions import ShowSessionSchema
from server.schemas.tags import SessionTagSchema

SHOWS = Show.__table__
SESSIONS = ShowSession.__table__
TAGS = SessionTag.__table__
LINKS = session_tag_associations


@dataclass(frozen=True)
class ShowStamp:
    """The loaded show and how far its data has moved on: enough to name a version of its
    lists without reading them."""

    show_id: int
    data_version: int
    # When the show was created, as digits: it tells apart shows of two databases that happen
    # to share an id and a counter.
    created: str


_LOADED_SHOW = select_loaded_show(
    SHOWS.c.id, SHOWS.c.data_version, sql_cast(SHOWS.c.created_at, String)
)


def loaded_show_stamp(database: Database) -> ShowStamp | None:
    """The loaded show's stamp, or None when no show is loaded: kept for as long as the
    database's change feed has seen no commit, else read afresh (one statement)."""
    listing = _listing(database)
    seen = database.feed.seen()  # before the read: a stamp is never newer than its label
    if seen is not None and listing.stamp_seen == seen:
        return listing.stamp
    row = database.first(_LOADED_SHOW)
    stamp = None
    if row is not None:
        show_id, data_version, created_at = row
        created = "".join(filter(str.isdigit, created_at))
        stamp = ShowStamp(int(show_id), int(data_version), created)
    listing.stamp, listing.stamp_seen = stamp, seen
    return stamp


# -- the session list -----------------------------------------------------------------------

# One row per session, in the list's order (that of operations.sessions.list_sessions), with
# its tag ids as text ("3,7"; order not guaranteed) and whether it is the show's live session.
_SESSION_ROWS = (
    select(
        SESSIONS.c.id,
        SESSIONS.c.show_id,
        SESSIONS.c.script_revision_id,
        SESSIONS.c.scheduled_date_time,
        SESSIONS.c.start_date_time,
        SESSIONS.c.end_date_time,
        SESSIONS.c.user_id,
        SESSIONS.c.client_internal_id,
        SESSIONS.c.last_client_internal_id,
        SESSIONS.c.latest_line_ref,
        SESSIONS.c.current_interval_id,
        SESSIONS.c.cancelled_at,
        SESSIONS.c.cancel_reason,
        (SESSIONS.c.id == SHOWS.c.current_session_id).label("live"),
        func.aggregate_strings(sql_cast(LINKS.c.tag_id, String), ",").label("tag_ids"),
    )
    .select_from(
        SESSIONS.join(SHOWS, SHOWS.c.id == SESSIONS.c.show_id).outerjoin(
            LINKS, LINKS.c.session_id == SESSIONS.c.id
        )
    )
    .where(SESSIONS.c.show_id == bindparam("show_id"))
    .group_by(SESSIONS.c.id, SHOWS.c.current_session_id)
    .order_by(
        func.coalesce(SESSIONS.c.scheduled_date_time, SESSIONS.c.start_date_time),
        SESSIONS.c.id,
    )
)

# The tags those sessions carry.
_SESSION_TAGS = select(TAGS.c.id, TAGS.c.show_id, TAGS.c.tag, TAGS.c.colour).where(
    TAGS.c.id.in_(
        select(LINKS.c.tag_id)
        .join(SESSIONS, SESSIONS.c.id == LINKS.c.session_id)
        .where(SESSIONS.c.show_id == bindparam("show_id"))
    )
)

# The names of the schemas' fields, in their order: each row becomes a dict with these keys,
# which json.dumps writes as the schema's dump would (tests/sessions/test_list_cache.py holds
# the two equal), at a fraction of the cost per session.
_SESSION_KEYS = tuple(ShowSessionSchema(status_of=lambda _session: "").fields)
_TAG_KEYS = tuple(SessionTagSchema().fields)
_TIMES = ("scheduled_date_time", "start_date_time", "end_date_time", "cancelled_at")
# DigiScript's relationship keys and the *_id twins they copy.
_COPIES = {
    "show": "show_id",
    "revision": "script_revision_id",
    "user": "user_id",
    "client": "client_internal_id",
}


@dataclass(frozen=True)
class SessionPage:
    """The list's response body for one show stamp, good for every instant in
    (valid_after, valid_until]: no status changes with the clock in between."""

    stamp: ShowStamp
    body: bytes
    # Tells apart the pages of one stamp that the clock has moved on (0 before any has).
    epoch: int
    valid_after: dt.datetime | None
    valid_until: dt.datetime | None

    def serves(self, stamp: ShowStamp, now: dt.datetime) -> bool:
        return (
            stamp == self.stamp
            and (self.valid_after is None or now > self.valid_after)
            and (self.valid_until is None or now <= self.valid_until)
        )


def build_page(database: Database, stamp: ShowStamp, now: dt.datetime) -> SessionPage:
    """The list of the stamped show as it stands at `now` (two statements in one transaction).

    Labelled with the stamp read before it, so its data is never older than its label says:
    at worst a page is rebuilt once more than needed."""
    with _listing(database).snapshots.connect() as conn:
        rows = conn.execute(_SESSION_ROWS, {"show_id": stamp.show_id}).all()
        tag_rows = conn.execute(_SESSION_TAGS, {"show_id": stamp.show_id}).all()
    clock = StatusClock.of(rows, now)
    sessions, live = session_dicts(rows, tag_rows, clock.board)
    body = json.dumps({"sessions": sessions, "current_session": live, "current_interval": None})
    after = clock.valid_after
    epoch = 0 if after is None else int(after.timestamp())
    return SessionPage(stamp, body.encode("ascii"), epoch, after, clock.valid_until)


@dataclass(frozen=True)
class StatusClock:
    """The statuses of a show's sessions at one instant, and the instants around it at which
    a status last changed and will next change by itself: a session that has not started
    turns overdue once its time is OVERDUE_AFTER past, and the next one up (the earliest not
    overdue, as operations.sessions.status_board picks it) changes at that moment too."""

    board: StatusBoard
    valid_after: dt.datetime | None
    valid_until: dt.datetime | None

    @classmethod
    def of(cls, rows: Sequence[Any], now: dt.datetime) -> StatusClock:
        next_up: tuple[dt.datetime, int] | None = None
        after: dt.datetime | None = None
        until: dt.datetime | None = None
        for row in rows:
            session_id, planned, started = row[0], row[3], row[4]
            if started is not None or planned is None or row.cancelled_at is not None:
                continue
            turns = planned + OVERDUE_AFTER
            if turns < now:
                if after is None or turns > after:
                    after = turns
                continue
            if until is None or turns < until:
                until = turns
            if next_up is None or (planned, session_id) < next_up:
                next_up = (planned, session_id)
        board = StatusBoard(now=now, next_up_id=None if next_up is None else next_up[1])
        return cls(board, after, until)


def session_dicts(
    rows: Sequence[Any], tag_rows: Sequence[Any], board: StatusBoard
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Each session as the dict ShowSessionSchema would dump, in the rows' order, and the live
    one's (if any). The rows come in time order, so counting the sessions that are not
    cancelled as they pass gives the performance numbers."""
    tags = {row[0]: dict(zip(_TAG_KEYS, row, strict=True)) for row in tag_rows}
    status_of = board.status
    sessions: list[dict[str, Any]] = []
    live: dict[str, Any] | None = None
    counted = 0
    for row in rows:
        values = row._asdict()  # the session's columns by name, as _SESSION_ROWS labels them
        # StatusBoard reads only the id and the three times, which the row has by those names.
        status = status_of(cast(ShowSession, row))
        for key in _TIMES:
            if values[key] is not None:
                values[key] = format_utc(values[key])
        tag_ids = row.tag_ids
        values["tags"] = (
            [tags[i] for i in sorted(int(t) for t in tag_ids.split(","))] if tag_ids else []
        )
        for key, twin in _COPIES.items():
            values[key] = values[twin]
        values["status"] = status
        if row.cancelled_at is None:
            counted += 1
            values["performance_number"] = counted
        else:
            values["performance_number"] = None
        session = {key: values[key] for key in _SESSION_KEYS}
        sessions.append(session)
        if row.live:
            live = session
    return sessions, live


# -- the cache --------------------------------------------------------------------------------


@dataclass
class _Listing:
    """What one Database keeps for its lists: the latest page of each show, the builds under
    way (so that requests arriving together share one), and an engine whose transactions see
    one snapshot throughout (so a session's tags are read as they were when the session was)."""

    snapshots: Engine
    pages: dict[int, SessionPage] = field(default_factory=dict)
    # The loaded show's stamp, and what the change feed had seen when it was read.
    stamp: ShowStamp | None = None
    stamp_seen: Any = None
    building: dict[ShowStamp, asyncio.Future[SessionPage]] = field(default_factory=dict)


_LISTINGS: weakref.WeakKeyDictionary[Database, _Listing] = weakref.WeakKeyDictionary()


def _listing(database: Database) -> _Listing:
    listing = _LISTINGS.get(database)
    if listing is None:
        engine = database.engine
        # A SQLite transaction reads one snapshot already; PostgreSQL's default (READ
        # COMMITTED) takes a new one for every statement.
        snapshots = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="REPEATABLE READ")
        )
        listing = _LISTINGS[database] = _Listing(snapshots)
    return listing


async def session_page(database: Database, stamp: ShowStamp, now: dt.datetime) -> SessionPage:
    """The list for `stamp` at `now`: the kept page if it still holds, else a new one, built on
    a worker thread with its own database session so the event loop keeps serving meanwhile."""
    listing = _listing(database)
    page = listing.pages.get(stamp.show_id)
    if page is not None and page.serves(stamp, now):
        return page
    loop = asyncio.get_running_loop()
    building = listing.building.get(stamp)
    if building is not None:
        page = await building
        if page.serves(stamp, now):
            return page
    building = loop.run_in_executor(None, build_page, database, stamp, now)
    listing.building[stamp] = building
    try:
        page = await building
    finally:
        if listing.building.get(stamp) is building:
            del listing.building[stamp]
    kept = listing.pages.get(stamp.show_id)
    if kept is None or kept.stamp.data_version <= stamp.data_version:
        listing.pages[stamp.show_id] = page
    return page

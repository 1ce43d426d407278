"""The show's performances as an iCalendar feed (RFC 5545), for calendar apps to subscribe to.

One VEVENT per session, its start in the show's venue zone (DTSTART;TZID with the zone's
VTIMEZONE), its tags in the SUMMARY, STATUS:CANCELLED for a cancelled one. A session keeps its
UID for life, so a subscribed calendar moves an edited performance rather than adding another.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import __version__
from server.models import SessionEvent, Show, ShowSession
from server.operations import sessions
from server.timezones import utc_to_local, zone_or_utc


def session_uid(show: Show, session_id: int) -> str:
    """A session's UID: its id and its show's, with the show's creation time telling apart
    shows of two databases that share an id. Nothing a session's edits change."""
    created = show.created_at.strftime("%Y%m%dT%H%M%S")
    return f"session-{session_id}@show-{show.id}-{created}.digiscript"


def summary(show: Show, session: ShowSession, number: int | None) -> str:
    what = f"Performance {number}" if number is not None else "Performance"
    if session.cancelled_at is not None:
        what = "Cancelled"
    tags = ", ".join(tag.tag for tag in session.tags)
    return f"{show.name}: {what}" + (f" ({tags})" if tags else "")


def show_calendar(db: Session, show: Show, now: dt.datetime) -> bytes:
    tz = zone_or_utc(show.time_zone)
    board = sessions.status_board(db, show.id, now)
    listed = sessions.list_sessions(db, show)
    modified = dict(
        db.execute(
            select(SessionEvent.session_id, func.max(SessionEvent.at))
            .join(ShowSession, ShowSession.id == SessionEvent.session_id)
            .where(ShowSession.show_id == show.id)
            .group_by(SessionEvent.session_id)
        ).all()
    )
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//DigiScript server {__version__}//Show sessions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", show.name)
    cal.add("x-wr-timezone", show.time_zone)
    for session in listed:
        planned = session.scheduled_date_time or session.start_date_time
        if planned is None:
            continue
        event = icalendar.Event()
        event.add("uid", session_uid(show, session.id))
        event.add("dtstamp", now)
        event.add("dtstart", utc_to_local(planned, tz))
        if session.start_date_time is not None and session.end_date_time is not None:
            event.add(
                "dtend",
                utc_to_local(planned + (session.end_date_time - session.start_date_time), tz),
            )
        event.add("summary", summary(show, session, board.number(session)))
        status = board.status(session)
        if status == sessions.CANCELLED:
            event.add("status", "CANCELLED")
            if session.cancel_reason:
                event.add("description", f"Cancelled: {session.cancel_reason}")
        else:
            event.add("status", "CONFIRMED")
        if session.tags:
            event.add("categories", [tag.tag for tag in session.tags])
        changed = modified.get(session.id)
        if changed is not None:
            event.add("last-modified", changed)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()

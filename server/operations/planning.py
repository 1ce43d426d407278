"""Planning a run: many performances at once from a weekly pattern or a CSV file, and the
session list as CSV. Times are given and shown in the show's venue time zone; a wall-clock
time that a clock change skips or doubles is refused, never moved.

Both ways in check everything first and schedule through operations.sessions (the same checks
and log entries as one session scheduled by hand), inside the request's one transaction: a
call creates every session it lists or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth import Actor
from server.errors import Invalid
from server.models import Script, ScriptRevision, SessionTag, Show
from server.operations import sessions
from server.operations.tags import _folded
from server.schemas.base import EARLIEST, LATEST, format_utc
from server.schemas.planning import HH_MM, MAX_SERIES
from server.spreadsheet import safe_cell
from server.timezones import LocalTimeError, local_to_utc, utc_to_local, zone_or_utc

# A CSV import is read only up to this size (about 400 lines of a dozen tags each).
MAX_IMPORT_BYTES = 64 * 1024


@dataclass(frozen=True)
class Planned:
    """One performance a call would schedule, and its id once it has."""

    scheduled_date_time: dt.datetime
    id: int | None = None

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.id is None else {"id": self.id}
        out["scheduled_date_time"] = format_utc(self.scheduled_date_time)
        return out


def _too_many(count: str) -> Invalid:
    return Invalid(
        f"This would schedule {count} sessions; at most {MAX_SERIES} can be scheduled at once"
    )


def series_times(
    show: Show,
    first: dt.date,
    last: dt.date,
    slots: Iterable[dict[str, Any]],
    except_dates: Iterable[dt.date] = (),
) -> list[dt.datetime]:
    """The UTC instants of every slot (ISO weekday, local time) on every date from `first` to
    `last` but the excepted ones, in time order; Invalid past MAX_SERIES or at a local time
    that does not exist once."""
    tz = zone_or_utc(show.time_zone)
    by_weekday: dict[int, set[dt.time]] = {}
    for slot in slots:
        by_weekday.setdefault(slot["weekday"], set()).add(slot["time"])
    skipped = set(except_dates)
    times: list[dt.datetime] = []
    for offset in range((last - first).days + 1):
        # Counted from `first`, never stepped past `last` (9999-12-31 has no next day).
        day = first + dt.timedelta(days=offset)
        if day not in skipped:
            for local in sorted(by_weekday.get(day.isoweekday(), ())):
                problem, when = _instant(day, local, tz)
                if when is None:
                    raise Invalid(problem or OUT_OF_RANGE)
                times.append(when)
                if len(times) > MAX_SERIES:
                    raise _too_many(f"more than {MAX_SERIES}")
    return sorted(times)


OUT_OF_RANGE = "A session must be planned between 1970-01-01 and 9998-12-31 (UTC)"


def _instant(day: dt.date, local: dt.time, tz: Any) -> tuple[str | None, dt.datetime | None]:
    """The UTC instant of a local date and time, or why there is none: a time the clocks skip
    or pass twice, or one outside the years a session may be planned in (as the schedule
    endpoint's)."""
    try:
        when = local_to_utc(day, local, tz)
    except LocalTimeError as exc:
        return str(exc), None
    except OverflowError:
        return OUT_OF_RANGE, None
    if not EARLIEST <= when < LATEST:
        return OUT_OF_RANGE, None
    return None, when


def _schedule_all(
    db: Session,
    show: Show,
    actor: Actor,
    now: dt.datetime,
    times: Sequence[dt.datetime],
    plans: Sequence[sessions.Plan],
    dry_run: bool,
) -> list[Planned]:
    if dry_run:
        return [Planned(when) for when in times]
    return [
        Planned(when, sessions.schedule_planned(db, show, actor, now, when, checked))
        for when, checked in zip(times, plans, strict=True)
    ]


def schedule_series(
    db: Session,
    show: Show,
    actor: Actor,
    now: dt.datetime,
    from_: dt.date,
    to: dt.date,
    slots: Sequence[dict[str, Any]],
    tag_ids: Sequence[int] = (),
    script_revision_id: int | None = None,
    except_dates: Sequence[dt.date] = (),
    dry_run: bool = False,
) -> list[Planned]:
    """Schedule a performance at each slot of each date in the range (or, on a dry run, say
    which would be scheduled): all with the same tags and revision, checked once."""
    times = series_times(show, from_, to, slots, except_dates)
    if not times:
        raise Invalid("No date in the range falls on a slot's weekday")
    checked = sessions.plan(db, show, tag_ids, script_revision_id)
    return _schedule_all(db, show, actor, now, times, [checked] * len(times), dry_run)


# -- CSV -------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("date", "time", "tags")
TAG_SEPARATOR = ";"


@dataclass
class LineErrors(Exception):
    """A CSV import that cannot be made: what is wrong with which line (1-based)."""

    errors: list[dict[str, Any]]

    @property
    def message(self) -> str:
        count = len(self.errors)
        return f"{count} line{'s' if count != 1 else ''} of the file cannot be imported"


def _rows(body: bytes) -> list[tuple[int, list[str]]]:
    if len(body) > MAX_IMPORT_BYTES:
        raise Invalid(f"The file is larger than {MAX_IMPORT_BYTES // 1024} KiB")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("The file must be UTF-8 text") from exc
    if "\x00" in text:
        raise Invalid("The file must be UTF-8 text")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if not rows and [c.strip().lower() for c in cells][:2] == ["date", "time"]:
                continue  # a header
            rows.append((line, cells))
            if len(rows) > MAX_SERIES:
                raise _too_many(f"more than {MAX_SERIES}")
    except csv.Error as exc:
        raise Invalid(f"Line {reader.line_num}: the file is not CSV ({exc})") from exc
    if not rows:
        raise Invalid("The file lists no sessions: each line is date,time,tags")
    return rows


def import_sessions(
    db: Session, show: Show, actor: Actor, now: dt.datetime, body: bytes, dry_run: bool = False
) -> list[Planned]:
    """Schedule a performance for each line `date,time,tags` of a CSV file: the date
    YYYY-MM-DD and the time HH:MM in the show's zone, the tags by name separated by ";" (the
    show's tags, case-insensitive). LineErrors names every line that cannot be imported, and
    then nothing is."""
    tz = zone_or_utc(show.time_zone)
    tag_ids_by_name = {
        _folded(tag.tag): tag.id
        for tag in db.scalars(select(SessionTag).where(SessionTag.show_id == show.id))
    }
    errors: list[dict[str, Any]] = []
    times: list[dt.datetime] = []
    plans: list[sessions.Plan] = []
    seen: dict[dt.datetime, int] = {}
    revision = sessions.plan(db, show).script_revision_id
    for line, cells in _rows(body):
        problem, when, tag_ids = _read_line(cells, tz, tag_ids_by_name)
        if problem is None and when is not None and when in seen:
            problem = f"the same date and time as line {seen[when]}"
        if problem is not None or when is None:
            errors.append({"line": line, "message": problem})
            continue
        seen[when] = line
        times.append(when)
        plans.append(sessions.Plan(tag_ids, revision))
    if errors:
        raise LineErrors(errors)
    return _schedule_all(db, show, actor, now, times, plans, dry_run)


def _read_line(
    cells: list[str], tz: Any, tag_ids_by_name: dict[str, int]
) -> tuple[str | None, dt.datetime | None, list[int]]:
    if len(cells) < 2:
        return "expected date,time,tags", None, []
    if len(cells) > len(IMPORT_COLUMNS):
        return "expected at most three columns: date,time,tags", None, []
    date_text, time_text = cells[0].strip(), cells[1].strip()
    try:
        day = dt.date.fromisoformat(date_text) if len(date_text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return f"date {date_text!r} is not a date, YYYY-MM-DD", None, []
    match = HH_MM.fullmatch(time_text)
    if match is None:
        return f"time {time_text!r} is not a time, HH:MM (24-hour)", None, []
    problem, when = _instant(day, dt.time(int(match[1]), int(match[2])), tz)
    if when is None:
        return problem, None, []
    tag_ids: list[int] = []
    names = cells[2].split(TAG_SEPARATOR) if len(cells) > 2 else []
    for name in (n.strip() for n in names):
        if not name:
            continue
        tag_id = tag_ids_by_name.get(_folded(name))
        if tag_id is None:
            return f"no tag named {name!r} in this show", None, []
        if tag_id not in tag_ids:
            tag_ids.append(tag_id)
    return None, when, sorted(tag_ids)


EXPORT_COLUMNS = (
    "id",
    "date",
    "time",
    "time_zone",
    "tags",
    "revision",
    "status",
    "performance_number",
    "actual_start",
    "actual_end",
    "run_time_minutes",
    "cancel_reason",
)


def _local(instant: dt.datetime | None, tz: Any) -> str:
    if instant is None:
        return ""
    return utc_to_local(instant, tz).replace(microsecond=0).isoformat()


def export_csv(db: Session, show: Show, now: dt.datetime) -> str:
    """The session list as CSV, in its order: the planned date and time in the show's zone
    (the actual start for an ad-hoc session), and the actual start and end as local ISO-8601
    with their offset."""
    tz = zone_or_utc(show.time_zone)
    board = sessions.status_board(db, show.id, now)
    revisions = dict(
        db.execute(
            select(ScriptRevision.id, ScriptRevision.revision)
            .join(Script, Script.id == ScriptRevision.script_id)
            .where(Script.show_id == show.id)
        ).all()
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for session in sessions.list_sessions(db, show):
        planned = session.scheduled_date_time or session.start_date_time
        local = utc_to_local(planned, tz) if planned else None
        started, ended = session.start_date_time, session.end_date_time
        run_time = (
            ""
            if started is None or ended is None
            else f"{(ended - started).total_seconds() / 60:.0f}"
        )
        writer.writerow(
            [
                session.id,
                local.date().isoformat() if local else "",
                local.strftime("%H:%M") if local else "",
                show.time_zone,
                TAG_SEPARATOR.join(safe_cell(tag.tag) for tag in session.tags),
                revisions.get(session.script_revision_id, "") if session.script_revision_id else "",
                board.status(session),
                board.number(session) or "",
                _local(started, tz),
                _local(ended, tz),
                run_time,
                safe_cell(session.cancel_reason or ""),
            ]
        )
    return out.getvalue()

"""Tonight's cast: each character's pool of eligible performers and each session's casting.

A pool is ordered: position 0 is the principal, then the ranked covers. The principal is always
the character's `played_by` (what DigiScript's client shows): replacing a pool sets `played_by`
to its first member (None for an empty pool); setting `played_by` through the character
endpoints moves that member to the front of the pool (adding them if they were not in it, the
former principal becoming the first cover), and clearing it empties the pool, so that
`played_by` is None exactly when the pool is empty.

A session's casting has one cell per character. Scheduling a session writes a cell per
character with its principal; starting a session (ad hoc or planned) writes the cells still
missing (characters added since), after which the casting is fixed. A character without a cell
in a session not yet started reads as its principal.

No cell of a session that has not started names someone outside the character's pool: when a
pool changes, a cast member is deleted or a principal is cleared, each such cell falls back to
the next eligible performer, the highest-ranked member left in the pool (nobody when it is
empty), and the change is logged in the session's log and announced.

Concurrent edits of the same cell: the last write wins and both are in the session's log (each
edit runs in its own write transaction, holding the session's row, so they apply one after the
other and the log shows both, in order).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from server.auth import Actor
from server.changes import Change, Notice, record
from server.errors import Conflict, Invalid, NotFound
from server.models import Cast, CastingPool, Character, SessionCasting, Show, ShowSession
from server.operations import sessions
from server.operations.structure import found, refuse_while_live
from server.spreadsheet import safe_cell
from server.timezones import utc_to_local, zone_or_utc

CASTING_CHANGED = Notice("NOOP", "GET_SESSION_CASTING")

CHARACTER_NOT_FOUND = "404 character not found"
CAST_MEMBER_NOT_FOUND = "404 cast member not found"


# -- pools ------------------------------------------------------------------------------------


def pools_of(db: Session, show_id: int) -> dict[int, list[int]]:
    """Each character of the show (in id order) with its pool, principal first."""
    characters = db.scalars(
        select(Character.id).where(Character.show_id == show_id).order_by(Character.id)
    ).all()
    pools: dict[int, list[int]] = {c: [] for c in characters}
    rows = db.execute(
        select(CastingPool.character_id, CastingPool.cast_id)
        .join(Character, Character.id == CastingPool.character_id)
        .where(Character.show_id == show_id)
        .order_by(CastingPool.character_id, CastingPool.position)
    )
    for character_id, cast_id in rows:
        pools[character_id].append(cast_id)
    return pools


def list_pools(db: Session, show: Show) -> list[dict[str, Any]]:
    return [{"character_id": c, "cast_ids": ids} for c, ids in pools_of(db, show.id).items()]


def _write_pool(db: Session, character: Character, cast_ids: Sequence[int]) -> None:
    db.execute(delete(CastingPool).where(CastingPool.character_id == character.id))
    if cast_ids:
        db.execute(
            insert(CastingPool),
            [
                {"character_id": character.id, "cast_id": cast_id, "position": position}
                for position, cast_id in enumerate(cast_ids)
            ],
        )
    character.played_by = cast_ids[0] if cast_ids else None


def replace_pool(
    db: Session,
    show: Show,
    character_id: int,
    cast_ids: Sequence[int],
    actor: Actor | None,
    now: dt.datetime,
) -> list[int]:
    """Replace a character's pool (the first is the principal); its new pool."""
    refuse_while_live(show)
    character = found(db, Character, show, character_id, CHARACTER_NOT_FOUND)
    seen: set[int] = set()
    for cast_id in cast_ids:
        if cast_id in seen:
            raise Invalid(f"cast_ids names cast member {cast_id} twice")
        seen.add(cast_id)
        found(db, Cast, show, cast_id, CAST_MEMBER_NOT_FOUND)
    _write_pool(db, character, list(cast_ids))
    db.flush()
    fall_back(db, show.id, [character.id], actor, now, "pool changed")
    record(db, show.id, Change.CHARACTERS, CAST_CHANGED_NOTICE, CASTING_CHANGED)
    return list(cast_ids)


def merge_into(db: Session, source: Character, destination: Character) -> bool:
    """Before `source` is merged into `destination` (and deleted): a destination that has a
    principal gains the source's pool members it lacks, as its last covers (one that has none
    stays unplayed, as DigiScript leaves its actor), and it takes the source's cell of each
    session that has none for it (one made before the destination existed). Where both have a
    cell, the destination's stands. Cells of sessions not yet started that now name someone
    outside the destination's pool fall back, logged. Whether any casting moved."""
    pool = pools_of_character(db, destination.id)
    extra = [c for c in pools_of_character(db, source.id) if c not in pool] if pool else []
    if extra:
        _write_pool(db, destination, [*pool, *extra])
    taken = select(SessionCasting.show_session_id).where(
        SessionCasting.character_id == destination.id
    )
    moved = db.execute(
        update(SessionCasting)
        .where(SessionCasting.character_id == source.id)
        .where(SessionCasting.show_session_id.not_in(taken))
        .values(character_id=destination.id),
        execution_options={"synchronize_session": False},
    )
    db.flush()
    fall_back(db, destination.show_id, [destination.id], None, None, "characters merged")
    return bool(extra) or moved.rowcount > 0  # type: ignore[attr-defined]


# DigiScript's cast notice (a character's actor is part of the cast list).
CAST_CHANGED_NOTICE = Notice("GET_CAST_LIST", "GET_CAST_LIST")


def set_principal(db: Session, show_id: int, character: Character, cast_id: int | None) -> None:
    """Keep the pool's principal the character's `played_by` after it was set (see the
    module's docstring); cells left outside the pool fall back."""
    pool = pools_of_character(db, character.id)
    if cast_id is None:
        if not pool:
            return
        _write_pool(db, character, [])
    else:
        if pool[:1] == [cast_id]:
            return
        _write_pool(db, character, [cast_id, *(c for c in pool if c != cast_id)])
    db.flush()
    if cast_id is None:
        fall_back(db, show_id, [character.id], None, None, "principal cleared")


def pools_of_character(db: Session, character_id: int) -> list[int]:
    return list(
        db.scalars(
            select(CastingPool.cast_id)
            .where(CastingPool.character_id == character_id)
            .order_by(CastingPool.position)
        )
    )


def fall_back(
    db: Session,
    show_id: int,
    character_ids: Iterable[int],
    actor: Actor | None,
    now: dt.datetime | None,
    reason: str,
) -> None:
    """Move every cell of a session not yet started that names someone outside its character's
    pool to the highest-ranked member left (nobody for an empty pool), logging each session's
    moves and announcing them."""
    pools = {c: pools_of_character(db, c) for c in character_ids}
    if not pools:
        return
    rows = db.execute(
        select(SessionCasting)
        .join(ShowSession, ShowSession.id == SessionCasting.show_session_id)
        .where(
            ShowSession.show_id == show_id,
            ShowSession.start_date_time.is_(None),
            SessionCasting.character_id.in_(list(pools)),
            SessionCasting.cast_id.is_not(None),
        )
        .order_by(SessionCasting.show_session_id, SessionCasting.character_id)
    ).scalars()
    moved: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cell in rows:
        pool = pools[cell.character_id]
        if cell.cast_id in pool:
            continue
        new = pool[0] if pool else None
        moved[cell.show_session_id].append(
            {"character_id": cell.character_id, "old_cast_id": cell.cast_id, "new_cast_id": new}
        )
        cell.cast_id = new
    if not moved:
        return
    db.flush()
    when = now if now is not None else dt.datetime.now(dt.UTC).replace(microsecond=0)
    for session_id, changes in moved.items():
        details = {"reason": reason, "changes": changes}
        sessions.record_event(db, session_id, "casting_fallback", actor, when, details)
    record(db, show_id, CASTING_CHANGED)


# -- a session's casting ----------------------------------------------------------------------


def _names(db: Session, show_id: int) -> tuple[dict[int, str], dict[int, str]]:
    characters = dict(
        db.execute(select(Character.id, Character.name).where(Character.show_id == show_id)).all()
    )
    members = {
        m.id: " ".join(p for p in (m.first_name, m.last_name) if p) or f"Cast member {m.id}"
        for m in db.scalars(select(Cast).where(Cast.show_id == show_id))
    }
    return characters, members


def cells_of(db: Session, show_id: int, session_ids: Sequence[int]) -> dict[int, dict[int, Any]]:
    """Each session's cells: character id -> cast id (a missing cell reads as the principal)."""
    principals = dict(
        db.execute(
            select(Character.id, Character.played_by)
            .where(Character.show_id == show_id)
            .order_by(Character.id)
        ).all()
    )
    cells: dict[int, dict[int, Any]] = {s: dict(principals) for s in session_ids}
    if session_ids:
        for row in db.scalars(
            select(SessionCasting).where(SessionCasting.show_session_id.in_(list(session_ids)))
        ):
            if row.character_id in principals:
                cells[row.show_session_id][row.character_id] = row.cast_id
    return cells


def warnings(
    cells: dict[int, int | None],
    principals: dict[int, int | None],
    characters: dict[int, str],
    members: dict[int, str],
) -> list[dict[str, Any]]:
    """What a stage manager should look at in one session's casting (never a refusal)."""
    found_: list[dict[str, Any]] = []
    for character_id, cast_id in cells.items():
        if cast_id is None:
            found_.append(
                {
                    "kind": "nobody_available",
                    "message": f"Nobody is available to play {characters[character_id]}",
                    "character_ids": [character_id],
                    "cast_id": None,
                }
            )
    playing: dict[int, list[int]] = defaultdict(list)
    for character_id, cast_id in cells.items():
        if cast_id is not None:
            playing[cast_id].append(character_id)
    for cast_id, parts in sorted(playing.items()):
        if len(parts) > 1 and len({principals[c] for c in parts}) > 1:
            names = " and ".join(characters[c] for c in parts)
            found_.append(
                {
                    "kind": "doubling",
                    "message": f"{members.get(cast_id, cast_id)} plays {names}, which the "
                    "principal casting gives to different people",
                    "character_ids": sorted(parts),
                    "cast_id": cast_id,
                }
            )
    for character_id, cast_id in cells.items():
        if cast_id is None or cast_id == principals[character_id]:
            continue
        for own, principal in principals.items():
            if own != character_id and principal == cast_id and cells.get(own) != cast_id:
                replacement = cells.get(own)
                who = "nobody" if replacement is None else members.get(replacement, replacement)
                found_.append(
                    {
                        "kind": "cascade",
                        "message": f"{members.get(cast_id, cast_id)} covers "
                        f"{characters[character_id]}, leaving {characters[own]} to {who}",
                        "character_ids": [character_id, own],
                        "cast_id": cast_id,
                    }
                )
    return found_


def session_casting(db: Session, show: Show, session_id: int) -> dict[str, Any]:
    session = sessions.get_session(db, show, session_id)
    cells = cells_of(db, show.id, [session.id])[session.id]
    principals: dict[int, int | None] = {
        c: p
        for c, p in db.execute(
            select(Character.id, Character.played_by).where(Character.show_id == show.id)
        )
    }
    characters, members = _names(db, show.id)
    return {
        "session_id": session.id,
        "casting": [
            {
                "character_id": c,
                "cast_id": cast_id,
                "principal_cast_id": principals[c],
                "is_cover": cast_id is not None and cast_id != principals[c],
            }
            for c, cast_id in cells.items()
        ],
        "warnings": warnings(cells, principals, characters, members),
    }


def change_casting(
    db: Session,
    show: Show,
    session_id: int,
    changes: dict[int, int | None],
    actor: Actor,
    now: dt.datetime,
) -> dict[str, Any]:
    """Set some cells of a session not yet started, each to a member of its character's pool
    (or nobody); one log entry lists what changed, from whom to whom."""
    session = sessions.get_session(db, show, session_id, lock=True)
    if session.start_date_time is not None:
        raise Conflict("409 session already started")
    characters, members = _names(db, show.id)
    for character_id, cast_id in sorted(changes.items()):
        if character_id not in characters:
            raise NotFound(CHARACTER_NOT_FOUND)
        if cast_id is not None and cast_id not in pools_of_character(db, character_id):
            who = members.get(cast_id, f"Cast member {cast_id}")
            raise Invalid(f"{who} is not in the casting pool of {characters[character_id]}")
    sessions.cast_with_principals(db, show.id, session.id)
    cells = {
        row.character_id: row
        for row in db.scalars(
            select(SessionCasting).where(SessionCasting.show_session_id == session.id)
        )
    }
    logged = []
    for character_id, cast_id in sorted(changes.items()):
        cell = cells[character_id]
        if cell.cast_id != cast_id:
            logged.append(
                {
                    "character_id": character_id,
                    "character": characters[character_id],
                    "old_cast_id": cell.cast_id,
                    "new_cast_id": cast_id,
                }
            )
            cell.cast_id = cast_id
    db.flush()
    if logged:
        sessions.record_event(db, session.id, "casting_changed", actor, now, {"changes": logged})
    record(db, show.id, CASTING_CHANGED)
    return session_casting(db, show, session.id)


def leave_pools(db: Session, show: Show, member_id: int) -> None:
    """Before a cast member is deleted: take them out of every pool (the next member becoming
    the principal where they were it), and move the cells of performances not yet started
    that named them to the next eligible performer."""
    affected = list(
        db.scalars(
            select(Character)
            .join(CastingPool, CastingPool.character_id == Character.id)
            .where(Character.show_id == show.id, CastingPool.cast_id == member_id)
            .order_by(Character.id)
        )
    )
    for character in affected:
        pool = pools_of_character(db, character.id)
        _write_pool(db, character, [c for c in pool if c != member_id])
    db.flush()
    # Cells naming them in characters whose pool they were not in are moved as well.
    named = db.scalars(
        select(SessionCasting.character_id)
        .join(ShowSession, ShowSession.id == SessionCasting.show_session_id)
        .where(ShowSession.show_id == show.id, SessionCasting.cast_id == member_id)
    ).all()
    ids = sorted({c.id for c in affected} | set(named))
    fall_back(db, show.id, ids, None, None, "cast member deleted")


# -- the matrix -------------------------------------------------------------------------------


def matrix(db: Session, show: Show, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Characters x the sessions whose time (planned, else actual start) falls on the venue's
    dates from `first` to `last`, in time order, with each session's warnings."""
    venue = zone_or_utc(show.time_zone)
    start = dt.datetime.combine(first, dt.time(), venue).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), venue).astimezone(dt.UTC)
    when = func.coalesce(ShowSession.scheduled_date_time, ShowSession.start_date_time)
    session_ids = list(
        db.scalars(
            select(ShowSession.id)
            .where(ShowSession.show_id == show.id, when >= start, when < end)
            .order_by(when, ShowSession.id)
        )
    )
    all_cells = cells_of(db, show.id, session_ids)
    principals: dict[int, int | None] = {
        c: p
        for c, p in db.execute(
            select(Character.id, Character.played_by)
            .where(Character.show_id == show.id)
            .order_by(Character.id)
        )
    }
    characters, members = _names(db, show.id)
    cells = []
    found_warnings = []
    for session_id in session_ids:
        row = all_cells[session_id]
        for character_id, cast_id in row.items():
            cells.append(
                {
                    "session_id": session_id,
                    "character_id": character_id,
                    "cast_id": cast_id,
                    "is_cover": cast_id is not None and cast_id != principals[character_id],
                }
            )
        for warning in warnings(row, principals, characters, members):
            found_warnings.append({"session_id": session_id, **warning})
    return {
        "sessions": session_ids,
        "characters": list(principals),
        "cells": cells,
        "warnings": found_warnings,
    }


# -- cast changes tonight and the cast sheet --------------------------------------------------


def _member_name(members: dict[int, str], cast_id: int | None) -> str | None:
    return None if cast_id is None else members.get(cast_id, f"Cast member {cast_id}")


def casting_changes(db: Session, show: Show, session_id: int) -> dict[str, Any]:
    """A session's casting where it differs from the principals (who is on for whom), with
    the session's warnings: the list a stage manager announces before the performance."""
    answer = session_casting(db, show, session_id)
    characters, members = _names(db, show.id)
    changes = [
        {
            "character_id": cell["character_id"],
            "character": characters[cell["character_id"]],
            "principal_cast_id": cell["principal_cast_id"],
            "principal": _member_name(members, cell["principal_cast_id"]),
            "cast_id": cell["cast_id"],
            "cast": _member_name(members, cell["cast_id"]),
        }
        for cell in answer["casting"]
        if cell["cast_id"] != cell["principal_cast_id"]
    ]
    return {"session_id": answer["session_id"], "changes": changes, "warnings": answer["warnings"]}


def cast_sheet(db: Session, show: Show, session_id: int, now: dt.datetime) -> dict[str, Any]:
    """What a performance's cast sheet shows: the show, when it plays in the venue's zone,
    its tags, each character with who plays it (covers marked), the changes and warnings."""
    session = sessions.get_session(db, show, session_id)
    tonight = casting_changes(db, show, session.id)
    cast = session_casting(db, show, session.id)
    characters, members = _names(db, show.id)
    planned = session.scheduled_date_time or session.start_date_time
    local = utc_to_local(planned, zone_or_utc(show.time_zone)) if planned else None
    return {
        "show": show.name,
        "time_zone": show.time_zone,
        "local": local,
        "number": sessions.status_board(db, show.id, now).number(session),
        "tags": [tag.tag for tag in session.tags],
        "rows": [
            {
                "character": characters[cell["character_id"]],
                "performer": _member_name(members, cell["cast_id"]),
                "principal": _member_name(members, cell["principal_cast_id"]),
                "is_cover": cell["is_cover"],
            }
            for cell in cast["casting"]
        ],
        "changes": tonight["changes"],
        "warnings": tonight["warnings"],
    }


NOBODY = "Nobody available"

SHEET_STYLE = """
body { font-family: Georgia, "Times New Roman", serif; margin: 2rem; color: #000; }
h1 { margin-bottom: 0.2rem; }
.when { font-size: 1.2rem; margin-top: 0; }
.tags { color: #333; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #999; }
tr.cover td { font-weight: bold; }
.mark { font-size: 0.85em; border: 1px solid #000; padding: 0 0.25em; margin-left: 0.4em; }
section.changes { border: 2px solid #000; padding: 0.5rem 1rem; }
.warnings li { color: #8a1c00; }
@media print {
  @page { margin: 1.5cm; }
  body { margin: 0; font-size: 11pt; }
  .warnings li { color: #000; }
  tr { break-inside: avoid; }
}
""".strip()


def cast_sheet_html(sheet: dict[str, Any]) -> str:
    """The sheet as a complete printable page; every name escaped."""

    def e(text: Any) -> str:
        return html.escape(str(text), quote=True)

    local = sheet["local"]
    when = (
        f"{local.strftime('%A')} {local.day} {local.strftime('%B %Y, %H:%M')} "
        f"({local.tzname()}, {sheet['time_zone']})"
        if local is not None
        else "Not scheduled"
    )
    title = f"{sheet['show']} — cast sheet"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        f"<style>\n{SHEET_STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(sheet['show'])}</h1>",
        f'<p class="when">{e(when)}</p>',
    ]
    if sheet["number"] is not None:
        parts.append(f'<p class="number">Performance {sheet["number"]}</p>')
    if sheet["tags"]:
        parts.append(f'<p class="tags">{e(", ".join(sheet["tags"]))}</p>')
    parts.append("</header>")
    parts.append("<main>")
    parts.append('<section class="changes">')
    parts.append("<h2>Cast changes tonight</h2>")
    if sheet["changes"]:
        parts.append("<ul>")
        for change in sheet["changes"]:
            who = change["cast"] if change["cast"] is not None else NOBODY
            instead = (
                f" replacing {e(change['principal'])}" if change["principal"] is not None else ""
            )
            parts.append(f"<li>{e(change['character'])}: {e(who)}{instead}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>None: every character is played by its principal.</p>")
    parts.append("</section>")
    if sheet["warnings"]:
        parts.append('<section class="warnings">')
        parts.append("<h2>Warnings</h2>")
        parts.append("<ul>")
        parts.extend(f"<li>{e(w['message'])}</li>" for w in sheet["warnings"])
        parts.append("</ul>")
        parts.append("</section>")
    parts.append("<section>")
    parts.append("<h2>Cast</h2>")
    parts.append("<table>")
    parts.append(
        '<thead><tr><th scope="col">Character</th><th scope="col">Played by</th></tr></thead>'
    )
    parts.append("<tbody>")
    for row in sheet["rows"]:
        performer = e(row["performer"]) if row["performer"] is not None else f"<em>{NOBODY}</em>"
        if row["is_cover"]:
            performer += '<span class="mark">cover</span>'
        css = ' class="cover"' if row["is_cover"] else ""
        parts.append(f"<tr{css}><td>{e(row['character'])}</td><td>{performer}</td></tr>")
    parts.append("</tbody>")
    parts.append("</table>")
    parts.append("</section>")
    parts.append("</main>")
    parts.append("</body>")
    parts.append("</html>")
    return "\n".join(parts) + "\n"


CAST_SHEET_COLUMNS = ("character", "performer", "principal", "is_cover")


def cast_sheet_csv(sheet: dict[str, Any]) -> str:
    """The sheet's cast as CSV, one line per character; no cell reads as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CAST_SHEET_COLUMNS)
    for row in sheet["rows"]:
        writer.writerow(
            [
                safe_cell(row["character"]),
                safe_cell(row["performer"] or ""),
                safe_cell(row["principal"] or ""),
                "true" if row["is_cover"] else "false",
            ]
        )
    return out.getvalue()

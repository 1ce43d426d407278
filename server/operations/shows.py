"""Shows, their scripts and script revisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.changes import Change, record
from server.errors import Conflict, NotFound
from server.models import Script, ScriptRevision, Show


def create_show(
    db: Session, name: str, start: dt.date, end: dt.date, script_mode: int, now: dt.datetime
) -> Show:
    """A show with its script and revision 1, which becomes the current revision."""
    show = Show(
        name=name,
        start_date=start,
        end_date=end,
        script_mode=script_mode,
        created_at=now,
        edited_at=now,
    )
    show.script = Script()
    db.add(show)
    db.flush()
    first = ScriptRevision(
        script_id=show.script.id,
        revision=1,
        description="Initial script revision",
        created_at=now,
        edited_at=now,
    )
    db.add(first)
    db.flush()
    show.script.current_revision = first.id
    db.flush()
    return show


def list_shows(db: Session) -> list[Show]:
    return list(db.scalars(select(Show).order_by(Show.id)))


def script_of(db: Session, show: Show) -> Script:
    script = db.scalar(select(Script).where(Script.show_id == show.id))
    if script is None:  # every show is created with one; a missing one is a broken database
        raise NotFound("404 script not found")
    return script


def revisions(db: Session, script: Script) -> list[ScriptRevision]:
    return list(
        db.scalars(
            select(ScriptRevision)
            .where(ScriptRevision.script_id == script.id)
            .order_by(ScriptRevision.revision, ScriptRevision.id)
        )
    )


def revision_of_show(db: Session, show: Show, revision_id: int) -> ScriptRevision | None:
    return db.scalar(
        select(ScriptRevision)
        .join(Script, Script.id == ScriptRevision.script_id)
        .where(ScriptRevision.id == revision_id, Script.show_id == show.id)
    )


def _refuse_while_live(show: Show) -> None:
    if show.current_session_id is not None:
        raise Conflict("Current session in progress")


def create_revision(
    db: Session,
    show: Show,
    description: str,
    parent_revision_id: int | None,
    set_as_current: bool,
    now: dt.datetime,
) -> ScriptRevision:
    _refuse_while_live(show)
    script = script_of(db, show)
    if parent_revision_id is None:
        parent_revision_id = script.current_revision
    elif revision_of_show(db, show, parent_revision_id) is None:
        raise NotFound("404 parent revision not found")
    highest = db.scalar(
        select(func.max(ScriptRevision.revision)).where(ScriptRevision.script_id == script.id)
    )
    revision = ScriptRevision(
        script_id=script.id,
        revision=(highest or 0) + 1,
        description=description,
        previous_revision_id=parent_revision_id,
        created_at=now,
        edited_at=now,
    )
    db.add(revision)
    db.flush()
    if set_as_current:
        script.current_revision = revision.id
        db.flush()
    record(db, show.id, Change.REVISIONS)
    return revision


def set_current_revision(db: Session, show: Show, revision_id: int) -> ScriptRevision:
    _refuse_while_live(show)
    revision = revision_of_show(db, show, revision_id)
    if revision is None:
        raise NotFound("404 script revision not found")
    script_of(db, show).current_revision = revision.id
    db.flush()
    record(db, show.id, Change.REVISIONS)
    return revision

"""Shows, their scripts and script revisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from server.changes import Change, Notice, announce, record
from server.errors import Conflict, Invalid, NotFound
from server.models import Act, Script, ScriptRevision, Show, ShowSession, StageDirectionStyle
from server.operations import user_settings
from server.timezones import server_zone_name

SHOW_DETAILS_CHANGED = Notice("NOOP", "GET_SHOW_DETAILS")


def create_show(
    db: Session,
    name: str,
    start: dt.date,
    end: dt.date,
    script_mode: int,
    now: dt.datetime,
    time_zone: str | None = None,
) -> Show:
    """A show with its script and revision 1, which becomes the current revision; in the
    venue's time zone, else the server's."""
    show = Show(
        name=name,
        start_date=start,
        end_date=end,
        script_mode=script_mode,
        created_at=now,
        edited_at=now,
        time_zone=time_zone or server_zone_name(),
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


def update_show(
    db: Session,
    show: Show,
    name: str,
    start: dt.date,
    end: dt.date,
    first_act_id: int | None,
    now: dt.datetime,
    time_zone: str | None = None,
) -> Show:
    """The loaded show's name, dates and first act (null clears it; it must be this show's)."""
    if first_act_id is not None:
        act = db.get(Act, first_act_id)
        if act is None or act.show_id != show.id:
            raise NotFound("404 act not found")
    show.name = name
    show.start_date = start
    show.end_date = end
    show.first_act_id = first_act_id
    if time_zone is not None:
        show.time_zone = time_zone
    show.edited_at = now
    db.flush()
    announce(db, SHOW_DETAILS_CHANGED)
    return show


def delete_show(db: Session, loaded: Show, show_id: int) -> None:
    """Delete a show that is not the loaded one, with its script, revisions, sessions (and
    their logs), tags and the roles users hold on it."""
    _refuse_while_live(loaded)
    if show_id == loaded.id:
        raise Invalid("Cannot delete the currently loaded show")
    show = db.get(Show, show_id, with_for_update=True)
    if show is None:
        raise NotFound("404 show not found")
    # The show and its script point back into rows that go with them: clear those first so
    # the cascade has no cycle to resolve.
    # Users' overrides name the show's styles by id, not by key: they go first.
    styles = select(StageDirectionStyle.id).join(Script).where(Script.show_id == show_id)
    for style_id in db.scalars(styles.order_by(StageDirectionStyle.id)).all():
        user_settings.delete_overrides_of(db, user_settings.STAGE_DIRECTION_STYLES, style_id)
    db.execute(update(Show).where(Show.id == show_id).values(current_session_id=None))
    db.execute(update(Script).where(Script.show_id == show_id).values(current_revision=None))
    db.execute(
        delete(Show).where(Show.id == show_id), execution_options={"synchronize_session": False}
    )
    db.expunge(show)
    announce(db, SHOW_DETAILS_CHANGED)


def delete_revision(db: Session, show: Show, revision_id: int) -> None:
    """Delete a script revision of the loaded show other than the first. Its children follow
    its parent; if it was current, its parent (or else the first revision) becomes current.
    Refused while a scheduled session names it, so that no session planned ahead loses the
    revision it is to be run from."""
    _refuse_while_live(show)
    script = script_of(db, show)
    # Locked, so that a session scheduled concurrently either is seen below or finds the
    # revision gone.
    revision = db.get(ScriptRevision, revision_id, with_for_update=True)
    if revision is None:
        raise NotFound("Revision not found")
    if revision.script_id != script.id:
        raise Invalid("Revision is not for the current script")
    if revision.revision == 1:
        raise Invalid("Cannot delete first script revision")
    scheduled = list(
        db.scalars(
            select(ShowSession.id)
            .where(
                ShowSession.script_revision_id == revision.id,
                ShowSession.start_date_time.is_(None),
            )
            .order_by(ShowSession.id)
        )
    )
    if scheduled:
        raise Conflict(
            "Revision is used by scheduled sessions: " + ", ".join(str(i) for i in scheduled)
        )
    past_sessions = db.scalar(
        select(func.count()).where(ShowSession.script_revision_id == revision.id)
    )
    current_changed = script.current_revision == revision.id
    if current_changed:
        parent = revision.previous_revision_id
        if parent is None:
            parent = db.scalar(
                select(ScriptRevision.id).where(
                    ScriptRevision.script_id == script.id, ScriptRevision.revision == 1
                )
            )
        script.current_revision = parent
    db.execute(
        update(ScriptRevision)
        .where(ScriptRevision.previous_revision_id == revision.id)
        .values(previous_revision_id=revision.previous_revision_id),
        execution_options={"synchronize_session": False},
    )
    db.flush()
    db.delete(revision)
    db.flush()
    db.expire_all()
    changes: list[Change | Notice] = [
        Notice("NOOP", "SCRIPT_REVISION_CHANGED") if current_changed else Change.REVISIONS
    ]
    if past_sessions:  # the sessions that ran from it no longer name it
        changes.append(Change.SESSIONS)
    record(db, show.id, *changes)

"""Show sessions: /api/v1/show/sessions/..."""

from __future__ import annotations

from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Prepared,
    Transaction,
    endpoint,
    id_from_path,
    route,
    show_etag,
)
from server.operations import calendar, planning, session_list, sessions
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.planning import (
    MAX_SERIES,
    CancelSessionSchema,
    ImportAnswerSchema,
    ImportQuerySchema,
    ScheduleSeriesSchema,
    SeriesAnswerSchema,
)
from server.schemas.sessions import (
    AssignTagsSchema,
    ScheduleSessionSchema,
    SessionEventSchema,
    SessionListSchema,
    SessionLogSchema,
    ShowSessionSchema,
    StartSessionSchema,
    UpdateSessionSchema,
)


def session_id_from_path(raw: str) -> int:
    """A session id from the URL; anything but a plain integer names no session."""
    return id_from_path(raw, "404 session not found")


@route(r"/api/v1/show/sessions")
class SessionListHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's sessions",
        answer=SessionListSchema,
        errors=(400,),
        transaction=Transaction.NONE,
        tag="sessions",
    )
    async def get(self, call: Call) -> Answer:
        # The body comes ready-made from the show's kept page (built off the event loop when
        # the show or a status has moved on since), as ShowSessionSchema dumps it.
        stamp = self.loaded_show_stamp()
        page = await session_list.session_page(self.database, stamp, call.now)
        return Prepared(page.body, show_etag(stamp, "sessions", str(page.epoch)))


@route(r"/api/v1/show/sessions/schedule")
class ScheduleSessionHandler(BaseAPIHandler):
    @endpoint(
        "Schedule a session (EXECUTE)",
        access=Role.EXECUTE,
        body=ScheduleSessionSchema,
        answer=CreatedSchema,
        errors=(400, 403),
        tag="sessions",
    )
    def post(self, call: Call) -> Answer:
        session_id = sessions.schedule_session(call.db, call.show, call.user, call.now, **call.body)
        return {"id": session_id, "message": "Successfully scheduled show session"}


@route(r"/api/v1/show/sessions/start")
class StartSessionHandler(BaseAPIHandler):
    @endpoint(
        "Start a scheduled or an ad-hoc session (EXECUTE)",
        access=Role.EXECUTE,
        body=StartSessionSchema,
        errors=(400, 403, 404, 409),
        tag="sessions",
    )
    def post(self, call: Call) -> Answer:
        sessions.start_session(
            call.db,
            call.show,
            call.user,
            call.now,
            call.body["session_id"],
            call.body["show_session_id"],
        )
        return {"message": "Successfully started show session"}


@route(r"/api/v1/show/sessions/stop")
class StopSessionHandler(BaseAPIHandler):
    @endpoint(
        "Stop the live session (EXECUTE)",
        access=Role.EXECUTE,
        errors=(400, 403, 409),
        tag="sessions",
    )
    def post(self, call: Call) -> Answer:
        sessions.stop_session(call.db, call.show, call.user, call.now)
        return {"message": "Successfully stopped show session"}


@route(r"/api/v1/show/sessions/assign-tags")
class AssignTagsHandler(BaseAPIHandler):
    @endpoint(
        "Replace a session's tags (WRITE)",
        access=Role.WRITE,
        body=AssignTagsSchema,
        errors=(400, 403, 404, 409),
        tag="sessions",
    )
    def patch(self, call: Call) -> Answer:
        sessions.assign_tags(
            call.db, call.show, call.body["session_id"], call.body["tag_ids"], call.user, call.now
        )
        return {"message": "Successfully assigned tags to session"}


@route(r"/api/v1/show/sessions/([^/]+)/log")
class SessionLogHandler(BaseAPIHandler):
    @endpoint(
        "A session and its log",
        access=Access.ANYONE,
        show=True,
        answer=SessionLogSchema,
        errors=(400, 404),
        tag="sessions",
        path_params=("id",),
    )
    def get(self, call: Call, raw_id: str) -> Answer:
        session = sessions.get_session(call.db, call.show, session_id_from_path(raw_id))
        board = sessions.status_board(call.db, call.show.id, call.now)
        return {
            "session": ShowSessionSchema(board.status, board.number).dump(session),
            "events": SessionEventSchema(many=True).dump(sessions.session_log(call.db, session)),
        }


@route(r"/api/v1/show/sessions/schedule/series")
class ScheduleSeriesHandler(BaseAPIHandler):
    @endpoint(
        "Schedule a run of sessions from a weekly pattern in the show's time zone, all or none;"
        f" at most {MAX_SERIES} at once; `dry_run` only lists them (EXECUTE)",
        access=Role.EXECUTE,
        body=ScheduleSeriesSchema,
        answer=SeriesAnswerSchema,
        errors=(400, 403),
        tag="sessions",
    )
    def post(self, call: Call) -> Answer:
        body = call.body
        planned = planning.schedule_series(
            call.db,
            call.show,
            call.user,
            call.now,
            body["from_"],
            body["to"],
            body["slots"],
            body["tag_ids"],
            body["script_revision_id"],
            body["except_dates"],
            body["dry_run"],
        )
        count = len(planned)
        message = (
            f"{count} show sessions would be scheduled"
            if body["dry_run"]
            else f"Successfully scheduled {count} show sessions"
        )
        return {"sessions": [p.dump() for p in planned], "message": message}


@route(r"/api/v1/show/sessions/import")
class ImportSessionsHandler(BaseAPIHandler):
    @endpoint(
        "Schedule the sessions a CSV body lists, one per line `date,time,tags` (YYYY-MM-DD, HH:MM"
        " in the show's time zone, tag names separated by ';'), all or none; a line that cannot"
        " be imported is a 400 naming each such line in `errors`; `?dry_run=true` only lists"
        f" them; at most {MAX_SERIES} lines, {planning.MAX_IMPORT_BYTES // 1024} KiB (EXECUTE)",
        access=Role.EXECUTE,
        query=ImportQuerySchema,
        answer=ImportAnswerSchema,
        errors=(400, 403),
        tag="sessions",
    )
    def post(self, call: Call) -> Answer:
        dry_run = call.query["dry_run"]
        try:
            planned = planning.import_sessions(
                call.db, call.show, call.user, call.now, self.request.body, dry_run
            )
        except planning.LineErrors as exc:
            self.set_status(400)
            return {"message": exc.message, "errors": exc.errors}
        count = len(planned)
        message = (
            f"{count} show sessions would be imported"
            if dry_run
            else f"Successfully imported {count} show sessions"
        )
        return {"sessions": [p.dump() for p in planned], "message": message}


@route(r"/api/v1/show/sessions\.ics")
class SessionCalendarHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's sessions as an iCalendar feed to subscribe to: one VEVENT per"
        " session, in the show's time zone; readable as the session list is, without a token",
        access=Access.ANYONE,
        show=True,
        answer={"type": "string"},
        answer_type="text/calendar",
        errors=(400,),
        tag="sessions",
    )
    def get(self, call: Call) -> Answer:
        body = calendar.show_calendar(call.db, call.show, call.now)
        self.set_header("Content-Type", "text/calendar; charset=utf-8")
        self.set_header("Content-Disposition", 'inline; filename="sessions.ics"')
        return Prepared(body)


@route(r"/api/v1/show/sessions\.csv")
class SessionCsvHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's sessions as CSV: planned date and time and actual start and end in"
        " the show's time zone, tags, revision, status, performance number",
        access=Access.ANYONE,
        show=True,
        answer={"type": "string"},
        answer_type="text/csv",
        errors=(400,),
        tag="sessions",
    )
    def get(self, call: Call) -> Answer:
        body = planning.export_csv(call.db, call.show, call.now)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", 'attachment; filename="sessions.csv"')
        return Prepared(body.encode("utf-8"))


@route(r"/api/v1/show/sessions/([^/]+)/cancel")
class CancelSessionHandler(BaseAPIHandler):
    @endpoint(
        "Cancel a session that has not started: it is kept with the reason, is never next up"
        " and cannot start until reinstated (EXECUTE)",
        access=Role.EXECUTE,
        body=CancelSessionSchema,
        errors=(400, 403, 404, 409),
        tag="sessions",
        path_params=("id",),
    )
    def post(self, call: Call, raw_id: str) -> Answer:
        session_id = session_id_from_path(raw_id)
        sessions.cancel_session(
            call.db, call.show, session_id, call.body["reason"], call.user, call.now
        )
        return {"message": "Successfully cancelled show session"}


@route(r"/api/v1/show/sessions/([^/]+)/reinstate")
class ReinstateSessionHandler(BaseAPIHandler):
    @endpoint(
        "Reinstate a cancelled session: it is scheduled again, at its time (EXECUTE)",
        access=Role.EXECUTE,
        errors=(400, 403, 404, 409),
        tag="sessions",
        path_params=("id",),
    )
    def post(self, call: Call, raw_id: str) -> Answer:
        session_id = session_id_from_path(raw_id)
        sessions.reinstate_session(call.db, call.show, session_id, call.user, call.now)
        return {"message": "Successfully reinstated show session"}


@route(r"/api/v1/show/sessions/([^/]+)")
class SessionHandler(BaseAPIHandler):
    @endpoint(
        "Edit a scheduled session (EXECUTE)",
        access=Role.EXECUTE,
        body=UpdateSessionSchema,
        errors=(400, 403, 404, 409),
        tag="sessions",
        path_params=("id",),
    )
    def patch(self, call: Call, raw_id: str) -> Answer:
        session_id = session_id_from_path(raw_id)
        sessions.update_session(call.db, call.show, session_id, call.user, call.now, call.body)
        return {"message": "Successfully updated show session"}

    @endpoint(
        "Delete a session that has not started (EXECUTE)",
        access=Role.EXECUTE,
        errors=(400, 403, 404, 409),
        tag="sessions",
        path_params=("id",),
    )
    def delete(self, call: Call, raw_id: str) -> Answer:
        sessions.delete_session(call.db, call.show, session_id_from_path(raw_id))
        return {"message": "Successfully deleted show session"}

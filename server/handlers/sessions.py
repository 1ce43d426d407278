"""Show sessions: /api/v1/show/sessions/..."""

from __future__ import annotations

import re

from server.errors import NotFound
from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Prepared,
    Transaction,
    endpoint,
    route,
    show_etag,
)
from server.operations import session_list, sessions
from server.roles import Role
from server.schemas.common import CreatedSchema
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

SESSION_ID = re.compile(r"[0-9]{1,18}")


def session_id_from_path(raw: str) -> int:
    """A session id from the URL; anything but a plain integer names no session."""
    if not SESSION_ID.fullmatch(raw):
        raise NotFound("404 session not found")
    return int(raw)


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
            "session": ShowSessionSchema(status_of=board.status).dump(session),
            "events": SessionEventSchema(many=True).dump(sessions.session_log(call.db, session)),
        }


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

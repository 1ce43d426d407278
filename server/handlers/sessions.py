"""Show sessions: /api/v1/show/sessions/..."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from server.errors import NotFound
from server.handlers.base import BaseAPIHandler, login_required, route
from server.models import Show
from server.operations import session_list, sessions
from server.roles import Role
from server.schemas.sessions import (
    AssignTagsSchema,
    ScheduleSessionSchema,
    SessionEventSchema,
    ShowSessionSchema,
    StartSessionSchema,
    UpdateSessionSchema,
)

SESSION_ID = re.compile(r"[0-9]{1,18}")


class SessionsBaseHandler(BaseAPIHandler):
    def session_schema(self, db: Session, show: Show, many: bool = False) -> ShowSessionSchema:
        board = sessions.status_board(db, show.id, self.now())
        return ShowSessionSchema(status_of=board.status, many=many)

    def announce_change(self) -> None:
        self.notify("NOOP", "GET_SHOW_SESSION_DATA")


def session_id_from_path(raw: str) -> int:
    """A session id from the URL; anything but a plain integer names no session."""
    if not SESSION_ID.fullmatch(raw):
        raise NotFound("404 session not found")
    return int(raw)


@route(r"/api/v1/show/sessions")
class SessionListHandler(SessionsBaseHandler):
    async def get(self) -> None:
        # The body comes ready-made from the show's kept page (built off the event loop when
        # the show or a status has moved on since), the same bytes ShowSessionSchema dumps.
        page = await session_list.session_page(self.database, self.loaded_show_stamp(), self.now())
        self.check_not_modified(page.etag)
        self.finish(page.body)


@route(r"/api/v1/show/sessions/schedule")
class ScheduleSessionHandler(SessionsBaseHandler):
    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.EXECUTE)
            data = ScheduleSessionSchema().load_body(self.json_body)
            session_id = sessions.schedule_session(
                db,
                show,
                self.require_user(),
                self.now(),
                data["scheduled_date_time"],
                data["tag_ids"],
                data["script_revision_id"],
            )
            self.announce_change()
        self.write_json({"id": session_id, "message": "Successfully scheduled show session"})


@route(r"/api/v1/show/sessions/start")
class StartSessionHandler(SessionsBaseHandler):
    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.EXECUTE)
            data = StartSessionSchema().load_body(self.json_body)
            sessions.start_session(
                db,
                show,
                self.require_user(),
                self.now(),
                data["session_id"],
                data["show_session_id"],
            )
            self.notify("START_SHOW")
            self.announce_change()
        self.write_json({"message": "Successfully started show session"})


@route(r"/api/v1/show/sessions/stop")
class StopSessionHandler(SessionsBaseHandler):
    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.EXECUTE)
            sessions.stop_session(db, show, self.require_user(), self.now())
            self.notify("STOP_SHOW")
            self.announce_change()
        self.write_json({"message": "Successfully stopped show session"})


@route(r"/api/v1/show/sessions/assign-tags")
class AssignTagsHandler(SessionsBaseHandler):
    @login_required
    def patch(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.WRITE)
            data = AssignTagsSchema().load_body(self.json_body)
            sessions.assign_tags(
                db, show, data["session_id"], data["tag_ids"], self.require_user(), self.now()
            )
            self.announce_change()
        self.write_json({"message": "Successfully assigned tags to session"})


@route(r"/api/v1/show/sessions/([^/]+)/log")
class SessionLogHandler(SessionsBaseHandler):
    def get(self, raw_id: str) -> None:
        with self.read_tx() as db:
            show = self.loaded_show(db)
            session = sessions.get_session(db, show, session_id_from_path(raw_id))
            events = sessions.session_log(db, session)
            self.write_json(
                {
                    "session": self.session_schema(db, show).dump(session),
                    "events": SessionEventSchema(many=True).dump(events),
                }
            )


@route(r"/api/v1/show/sessions/([^/]+)")
class SessionHandler(SessionsBaseHandler):
    @login_required
    def patch(self, raw_id: str) -> None:
        session_id = session_id_from_path(raw_id)
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.EXECUTE)
            changes: dict[str, Any] = UpdateSessionSchema().load_body(self.json_body, partial=True)
            sessions.update_session(db, show, session_id, self.require_user(), self.now(), changes)
            self.announce_change()
        self.write_json({"message": "Successfully updated show session"})

    @login_required
    def delete(self, raw_id: str) -> None:
        session_id = session_id_from_path(raw_id)
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.EXECUTE)
            sessions.delete_session(db, show, session_id)
            self.announce_change()
        self.write_json({"message": "Successfully deleted show session"})

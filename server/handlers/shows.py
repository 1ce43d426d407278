"""Shows and script revisions: /api/v1/show, /api/v1/shows, /api/v1/show/script/revisions."""

from __future__ import annotations

from server.handlers.base import BaseAPIHandler, admin_required, login_required, route
from server.operations import settings, shows
from server.roles import Role
from server.schemas.shows import (
    SCRIPT_MODES,
    ChangeRevisionSchema,
    CreateRevisionSchema,
    CreateShowSchema,
    ScriptRevisionSchema,
    ShowSchema,
)


@route(r"/api/v1/show")
class ShowHandler(BaseAPIHandler):
    def get(self) -> None:
        with self.read_tx() as db:
            self.write_json(ShowSchema().dump(self.loaded_show(db)))

    @admin_required
    def post(self) -> None:
        data = CreateShowSchema().load_body(self.json_body)
        load = self.get_query_argument("load", "false").lower() in ("true", "1", "yes")
        with self.write_tx() as db:
            show = shows.create_show(
                db, data["name"], data["start"], data["end"], data["script_mode"], self.now()
            )
            if load:
                settings.load_show(db, show.id)
                self.notify_settings_changed(db)
                self.notify("NOOP", "SHOW_CHANGED")
            show_id = show.id
        self.write_json({"id": show_id, "message": "Successfully created show"})


@route(r"/api/v1/show/script_modes")
class ScriptModesHandler(BaseAPIHandler):
    """The script modes a show may be created with. Needs no loaded show: the form that
    creates the first show asks for them."""

    def get(self) -> None:
        modes = [{"text": text, "value": value} for value, text in sorted(SCRIPT_MODES.items())]
        self.write_json({"script_modes": modes})


@route(r"/api/v1/shows")
class ShowsHandler(BaseAPIHandler):
    def get(self) -> None:
        with self.read_tx() as db:
            self.write_json({"shows": ShowSchema(many=True).dump(shows.list_shows(db))})


@route(r"/api/v1/show/script/revisions")
class RevisionsHandler(BaseAPIHandler):
    def get(self) -> None:
        self.check_not_modified(self.loaded_show_stamp().etag("revisions"))
        with self.read_tx() as db:
            script = shows.script_of(db, self.loaded_show(db))
            self.write_json(
                {
                    "current_revision": script.current_revision,
                    "revisions": ScriptRevisionSchema(many=True).dump(shows.revisions(db, script)),
                }
            )

    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.WRITE)
            data = CreateRevisionSchema().load_body(self.json_body)
            revision = shows.create_revision(
                db,
                show,
                data["description"],
                data["parent_revision_id"],
                data["set_as_current"],
                self.now(),
            )
            revision_id = revision.id
            self.notify("NOOP", "GET_SCRIPT_REVISIONS")
        self.write_json({"id": revision_id, "message": "Successfully added script revision"})


@route(r"/api/v1/show/script/revisions/current")
class CurrentRevisionHandler(BaseAPIHandler):
    def get(self) -> None:
        with self.read_tx() as db:
            script = shows.script_of(db, self.loaded_show(db))
            self.write_json({"current_revision": script.current_revision})

    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.WRITE)
            data = ChangeRevisionSchema().load_body(self.json_body)
            shows.set_current_revision(db, show, data["new_rev_id"])
            self.notify("NOOP", "GET_SCRIPT_REVISIONS")
        self.write_json({"message": "Successfully changed script revision"})

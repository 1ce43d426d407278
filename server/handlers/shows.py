"""Shows and script revisions: /api/v1/show, /api/v1/shows, /api/v1/show/script/revisions."""

from __future__ import annotations

from server.handlers.base import Access, Answer, BaseAPIHandler, Call, endpoint, route
from server.operations import settings, shows
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.shows import (
    SCRIPT_MODES,
    ChangeRevisionSchema,
    CreateRevisionSchema,
    CreateShowSchema,
    CurrentRevisionSchema,
    RevisionIdQuerySchema,
    RevisionListSchema,
    ScriptModeListSchema,
    ScriptRevisionSchema,
    ShowIdQuerySchema,
    ShowListSchema,
    ShowLoadQuerySchema,
    ShowSchema,
    UpdateShowSchema,
)


@route(r"/api/v1/show")
class ShowHandler(BaseAPIHandler):
    @endpoint("The loaded show", show=True, answer=ShowSchema, errors=(400,), tag="shows")
    def get(self, call: Call) -> Answer:
        return ShowSchema().dump(call.show)

    @endpoint(
        "Create a show (admin)",
        access=Access.ADMIN,
        body=CreateShowSchema,
        query=ShowLoadQuerySchema,
        answer=CreatedSchema,
        errors=(400, 403, 409),
        tag="shows",
    )
    def post(self, call: Call) -> Answer:
        body = call.body
        show = shows.create_show(
            call.db,
            body["name"],
            body["start"],
            body["end"],
            body["script_mode"],
            call.now,
            body["time_zone"],
        )
        if call.query["load_"]:
            settings.load_show(call.db, show.id)
        return {"id": show.id, "message": "Successfully created show"}

    @endpoint(
        "Change the loaded show's name, dates and first act (WRITE)",
        access=Role.WRITE,
        body=UpdateShowSchema,
        errors=(400, 403, 404),
        tag="shows",
    )
    def patch(self, call: Call) -> Answer:
        body = call.body
        shows.update_show(
            call.db,
            call.show,
            body["name"],
            body["start_date"],
            body["end_date"],
            body["first_act_id"],
            call.now,
            body["time_zone"],
        )
        # DigiScript's exact answer, which its client shows as it is.
        return {"message": "Successfully updated act"}

    @endpoint(
        "Delete a show other than the loaded one, with everything that belongs to it (admin)",
        access=Access.ADMIN,
        show=True,
        query=ShowIdQuerySchema,
        errors=(400, 403, 404, 409),
        tag="shows",
    )
    def delete(self, call: Call) -> Answer:
        shows.delete_show(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted show"}


@route(r"/api/v1/show/script_modes")
class ScriptModesHandler(BaseAPIHandler):
    # Needs no loaded show: the form that creates the first show asks for them.
    @endpoint("The script modes a show may have", answer=ScriptModeListSchema, tag="shows")
    def get(self, call: Call) -> Answer:
        modes = [{"text": text, "value": value} for value, text in sorted(SCRIPT_MODES.items())]
        return {"script_modes": modes}


@route(r"/api/v1/shows")
class ShowsHandler(BaseAPIHandler):
    @endpoint("Every show", answer=ShowListSchema, tag="shows")
    def get(self, call: Call) -> Answer:
        return {"shows": ShowSchema(many=True).dump(shows.list_shows(call.db))}


@route(r"/api/v1/show/script/revisions")
class RevisionsHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's script revisions",
        answer=RevisionListSchema,
        errors=(400,),
        etag="revisions",
        tag="shows",
    )
    def get(self, call: Call) -> Answer:
        script = shows.script_of(call.db, call.show)
        return {
            "current_revision": script.current_revision,
            "revisions": ScriptRevisionSchema(many=True).dump(shows.revisions(call.db, script)),
        }

    @endpoint(
        "Add a script revision (WRITE)",
        access=Role.WRITE,
        body=CreateRevisionSchema,
        answer=CreatedSchema,
        errors=(400, 403, 404, 409),
        tag="shows",
    )
    def post(self, call: Call) -> Answer:
        body = call.body
        revision = shows.create_revision(
            call.db,
            call.show,
            body["description"],
            body["parent_revision_id"],
            body["set_as_current"],
            call.now,
        )
        return {"id": revision.id, "message": "Successfully added script revision"}

    @endpoint(
        "Delete a script revision other than the first (WRITE); refused while a scheduled "
        "session names it",
        access=Role.WRITE,
        query=RevisionIdQuerySchema,
        errors=(400, 403, 404, 409),
        tag="shows",
    )
    def delete(self, call: Call) -> Answer:
        shows.delete_revision(call.db, call.show, call.query["rev_id"])
        return {"message": "Successfully deleted script revision"}


@route(r"/api/v1/show/script/revisions/current")
class CurrentRevisionHandler(BaseAPIHandler):
    @endpoint(
        "The current script revision",
        show=True,
        answer=CurrentRevisionSchema,
        errors=(400,),
        tag="shows",
    )
    def get(self, call: Call) -> Answer:
        return {"current_revision": shows.script_of(call.db, call.show).current_revision}

    @endpoint(
        "Change the current script revision (WRITE)",
        access=Role.WRITE,
        body=ChangeRevisionSchema,
        errors=(400, 403, 404, 409),
        tag="shows",
    )
    def post(self, call: Call) -> Answer:
        shows.set_current_revision(call.db, call.show, call.body["new_rev_id"])
        return {"message": "Successfully changed script revision"}

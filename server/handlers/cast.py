"""A show's cast: /api/v1/show/cast (+ /stats)."""

from __future__ import annotations

from server.handlers.base import Answer, BaseAPIHandler, Call, endpoint, route
from server.handlers.structure import WRITE_ERRORS
from server.operations import cast
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.structure import (
    CastInputSchema,
    CastListSchema,
    IdQuerySchema,
    LineCountsSchema,
    UpdateCastSchema,
)


@route(r"/api/v1/show/cast")
class CastHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's cast, each with the characters they play",
        answer=CastListSchema,
        errors=(400,),
        etag="cast",
        tag="cast",
    )
    def get(self, call: Call) -> Answer:
        return CastListSchema().dump({"cast": cast.list_cast(call.db, call.show)})

    @endpoint(
        "Add a cast member (WRITE)",
        access=Role.WRITE,
        body=CastInputSchema,
        answer=CreatedSchema,
        errors=WRITE_ERRORS,
        tag="cast",
    )
    def post(self, call: Call) -> Answer:
        member = cast.create_cast_member(call.db, call.show, **call.body)
        return {"id": member.id, "message": "Successfully added cast member"}

    @endpoint(
        "Edit a cast member (WRITE)",
        access=Role.WRITE,
        body=UpdateCastSchema,
        errors=WRITE_ERRORS,
        tag="cast",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        cast.update_cast_member(call.db, call.show, fields.pop("id"), **fields)
        return {"message": "Successfully updated cast member"}

    @endpoint(
        "Delete a cast member; the characters they played are left unplayed (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=WRITE_ERRORS,
        tag="cast",
    )
    def delete(self, call: Call) -> Answer:
        cast.delete_cast_member(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted cast member"}


@route(r"/api/v1/show/cast/stats")
class CastStatsHandler(BaseAPIHandler):
    @endpoint(
        "Dialogue lines of the current revision by cast member, act and scene",
        show=True,
        answer=LineCountsSchema,
        errors=(400,),
        tag="cast",
    )
    def get(self, call: Call) -> Answer:
        return {"line_counts": cast.cast_line_counts(call.db, call.show)}

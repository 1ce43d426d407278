"""Tonight's cast: /api/v1/show/casting/pools, /api/v1/show/sessions/{id}/casting (and its
changes from the principals) and the printable /api/v1/show/sessions/{id}/cast-sheet."""

from __future__ import annotations

from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Prepared,
    endpoint,
    id_from_path,
    route,
)
from server.handlers.sessions import session_id_from_path
from server.operations import casting
from server.roles import Role
from server.schemas.casting import (
    CastingChangesSchema,
    CastingInputSchema,
    CastSheetQuerySchema,
    MatrixQuerySchema,
    MatrixSchema,
    PoolInputSchema,
    PoolListSchema,
    PoolSchema,
    SessionCastingSchema,
)


def character_id_from_path(raw: str) -> int:
    """A character id from the URL; anything but a plain integer names no character."""
    return id_from_path(raw, casting.CHARACTER_NOT_FOUND)


@route(r"/api/v1/show/casting")
class CastingMatrixHandler(BaseAPIHandler):
    @endpoint(
        "The casting matrix: characters x the performances from one date to another (the "
        "venue's dates, at most a year), which cells are covers, and each performance's warnings",
        query=MatrixQuerySchema,
        answer=MatrixSchema,
        errors=(400,),
        etag="casting-matrix",
        tag="casting",
    )
    def get(self, call: Call) -> Answer:
        return casting.matrix(call.db, call.show, call.query["from_"], call.query["to"])


@route(r"/api/v1/show/casting/pools")
class CastingPoolsHandler(BaseAPIHandler):
    @endpoint(
        "Each character's pool of eligible cast members, the principal first",
        answer=PoolListSchema,
        errors=(400,),
        etag="casting-pools",
        tag="casting",
    )
    def get(self, call: Call) -> Answer:
        return {"pools": casting.list_pools(call.db, call.show)}


@route(r"/api/v1/show/casting/pools/([^/]+)")
class CastingPoolHandler(BaseAPIHandler):
    @endpoint(
        "Replace a character's pool; the first is the principal (the character's played_by), "
        "and performances not yet started whose performer left the pool fall back to the "
        "highest-ranked one left (WRITE)",
        access=Role.WRITE,
        body=PoolInputSchema,
        answer=PoolSchema,
        errors=(400, 403, 404, 409),
        tag="casting",
        path_params=("id",),
    )
    def put(self, call: Call, raw_id: str) -> Answer:
        character_id = character_id_from_path(raw_id)
        cast_ids = casting.replace_pool(
            call.db, call.show, character_id, call.body["cast_ids"], call.user, call.now
        )
        return {"character_id": character_id, "cast_ids": cast_ids}


@route(r"/api/v1/show/sessions/([^/]+)/casting")
class SessionCastingHandler(BaseAPIHandler):
    @endpoint(
        "Who plays each character at a session, with the checks to look at",
        access=Access.ANYONE,
        show=True,
        answer=SessionCastingSchema,
        errors=(400, 404),
        etag="session-casting",
        tag="casting",
        path_params=("id",),
    )
    def get(self, call: Call, raw_id: str) -> Answer:
        return casting.session_casting(call.db, call.show, session_id_from_path(raw_id))

    @endpoint(
        "Change who plays some characters at a session not yet started; each performer must "
        "be in the character's pool (EXECUTE)",
        access=Role.EXECUTE,
        body=CastingInputSchema,
        answer=SessionCastingSchema,
        errors=(400, 403, 404, 409),
        tag="casting",
        path_params=("id",),
    )
    def patch(self, call: Call, raw_id: str) -> Answer:
        session_id = session_id_from_path(raw_id)
        return casting.change_casting(
            call.db, call.show, session_id, call.body["casting"], call.user, call.now
        )


@route(r"/api/v1/show/sessions/([^/]+)/casting/changes")
class CastingChangesHandler(BaseAPIHandler):
    @endpoint(
        "Cast changes tonight: the characters a session gives to someone other than their "
        "principal (or to nobody), with names, and the session's warnings",
        access=Access.ANYONE,
        show=True,
        answer=CastingChangesSchema,
        errors=(400, 404),
        etag="session-casting-changes",
        tag="casting",
        path_params=("id",),
    )
    def get(self, call: Call, raw_id: str) -> Answer:
        return casting.casting_changes(call.db, call.show, session_id_from_path(raw_id))


@route(r"/api/v1/show/sessions/([^/]+)/cast-sheet")
class CastSheetHandler(BaseAPIHandler):
    @endpoint(
        "A performance's printable cast sheet: the show, its date and time in the venue's zone, "
        "its tags, the cast changes, the warnings and who plays each character, covers marked "
        "(an HTML page with print styles; ?format=csv for character, performer, principal, "
        "is_cover as CSV)",
        access=Access.ANYONE,
        show=True,
        query=CastSheetQuerySchema,
        answer={"type": "string"},
        answer_type=("text/html", "text/csv"),
        errors=(400, 404),
        tag="casting",
        path_params=("id",),
    )
    def get(self, call: Call, raw_id: str) -> Answer:
        session_id = session_id_from_path(raw_id)
        sheet = casting.cast_sheet(call.db, call.show, session_id, call.now)
        name = f"cast-sheet-{session_id}"
        if call.query["format"] == "csv":
            self.set_header("Content-Type", "text/csv; charset=utf-8")
            self.set_header("Content-Disposition", f'attachment; filename="{name}.csv"')
            return Prepared(casting.cast_sheet_csv(sheet).encode("utf-8"))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Disposition", f'inline; filename="{name}.html"')
        return Prepared(casting.cast_sheet_html(sheet).encode("utf-8"))

"""A show's running order: /api/v1/show/act (+ /first_scene) and /api/v1/show/scene."""

from __future__ import annotations

from server.handlers.base import Answer, BaseAPIHandler, Call, endpoint, route
from server.operations import structure
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.structure import (
    ActInputSchema,
    ActListSchema,
    FirstSceneSchema,
    IdQuerySchema,
    SceneInputSchema,
    SceneListSchema,
    UpdateActSchema,
    UpdateSceneSchema,
)

# Every change is refused while a session is live (409), as DigiScript refuses it.
WRITE_ERRORS = (400, 403, 404, 409)


@route(r"/api/v1/show/act")
class ActsHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's acts",
        answer=ActListSchema,
        errors=(400,),
        etag="acts",
        tag="structure",
    )
    def get(self, call: Call) -> Answer:
        return ActListSchema().dump({"acts": structure.list_acts(call.db, call.show)})

    @endpoint(
        "Add an act after the one named as its previous (else first, or unplaced) (WRITE)",
        access=Role.WRITE,
        body=ActInputSchema,
        answer=CreatedSchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def post(self, call: Call) -> Answer:
        act = structure.create_act(call.db, call.show, **call.body)
        return {"id": act.id, "message": "Successfully added act"}

    @endpoint(
        "Edit an act, or move it after another (WRITE)",
        access=Role.WRITE,
        body=UpdateActSchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        structure.update_act(call.db, call.show, fields.pop("id"), **fields)
        return {"message": "Successfully updated act"}

    @endpoint(
        "Delete an act and its scenes; the act after it moves up (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def delete(self, call: Call) -> Answer:
        structure.delete_act(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted act"}


@route(r"/api/v1/show/act/first_scene")
class FirstSceneHandler(BaseAPIHandler):
    @endpoint(
        "Name an act's first scene: one of its scenes with no previous scene (WRITE)",
        access=Role.WRITE,
        body=FirstSceneSchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def post(self, call: Call) -> Answer:
        structure.set_first_scene(call.db, call.show, call.body["act_id"], call.body["scene_id"])
        return {"message": "Successfully set first scene"}


@route(r"/api/v1/show/scene")
class ScenesHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's scenes",
        answer=SceneListSchema,
        errors=(400,),
        etag="scenes",
        tag="structure",
    )
    def get(self, call: Call) -> Answer:
        return SceneListSchema().dump({"scenes": structure.list_scenes(call.db, call.show)})

    @endpoint(
        "Add a scene to an act after the one named as its previous (WRITE)",
        access=Role.WRITE,
        body=SceneInputSchema,
        answer=CreatedSchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def post(self, call: Call) -> Answer:
        scene = structure.create_scene(call.db, call.show, **call.body)
        return {"id": scene.id, "message": "Successfully added scene"}

    @endpoint(
        "Edit a scene, or move it after another or to another act (WRITE)",
        access=Role.WRITE,
        body=UpdateSceneSchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def patch(self, call: Call) -> Answer:
        structure.update_scene(call.db, call.show, **call.body)
        return {"message": "Successfully updated scene"}

    @endpoint(
        "Delete a scene; the scene after it moves up (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=WRITE_ERRORS,
        tag="structure",
    )
    def delete(self, call: Call) -> Answer:
        structure.delete_scene(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted scene"}

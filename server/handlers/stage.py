"""The loaded show's stage: /api/v1/show/stage/crew (+ /assignments), /api/v1/show/stage/props
(+ /types, /allocations) and /api/v1/show/stage/scenery (+ /types, /allocations)."""

from __future__ import annotations

from server.handlers.base import Answer, BaseAPIHandler, Call, endpoint, route
from server.operations import stage
from server.operations.stage import PROPS, SCENERY
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.stage import (
    CrewAssignmentInputSchema,
    CrewAssignmentListSchema,
    CrewAssignmentSchema,
    CrewInputSchema,
    CrewListSchema,
    CrewSchema,
    IdQuerySchema,
    PropsAllocationInputSchema,
    PropsAllocationListSchema,
    PropsAllocationSchema,
    PropsInputSchema,
    PropsListSchema,
    PropsSchema,
    PropTypeListSchema,
    PropTypeSchema,
    SceneryAllocationInputSchema,
    SceneryAllocationListSchema,
    SceneryAllocationSchema,
    SceneryInputSchema,
    SceneryListSchema,
    ScenerySchema,
    SceneryTypeListSchema,
    SceneryTypeSchema,
    TypeInputSchema,
    UpdateCrewAssignmentSchema,
    UpdateCrewSchema,
    UpdatePropsSchema,
    UpdateScenerySchema,
    UpdateTypeSchema,
)

CHANGE_ERRORS = (400, 403, 404, 409)

# -- props --------------------------------------------------------------------------------------


@route(r"/api/v1/show/stage/props/types")
class PropTypesHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's prop types",
        show=True,
        answer=PropTypeListSchema,
        errors=(400,),
        tag="stage",
    )
    def get(self, call: Call) -> Answer:
        types = stage.list_types(call.db, call.show, PROPS)
        return {"prop_types": PropTypeSchema(many=True).dump(types)}

    @endpoint(
        "Add a prop type (WRITE)",
        access=Role.WRITE,
        body=TypeInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        item_type = stage.create_type(call.db, call.show, PROPS, **call.body)
        return {"id": item_type.id, "message": "Successfully added prop type"}

    @endpoint(
        "Edit a prop type (WRITE)",
        access=Role.WRITE,
        body=UpdateTypeSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        stage.update_type(call.db, call.show, PROPS, fields.pop("id"), **fields)
        return {"message": "Successfully updated prop type"}

    @endpoint(
        "Delete a prop type with its props (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_type(call.db, call.show, PROPS, call.query["id"])
        return {"message": "Successfully deleted prop type"}


@route(r"/api/v1/show/stage/props")
class PropsHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's props", show=True, answer=PropsListSchema, errors=(400,), tag="stage"
    )
    def get(self, call: Call) -> Answer:
        items = stage.list_items(call.db, call.show, PROPS)
        return {"props": PropsSchema(many=True).dump(items)}

    @endpoint(
        "Add a prop (WRITE)",
        access=Role.WRITE,
        body=PropsInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        item = stage.create_item(call.db, call.show, PROPS, dict(call.body))
        return {"id": item.id, "message": "Successfully added props"}

    @endpoint(
        "Edit a prop (WRITE)",
        access=Role.WRITE,
        body=UpdatePropsSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        stage.update_item(call.db, call.show, PROPS, fields.pop("id"), fields)
        return {"message": "Successfully updated props"}

    @endpoint(
        "Delete a prop with its allocations and crew assignments (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_item(call.db, call.show, PROPS, call.query["id"])
        return {"message": "Successfully deleted props"}


@route(r"/api/v1/show/stage/props/allocations")
class PropsAllocationsHandler(BaseAPIHandler):
    @endpoint(
        "The scenes each of the loaded show's props is on stage for",
        show=True,
        answer=PropsAllocationListSchema,
        errors=(400,),
        tag="stage",
    )
    def get(self, call: Call) -> Answer:
        allocations = stage.list_allocations(call.db, call.show, PROPS)
        return {"allocations": PropsAllocationSchema(many=True).dump(allocations)}

    @endpoint(
        "Put a prop on stage in a scene (WRITE)",
        access=Role.WRITE,
        body=PropsAllocationInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        allocation = stage.create_allocation(
            call.db, call.show, PROPS, call.body["props_id"], call.body["scene_id"]
        )
        return {"id": allocation.id, "message": "Successfully added allocation"}

    @endpoint(
        "Take a prop off stage in a scene (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_allocation(call.db, call.show, PROPS, call.query["id"])
        return {"message": "Successfully deleted allocation"}


# -- scenery ------------------------------------------------------------------------------------


@route(r"/api/v1/show/stage/scenery/types")
class SceneryTypesHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's scenery types",
        show=True,
        answer=SceneryTypeListSchema,
        errors=(400,),
        tag="stage",
    )
    def get(self, call: Call) -> Answer:
        types = stage.list_types(call.db, call.show, SCENERY)
        return {"scenery_types": SceneryTypeSchema(many=True).dump(types)}

    @endpoint(
        "Add a scenery type (WRITE)",
        access=Role.WRITE,
        body=TypeInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        item_type = stage.create_type(call.db, call.show, SCENERY, **call.body)
        return {"id": item_type.id, "message": "Successfully added scenery type"}

    @endpoint(
        "Edit a scenery type (WRITE)",
        access=Role.WRITE,
        body=UpdateTypeSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        stage.update_type(call.db, call.show, SCENERY, fields.pop("id"), **fields)
        return {"message": "Successfully updated scenery type"}

    @endpoint(
        "Delete a scenery type with its scenery (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_type(call.db, call.show, SCENERY, call.query["id"])
        return {"message": "Successfully deleted scenery type"}


@route(r"/api/v1/show/stage/scenery")
class SceneryHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's scenery", show=True, answer=SceneryListSchema, errors=(400,), tag="stage"
    )
    def get(self, call: Call) -> Answer:
        items = stage.list_items(call.db, call.show, SCENERY)
        return {"scenery": ScenerySchema(many=True).dump(items)}

    @endpoint(
        "Add a piece of scenery (WRITE)",
        access=Role.WRITE,
        body=SceneryInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        item = stage.create_item(call.db, call.show, SCENERY, dict(call.body))
        return {"id": item.id, "message": "Successfully added scenery"}

    @endpoint(
        "Edit a piece of scenery (WRITE)",
        access=Role.WRITE,
        body=UpdateScenerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        stage.update_item(call.db, call.show, SCENERY, fields.pop("id"), fields)
        return {"message": "Successfully updated scenery"}

    @endpoint(
        "Delete a piece of scenery with its allocations and crew assignments (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_item(call.db, call.show, SCENERY, call.query["id"])
        return {"message": "Successfully deleted scenery"}


@route(r"/api/v1/show/stage/scenery/allocations")
class SceneryAllocationsHandler(BaseAPIHandler):
    @endpoint(
        "The scenes each of the loaded show's pieces of scenery is on stage for",
        show=True,
        answer=SceneryAllocationListSchema,
        errors=(400,),
        tag="stage",
    )
    def get(self, call: Call) -> Answer:
        allocations = stage.list_allocations(call.db, call.show, SCENERY)
        return {"allocations": SceneryAllocationSchema(many=True).dump(allocations)}

    @endpoint(
        "Put a piece of scenery on stage in a scene (WRITE)",
        access=Role.WRITE,
        body=SceneryAllocationInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        allocation = stage.create_allocation(
            call.db, call.show, SCENERY, call.body["scenery_id"], call.body["scene_id"]
        )
        return {"id": allocation.id, "message": "Successfully added allocation"}

    @endpoint(
        "Take a piece of scenery off stage in a scene (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_allocation(call.db, call.show, SCENERY, call.query["id"])
        return {"message": "Successfully deleted allocation"}


# -- crew ---------------------------------------------------------------------------------------


@route(r"/api/v1/show/stage/crew")
class CrewHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's crew", show=True, answer=CrewListSchema, errors=(400,), tag="stage"
    )
    def get(self, call: Call) -> Answer:
        return {"crew": CrewSchema(many=True).dump(stage.list_crew(call.db, call.show))}

    @endpoint(
        "Add a crew member (WRITE)",
        access=Role.WRITE,
        body=CrewInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        crew = stage.create_crew(call.db, call.show, **call.body)
        return {"id": crew.id, "message": "Successfully added crew member"}

    @endpoint(
        "Edit a crew member (WRITE)",
        access=Role.WRITE,
        body=UpdateCrewSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        stage.update_crew(call.db, call.show, fields.pop("id"), **fields)
        return {"message": "Successfully updated crew member"}

    @endpoint(
        "Delete a crew member with their assignments (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_crew(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted crew member"}


@route(r"/api/v1/show/stage/crew/assignments")
class CrewAssignmentsHandler(BaseAPIHandler):
    @endpoint(
        "Who sets and strikes what, and in which scene, for the loaded show",
        show=True,
        answer=CrewAssignmentListSchema,
        errors=(400,),
        tag="stage",
    )
    def get(self, call: Call) -> Answer:
        assignments = stage.list_assignments(call.db, call.show)
        return {"assignments": CrewAssignmentSchema(many=True).dump(assignments)}

    @endpoint(
        "Assign a crew member to set or strike a prop or piece of scenery (WRITE)",
        access=Role.WRITE,
        body=CrewAssignmentInputSchema,
        answer=CreatedSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def post(self, call: Call) -> Answer:
        assignment = stage.create_assignment(call.db, call.show, call.body)
        return {"id": assignment.id, "message": "Successfully created crew assignment"}

    @endpoint(
        "Change a crew assignment (WRITE)",
        access=Role.WRITE,
        body=UpdateCrewAssignmentSchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        stage.update_assignment(call.db, call.show, fields.pop("id"), fields)
        return {"message": "Successfully updated crew assignment"}

    @endpoint(
        "Delete a crew assignment (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=CHANGE_ERRORS,
        tag="stage",
    )
    def delete(self, call: Call) -> Answer:
        stage.delete_assignment(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted crew assignment"}

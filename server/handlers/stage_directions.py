"""Stage direction styles: /api/v1/show/script/stage_direction_styles."""

from __future__ import annotations

from server.handlers.base import Access, Answer, BaseAPIHandler, Call, endpoint, route
from server.operations import stage_directions
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.stage_directions import (
    StageDirectionStyleIdQuerySchema,
    StageDirectionStyleInputSchema,
    StageDirectionStyleListSchema,
    StageDirectionStyleSchema,
    StyleImportSchema,
    UpdateStageDirectionStyleSchema,
)


@route(r"/api/v1/show/script/stage_direction_styles")
class StageDirectionStylesHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's stage direction styles",
        show=True,
        answer=StageDirectionStyleListSchema,
        errors=(400,),
        tag="script",
    )
    def get(self, call: Call) -> Answer:
        styles = stage_directions.list_styles(call.db, call.show)
        return {"styles": StageDirectionStyleSchema(many=True).dump(styles)}

    @endpoint(
        "Add a stage direction style (WRITE)",
        access=Role.WRITE,
        body=StageDirectionStyleInputSchema,
        answer=CreatedSchema,
        errors=(400, 403, 404, 409),
        tag="script",
    )
    def post(self, call: Call) -> Answer:
        style = stage_directions.create_style(call.db, call.show, call.body)
        return {"id": style.id, "message": "Successfully added stage direction style"}

    @endpoint(
        "Edit a stage direction style (WRITE)",
        access=Role.WRITE,
        body=UpdateStageDirectionStyleSchema,
        errors=(400, 403, 404, 409),
        tag="script",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        style_id = fields.pop("id")
        stage_directions.update_style(call.db, call.show, style_id, fields)
        return {"message": "Successfully edited stage direction style"}

    @endpoint(
        "Delete a stage direction style (WRITE)",
        access=Role.WRITE,
        query=StageDirectionStyleIdQuerySchema,
        errors=(400, 403, 404, 409),
        tag="script",
    )
    def delete(self, call: Call) -> Answer:
        stage_directions.delete_style(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted stage direction style"}


@route(r"/api/v1/show/script/stage_direction_styles/import")
class ImportStageDirectionStylesHandler(BaseAPIHandler):
    @endpoint(
        "Other shows' stage direction styles, grouped by show (signed in)",
        access=Access.SIGNED_IN,
        show=True,
        answer=StyleImportSchema,
        errors=(400, 401),
        tag="script",
    )
    def get(self, call: Call) -> Answer:
        groups = stage_directions.style_groups_of_other_shows(call.db, call.show)
        return StyleImportSchema().dump(
            {
                "style_groups": [
                    {"id": other.id, "name": other.name, "styles": styles}
                    for other, styles in groups
                ]
            }
        )

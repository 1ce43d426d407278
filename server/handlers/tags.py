"""Session tags: /api/v1/show/session/tags."""

from __future__ import annotations

from server.handlers.base import Answer, BaseAPIHandler, Call, endpoint, route
from server.operations import tags
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.tags import (
    CreateTagSchema,
    SessionTagSchema,
    TagIdQuerySchema,
    TagImportSchema,
    TagListSchema,
    UpdateTagSchema,
)


@route(r"/api/v1/show/session/tags")
class SessionTagsHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's session tags",
        answer=TagListSchema,
        errors=(400,),
        etag="tags",
        tag="tags",
    )
    def get(self, call: Call) -> Answer:
        return {"tags": SessionTagSchema(many=True).dump(tags.list_tags(call.db, call.show))}

    @endpoint(
        "Add a session tag (WRITE)",
        access=Role.WRITE,
        body=CreateTagSchema,
        answer=CreatedSchema,
        errors=(400, 403, 409),
        tag="tags",
    )
    def post(self, call: Call) -> Answer:
        tag = tags.create_tag(call.db, call.show, call.body["tag"], call.body["colour"])
        return {"id": tag.id, "message": "Successfully added session tag"}

    @endpoint(
        "Edit a session tag (WRITE)",
        access=Role.WRITE,
        body=UpdateTagSchema,
        errors=(400, 403, 404, 409),
        tag="tags",
    )
    def patch(self, call: Call) -> Answer:
        body = call.body
        tags.update_tag(call.db, call.show, body["id"], body["tag"], body["colour"])
        return {"message": "Successfully updated session tag"}

    @endpoint(
        "Delete a session tag and its assignments (WRITE)",
        access=Role.WRITE,
        query=TagIdQuerySchema,
        errors=(400, 403, 404, 409),
        tag="tags",
    )
    def delete(self, call: Call) -> Answer:
        tags.delete_tag(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted session tag"}


@route(r"/api/v1/show/session/tags/import")
class ImportTagsHandler(BaseAPIHandler):
    @endpoint(
        "Other shows' tags, grouped by show",
        show=True,
        answer=TagImportSchema,
        errors=(400,),
        tag="tags",
    )
    def get(self, call: Call) -> Answer:
        groups = tags.tag_groups_of_other_shows(call.db, call.show)
        return TagImportSchema().dump(
            {
                "tag_groups": [
                    {"id": other.id, "name": other.name, "tags": group} for other, group in groups
                ]
            }
        )

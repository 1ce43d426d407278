"""Session tags: /api/v1/show/session/tags."""

from __future__ import annotations

import re

from server.handlers.base import BaseAPIHandler, login_required, route
from server.operations import tags
from server.roles import Role
from server.schemas.tags import CreateTagSchema, SessionTagSchema, TagIdQuerySchema, UpdateTagSchema


@route(r"/api/v1/show/session/tags")
class SessionTagsHandler(BaseAPIHandler):
    def get(self) -> None:
        self.check_not_modified(self.loaded_show_stamp().etag("tags"))
        with self.read_tx() as db:
            show = self.loaded_show(db)
            self.write_json({"tags": SessionTagSchema(many=True).dump(tags.list_tags(db, show))})

    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.WRITE)
            data = CreateTagSchema().load_body(self.json_body)
            tag = tags.create_tag(db, show, data["tag"], data["colour"])
            tag_id = tag.id
            self.notify("NOOP", "GET_SESSION_TAGS")
        self.write_json({"id": tag_id, "message": "Successfully added session tag"})

    @login_required
    def patch(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.WRITE)
            data = UpdateTagSchema().load_body(self.json_body)
            tags.update_tag(db, show, data["id"], data["tag"], data["colour"])
            self.notify("NOOP", "GET_SESSION_TAGS")
            self.notify("NOOP", "GET_SHOW_SESSION_DATA")
        self.write_json({"message": "Successfully updated session tag"})

    @login_required
    def delete(self) -> None:
        with self.write_tx() as db:
            show = self.loaded_show(db, needs=Role.WRITE)
            query = {
                k: _int_or_text(v[-1].decode(errors="replace"))
                for k, v in self.request.query_arguments.items()
            }
            data = TagIdQuerySchema().load_body(query)
            tags.delete_tag(db, show, data["id"])
            self.notify("NOOP", "GET_SESSION_TAGS")
            self.notify("NOOP", "GET_SHOW_SESSION_DATA")
        self.write_json({"message": "Successfully deleted session tag"})


INTEGER = re.compile(r"-?[0-9]{1,18}")


def _int_or_text(value: str) -> int | str | None:
    """Query strings carry text; `?id=7` means the integer 7, and a bare `?id=` no id at all."""
    if not value.strip():
        return None
    return int(value) if INTEGER.fullmatch(value) else value


@route(r"/api/v1/show/session/tags/import")
class ImportTagsHandler(BaseAPIHandler):
    def get(self) -> None:
        with self.read_tx() as db:
            show = self.loaded_show(db)
            groups = tags.tag_groups_of_other_shows(db, show)
            self.write_json(
                {
                    "tag_groups": [
                        {
                            "id": other.id,
                            "name": other.name,
                            "tags": SessionTagSchema(many=True).dump(group),
                        }
                        for other, group in groups
                    ]
                }
            )

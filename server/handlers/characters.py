"""A show's characters: /api/v1/show/character (+ /group, /merge, /stats)."""

from __future__ import annotations

from server.handlers.base import Answer, BaseAPIHandler, Call, endpoint, route
from server.handlers.structure import WRITE_ERRORS
from server.operations import characters
from server.roles import Role
from server.schemas.common import CreatedSchema
from server.schemas.structure import (
    CharacterGroupInputSchema,
    CharacterGroupListSchema,
    CharacterInputSchema,
    CharacterListSchema,
    IdQuerySchema,
    LineCountsSchema,
    MergeCharactersSchema,
    UpdateCharacterGroupSchema,
    UpdateCharacterSchema,
)


@route(r"/api/v1/show/character")
class CharactersHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's characters, each with who plays it",
        answer=CharacterListSchema,
        errors=(400,),
        etag="characters",
        tag="characters",
    )
    def get(self, call: Call) -> Answer:
        found = characters.list_characters(call.db, call.show)
        return CharacterListSchema().dump({"characters": found})

    @endpoint(
        "Add a character (WRITE)",
        access=Role.WRITE,
        body=CharacterInputSchema,
        answer=CreatedSchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def post(self, call: Call) -> Answer:
        character = characters.create_character(call.db, call.show, **call.body)
        # DigiScript's words for this answer, which its client may show.
        return {"id": character.id, "message": "Successfully added cast member"}

    @endpoint(
        "Edit a character (WRITE)",
        access=Role.WRITE,
        body=UpdateCharacterSchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        characters.update_character(call.db, call.show, fields.pop("id"), **fields)
        return {"message": "Successfully updated character"}

    @endpoint(
        "Delete a character; its groups lose it (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def delete(self, call: Call) -> Answer:
        characters.delete_character(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted character"}


@route(r"/api/v1/show/character/merge")
class MergeCharactersHandler(BaseAPIHandler):
    @endpoint(
        "Merge one character into another, which takes its place everywhere (WRITE)",
        access=Role.WRITE,
        body=MergeCharactersSchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def post(self, call: Call) -> Answer:
        characters.merge_characters(
            call.db, call.show, call.body["source_id"], call.body["destination_id"]
        )
        return {"message": "Successfully merged character"}


@route(r"/api/v1/show/character/stats")
class CharacterStatsHandler(BaseAPIHandler):
    @endpoint(
        "Dialogue lines of the current revision by character, act and scene",
        show=True,
        answer=LineCountsSchema,
        errors=(400,),
        tag="characters",
    )
    def get(self, call: Call) -> Answer:
        return {"line_counts": characters.line_counts(call.db, call.show)}


@route(r"/api/v1/show/character/group")
class CharacterGroupsHandler(BaseAPIHandler):
    @endpoint(
        "The loaded show's character groups",
        answer=CharacterGroupListSchema,
        errors=(400,),
        etag="character_groups",
        tag="characters",
    )
    def get(self, call: Call) -> Answer:
        groups = characters.list_character_groups(call.db, call.show)
        return CharacterGroupListSchema().dump({"character_groups": groups})

    @endpoint(
        "Add a character group (WRITE)",
        access=Role.WRITE,
        body=CharacterGroupInputSchema,
        answer=CreatedSchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def post(self, call: Call) -> Answer:
        group = characters.create_character_group(call.db, call.show, **call.body)
        return {"id": group.id, "message": "Successfully added new character group"}

    @endpoint(
        "Edit a character group and who is in it (WRITE)",
        access=Role.WRITE,
        body=UpdateCharacterGroupSchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def patch(self, call: Call) -> Answer:
        fields = dict(call.body)
        characters.update_character_group(call.db, call.show, fields.pop("id"), **fields)
        return {"message": "Successfully updated character group"}

    @endpoint(
        "Delete a character group (WRITE)",
        access=Role.WRITE,
        query=IdQuerySchema,
        errors=WRITE_ERRORS,
        tag="characters",
    )
    def delete(self, call: Call) -> Answer:
        characters.delete_character_group(call.db, call.show, call.query["id"])
        return {"message": "Successfully deleted character group"}

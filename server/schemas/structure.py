"""Shapes of a show's structure and people: acts, scenes, characters, character groups and cast,
as DigiScript's client reads and sends them."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.schemas.base import (
    InputSchema,
    IntegerList,
    QueryInteger,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)

# -- answers ----------------------------------------------------------------------------------


class ActSchema(Schema):
    id = fields.Integer(required=True)
    show_id = fields.Integer(required=True)
    name = fields.String(required=True)
    interval_after = fields.Boolean(required=True)
    first_scene = fields.Integer(required=True, allow_none=True)
    previous_act = fields.Integer(required=True, allow_none=True)
    next_act = fields.Integer(required=True, allow_none=True)
    scene_list = fields.List(fields.Integer(), required=True)


class ActListSchema(Schema):
    acts = fields.List(fields.Nested(ActSchema), required=True)


class SceneSchema(Schema):
    id = fields.Integer(required=True)
    show_id = fields.Integer(required=True)
    act = fields.Integer(required=True)
    name = fields.String(required=True)
    previous_scene = fields.Integer(required=True, allow_none=True)
    next_scene = fields.Integer(required=True, allow_none=True)


class SceneListSchema(Schema):
    scenes = fields.List(fields.Nested(SceneSchema), required=True)


class CastMemberRefSchema(Schema):
    id = fields.Integer(required=True)
    first_name = fields.String(required=True, allow_none=True)
    last_name = fields.String(required=True, allow_none=True)


class _CharacterFields(Schema):
    id = fields.Integer(required=True)
    show_id = fields.Integer(required=True)
    played_by = fields.Integer(required=True, allow_none=True)
    name = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    character_groups = fields.List(fields.Integer(), required=True)


class CharacterSchema(_CharacterFields):
    cast_member = fields.Nested(CastMemberRefSchema, required=True, allow_none=True)


class CharacterListSchema(Schema):
    characters = fields.List(fields.Nested(CharacterSchema), required=True)


class CharacterGroupSchema(Schema):
    id = fields.Integer(required=True)
    show_id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    characters = fields.List(fields.Integer(), required=True)


class CharacterGroupListSchema(Schema):
    character_groups = fields.List(fields.Nested(CharacterGroupSchema), required=True)


class CastSchema(Schema):
    id = fields.Integer(required=True)
    show_id = fields.Integer(required=True)
    first_name = fields.String(required=True, allow_none=True)
    last_name = fields.String(required=True, allow_none=True)
    character_list = fields.List(fields.Nested(_CharacterFields), required=True)


class CastListSchema(Schema):
    cast = fields.List(fields.Nested(CastSchema), required=True)


class LineCountsSchema(Schema):
    """Dialogue lines of the current revision by character (or cast member), act and scene."""

    line_counts = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String())),
        required=True,
    )


# -- requests ---------------------------------------------------------------------------------


def _name(label: str = "Name", key: str | None = None) -> StrictString:
    return StrictString(
        required=True,
        data_key=key,
        error_messages=messages(
            f"{label} missing",
            f"{label} must be a string",
            too_long=f"{label} must be 255 characters or fewer",
            control=f"{label} must not contain control characters",
        ),
    )


def _description() -> StrictString:
    return StrictString(
        allow_none=True,
        load_default=None,
        max_length=1000,
        blank_is_missing=False,
        error_messages=messages(
            "Description must be a string",
            too_long="Description must be 1000 characters or fewer",
            control="Description must not contain control characters",
        ),
    )


def _id(missing: str = "ID missing", label: str = "ID") -> StrictInteger:
    return StrictInteger(
        required=True, error_messages=messages(missing, f"{label} must be an integer")
    )


def _optional_id(label: str) -> StrictInteger:
    return StrictInteger(
        allow_none=True,
        load_default=None,
        error_messages=messages(f"{label} must be an integer"),
    )


class IdQuerySchema(InputSchema):
    """`?id=<id>`."""

    id = QueryInteger(required=True, error_messages=messages("ID missing", "Invalid ID"))


class ActInputSchema(InputSchema):
    name = _name()
    interval_after = StrictBoolean(
        required=True,
        error_messages=messages("Interval after missing", "Interval after must be true or false"),
    )
    previous_act_id = _optional_id("Previous act ID")


class _IdSchema(InputSchema):
    id = _id()


class UpdateActSchema(ActInputSchema, _IdSchema):
    """The act's id, checked first, and all of its fields."""


class FirstSceneSchema(InputSchema):
    act_id = _id("Act ID missing", "Act ID")
    scene_id = StrictInteger(
        required=True,
        allow_none=True,
        error_messages={
            "required": "Scene ID missing",
            "invalid": "Scene ID must be an integer",
        },
    )


class SceneInputSchema(InputSchema):
    act_id = _id("Act ID missing", "Act ID")
    name = _name()
    previous_scene_id = _optional_id("Previous scene ID")


class _SceneIdSchema(InputSchema):
    scene_id = _id()


class UpdateSceneSchema(SceneInputSchema, _SceneIdSchema):
    """The scene's id (`scene_id`), checked first, and all of its fields."""


class CharacterInputSchema(InputSchema):
    name = _name()
    description = _description()
    played_by = _optional_id("Played by")


class UpdateCharacterSchema(CharacterInputSchema, _IdSchema):
    """The id, checked first, and all of the fields."""


class MergeCharactersSchema(InputSchema):
    source_id = _id()
    destination_id = _id()


class CharacterGroupInputSchema(InputSchema):
    name = _name()
    description = _description()
    characters = IntegerList(
        load_default=list,
        allow_none=False,
        error_messages=messages(
            "Characters must be a list of character IDs",
            duplicate="Characters must not repeat a character",
        ),
    )


class UpdateCharacterGroupSchema(CharacterGroupInputSchema, _IdSchema):
    """The id, checked first, and all of the fields."""


class CastInputSchema(InputSchema):
    first_name = _name("First name", "firstName")
    last_name = _name("Last name", "lastName")


class UpdateCastSchema(CastInputSchema, _IdSchema):
    """The id, checked first, and all of the fields."""

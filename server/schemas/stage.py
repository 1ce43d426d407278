"""Stage shapes: crew and their set/strike assignments, prop and scenery types, props and
scenery, and the scenes each item is allocated to. Keys are DigiScript's (its client sends
`firstName`/`lastName` for crew and snake_case everywhere else)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from marshmallow_sqlalchemy import auto_field

from server.models import (
    Crew,
    CrewAssignment,
    Props,
    PropsAllocation,
    PropType,
    Scenery,
    SceneryAllocation,
    SceneryType,
)
from server.schemas.base import (
    InputSchema,
    ModelSchema,
    QueryInteger,
    StrictInteger,
    StrictString,
    messages,
)

ASSIGNMENT_TYPES = ("set", "strike")
ASSIGNMENT_TYPE_INVALID = "assignment_type must be 'set' or 'strike'"

# -- answers ----------------------------------------------------------------------------------


class CrewSchema(ModelSchema):
    class Meta:
        model = Crew

    id = auto_field()
    show_id = auto_field()
    first_name = auto_field()
    last_name = auto_field()


class CrewListSchema(Schema):
    crew = fields.List(fields.Nested(CrewSchema), required=True)


class CrewAssignmentSchema(ModelSchema):
    class Meta:
        model = CrewAssignment

    id = auto_field()
    crew_id = auto_field()
    scene_id = auto_field()
    assignment_type = auto_field()
    prop_id = auto_field()
    scenery_id = auto_field()


class CrewAssignmentListSchema(Schema):
    assignments = fields.List(fields.Nested(CrewAssignmentSchema), required=True)


class PropTypeSchema(ModelSchema):
    class Meta:
        model = PropType

    id = auto_field()
    show_id = auto_field()
    name = auto_field()
    description = auto_field()


class PropTypeListSchema(Schema):
    prop_types = fields.List(fields.Nested(PropTypeSchema), required=True)


class SceneryTypeSchema(ModelSchema):
    class Meta:
        model = SceneryType

    id = auto_field()
    show_id = auto_field()
    name = auto_field()
    description = auto_field()


class SceneryTypeListSchema(Schema):
    scenery_types = fields.List(fields.Nested(SceneryTypeSchema), required=True)


class PropsSchema(ModelSchema):
    class Meta:
        model = Props

    id = auto_field()
    show_id = auto_field()
    prop_type_id = auto_field()
    name = auto_field()
    description = auto_field()


class PropsListSchema(Schema):
    props = fields.List(fields.Nested(PropsSchema), required=True)


class ScenerySchema(ModelSchema):
    class Meta:
        model = Scenery

    id = auto_field()
    show_id = auto_field()
    scenery_type_id = auto_field()
    name = auto_field()
    description = auto_field()


class SceneryListSchema(Schema):
    scenery = fields.List(fields.Nested(ScenerySchema), required=True)


class PropsAllocationSchema(ModelSchema):
    class Meta:
        model = PropsAllocation

    id = auto_field()
    props_id = auto_field()
    scene_id = auto_field()


class PropsAllocationListSchema(Schema):
    allocations = fields.List(fields.Nested(PropsAllocationSchema), required=True)


class SceneryAllocationSchema(ModelSchema):
    class Meta:
        model = SceneryAllocation

    id = auto_field()
    scenery_id = auto_field()
    scene_id = auto_field()


class SceneryAllocationListSchema(Schema):
    allocations = fields.List(fields.Nested(SceneryAllocationSchema), required=True)


# -- inputs -----------------------------------------------------------------------------------


def _id(missing: str = "ID missing", invalid: str = "Invalid ID", **kwargs: Any) -> StrictInteger:
    return StrictInteger(required=True, error_messages=messages(missing, invalid), **kwargs)


def _text(label: str, key: str | None = None, max_length: int = 255) -> StrictString:
    missing = f"{label} missing"
    return StrictString(
        required=True,
        max_length=max_length,
        data_key=key,
        error_messages=messages(
            missing,
            f"{label} must be a string",
            too_long=f"{label} must be {max_length} characters or fewer",
            control=f"{label} must not contain control characters",
        ),
    )


def _description() -> StrictString:
    """Optional, as DigiScript: absent is an empty description, null none."""
    return StrictString(
        allow_none=True,
        load_default="",
        blank_is_missing=False,
        max_length=2000,
        error_messages=messages(
            "Description must be a string",
            too_long="Description must be 2000 characters or fewer",
            control="Description must not contain control characters",
        ),
    )


class IdQuerySchema(InputSchema):
    """`?id=<id>`."""

    id = QueryInteger(required=True, error_messages=messages("ID missing", "Invalid ID"))


class CrewInputSchema(InputSchema):
    first_name = _text("First name", "firstName")
    last_name = _text("Last name", "lastName")


class UpdateCrewSchema(InputSchema):
    id = _id()
    first_name = _text("First name", "firstName")
    last_name = _text("Last name", "lastName")


class TypeInputSchema(InputSchema):
    """A prop or scenery type."""

    name = _text("Name")
    description = _description()


class UpdateTypeSchema(InputSchema):
    id = _id()
    name = _text("Name")
    description = _description()


class PropsInputSchema(InputSchema):
    name = _text("Name")
    prop_type_id = _id("Prop type ID missing", "Invalid prop type ID")
    description = _description()


class UpdatePropsSchema(InputSchema):
    id = _id()
    name = _text("Name")
    prop_type_id = _id("Prop type ID missing", "Invalid prop type ID")
    description = _description()


class SceneryInputSchema(InputSchema):
    name = _text("Name")
    scenery_type_id = _id("Scenery type ID missing", "Invalid scenery type ID")
    description = _description()


class UpdateScenerySchema(InputSchema):
    id = _id()
    name = _text("Name")
    scenery_type_id = _id("Scenery type ID missing", "Invalid scenery type ID")
    description = _description()


class PropsAllocationInputSchema(InputSchema):
    props_id = _id("props_id missing", "Invalid props_id")
    scene_id = _id("Scene ID missing", "Invalid scene_id")


class SceneryAllocationInputSchema(InputSchema):
    scenery_id = _id("scenery_id missing", "Invalid scenery_id")
    scene_id = _id("Scene ID missing", "Invalid scene_id")


def _optional_item_id() -> StrictInteger:
    return StrictInteger(allow_none=True, error_messages=messages("Invalid ID"))


class CrewAssignmentInputSchema(InputSchema):
    """A crew member sets or strikes exactly one prop or piece of scenery in a scene."""

    crew_id = _id("crew_id missing")
    scene_id = _id("Scene ID missing")
    assignment_type = StrictString(
        required=True,
        max_length=16,
        validate=validate.OneOf(ASSIGNMENT_TYPES, error=ASSIGNMENT_TYPE_INVALID),
        error_messages=messages(
            "assignment_type missing",
            ASSIGNMENT_TYPE_INVALID,
            control=ASSIGNMENT_TYPE_INVALID,
        ),
    )
    prop_id = _optional_item_id()
    scenery_id = _optional_item_id()


class UpdateCrewAssignmentSchema(InputSchema):
    """The assignment's id and any of its fields to change; naming `prop_id` or `scenery_id`
    (either) names the item again, and exactly one of them must then be given."""

    id = _id()
    crew_id = StrictInteger(error_messages=messages("Invalid ID"))
    scene_id = StrictInteger(error_messages=messages("Invalid ID"))
    assignment_type = StrictString(
        max_length=16,
        validate=validate.OneOf(ASSIGNMENT_TYPES, error=ASSIGNMENT_TYPE_INVALID),
        error_messages=messages(ASSIGNMENT_TYPE_INVALID),
    )
    prop_id = _optional_item_id()
    scenery_id = _optional_item_id()

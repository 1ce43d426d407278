"""Stage shapes: prop and scenery types, props and scenery, and the scenes each item is
allocated to, with DigiScript's keys."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from marshmallow_sqlalchemy import auto_field

from server.models import (
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

# -- answers ----------------------------------------------------------------------------------


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

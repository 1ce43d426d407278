"""Show and script-revision shapes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow_sqlalchemy import auto_field

from server.models import ScriptRevision, Show
from server.schemas.base import (
    DateInput,
    InputSchema,
    ModelSchema,
    QueryInteger,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)
from server.schemas.planning import TimeZoneInput

SCRIPT_MODES = {1: "FULL", 2: "COMPACT"}


class CreateShowSchema(InputSchema):
    name = StrictString(required=True, error_messages=messages("Show name missing"))
    start = DateInput(
        required=True,
        error_messages=messages("Start date missing", "Unable to parse start date value"),
    )
    end = DateInput(
        required=True, error_messages=messages("End date missing", "Unable to parse end date value")
    )
    script_mode = StrictInteger(
        required=True,
        metadata={"enum": sorted(SCRIPT_MODES)},
        error_messages=messages("Script mode missing", "Invalid script mode value"),
    )
    # The venue's zone; left out, the server's.
    time_zone = TimeZoneInput(load_default=None)

    @validates_schema
    def _check(self, data: dict, **_kwargs: object) -> None:
        if data["start"] > data["end"]:
            raise ValidationError("Start date must be before or the same as the end date")
        if data["script_mode"] not in SCRIPT_MODES:
            raise ValidationError("Invalid script mode value", "script_mode")


class UpdateShowSchema(InputSchema):
    """The loaded show's details: every key is given each time, as DigiScript's form sends
    them; `first_act_id` left out or null clears it."""

    name = StrictString(required=True, error_messages=messages("Show name missing"))
    start_date = DateInput(
        required=True,
        error_messages=messages("Start date missing", "Unable to parse start date value"),
    )
    end_date = DateInput(
        required=True, error_messages=messages("End date missing", "Unable to parse end date value")
    )
    first_act_id = StrictInteger(
        load_default=None,
        allow_none=True,
        error_messages=messages("first_act_id must be an integer"),
    )
    # Left out (as DigiScript's form does), the zone stays as it is.
    time_zone = TimeZoneInput(load_default=None)

    @validates_schema
    def _check(self, data: dict, **_kwargs: object) -> None:
        if data["start_date"] > data["end_date"]:
            raise ValidationError("Start date must be before or the same as the end date")


class ShowIdQuerySchema(InputSchema):
    """`?id=<show id>`."""

    id = QueryInteger(required=True, error_messages=messages("ID missing", "Invalid ID"))


class RevisionIdQuerySchema(InputSchema):
    """`?rev_id=<script revision id>`."""

    rev_id = QueryInteger(
        required=True, error_messages=messages("Revision missing", "rev_id must be an integer")
    )


class ShowLoadQuerySchema(InputSchema):
    """`?load=true` (also 1 or yes, in any case): load the new show as the current one."""

    load_ = fields.Method(
        deserialize="_truthy",
        data_key="load",
        load_default=False,
        metadata={"openapi": {"type": "boolean"}},
    )

    def _truthy(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip().lower() in ("true", "1", "yes")


class ShowSchema(ModelSchema):
    class Meta:
        model = Show

    id = auto_field()
    name = auto_field()
    start_date = auto_field()
    end_date = auto_field()
    created_at = auto_field()
    edited_at = auto_field()
    current_session_id = auto_field()
    script_mode = auto_field()
    first_act_id = auto_field()
    time_zone = auto_field()


class ShowListSchema(Schema):
    shows = fields.List(fields.Nested(ShowSchema), required=True)


class ScriptModeSchema(Schema):
    text = fields.String(required=True)
    value = fields.Integer(required=True)


class ScriptModeListSchema(Schema):
    script_modes = fields.List(fields.Nested(ScriptModeSchema), required=True)


class ScriptRevisionSchema(ModelSchema):
    class Meta:
        model = ScriptRevision

    id = auto_field()
    revision = auto_field()
    description = auto_field()
    created_at = auto_field()
    edited_at = auto_field()
    previous_revision_id = auto_field()


class RevisionListSchema(Schema):
    current_revision = fields.Integer(required=True, allow_none=True)
    revisions = fields.List(fields.Nested(ScriptRevisionSchema), required=True)


class CurrentRevisionSchema(Schema):
    current_revision = fields.Integer(required=True, allow_none=True)


class CreateRevisionSchema(InputSchema):
    description = StrictString(required=True, error_messages=messages("Description missing"))
    parent_revision_id = StrictInteger(
        load_default=None,
        allow_none=True,
        error_messages=messages("parent_revision_id must be an integer"),
    )
    set_as_current = StrictBoolean(
        load_default=True, error_messages=messages("set_as_current must be a boolean")
    )


class ChangeRevisionSchema(InputSchema):
    new_rev_id = StrictInteger(
        required=True,
        error_messages=messages("new_rev_id missing", "new_rev_id must be an integer"),
    )

"""Show and script-revision shapes."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from server.schemas.base import (
    DateInput,
    InputSchema,
    StrictInteger,
    StrictString,
    UTCDateTimeOutput,
    messages,
)

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
        required=True, error_messages=messages("Script mode missing", "Invalid script mode value")
    )

    @validates_schema
    def _check(self, data: dict, **_kwargs: object) -> None:
        if data["start"] > data["end"]:
            raise ValidationError("Start date must be before or the same as the end date")
        if data["script_mode"] not in SCRIPT_MODES:
            raise ValidationError("Invalid script mode value", "script_mode")


class ShowSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    created_at = UTCDateTimeOutput()
    edited_at = UTCDateTimeOutput()
    current_session_id = fields.Integer(allow_none=True)
    script_mode = fields.Integer()
    first_act_id = fields.Integer(allow_none=True)


class ScriptRevisionSchema(Schema):
    id = fields.Integer()
    revision = fields.Integer()
    description = fields.String()
    created_at = UTCDateTimeOutput()
    edited_at = UTCDateTimeOutput()
    previous_revision_id = fields.Integer(allow_none=True)


class CreateRevisionSchema(InputSchema):
    description = StrictString(required=True, error_messages=messages("Description missing"))
    parent_revision_id = StrictInteger(
        load_default=None,
        allow_none=True,
        error_messages=messages("parent_revision_id must be an integer"),
    )
    set_as_current = fields.Boolean(
        load_default=True,
        truthy={True},
        falsy={False},
        error_messages=messages("set_as_current must be a boolean"),
    )


class ChangeRevisionSchema(InputSchema):
    new_rev_id = StrictInteger(
        required=True,
        error_messages=messages("new_rev_id missing", "new_rev_id must be an integer"),
    )

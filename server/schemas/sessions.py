"""Show-session shapes: the session object the API returns and the bodies it accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from server.models import ShowSession
from server.schemas.base import (
    InputSchema,
    IntegerList,
    StrictInteger,
    StrictString,
    UTCDateTimeInput,
    UTCDateTimeOutput,
    messages,
)
from server.schemas.tags import SessionTagSchema

INVALID_TAGS = "One or more tag IDs are invalid"


def _scheduled_date_time(required: bool) -> UTCDateTimeInput:
    return UTCDateTimeInput(
        required=required,
        error_messages=messages(
            "scheduled_date_time missing", "scheduled_date_time must be an ISO-8601 date and time"
        ),
    )


def _tag_ids(**kwargs: Any) -> IntegerList:
    return IntegerList(
        error_messages=messages("tag_ids must be a list of integers", duplicate=INVALID_TAGS),
        **kwargs,
    )


def _script_revision_id(**kwargs: Any) -> StrictInteger:
    return StrictInteger(error_messages=messages("script_revision_id must be an integer"), **kwargs)


class ScheduleSessionSchema(InputSchema):
    scheduled_date_time = _scheduled_date_time(required=True)
    tag_ids = _tag_ids(load_default=list)
    script_revision_id = _script_revision_id(load_default=None, allow_none=True)


class UpdateSessionSchema(InputSchema):
    scheduled_date_time = _scheduled_date_time(required=False)
    script_revision_id = _script_revision_id()
    tag_ids = _tag_ids()

    @validates_schema(pass_original=True)
    def _not_empty(self, data: dict[str, Any], original: Any, **_kwargs: Any) -> None:
        if not data:
            raise ValidationError("No fields to update")


class StartSessionSchema(InputSchema):
    session_id = StrictString(
        required=True,
        max_length=64,
        error_messages=messages("session_id missing", "Unable to find session given session_id"),
    )
    show_session_id = StrictInteger(
        load_default=None,
        allow_none=True,
        error_messages=messages("show_session_id must be an integer"),
    )


class AssignTagsSchema(InputSchema):
    session_id = StrictInteger(
        required=True,
        error_messages=messages("session_id missing", "session_id must be an integer"),
    )
    tag_ids = IntegerList(
        required=True,
        error_messages=messages(
            "tag_ids missing",
            "tag_ids must be a list",
            item_invalid=INVALID_TAGS,
            duplicate=INVALID_TAGS,
        ),
    )


class ShowSessionSchema(Schema):
    """A session as the API returns it. `status` depends on the clock, so it is computed by the
    caller (see `operations.sessions.StatusBoard`) and handed in."""

    id = fields.Integer()
    show_id = fields.Integer()
    script_revision_id = fields.Integer(allow_none=True)
    scheduled_date_time = UTCDateTimeOutput()
    start_date_time = UTCDateTimeOutput()
    end_date_time = UTCDateTimeOutput()
    user_id = fields.Integer(allow_none=True)
    client_internal_id = fields.String(allow_none=True)
    last_client_internal_id = fields.String(allow_none=True)
    latest_line_ref = fields.String(allow_none=True)
    current_interval_id = fields.Integer(allow_none=True)
    tags = fields.List(fields.Nested(SessionTagSchema))
    # DigiScript's relationship keys, carrying the same ids as their *_id twins.
    show = fields.Function(lambda s: s.show_id)
    revision = fields.Function(lambda s: s.script_revision_id)
    user = fields.Function(lambda s: s.user_id)
    client = fields.Function(lambda s: s.client_internal_id)
    status = fields.Method("_status")

    def __init__(self, status_of: Callable[[ShowSession], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._status_of = status_of

    def _status(self, session: ShowSession) -> str:
        return self._status_of(session)


class SessionEventSchema(Schema):
    at = UTCDateTimeOutput()
    kind = fields.String()
    user_id = fields.Integer(allow_none=True)
    username = fields.String(allow_none=True)
    details = fields.Dict()

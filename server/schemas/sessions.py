"""Show-session shapes: the session object the API returns and the bodies it accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow_sqlalchemy import auto_field

from server.models import SessionEvent, ShowSession
from server.schemas.base import (
    InputSchema,
    IntegerList,
    ModelSchema,
    StrictInteger,
    StrictString,
    UTCDateTimeInput,
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

    openapi_keywords = {"minProperties": 1}

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


# What a session's status can be (see operations.sessions.StatusBoard).
STATUSES = ("complete", "in_progress", "next_up", "scheduled", "overdue", "cancelled")


def _typed(*types: str) -> dict[str, Any]:
    """How the document shows a computed field."""
    return {"openapi": {"type": types[0] if len(types) == 1 else list(types)}}


class ShowSessionSchema(ModelSchema):
    """A session as the API returns it. `status` depends on the clock, so it is computed by the
    caller (see `operations.sessions.StatusBoard`) and handed in."""

    class Meta:
        model = ShowSession

    id = auto_field()
    show_id = auto_field()
    script_revision_id = auto_field()
    scheduled_date_time = auto_field()
    start_date_time = auto_field()
    end_date_time = auto_field()
    user_id = auto_field()
    client_internal_id = auto_field()
    last_client_internal_id = auto_field()
    latest_line_ref = auto_field()
    current_interval_id = auto_field()
    tags = fields.List(fields.Nested(SessionTagSchema))
    # DigiScript's relationship keys, carrying the same ids as their *_id twins.
    show = fields.Function(lambda s: s.show_id, metadata=_typed("integer"))
    revision = fields.Function(lambda s: s.script_revision_id, metadata=_typed("integer", "null"))
    user = fields.Function(lambda s: s.user_id, metadata=_typed("integer", "null"))
    client = fields.Function(lambda s: s.client_internal_id, metadata=_typed("string", "null"))
    status = fields.Method(
        "_status", metadata={"openapi": {"type": "string", "enum": list(STATUSES)}}
    )
    # Set while the session is cancelled (status "cancelled"), null otherwise.
    cancelled_at = auto_field()
    cancel_reason = auto_field()
    performance_number = fields.Method(
        "_number",
        metadata={
            "openapi": {"type": ["integer", "null"]},
            "description": "1-based place among the show's sessions that are not cancelled,"
            " in time order; null for a cancelled one",
        },
    )

    def __init__(
        self,
        status_of: Callable[[ShowSession], str],
        number_of: Callable[[ShowSession], int | None] | None = None,
        **kwargs: Any,
    ) -> None:
        """`status_of` and `number_of` are a StatusBoard's `status` and `number`."""
        super().__init__(**kwargs)
        self._status_of = status_of
        self._number_of = number_of

    def _status(self, session: ShowSession) -> str:
        return self._status_of(session)

    def _number(self, session: ShowSession) -> int | None:
        return None if self._number_of is None else self._number_of(session)


class SessionEventSchema(ModelSchema):
    class Meta:
        model = SessionEvent

    at = auto_field()
    kind = auto_field()
    user_id = auto_field()
    username = auto_field()
    details = fields.Dict()


def _any_status(_session: ShowSession) -> str:
    return "scheduled"


class SessionListSchema(Schema):
    sessions = fields.List(fields.Nested(ShowSessionSchema(_any_status)), required=True)
    current_session = fields.Nested(ShowSessionSchema(_any_status), required=True, allow_none=True)
    current_interval = fields.Raw(
        required=True, allow_none=True, metadata={"openapi": {"type": "null"}}
    )


class SessionLogSchema(Schema):
    session = fields.Nested(ShowSessionSchema(_any_status), required=True)
    events = fields.List(fields.Nested(SessionEventSchema), required=True)

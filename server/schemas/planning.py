"""Shapes for planning a run: venue time zones, series of performances, cancelling, CSV."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from server.schemas.base import (
    DateInput,
    InputSchema,
    IntegerList,
    StrictBoolean,
    StrictInteger,
    StrictString,
    messages,
)
from server.timezones import is_zone_name

# A series may not make more performances than this in one call.
MAX_SERIES = 400
# Most dates one series may skip.
MAX_EXCEPT_DATES = 1000
HH_MM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class TimeZoneInput(StrictString):
    """An IANA time zone name such as "Europe/London"."""

    def __init__(self, **kwargs: Any) -> None:
        name = kwargs.pop("name", "time_zone")
        invalid = f"{name} must be an IANA time zone name, such as Europe/London"
        kwargs.setdefault("error_messages", messages(f"{name} missing", invalid))
        kwargs.setdefault("metadata", {"openapi": {"type": "string", "example": "Europe/London"}})
        super().__init__(max_length=64, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_zone_name(text):
            raise self.make_error("invalid")
        return text


class LocalTimeInput(fields.Field):
    """A wall-clock time, `HH:MM` (24-hour)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.time:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        match = HH_MM.fullmatch(value.strip())
        if match is None:
            raise self.make_error("invalid")
        return dt.time(int(match[1]), int(match[2]))


class SlotSchema(InputSchema):
    weekday = StrictInteger(
        required=True,
        metadata={"minimum": 1, "maximum": 7, "description": "ISO weekday: Monday 1 … Sunday 7"},
        error_messages=messages(
            "slots: weekday missing", "slots: weekday must be an integer from 1 (Monday) to 7"
        ),
    )
    time = LocalTimeInput(
        required=True,
        metadata={"openapi": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}},
        error_messages=messages("slots: time missing", "slots: time must be HH:MM (24-hour)"),
    )

    @validates_schema
    def _weekday(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not 1 <= data["weekday"] <= 7:
            raise ValidationError(
                "slots: weekday must be an integer from 1 (Monday) to 7", "weekday"
            )


class DateList(fields.List):
    """A JSON list of `YYYY-MM-DD` dates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(DateInput(error_messages=messages("date missing", "not a date")), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > MAX_EXCEPT_DATES:
            raise self.make_error("invalid")
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as exc:
            raise self.make_error("invalid") from exc


class SlotList(fields.List):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.Nested(SlotSchema), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > 7 * 24 * 60:
            raise self.make_error("invalid")
        if any(not isinstance(item, dict) for item in value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class ScheduleSeriesSchema(InputSchema):
    from_ = DateInput(
        required=True,
        data_key="from",
        error_messages=messages("from missing", "from must be a date, YYYY-MM-DD"),
    )
    to = DateInput(
        required=True, error_messages=messages("to missing", "to must be a date, YYYY-MM-DD")
    )
    slots = SlotList(
        required=True,
        error_messages=messages(
            "slots missing",
            "slots must be a list of objects with weekday and time",
            required="slots missing",
        ),
    )
    tag_ids = IntegerList(
        load_default=list,
        error_messages=messages(
            "tag_ids must be a list of integers", duplicate="One or more tag IDs are invalid"
        ),
    )
    script_revision_id = StrictInteger(
        load_default=None,
        allow_none=True,
        error_messages=messages("script_revision_id must be an integer"),
    )
    except_dates = DateList(
        load_default=list,
        error_messages=messages(
            "except_dates must be a list of dates, YYYY-MM-DD",
        ),
    )
    dry_run = StrictBoolean(
        load_default=False, error_messages=messages("dry_run must be true or false")
    )

    @validates_schema
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["from_"] > data["to"]:
            raise ValidationError("from must be on or before to")
        if not data["slots"]:
            raise ValidationError("slots must name at least one weekday and time", "slots")


class PlannedSessionSchema(Schema):
    id = fields.Integer(metadata={"description": "absent on a dry run"})
    scheduled_date_time = fields.String(required=True)


class SeriesAnswerSchema(Schema):
    sessions = fields.List(fields.Nested(PlannedSessionSchema), required=True)
    message = fields.String(required=True)


class CancelSessionSchema(InputSchema):
    reason = StrictString(
        required=True,
        error_messages=messages("reason missing", "reason must be text of at most 255 characters"),
    )


class ImportQuerySchema(InputSchema):
    dry_run = fields.Method(
        deserialize="_truthy",
        load_default=False,
        metadata={"openapi": {"type": "boolean"}},
    )

    def _truthy(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip().lower() in ("true", "1", "yes")


class LineErrorSchema(Schema):
    line = fields.Integer(required=True)
    message = fields.String(required=True)


class ImportAnswerSchema(Schema):
    sessions = fields.List(fields.Nested(PlannedSessionSchema), required=True)
    message = fields.String(required=True)

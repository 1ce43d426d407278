"""Input shape of POST /logs/batch: a bounded list of browser log entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import Range

from server.errors import Invalid
from server.jsonio import is_text
from server.models.setting import CLIENT_LOG_LEVELS
from server.schemas.base import InputSchema, first_message, messages, refuse_bad_text
from server.schemas.settings import LevelName

MAX_ENTRIES = 500
MAX_BYTES = 64 * 1024


class LogEntrySchema(InputSchema):
    level = LevelName(
        CLIENT_LOG_LEVELS,
        required=True,
        error_messages=messages(
            "level missing", "level must be one of " + ", ".join(CLIENT_LOG_LEVELS)
        ),
    )
    # Browsers log whatever they like; anything but a string is kept as its JSON text.
    message = fields.Raw(required=True, error_messages=messages("message missing"))
    extra = fields.Dict(
        load_default=None, allow_none=True, error_messages=messages("extra must be an object")
    )


def load_batch(body: Any) -> list[dict[str, Any]]:
    """The entries of a batch; Invalid naming the first thing wrong with it otherwise."""
    if not isinstance(body, Mapping) or "batch" not in body:
        raise Invalid("Expected JSON object with 'batch' key")
    batch = body["batch"]
    # Keys it ignores, and a batch that is no list, are checked as any body's are; the
    # entries one by one below, naming the entry.
    refuse_bad_text(
        {key: value for key, value in body.items() if not isinstance(batch, list) or key != "batch"}
    )
    if not isinstance(batch, list):
        raise Invalid("Expected 'batch' to be a list of log entries")
    if len(batch) > MAX_ENTRIES:
        raise Invalid(f"Too many log entries: at most {MAX_ENTRIES} in one batch")
    schema = LogEntrySchema()
    entries = []
    for index, entry in enumerate(batch):
        if isinstance(entry, str) and not is_text(entry):
            raise Invalid(f"Log entry {index} must be valid text")
        if not isinstance(entry, Mapping):
            raise Invalid(f"Log entry {index} must be an object")
        refuse_bad_text(entry, prefix=f"Log entry {index}: ")
        try:
            entries.append(schema.load(entry))
        except ValidationError as exc:
            raise Invalid(f"Log entry {index}: {first_message(schema, exc)}") from exc
    return entries


class LogBatchSchema(InputSchema):
    """The body's shape; it is checked entry by entry, naming the entry at fault."""

    batch = fields.List(fields.Nested(LogEntrySchema), required=True)

    def load_request(self, data: Any) -> dict[str, Any]:
        return {"batch": load_batch(data)}


class LogBatchStatusSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})
    # Entries left out because the client address wrote more than its allowance.
    dropped = fields.Integer(required=True, validate=Range(min=0))

"""Shapes of the System Config endpoints: server facts, version status, connected clients,
the log viewer and database backups."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validates
from marshmallow.validate import Range

from server.errors import Invalid
from server.operations.system import DEFAULT_LIMIT, LEVELS, MAX_LIMIT
from server.schemas.base import InputSchema, QueryInteger, messages


class ServerInfoSchema(Schema):
    hostname = fields.String(required=True)
    ip_address = fields.String(
        required=True, metadata={"description": 'The outbound address, or "Unknown"'}
    )
    port = fields.Integer(
        required=True, allow_none=True, metadata={"description": "The port the request came in"}
    )
    version = fields.String(required=True)
    python_version = fields.String(required=True)
    python_implementation = fields.String(required=True)
    platform = fields.String(required=True)
    database = fields.String(required=True, metadata={"enum": ["sqlite", "postgresql"]})
    started_at = fields.String(required=True, metadata={"description": "This process's start"})
    uptime_seconds = fields.Integer(required=True, validate=Range(min=0))


class VersionStatusSchema(Schema):
    current_version = fields.String(required=True)
    latest_version = fields.String(required=True, allow_none=True)
    update_available = fields.Boolean(required=True)
    release_url = fields.String(required=True, allow_none=True)
    last_checked = fields.String(required=True, allow_none=True)
    check_error = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Why no newer release can be known (no update check is made)"},
    )


class ConnectedClientSchema(Schema):
    internal_id = fields.String(required=True)
    remote_ip = fields.String(required=True, allow_none=True)
    is_editor = fields.Boolean(required=True)
    last_ping = fields.Float(required=True, allow_none=True)
    last_pong = fields.Float(required=True, allow_none=True)
    user_id = fields.Integer(required=True, allow_none=True)
    username = fields.String(required=True, allow_none=True)
    connected_at = fields.String(required=True)
    process_id = fields.String(required=True, allow_none=True)


class ConnectedClientsSchema(Schema):
    sessions = fields.List(fields.Nested(ConnectedClientSchema), required=True)


class LogFilterQuerySchema(InputSchema):
    """`?source=server|client&level=&search=&username=` (all optional)."""

    source = fields.String(
        load_default="server",
        metadata={"enum": ["server", "client"]},
        error_messages=messages("source must be server or client"),
    )
    level = fields.String(
        load_default="",
        metadata={"enum": ["", *LEVELS]},
        error_messages=messages("level must be one of " + ", ".join(LEVELS)),
    )
    search = fields.String(load_default="")
    username = fields.String(load_default="")

    @validates("source")
    def _source(self, value: str, **_kw: Any) -> None:
        if value.strip().lower() not in ("server", "client"):
            raise ValidationError("source must be server or client")

    @validates("level")
    def _level(self, value: str, **_kw: Any) -> None:
        if value.strip().upper() not in ("", *LEVELS):
            raise ValidationError("level must be one of " + ", ".join(LEVELS))

    def load_request(self, data: Any) -> dict[str, Any]:
        query = self.load_body(data)
        query["source"] = query["source"].strip().lower()
        query["level"] = query["level"].strip().upper()
        return query


class LogViewQuerySchema(LogFilterQuerySchema):
    """The filters, and `&limit=&offset=` (optional)."""

    limit = QueryInteger(
        load_default=DEFAULT_LIMIT,
        allow_none=True,
        metadata={"openapi": {"type": "integer", "minimum": 0}},
        error_messages=messages("limit must be a whole number"),
    )
    offset = QueryInteger(
        load_default=0,
        metadata={"openapi": {"type": "integer", "minimum": 0}},
        error_messages=messages("offset must be a whole number"),
    )

    @validates("limit")
    def _limit(self, value: int | None, **_kw: Any) -> None:
        if value is not None and value < 0:
            raise ValidationError("limit must be a whole number")

    @validates("offset")
    def _offset(self, value: int, **_kw: Any) -> None:
        if value < 0:
            raise ValidationError("offset must be a whole number")

    def load_request(self, data: Any) -> dict[str, Any]:
        query = super().load_request(data)
        # A blank limit (the page's number box emptied) is the default one.
        limit = DEFAULT_LIMIT if query["limit"] is None else query["limit"]
        query["limit"] = min(limit, MAX_LIMIT)
        return query


class LogViewEntrySchema(Schema):
    ts = fields.String(required=True)
    level = fields.String(required=True)
    level_no = fields.Integer(required=True)
    logger = fields.String(required=True)
    message = fields.String(required=True)
    filename = fields.String(required=True)
    lineno = fields.Integer(required=True)
    user_id = fields.Integer(required=True, allow_none=True)
    username = fields.String(required=True, allow_none=True)
    remote_ip = fields.String(required=True, allow_none=True)


class LogViewSchema(Schema):
    entries = fields.List(fields.Nested(LogViewEntrySchema), required=True)
    total = fields.Integer(required=True)
    returned = fields.Integer(required=True)
    source = fields.String(required=True, metadata={"enum": ["server", "client"]})


class BackupTimestampQuerySchema(InputSchema):
    """`?timestamp=<created_at>`: which backup (DigiScript's messages)."""

    timestamp = fields.String(
        required=True,
        metadata={"openapi": {"type": "string", "pattern": "^[0-9]{1,12}$"}},
        error_messages=messages(
            "timestamp query argument is required", "timestamp must be a positive integer"
        ),
    )

    def load_request(self, data: Any) -> dict[str, Any]:
        text = self.load_body(data)["timestamp"]
        if not text:
            raise Invalid("timestamp query argument is required")
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            raise Invalid("timestamp must be a positive integer")
        return {"timestamp": int(text)}


class BackupSchema(Schema):
    filename = fields.String(required=True)
    size_bytes = fields.Integer(required=True, validate=Range(min=0))
    created_at = fields.Integer(required=True, metadata={"description": "Unix seconds"})


class BackupListSchema(Schema):
    backups = fields.List(fields.Nested(BackupSchema), required=True)
    count = fields.Integer(required=True, validate=Range(min=0))
    total_size_bytes = fields.Integer(required=True, validate=Range(min=0))


class BackupMadeSchema(Schema):
    message = fields.String(required=True)
    backup = fields.Nested(BackupSchema, required=True)


class BackupRestoredSchema(Schema):
    message = fields.String(required=True)
    restored = fields.Nested(BackupSchema, required=True)
    previous = fields.Nested(
        BackupSchema,
        required=True,
        metadata={"description": "The backup of the database as it was just before"},
    )

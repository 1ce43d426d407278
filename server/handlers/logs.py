"""Browser log messages, kept in the server log: POST /api/v1/logs/batch."""

from __future__ import annotations

import json
import logging
from typing import Any

from server.errors import Invalid
from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    endpoint,
    route,
)
from server.operations import settings
from server.schemas.logs import MAX_BYTES, LogBatchSchema, LogBatchStatusSchema

TRACE = 5
logging.addLevelName(TRACE, "TRACE")
PYTHON_LEVELS = {
    "TRACE": TRACE,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "ERROR": logging.ERROR,
}

client_log = logging.getLogger("client")
# Which levels are kept is the client_log_level setting's business, not the logger's.
client_log.setLevel(TRACE)


@route(r"/api/v1/logs/batch")
class LogBatchHandler(BaseAPIHandler):
    def prepare(self) -> None:
        if len(self.request.body) > MAX_BYTES:
            raise Invalid(f"Log batch too large: at most {MAX_BYTES} bytes in one batch")

    # A browser with a stale token still gets its errors recorded (and must not be sent into
    # a refresh loop by a 401 here).
    @endpoint(
        "Write browser log messages to the server log (at most 500 entries, 64 KB)",
        access=Access.PUBLIC,
        body=LogBatchSchema,
        answer=LogBatchStatusSchema,
        errors=(400,),
        transaction=Transaction.READ,
        tag="service",
    )
    def post(self, call: Call) -> Answer:
        enabled, lowest = settings.client_logging(call.db)
        if enabled:
            threshold = PYTHON_LEVELS[lowest]
            who = call.signed_in.username if call.signed_in is not None else "anonymous"
            for entry in call.body["batch"]:
                level = PYTHON_LEVELS[entry["level"]]
                if level >= threshold:
                    self._record(level, who, entry)
        return {"status": "ok"}

    def _record(self, level: int, who: str, entry: dict[str, Any]) -> None:
        message = entry["message"]
        text = message if isinstance(message, str) else json.dumps(message)
        # One entry is one line of the server log, whatever the browser put in it.
        text = text.replace("\r", "\\r").replace("\n", "\\n")
        extra = entry["extra"]
        suffix = f" | {json.dumps(extra, default=str)}" if extra else ""
        client_log.log(
            level,
            "[%s %s] %s%s",
            who,
            self.request.remote_ip,
            text,
            suffix,
            extra={"client_user": who, "client_extra": extra},
        )

"""Browser log messages, kept in the server log: POST /api/v1/logs/batch (many entries) and
POST /api/v1/logs (one entry).

What one client address may write is bounded: LOG_RATE bytes of log text a second on average,
in bursts of up to LOG_BURST (each entry counted as at least ENTRY_MIN_COST bytes, so many
tiny entries are bounded too). Entries beyond that are dropped, counted in the answer's
`dropped`, and said in one warning line per address at most every WARN_EVERY seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
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
from server.schemas.logs import MAX_BYTES, LogBatchSchema, LogBatchStatusSchema, LogEntrySchema

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
log = logging.getLogger(__name__)

LOG_RATE = 16 * 1024  # bytes of log text a second, per client address
LOG_BURST = 128 * 1024  # two full batches at once
ENTRY_MIN_COST = 256
WARN_EVERY = 60.0  # seconds
MAX_ADDRESSES = 10_000  # allowances kept before the idle ones are forgotten


@dataclass
class _Allowance:
    left: float
    at: dt.datetime
    dropped: int = 0  # since the last warning
    warned_at: dt.datetime | None = None


class LogAllowances:
    """How much log text each client address may still write (a token bucket per address)."""

    def __init__(self) -> None:
        self._by_address: dict[str, _Allowance] = {}

    def _allowance(self, address: str, now: dt.datetime) -> _Allowance:
        allowance = self._by_address.get(address)
        if allowance is None:
            if len(self._by_address) >= MAX_ADDRESSES:
                self._forget_idle(now)
            allowance = self._by_address[address] = _Allowance(LOG_BURST, now)
        elapsed = max(0.0, (now - allowance.at).total_seconds())  # a clock set back: no refill
        allowance.left = min(LOG_BURST, allowance.left + elapsed * LOG_RATE)
        allowance.at = now
        return allowance

    def _forget_idle(self, now: dt.datetime) -> None:
        full_again = LOG_BURST / LOG_RATE
        self._by_address = {
            address: allowance
            for address, allowance in self._by_address.items()
            if (now - allowance.at).total_seconds() < full_again
        }
        if len(self._by_address) >= MAX_ADDRESSES:  # that many busy addresses: start afresh
            self._by_address.clear()

    def take(self, address: str, cost: int, now: dt.datetime) -> bool:
        """Whether `address` may write `cost` more bytes now (if so, they are taken)."""
        allowance = self._allowance(address, now)
        cost = max(cost, ENTRY_MIN_COST)
        if cost <= allowance.left:
            allowance.left -= cost
            return True
        allowance.dropped += 1
        return False

    def warn_if_due(self, address: str, now: dt.datetime) -> None:
        allowance = self._by_address.get(address)
        if allowance is None or not allowance.dropped:
            return
        if allowance.warned_at is None or (now - allowance.warned_at).total_seconds() >= WARN_EVERY:
            log.warning(
                "client log from %s over %d bytes a second: %d entries dropped",
                address,
                LOG_RATE,
                allowance.dropped,
            )
            allowance.dropped = 0
            allowance.warned_at = now


@route(r"/api/v1/logs/batch")
class LogBatchHandler(BaseAPIHandler):
    def prepare(self) -> None:
        if len(self.request.body) > MAX_BYTES:
            raise Invalid(f"Log batch too large: at most {MAX_BYTES} bytes in one batch")

    # A browser with a stale token still gets its errors recorded (and must not be sent into
    # a refresh loop by a 401 here).
    @endpoint(
        "Write browser log messages to the server log (at most 500 entries, 64 KB; entries"
        " over a client address's allowance are dropped and counted)",
        access=Access.PUBLIC,
        body=LogBatchSchema,
        answer=LogBatchStatusSchema,
        errors=(400,),
        transaction=Transaction.READ,
        tag="service",
    )
    def post(self, call: Call) -> Answer:
        return _write(self, call, call.body["batch"])


@route(r"/api/v1/logs")
class LogEntryHandler(BaseAPIHandler):
    def prepare(self) -> None:
        if len(self.request.body) > MAX_BYTES:
            raise Invalid(f"Log entry too large: at most {MAX_BYTES} bytes")

    # Public for the same reason as the batch: a stale token must not lose the browser's error.
    @endpoint(
        "Write one browser log message to the server log (at most 64 KB; kept or dropped by"
        " the client log level and the client address's allowance, as a batch's entries are)",
        access=Access.PUBLIC,
        body=LogEntrySchema,
        answer=LogBatchStatusSchema,
        errors=(400,),
        transaction=Transaction.READ,
        tag="service",
    )
    def post(self, call: Call) -> Answer:
        return _write(self, call, [call.body])


def _write(handler: BaseAPIHandler, call: Call, entries: list[dict[str, Any]]) -> Answer:
    """Log the entries at or above the client log level, within the address's allowance."""
    enabled, lowest = settings.client_logging(call.db)
    dropped = 0
    if enabled:
        threshold = PYTHON_LEVELS[lowest]
        who = call.signed_in.username if call.signed_in is not None else "anonymous"
        address = handler.request.remote_ip or "unknown"
        allowances = handler.application.settings.setdefault("log_allowances", LogAllowances())
        for entry in entries:
            level = PYTHON_LEVELS[entry["level"]]
            if level < threshold:
                continue
            text, suffix = _line(entry)
            if allowances.take(address, len(text) + len(suffix), call.now):
                _record(handler, level, who, entry, text, suffix)
            else:
                dropped += 1
        allowances.warn_if_due(address, call.now)
    return {"status": "ok", "dropped": dropped}


def _record(
    handler: BaseAPIHandler, level: int, who: str, entry: dict[str, Any], text: str, suffix: str
) -> None:
    client_log.log(
        level,
        "[%s %s] %s%s",
        who,
        handler.request.remote_ip,
        text,
        suffix,
        extra={"client_user": who, "client_extra": entry["extra"]},
    )


def _line(entry: dict[str, Any]) -> tuple[str, str]:
    """An entry's message and extra as the log line carries them."""
    message = entry["message"]
    text = message if isinstance(message, str) else json.dumps(message)
    # One entry is one line of the server log, whatever the browser put in it.
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    extra = entry["extra"]
    suffix = f" | {json.dumps(extra, default=str)}" if extra else ""
    return text, suffix

"""JSON as the API reads and answers it: one reader for request bodies and WebSocket messages,
and the `message` of every error answer."""

from __future__ import annotations

import json
from typing import Any

import tornado.web

from server.errors import DomainError


def parse_json(raw: str | bytes) -> Any:
    """JSON text as Python, refusing NaN/Infinity; ValueError for anything that is not JSON
    (too deep a nesting included)."""
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def error_message(status_code: int, reason: str, exc: BaseException | None) -> str:
    """The `message` of an error answer: a domain error's own, else what Tornado was told,
    else the status (never a server error's details)."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, tornado.web.HTTPError) and exc.log_message and status_code != 500:
        return exc.log_message % exc.args if exc.args else exc.log_message
    if status_code == 404:
        return "404 not found"
    if status_code == 405:
        return "405 method not allowed"
    return f"{status_code} {reason}"

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


def is_text(value: str) -> bool:
    """Whether a string is text that can be stored and sent on: JSON's `\\ud800` escapes (or
    UTF-8 bytes of a surrogate) give Python strings holding a lone UTF-16 surrogate, which no
    database driver, password hash or log file will take."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def first_bad_text(value: Any) -> str | None:
    """Where in parsed JSON the first string (a value or an object's key) that is not text
    lies: `name`, `name.key`, `name[2].key`; "" for a key of the outermost object; None when
    every string is text. Walked without recursion, as JSON may nest as deep as it parses."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            if not is_text(node):
                return where
        elif isinstance(node, dict):
            children = []
            for key, child in node.items():
                if not is_text(key):
                    return where
                children.append((child, f"{where}.{key}" if where else key))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend((child, f"{where}[{i}]") for i, child in reversed(list(enumerate(node))))
    return None


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

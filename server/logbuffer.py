"""The server's recent log, kept in memory for the System Config page's log viewer.

Two bounded buffers per server process: the server's own records, and the browser log
messages clients send (the "client" logger, see server.handlers.logs). Each keeps the newest
MAX_ENTRIES entries; older ones are dropped. A record reaches a buffer when its logger lets it
through (the level `serve` configures), as it reaches the console.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

MAX_ENTRIES = 2000
CLIENT_LOGGER = "client"


class LogBuffer:
    """The newest entries of one source, oldest first."""

    def __init__(self, maxlen: int = MAX_ENTRIES) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        # Live readers (the log stream): each gets every entry added after it subscribed, on
        # its own event loop, whichever thread logged it.
        self._readers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] = []

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)
            readers = list(self._readers)
        for loop, queue in readers:
            with contextlib.suppress(RuntimeError):  # that reader's loop has closed
                loop.call_soon_threadsafe(queue.put_nowait, entry)

    def subscribe(
        self,
    ) -> tuple[list[dict[str, Any]], asyncio.Queue[dict[str, Any]], Callable[[], None]]:
        """The entries kept so far and a queue of every later one, taken together so that no
        entry falls between them; call the returned function to stop."""
        reader = (asyncio.get_running_loop(), asyncio.Queue[dict[str, Any]]())
        with self._lock:
            kept = list(self._entries)
            self._readers.append(reader)

        def unsubscribe() -> None:
            with self._lock:
                if reader in self._readers:
                    self._readers.remove(reader)

        return kept, reader[1], unsubscribe

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


SERVER = LogBuffer()
CLIENT = LogBuffer()


def entry_of(record: logging.LogRecord) -> dict[str, Any]:
    """A record as the log viewer shows it (DigiScript's entry keys)."""
    return {
        "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
            timespec="milliseconds"
        ),
        "level": record.levelname,
        "level_no": record.levelno,
        "logger": record.name,
        "message": record.getMessage(),
        "filename": record.filename,
        "lineno": record.lineno,
        "user_id": getattr(record, "user_id", None),
        "username": getattr(record, "username", None) or getattr(record, "client_user", None),
        "remote_ip": getattr(record, "remote_ip", None),
    }


class BufferHandler(logging.Handler):
    """Puts each record into the buffer of its source."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            entry = entry_of(record)
        except Exception:  # a record whose arguments do not fit its format
            self.handleError(record)
            return
        client = record.name == CLIENT_LOGGER or record.name.startswith(CLIENT_LOGGER + ".")
        (CLIENT if client else SERVER).add(entry)


def install() -> None:
    """Keep this process's log in the buffers from now on (once, however often called)."""
    root = logging.getLogger()
    if not any(isinstance(handler, BufferHandler) for handler in root.handlers):
        root.addHandler(BufferHandler())

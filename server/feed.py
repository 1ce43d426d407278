"""What this process knows of the changes committed to the database: by itself, and by every
other process sharing the database.

`seen()` answers a value that moves on whenever a committed change may have moved any show's
change counter or the loaded show, or None when the process cannot tell (then read afresh).
It lets the loaded show's stamp be kept between requests instead of read for each one.

- SQLite: `PRAGMA data_version` on a connection kept for the purpose; SQLite moves it on
  whenever any other connection, of this process or another, commits to the file.
- PostgreSQL: every write transaction that recorded a change ends with `NOTIFY` (sent by the
  database only when it commits), carrying its notices. A thread of each process `LISTEN`s:
  what another process committed moves `seen()` on and its notices go to this process's
  WebSocket clients, so every client hears every change once, whichever process made it.
  While the listening connection is down, `seen()` is None.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from server.changes import CHANNEL, Notice

log = logging.getLogger(__name__)

# PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.
MAX_PAYLOAD = 7_900

Publish = Callable[[Sequence[Notice]], None]


def payload(origin: str, notices: Sequence[Notice]) -> str:
    """The NOTIFY text for a commit's notices (their data left out if it would not fit)."""
    entries = [[n.op, n.action, n.data, n.to_user] for n in notices]
    text = json.dumps({"origin": origin, "notices": entries})
    if len(text.encode()) > MAX_PAYLOAD:
        text = json.dumps(
            {"origin": origin, "notices": [[n.op, n.action, None, n.to_user] for n in notices]}
        )
    return text


def notices_of(text: str) -> tuple[str, list[Notice]]:
    data = json.loads(text)
    return str(data["origin"]), [Notice(op, action, d, to) for op, action, d, to in data["notices"]]


class ChangeFeed:
    def __init__(self, url: str, single: Engine) -> None:
        self.url = url
        self.single = single
        self.is_sqlite = single.dialect.name == "sqlite"
        # Tells this feed's own commits apart from other processes' in what it hears.
        self.origin = uuid.uuid4().hex
        self._local = threading.local()
        self._held: list[Connection] = []
        self._lock = threading.Lock()
        self._moves = itertools.count()
        self._counter = next(self._moves)
        self._listening = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._publish: Publish | None = None

    # -- what has been seen ------------------------------------------------------------------

    def seen(self) -> Any:
        if self.is_sqlite:
            conn: Connection | None = getattr(self._local, "conn", None)
            if conn is None or conn.closed:
                conn = self._local.conn = self.single.connect()
                with self._lock:
                    self._held.append(conn)
            try:
                # Straight on the driver: a pragma that reads no table, on every request, needs
                # none of what SQLAlchemy adds to a statement.
                driver = conn.connection.driver_connection
                return driver.execute("PRAGMA data_version").fetchone()[0]  # type: ignore[union-attr]
            except Exception:  # a connection gone bad: the next call opens another
                conn.invalidate()
                self._local.conn = None
                return None
        if self._thread is None and self._publish is not None:
            with contextlib.suppress(RuntimeError):
                self._begin(asyncio.get_running_loop())
        return self._counter if self._listening else None

    def committed(self) -> None:
        """This process has just committed a change."""
        self._counter = next(self._moves)

    # -- hearing other processes (PostgreSQL) --------------------------------------------------

    def start(self, publish: Publish) -> None:
        """Listen for other processes' changes, handing their notices to `publish` on the
        event loop running now, or else on the one that first asks `seen()`. Nothing to
        listen to on SQLite."""
        if self.is_sqlite or self._thread is not None:
            return
        self._publish = publish
        # With no loop running yet (an application built ahead of it), seen() starts it.
        with contextlib.suppress(RuntimeError):
            self._begin(asyncio.get_running_loop())

    def _begin(self, loop: asyncio.AbstractEventLoop) -> None:
        self._thread = threading.Thread(
            target=self._listen, args=(loop, self._publish), name="change-feed", daemon=True
        )
        self._thread.start()

    def _listen(self, loop: asyncio.AbstractEventLoop, publish: Publish) -> None:
        import psycopg

        dsn = self.single.url.set(drivername="postgresql").render_as_string(hide_password=False)
        delay = 0.1
        while not self._stopping.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    # Whatever was kept before the connection (re)opened may be stale.
                    loop.call_soon_threadsafe(self._heard, None, publish, True)
                    delay = 0.1
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=0.5):
                            loop.call_soon_threadsafe(self._heard, note.payload, publish, True)
            except Exception as exc:  # the database restarting, say: listen again shortly
                if self._stopping.is_set():
                    return
                log.warning("change feed lost its connection (%s); listening again", exc)
                try:
                    loop.call_soon_threadsafe(self._lost)
                except RuntimeError:  # the loop has closed
                    return
                self._stopping.wait(delay)
                delay = min(delay * 2, 5.0)

    def _lost(self) -> None:
        self._listening = False

    def _heard(self, text: str | None, publish: Publish, listening: bool) -> None:
        self._listening = listening
        self._counter = next(self._moves)
        if text is None:
            return
        try:
            origin, notices = notices_of(text)
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring a change notice that is not ours: %.100r", text)
            return
        if origin != self.origin and notices:
            publish(notices)

    def stop(self) -> None:
        # The listening thread sees this within half a second and closes its connection; it is
        # not waited for (a daemon), so that stopping costs nothing.
        self._stopping.set()
        self._thread = None
        self._listening = False
        with self._lock:
            held, self._held = self._held, []
        for conn in held:
            conn.close()

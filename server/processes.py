"""This server process, as the others sharing the database see it.

A process that holds WebSocket connections records itself in `server_processes` and beats
every `HEARTBEAT_SECONDS`; each client row names its process. A process that has missed
`MISSED_BEATS` beats is taken for dead (`kill -9`, a power cut, a lost host): its client rows
no longer hold their uuids, and a live session one of them led can be led again. Each beat
also clears such rows. Heartbeats are wall-clock times, so the processes' clocks must agree
to within a few seconds (processes on one host, or hosts kept in time by NTP).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session
from tornado.ioloop import PeriodicCallback

from server.changes import Notice
from server.db import Database, utcnow
from server.operations import clients

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = float(os.environ.get("DIGISCRIPT_HEARTBEAT_SECONDS", "5"))
MISSED_BEATS = 3

Publish = Callable[[Sequence[Notice]], None]


class ProcessRegistry:
    def __init__(self, database: Database, interval: float = HEARTBEAT_SECONDS) -> None:
        self.database = database
        self.interval = interval
        self.id = uuid.uuid4().hex
        self._timer: PeriodicCallback | None = None
        self._publish: Publish | None = None

    def alive_since(self) -> dt.datetime:
        """A process that has beaten since then is alive."""
        return utcnow() - dt.timedelta(seconds=self.interval * MISSED_BEATS)

    def ensure_started(self, db: Session, publish: Publish) -> None:
        """In the write transaction of this process's first WebSocket client: record the
        process and start beating (on the running event loop)."""
        if self._timer is not None:
            return
        clients.beat(db, self.id, utcnow())
        self._publish = publish
        self._timer = PeriodicCallback(self.beat, self.interval * 1000)
        self._timer.start()

    def beat(self) -> None:
        try:
            with self.database.write(publish=self._publish) as db:
                clients.beat(db, self.id, utcnow())
                swept = clients.sweep_stale(db, self.alive_since())
        except Exception as exc:  # the database away for a moment: beat again next time
            log.warning("server process heartbeat failed: %s", exc)
            return
        if swept:
            log.info("cleared %d WebSocket clients of server processes gone", len(swept))

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

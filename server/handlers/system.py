"""The System Config page: server facts, version status, connected clients, the server's
recent log, and database backups."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError

from server.db import sqlite_file
from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Prepared,
    Transaction,
    endpoint,
    route,
)
from server.operations import backups, system
from server.processes import ProcessRegistry
from server.schemas.system import (
    BackupListSchema,
    BackupMadeSchema,
    BackupRestoredSchema,
    BackupTimestampQuerySchema,
    ConnectedClientsSchema,
    LogFilterQuerySchema,
    LogViewQuerySchema,
    LogViewSchema,
    ServerInfoSchema,
    VersionStatusSchema,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


@route(r"/api/v1/system/info")
class SystemInfoHandler(BaseAPIHandler):
    @endpoint(
        "This server's host name, outbound address, port, version, Python, platform, database"
        " kind and uptime (ADMIN)",
        access=Access.ADMIN,
        answer=ServerInfoSchema,
        transaction=Transaction.NONE,
        tag="system",
    )
    def get(self, call: Call) -> Answer:
        return system.server_info(
            self.version, self._local_port(), self.database.engine.dialect.name
        )

    def _local_port(self) -> int | None:
        """The port this request came in on."""
        try:
            return int(self.request.connection.stream.socket.getsockname()[1])  # type: ignore[union-attr]
        except (AttributeError, OSError, IndexError, TypeError):
            return None


@route(r"/api/v1/version/status")
class VersionStatusHandler(BaseAPIHandler):
    @endpoint(
        "The running version; no newer release is ever looked up, and check_error says so",
        access=Access.SIGNED_IN,
        answer=VersionStatusSchema,
        transaction=Transaction.NONE,
        tag="system",
    )
    def get(self, call: Call) -> Answer:
        return system.version_status(self.version)


@route(r"/api/v1/version/check")
class VersionCheckHandler(BaseAPIHandler):
    @endpoint(
        "Check for a newer release (ADMIN): answers at once, without any network call, that no"
        " check is possible",
        access=Access.ADMIN,
        answer=VersionStatusSchema,
        transaction=Transaction.NONE,
        tag="system",
    )
    def post(self, call: Call) -> Answer:
        return system.version_status(self.version)


@route(r"/api/v1/ws/sessions")
class ConnectedClientsHandler(BaseAPIHandler):
    @endpoint(
        "The WebSocket clients connected to every live server process (ADMIN)",
        access=Access.ADMIN,
        answer=ConnectedClientsSchema,
        tag="system",
    )
    def get(self, call: Call) -> Answer:
        registry: ProcessRegistry = self.application.settings["processes"]
        return {"sessions": system.connected_clients(call.db, registry.alive_since())}


@route(r"/api/v1/logs/view")
class LogViewHandler(BaseAPIHandler):
    @endpoint(
        "This server process's recent log (server) or the browser messages it kept (client),"
        " filtered by lowest level, text, user name; the newest `limit` (at most 1000) after"
        " skipping the newest `offset`, oldest first (ADMIN)",
        access=Access.ADMIN,
        query=LogViewQuerySchema,
        answer=LogViewSchema,
        transaction=Transaction.NONE,
        tag="system",
    )
    def get(self, call: Call) -> Answer:
        q = call.query
        return system.log_entries(
            q["source"], q["level"], q["search"], q["username"], q["limit"], q["offset"]
        )


# A comment line this often keeps proxies and browsers from closing a quiet log stream.
KEEPALIVE_SECONDS = 20.0


@route(r"/api/v1/logs/stream")
class LogStreamHandler(BaseAPIHandler):
    """The log viewer's live mode: Server-Sent Events, one `data:` line of JSON per entry."""

    closed: asyncio.Event | None = None

    @endpoint(
        "This server process's log as it is written, as Server-Sent Events: first the kept"
        " entries that pass the filters (as /logs/view), then each new one, one JSON entry per"
        " `data:` line, until the client goes away (ADMIN)",
        access=Access.ADMIN,
        query=LogFilterQuerySchema,
        answer={"type": "string"},
        answer_type="text/event-stream",
        transaction=Transaction.NONE,
        tag="system",
    )
    async def get(self, call: Call) -> Answer:
        q = call.query
        self.closed = asyncio.Event()
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")  # a proxy must pass each event on at once
        kept, later, unsubscribe = system.log_buffer(q["source"]).subscribe()
        try:
            self.send_events(kept, q)
            await self.flush()
            closed = asyncio.ensure_future(self.closed.wait())
            try:
                while not self.closed.is_set():
                    entry = asyncio.ensure_future(later.get())
                    done, _ = await asyncio.wait(
                        (entry, closed),
                        timeout=KEEPALIVE_SECONDS,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    if entry in done:
                        self.send_events([entry.result()], q)
                    else:
                        entry.cancel()
                        if closed not in done:
                            self.write(": keepalive\n\n")
                    if not self.closed.is_set():
                        await self.flush()
            finally:
                closed.cancel()
        except StreamClosedError:
            pass
        finally:
            unsubscribe()
        return Prepared(b"")

    def send_events(self, entries: list[dict[str, Any]], q: dict[str, Any]) -> None:
        for entry in system.matching_entries(entries, q["level"], q["search"], q["username"]):
            self.write(f"data: {json.dumps(entry)}\n\n")

    def on_connection_close(self) -> None:
        if self.closed is not None:
            self.closed.set()
        super().on_connection_close()


BACKUPS = r"/api/v1/admin/db-backups"
# The database as SQLite: the backups' verbs answer 400 naming pg_dump on PostgreSQL.
BACKUP_ERRORS = (400, 404)


class BackupsBase(BaseAPIHandler):
    @property
    def db_path(self) -> Path:
        return backups.database_file(sqlite_file(self.database.url))

    async def in_thread(self, work: Callable[[], T]) -> T:
        """Run file work off the event loop: a copy waits on the database's locks, which a
        request of this process may hold across an await."""
        return await IOLoop.current().run_in_executor(None, work)


@route(BACKUPS)
class BackupsHandler(BackupsBase):
    @endpoint(
        "The backups of the SQLite database, newest first (ADMIN)",
        access=Access.ADMIN,
        answer=BackupListSchema,
        transaction=Transaction.NONE,
        errors=(400,),
        tag="system",
    )
    def get(self, call: Call) -> Answer:
        return backups.listing(self.db_path)

    @endpoint(
        "Back the SQLite database up now, online and verified, into the backups folder"
        " beside it (ADMIN)",
        access=Access.ADMIN,
        answer=BackupMadeSchema,
        transaction=Transaction.NONE,
        errors=(400, 409),
        tag="system",
    )
    async def post(self, call: Call) -> Answer:
        db_path = self.db_path
        made = await self.in_thread(lambda: backups.create(db_path, call.now))
        log.info("database backed up to %s", made.path)
        return {"message": "Backup created", "backup": made.as_json()}

    @endpoint(
        "Delete a backup, named by its created_at (ADMIN)",
        access=Access.ADMIN,
        query=BackupTimestampQuerySchema,
        transaction=Transaction.NONE,
        errors=BACKUP_ERRORS,
        tag="system",
    )
    def delete(self, call: Call) -> Answer:
        backups.delete(self.db_path, call.query["timestamp"])
        return {"message": "Backup deleted"}


@route(BACKUPS + "/download")
class BackupDownloadHandler(BackupsBase):
    @endpoint(
        "A backup's SQLite file, named by its created_at (ADMIN)",
        access=Access.ADMIN,
        query=BackupTimestampQuerySchema,
        answer={"type": "string", "format": "binary"},
        answer_type="application/vnd.sqlite3",
        transaction=Transaction.NONE,
        errors=BACKUP_ERRORS,
        tag="system",
    )
    async def get(self, call: Call) -> Answer:
        found = backups.find(self.db_path, call.query["timestamp"])
        body = await self.in_thread(found.path.read_bytes)
        self.set_header("Content-Type", "application/vnd.sqlite3")
        self.set_header("Content-Disposition", f'attachment; filename="{found.path.name}"')
        return Prepared(body)


@route(BACKUPS + "/restore")
class BackupRestoreHandler(BackupsBase):
    @endpoint(
        "Replace the database with a backup, named by its created_at (ADMIN): checked, upgraded"
        " to this server's schema if older (400 if newer or damaged), a backup of the database"
        " as it was made first; connected clients stay connected and are told to fetch"
        " everything again",
        access=Access.ADMIN,
        query=BackupTimestampQuerySchema,
        answer=BackupRestoredSchema,
        transaction=Transaction.NONE,
        errors=(*BACKUP_ERRORS, 409),
        tag="system",
    )
    async def post(self, call: Call) -> Answer:
        db_path = self.db_path
        registry: ProcessRegistry = self.application.settings["processes"]
        with self.database.read() as db:
            live = backups.live_state(db)
        done = await self.in_thread(
            lambda: backups.restore(db_path, call.query["timestamp"], call.now)
        )
        # Pooled connections opened on the old content are not reused; values kept from it
        # (the token-signing secret) are read again.
        for engine in self.database.engines:
            engine.dispose()
        self.database.kept.clear()
        with self.database.write(publish=self.after_response) as db:
            backups.reconcile_after_restore(db, live, registry.alive_since())
        log.warning(
            "database restored from %s (the previous state is in %s)",
            done.backup.path,
            done.before.path,
        )
        return {
            "message": "Backup restored",
            "restored": done.backup.as_json(),
            "previous": done.before.as_json(),
        }

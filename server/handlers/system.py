"""The System Config page: server facts, version status, connected clients, the server's
recent log, and database backups."""

from __future__ import annotations

from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    endpoint,
    route,
)
from server.operations import system
from server.processes import ProcessRegistry
from server.schemas.system import (
    ConnectedClientsSchema,
    LogViewQuerySchema,
    LogViewSchema,
    ServerInfoSchema,
    VersionStatusSchema,
)


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

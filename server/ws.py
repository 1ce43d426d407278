"""The WebSocket endpoint and the broadcaster that pushes change notices to every client."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import tornado.websocket

from server.auth import user_for_token
from server.db import Database
from server.errors import Unauthorized
from server.operations import clients, settings

log = logging.getLogger(__name__)


class Broadcaster:
    """The set of open WebSocket connections of this process."""

    def __init__(self) -> None:
        self.connections: set[WebSocketHandler] = set()

    def add(self, conn: WebSocketHandler) -> None:
        self.connections.add(conn)

    def discard(self, conn: WebSocketHandler) -> None:
        self.connections.discard(conn)

    def broadcast(self, message: dict[str, Any]) -> None:
        """Send to every open connection. A client that has gone away is dropped, never raised."""
        payload = json.dumps(message)
        for conn in list(self.connections):
            conn.send(payload)


class WebSocketHandler(tornado.websocket.WebSocketHandler):
    def initialize(self) -> None:
        self.internal_id = str(uuid.uuid4())
        self.user_id: int | None = None

    @property
    def database(self) -> Database:
        return self.application.settings["database"]  # type: ignore[no-any-return]

    @property
    def broadcaster(self) -> Broadcaster:
        return self.application.settings["broadcaster"]  # type: ignore[no-any-return]

    def check_origin(self, origin: str) -> bool:
        return True

    def open(self, *args: str, **kwargs: str) -> None:
        with self.database.write() as db:
            clients.register_client(
                db, self.internal_id, self.request.remote_ip, self.application.settings["clock"]()
            )
        self.broadcaster.add(self)
        self.send_json({"OP": "SET_UUID", "DATA": self.internal_id})
        self.send_json({"OP": "NOOP", "DATA": {}, "ACTION": "GET_SETTINGS"})

    def on_close(self) -> None:
        self.broadcaster.discard(self)
        try:
            with self.database.write() as db:
                clients.remove_client(db, self.internal_id)
        except Exception:  # the server may be shutting down; the row is harmless
            log.exception("could not remove WebSocket client %s", self.internal_id)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            log.warning("ignoring non-JSON WebSocket message")
            return
        if not isinstance(data, dict):
            return
        op = data.get("OP")
        if op == "AUTHENTICATE":
            self._authenticate(data.get("DATA"))

    def _authenticate(self, data: Any) -> None:
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            self.send_json({"OP": "WS_AUTH_ERROR", "DATA": "No token provided"})
            return
        clock = self.application.settings["clock"]
        try:
            with self.database.write() as db:
                secret = settings.jwt_secret(db)
                user = user_for_token(db, token, secret, clock())
                clients.link_user(db, self.internal_id, user.id)
                username = user.username
                self.user_id = user.id
        except Unauthorized as exc:
            self.send_json({"OP": "WS_AUTH_ERROR", "DATA": exc.message})
            return
        self.send_json(
            {"OP": "WS_AUTH_SUCCESS", "DATA": {"user_id": self.user_id, "username": username}}
        )

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(json.dumps(message))

    def send(self, payload: str) -> None:
        try:
            future = self.write_message(payload)
        except tornado.websocket.WebSocketClosedError:
            self.broadcaster.discard(self)
            return
        # A connection that drops mid-write fails the future; retrieving it keeps that quiet.
        future.add_done_callback(lambda f: f.exception())

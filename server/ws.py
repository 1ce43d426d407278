"""The WebSocket endpoint: a client's row, sign-in and leadership of the live session.

What its writes change is announced as every write's is (see `server.changes`); only replies
addressed to this one connection are chosen here."""

from __future__ import annotations

import itertools
import json
import logging
import re
import uuid
from typing import Any
from urllib.parse import urlparse

import tornado.ioloop
import tornado.websocket
from sqlalchemy.exc import IntegrityError

from server.broadcast import Broadcaster
from server.changes import Notice
from server.clock import Clock
from server.db import Database
from server.errors import Unauthorized
from server.jsonio import error_message, is_text, parse_json
from server.operations import clients, leaders, users
from server.processes import ProcessRegistry

log = logging.getLogger(__name__)

# The only uuids a client can have been given are this server's uuid4 strings.
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Bytes written to a connection that its socket has not yet taken. A client that stops reading
# would otherwise make the server keep every notice for it; past this it is disconnected (and
# hands over any lead it held, as on any close), so one stalled client costs at most this much.
MAX_UNSENT = 1 << 20


class WebSocketHandler(tornado.websocket.WebSocketHandler):
    _opened = itertools.count()

    def initialize(self) -> None:
        self.internal_id = str(uuid.uuid4())
        self.user_id: int | None = None
        # Set by REFRESH_CLIENT before the connection has signed in: the lead of a session this
        # uuid led is given back once the connection proves it is the session's user.
        self.reclaim_pending = False
        self.opened_order = next(WebSocketHandler._opened)
        self.unsent = 0
        self.overflowed = False

    def finish(self, chunk: str | bytes | dict[str, Any] | None = None) -> Any:
        # Tornado refuses a bad handshake (no Upgrade header, a foreign Origin) with a plain-text
        # reason; like every other error of the API, it is answered as {"message": ...}.
        if isinstance(chunk, str) and self.get_status() >= 400:
            self.set_header("Content-Type", "application/json; charset=UTF-8")
            chunk = json.dumps({"message": chunk})
        return super().finish(chunk)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A method other than GET, say: answered as the API answers it, not as an HTML page.
        if status_code == 405:
            self.set_header("Allow", "GET")
        exc = kwargs.get("exc_info", (None, None, None))[1]
        self.finish(error_message(status_code, self._reason, exc))

    @property
    def database(self) -> Database:
        return self.application.settings["database"]  # type: ignore[no-any-return]

    @property
    def broadcaster(self) -> Broadcaster:
        return self.application.settings["broadcaster"]  # type: ignore[no-any-return]

    @property
    def processes(self) -> ProcessRegistry:
        return self.application.settings["processes"]  # type: ignore[no-any-return]

    @property
    def clock(self) -> Clock:
        return self.application.settings["clock"]  # type: ignore[no-any-return]

    def check_origin(self, origin: str) -> bool:
        """Browsers may connect from pages this server served; `serve --debug` lets any page
        connect (a client on a development server of its own, say)."""
        if self.application.settings.get("debug_origins"):
            return True
        host = self.request.headers.get("Host", "")
        return bool(host) and urlparse(origin).netloc.lower() == host.lower()

    def open(self, *args: str, **kwargs: str) -> None:
        with self.database.write(publish=self.broadcaster.publish) as db:
            self.processes.ensure_started(db, self.broadcaster.publish)
            clients.register_client(
                db, self.internal_id, self.request.remote_ip, self.clock(), self.processes.id
            )
        self.broadcaster.add(self)
        self.send_json({"OP": "SET_UUID", "DATA": self.internal_id})
        self.send_json({"OP": "NOOP", "DATA": {}, "ACTION": "GET_SETTINGS"})

    def on_close(self) -> None:
        self.broadcaster.discard(self)
        candidates = {
            conn.internal_id: conn.user_id
            for conn in self.broadcaster.in_order()
            if conn.user_id is not None
        }
        notices: list[Notice] = []
        try:
            with self.database.write(publish=notices.extend) as db:
                # Removing the client's row locks every show (its sessions' rows change);
                # taking them all before the handover locks one keeps the order every such
                # writer keeps, so two connections closing at once cannot deadlock.
                clients.lock_for_removal(db)
                handover = leaders.hand_over(db, self.internal_id, candidates)
                clients.remove_client(db, self.internal_id)
        except Exception:  # the server may be shutting down; the row is harmless
            log.exception("could not remove WebSocket client %s", self.internal_id)
            return
        if handover is not None and handover.new_leader is not None:
            self._tell(handover.new_leader, _elected(handover.latest_line_ref))
        self.broadcaster.publish(notices)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = parse_json(message)
        except ValueError:
            log.warning("ignoring non-JSON WebSocket message")
            return
        if not isinstance(data, dict):
            return
        op = data.get("OP")
        if op == "AUTHENTICATE":
            self._authenticate(data.get("DATA"))
        elif op == "REFRESH_TOKEN":
            self._authenticate(data.get("DATA"), refreshing=True)
        elif op == "REFRESH_CLIENT":
            self._refresh_client(data.get("DATA"))
        elif op == "NEW_CLIENT":
            self._new_client()

    def _authenticate(self, data: Any, refreshing: bool = False) -> None:
        """Sign the connection in with a token; `refreshing` is the client's half-hourly swap to
        a fresh token on a connection that is already signed in."""
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            self.send_json({"OP": "WS_AUTH_ERROR", "DATA": "No token provided"})
            return
        if not is_text(token):  # a lone surrogate: no token was ever made of that
            self.send_json({"OP": "WS_AUTH_ERROR", "DATA": "Invalid token"})
            return
        try:
            user, _claims = users.authenticate(self.database, token, self.clock())
            with self.database.write(publish=self.broadcaster.publish) as db:
                clients.link_user(db, self.internal_id, user.id)
            username = user.username
            self.user_id = user.id
        except Unauthorized as exc:
            self.send_json({"OP": "WS_AUTH_ERROR", "DATA": exc.message})
            return
        except IntegrityError:  # the user was deleted between the check and the link
            self.send_json({"OP": "WS_AUTH_ERROR", "DATA": "Invalid token"})
            return
        if refreshing:
            self.send_json({"OP": "WS_TOKEN_REFRESH_SUCCESS", "DATA": {}})
            return
        self.send_json(
            {"OP": "WS_AUTH_SUCCESS", "DATA": {"user_id": self.user_id, "username": username}}
        )
        if self.reclaim_pending:
            self._reclaim()

    def _refresh_client(self, earlier: Any) -> None:
        """The client reconnected and names the uuid it was given first: it becomes that uuid
        again, and leads the live session again if it was leading it when it went away."""
        if not isinstance(earlier, str) or not UUID.fullmatch(earlier):
            log.warning("ignoring REFRESH_CLIENT with a malformed uuid")
            return
        if earlier == self.internal_id:
            return
        if any(conn.internal_id == earlier for conn in self.broadcaster.connections):
            # Still open here (the same client in a second tab): two live connections must not
            # answer to one uuid, so this one keeps the uuid it was given.
            log.info("REFRESH_CLIENT to %s refused: that connection is still open", earlier)
            return
        with self.database.write(publish=self.broadcaster.publish) as db:
            # Rows of processes that died are cleared first; a row that is left belongs to a
            # live connection, here or in another process, and is not for the taking.
            alive_since = self.processes.alive_since()
            clients.sweep_stale(db, alive_since)
            taken = clients.held_by_live_process(db, earlier, alive_since)
            if not taken:
                clients.rekey_client(
                    db,
                    self.internal_id,
                    earlier,
                    self.request.remote_ip,
                    self.user_id,
                    self.clock(),
                    self.processes.id,
                )
        if taken:
            log.info("REFRESH_CLIENT to %s refused: a live connection holds it", earlier)
            return
        self.internal_id = earlier
        self.reclaim_pending = True
        if self.user_id is not None:
            self._reclaim()

    def _reclaim(self) -> None:
        self.reclaim_pending = False
        assert self.user_id is not None
        with self.database.write(publish=self.broadcaster.publish) as db:
            leaders.reclaim(db, self.internal_id, self.user_id)

    def _new_client(self) -> None:
        """A signed-in client announces itself: it leads its user's live session if nobody does."""
        if self.user_id is None:
            return
        notices: list[Notice] = []
        with self.database.write(publish=notices.extend) as db:
            # A leader whose process died leads no more: its session is its user's to take.
            clients.sweep_stale(db, self.processes.alive_since())
            session = leaders.claim(db, self.internal_id, self.user_id)
            latest_line_ref = None if session is None else session.latest_line_ref
        if session is not None:
            self.send_json(_elected(latest_line_ref))
        self.broadcaster.publish(notices)

    def _tell(self, internal_id: str, message: dict[str, Any]) -> None:
        for conn in self.broadcaster.connections:
            if conn.internal_id == internal_id:
                conn.send_json(message)

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(json.dumps(message))

    def send(self, payload: str) -> None:
        if self.overflowed:
            return
        size = len(payload)  # json.dumps writes ASCII: characters are bytes
        if self.unsent + size > MAX_UNSENT:
            self._drop_stalled()
            return
        try:
            future = self.write_message(payload)
        except tornado.websocket.WebSocketClosedError:
            self.broadcaster.discard(self)
            return
        self.unsent += size
        future.add_done_callback(lambda f: self._written(size, f))

    def _written(self, size: int, future: Any) -> None:
        self.unsent -= size
        # A connection that drops mid-write fails the future; retrieving it keeps that quiet.
        future.exception()

    def _drop_stalled(self) -> None:
        """The client has stopped reading: close its socket at once (a closing handshake would
        wait behind everything already queued) and let on_close hand over what it led."""
        log.warning(
            "closing WebSocket client %s: %d bytes it has not read", self.internal_id, self.unsent
        )
        self.overflowed = True
        self.broadcaster.discard(self)
        # Not from inside the broadcast that found it stalled: on_close writes and publishes.
        tornado.ioloop.IOLoop.current().add_callback(self.on_connection_close)


def _elected(latest_line_ref: str | None) -> dict[str, Any]:
    return {"OP": "NOOP", "ACTION": "ELECTED_LEADER", "DATA": {"latest_line_ref": latest_line_ref}}

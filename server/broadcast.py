"""The open WebSocket connections of this process, and sending notices to them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from server.changes import Notice

# A notice with this action, addressed to a user, signs their connections out as it is sent.
SIGNED_OUT_ACTION = "USER_LOGOUT"


class Connection(Protocol):
    """What the broadcaster needs of a WebSocket connection."""

    user_id: int | None
    opened_order: int

    def send(self, payload: str) -> None: ...


class Broadcaster:
    """The set of open WebSocket connections of this process."""

    def __init__(self) -> None:
        self.connections: set[Any] = set()

    def add(self, conn: Connection) -> None:
        self.connections.add(conn)

    def discard(self, conn: Connection) -> None:
        self.connections.discard(conn)

    def publish(self, notices: Iterable[Notice]) -> None:
        """Send each notice to its connections: every open one, or those signed in as its
        addressee. A client that has gone away is dropped, never raised."""
        for notice in notices:
            payload = json.dumps(notice.message)
            for conn in list(self.connections):
                if notice.to_user is None or conn.user_id == notice.to_user:
                    conn.send(payload)
                    if notice.to_user is not None and notice.action == SIGNED_OUT_ACTION:
                        # The user's tokens have all stopped working: so has this sign-in.
                        conn.user_id = None

    def in_order(self) -> list[Any]:
        """The open connections, oldest first."""
        return sorted(self.connections, key=lambda conn: conn.opened_order)

"""What the System Config page shows: the server's own facts, its version status, the
connected WebSocket clients of every server process, and the server's recent log."""

from __future__ import annotations

import datetime as dt
import logging
import platform
import socket
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import logbuffer
from server.models import User, WebClient
from server.models.client import ServerProcess

# Why this server never says whether a newer release exists.
NO_UPDATE_CHECK = "Update checks are not available: this server does not contact the internet"

# The lowest level a `level` filter keeps, by name (WARN as the browser's logger says it).
LEVELS = {
    "TRACE": 5,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}
MAX_LIMIT = 1000
# When this server process started (the handlers are imported as it starts).
STARTED = (dt.datetime.now(dt.UTC), time.monotonic())
DEFAULT_LIMIT = 500


def primary_address() -> str:
    """The address this host's outbound traffic leaves from, or "Unknown" without a route.

    Connecting a UDP socket sends nothing: the system only picks the source address it would
    use for a documentation-range destination (RFC 5737)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address: str = probe.getsockname()[0]
            return address
    except OSError:
        return "Unknown"


def server_info(version: str, port: int | None, database_kind: str) -> dict[str, Any]:
    started_at, started = STARTED
    return {
        "hostname": socket.getfqdn(),
        "ip_address": primary_address(),
        "port": port,
        "version": version,
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "database": database_kind,
        "started_at": started_at.isoformat(),
        "uptime_seconds": int(time.monotonic() - started),
    }


def version_status(version: str) -> dict[str, Any]:
    """DigiScript's version status. No release source is ever asked, so what is known is the
    running version only; `check_error` says why the rest is unknown."""
    return {
        "current_version": version,
        "latest_version": None,
        "update_available": False,
        "release_url": None,
        "last_checked": None,
        "check_error": NO_UPDATE_CHECK,
    }


def connected_clients(db: Session, alive_since: dt.datetime) -> list[dict[str, Any]]:
    """The WebSocket clients of every live server process sharing this database, oldest
    connection first."""
    rows = db.execute(
        select(WebClient, User.username)
        .join(ServerProcess, ServerProcess.id == WebClient.process_id)
        .outerjoin(User, User.id == WebClient.user_id)
        .where(ServerProcess.heartbeat_at >= alive_since)
        .order_by(WebClient.connected_at, WebClient.internal_id)
    ).all()
    return [
        {
            "internal_id": client.internal_id,
            "remote_ip": client.remote_ip,
            # This server has no script editor, so no client holds one open.
            "is_editor": False,
            # Pings are the WebSocket layer's and are not recorded.
            "last_ping": None,
            "last_pong": None,
            "user_id": client.user_id,
            "username": username,
            "connected_at": client.connected_at.isoformat(),
            "process_id": client.process_id,
        }
        for client, username in rows
    ]


def matching_entries(
    entries: list[dict[str, Any]], level: str, search: str, username: str
) -> list[dict[str, Any]]:
    """The entries at `level` or above whose message holds `search` and whose user name holds
    `username` (both ignoring case; an empty filter lets everything through)."""
    if level:
        lowest = LEVELS[level]
        entries = [e for e in entries if e["level_no"] >= lowest]
    if search:
        needle = search.lower()
        entries = [e for e in entries if needle in e["message"].lower()]
    if username:
        who = username.lower()
        entries = [e for e in entries if e["username"] and who in e["username"].lower()]
    return entries


def log_buffer(source: str) -> logbuffer.LogBuffer:
    return logbuffer.CLIENT if source == "client" else logbuffer.SERVER


def log_entries(
    source: str, level: str, search: str, username: str, limit: int, offset: int
) -> dict[str, Any]:
    """The buffered log entries of `source` that pass the filters: the newest `limit` of them
    after skipping the newest `offset`, oldest first; `total` counts every match."""
    entries = matching_entries(log_buffer(source).entries(), level, search, username)
    total = len(entries)
    end = max(0, total - offset)
    page = entries[max(0, end - limit) : end]
    return {"entries": page, "total": total, "returned": len(page), "source": source}

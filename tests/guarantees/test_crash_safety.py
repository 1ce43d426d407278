"""A server killed with SIGKILL in the middle of a burst of writes loses nothing it confirmed.

Threads schedule, start and stop sessions against a live server on a SQLite file; the server is
killed mid-burst and started again. The file must pass `PRAGMA integrity_check`, every answer
200 must be in it, and no show may be left with two live sessions.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from server.db import Database
from server.operations import clients
from tests.conftest import BACKEND
from tests.live_server import LiveServer, seed

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="kills a server on a SQLite file")

WORKERS = 6
KILL_AFTER = 150  # confirmed writes before the kill: the burst is well under way by then
REQUESTS_PER_WORKER = 400  # a bound, should the kill never come
BURST_LIMIT = 120.0  # seconds to wait for KILL_AFTER confirmed writes


@dataclass
class Outcomes:
    """What the server confirmed with a 200, by request."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    scheduled: dict[int, str] = field(default_factory=dict)  # session id -> time sent
    started_scheduled: list[int] = field(default_factory=list)
    started_adhoc: int = 0
    stopped: int = 0
    confirmed: int = 0
    # Answers other than 200 and 409 (a 500, say): a thread cannot fail the test itself.
    unexpected: list[tuple[int, Any]] = field(default_factory=list)
    enough: threading.Event = field(default_factory=threading.Event)

    def confirm(self) -> None:
        self.confirmed += 1
        if self.confirmed >= KILL_AFTER:
            self.enough.set()


def register_clients(database_url: str, count: int) -> list[str]:
    """WebSocket client rows, as connected stage managers would have left them."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    database = Database(database_url)
    try:
        with database.write() as db:
            for internal_id in ids:
                clients.register_client(db, internal_id, "127.0.0.1", dt.datetime.now(dt.UTC))
    finally:
        database.dispose()
    return ids


def burst(server: LiveServer, token: str, client_id: str, worker: int, out: Outcomes) -> None:
    """Schedule, start (the newest scheduled session, or ad hoc) and stop, until cut off."""
    mine: list[int] = []
    for n in range(REQUESTS_PER_WORKER):
        try:
            step = n % 3
            if step == 0:
                when = f"2027-01-{1 + worker:02d}T{n % 24:02d}:{n % 60:02d}:00"
                status, body = server.call(
                    "POST", "/api/v1/show/sessions/schedule", {"scheduled_date_time": when}, token
                )
                if status == 200:
                    with out.lock:
                        out.scheduled[body["id"]] = when
                        out.confirm()
                    mine.append(body["id"])
            elif step == 1:
                request: dict[str, Any] = {"session_id": client_id}
                target = mine.pop() if mine and n % 2 else None
                if target is not None:
                    request["show_session_id"] = target
                status, body = server.call("POST", "/api/v1/show/sessions/start", request, token)
                if status == 200:
                    with out.lock:
                        if target is None:
                            out.started_adhoc += 1
                        else:
                            out.started_scheduled.append(target)
                        out.confirm()
            else:
                status, body = server.call("POST", "/api/v1/show/sessions/stop", None, token)
                if status == 200:
                    with out.lock:
                        out.stopped += 1
                        out.confirm()
            if status not in (200, 409):
                with out.lock:
                    out.unexpected.append((status, body))
        except OSError:
            return  # the server is gone: what this request did is unknown, and may be either


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[LiveServer]:
    live = LiveServer(f"sqlite:///{root / 'crash.sqlite'}", root / "server.log")
    try:
        yield live
    finally:
        live.stop()


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# One burst and one kill for the whole module: each test below reads a different promise off it.
@pytest.fixture(scope="module")
def killed_mid_burst(server: LiveServer) -> tuple[Outcomes, dict[str, Any]]:
    """The burst, the kill and the restart; what was confirmed, and the seeded ids."""
    server.start()
    ids = seed(server)
    client_ids = register_clients(server.database_url, WORKERS)
    out = Outcomes()
    threads = [
        threading.Thread(target=burst, args=(server, ids["token"], client_ids[i], i, out))
        for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    out.enough.wait(BURST_LIMIT)
    server.kill()
    for thread in threads:
        thread.join(60)
    assert out.confirmed >= KILL_AFTER, server.log()[-4000:]
    assert out.unexpected == [], out.unexpected
    # Every kind of write was confirmed before the kill, so the checks below check something.
    assert out.scheduled and out.started_scheduled and out.started_adhoc and out.stopped, out
    server.start()
    return out, ids


def test_the_database_passes_integrity_check_after_a_kill(killed_mid_burst, root):
    assert rows(root / "crash.sqlite", "PRAGMA integrity_check") == [("ok",)]


def test_every_confirmed_schedule_survives_a_kill(killed_mid_burst, root):
    out, ids = killed_mid_burst
    stored = dict(
        rows(
            root / "crash.sqlite",
            "SELECT id, strftime('%Y-%m-%dT%H:%M:%S', scheduled_date_time) FROM showsession "
            f"WHERE show_id = {ids['show_id']}",
        )
    )
    assert out.scheduled
    assert {sid: stored.get(sid) for sid in out.scheduled} == out.scheduled


def test_every_confirmed_start_and_stop_survives_a_kill(killed_mid_burst, root):
    out, ids = killed_mid_burst
    path = root / "crash.sqlite"
    show = ids["show_id"]
    started = {
        sid
        for (sid,) in rows(
            path,
            f"SELECT id FROM showsession WHERE show_id = {show} AND start_date_time IS NOT NULL",
        )
    }
    assert set(out.started_scheduled) <= started
    assert len(started) >= len(out.started_scheduled) + out.started_adhoc
    (ended,) = rows(
        path,
        f"SELECT count(*) FROM showsession WHERE show_id = {show} AND end_date_time IS NOT NULL",
    )[0]
    assert ended >= out.stopped
    # Each start and stop wrote its log event in the same transaction as the session itself.
    (started_events,) = rows(
        path,
        "SELECT count(*) FROM session_events e JOIN showsession s ON s.id = e.session_id "
        f"WHERE s.show_id = {show} AND e.kind = 'started'",
    )[0]
    (stopped_events,) = rows(
        path,
        "SELECT count(*) FROM session_events e JOIN showsession s ON s.id = e.session_id "
        f"WHERE s.show_id = {show} AND e.kind = 'stopped'",
    )[0]
    assert (started_events, stopped_events) == (len(started), ended)


def test_no_show_is_left_with_two_live_sessions_after_a_kill(killed_mid_burst, root):
    path = root / "crash.sqlite"
    live = rows(
        path,
        "SELECT show_id, id FROM showsession "
        "WHERE start_date_time IS NOT NULL AND end_date_time IS NULL ORDER BY show_id",
    )
    shows = [show for show, _ in live]
    assert len(shows) == len(set(shows))
    # The show's pointer to its live session agrees with the sessions themselves.
    pointers = dict(rows(path, "SELECT id, current_session_id FROM shows"))
    assert {show: sid for show, sid in live} == {
        show: sid for show, sid in pointers.items() if sid is not None
    }


def test_the_server_runs_sessions_again_after_a_kill(killed_mid_burst, server):
    _out, ids = killed_mid_burst
    token = ids["token"]
    (client_id,) = register_clients(server.database_url, 1)
    status, _ = server.call("POST", "/api/v1/show/sessions/stop", None, token)
    assert status in (200, 409)
    when = "2027-02-01T19:30:00"
    scheduled = server.ok(
        "POST", "/api/v1/show/sessions/schedule", {"scheduled_date_time": when}, token
    )["id"]
    server.ok(
        "POST",
        "/api/v1/show/sessions/start",
        {"session_id": client_id, "show_session_id": scheduled},
        token,
    )
    listing = server.ok("GET", "/api/v1/show/sessions")
    assert listing["current_session"]["id"] == scheduled
    server.ok("POST", "/api/v1/show/sessions/stop", None, token)

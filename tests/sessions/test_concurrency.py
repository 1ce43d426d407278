"""Starting is race-free: of many simultaneous starts, exactly one wins (contract 6.2).

Raced twice: from threads of this process, each with its own database engine, and over HTTP
against two server processes sharing one database.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.db import Database
from server.errors import Conflict, NotFound
from server.models import Show, User
from server.operations.clients import register_client
from server.operations.sessions import (
    delete_session,
    schedule_session,
    start_session,
    stop_session,
    update_session,
)
from server.operations.shows import create_show
from server.operations.users import create_user
from tests.conftest import BACKEND, NOW
from tests.live_server import LiveServer, live_servers

ROUNDS = 4
CONTENDERS = 8
LOSING_MESSAGES = {"409 session already started", "409 session already active"}


def targets(scheduled: list[int]) -> list[int | None]:
    """What each contender tries to start: three go for one session, two for another, one
    for a third, and two start ad-hoc sessions."""
    a, b, c = scheduled
    return [a, None, b, a, c, None, b, a]


def live_sessions(database: Database, show_id: int) -> list[int]:
    with database.read() as db:
        return [
            r[0]
            for r in db.execute(
                text(
                    "SELECT id FROM showsession WHERE show_id = :s "
                    "AND start_date_time IS NOT NULL AND end_date_time IS NULL"
                ),
                {"s": show_id},
            )
        ]


def count_sessions(database: Database, show_id: int) -> int:
    with database.read() as db:
        return int(
            db.execute(
                text("SELECT count(*) FROM showsession WHERE show_id = :s"), {"s": show_id}
            ).scalar_one()
        )


def claimed_session(database: Database, show_id: int) -> int | None:
    with database.read() as db:
        value = db.execute(
            text("SELECT current_session_id FROM shows WHERE id = :s"), {"s": show_id}
        ).scalar_one()
        return None if value is None else int(value)


@dataclass
class Stage:
    show_id: int
    user_id: int
    clients: list[str]


def set_the_stage(database: Database) -> Stage:
    with database.write() as db:
        user = create_user(db, "admin", "password1", True, NOW)
        show = create_show(db, "Hamlet", dt.date(2026, 12, 1), dt.date(2027, 1, 31), 1, NOW)
        clients = [f"client-{n}" for n in range(CONTENDERS)]
        for client_id in clients:
            register_client(db, client_id, "127.0.0.1", NOW)
        return Stage(show.id, user.id, clients)


def schedule_three(database: Database, stage: Stage, round_no: int) -> list[int]:
    with database.write() as db:
        show = db.get_one(Show, stage.show_id)
        user = db.get_one(User, stage.user_id)
        return [
            schedule_session(db, show, user, NOW, NOW + dt.timedelta(days=round_no, hours=n))
            for n in range(3)
        ]


def race(attempts: list[Callable[[], Any]]) -> list[Any]:
    """Run every attempt at once: each thread waits at a barrier until all are ready."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt: Callable[[], Any]) -> Any:
        barrier.wait(timeout=60)
        return attempt()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


# -- threads of one process ----------------------------------------------------------------


def in_process(
    database: Database, stage: Stage, done: str, step: Callable[[Session, Show, User], object]
) -> Callable[[], str]:
    """An attempt at `step` in a write transaction of its own: `done`, or the message the
    step was refused with."""

    def attempt() -> str:
        try:
            with database.write() as db:
                step(db, db.get_one(Show, stage.show_id), db.get_one(User, stage.user_id))
        except (Conflict, NotFound) as exc:
            return exc.message
        return done

    return attempt


def start_in_process(
    database: Database, stage: Stage, client_id: str, target: int | None
) -> Callable[[], str]:
    return in_process(
        database,
        stage,
        "started",
        lambda db, show, user: start_session(db, show, user, NOW, client_id, target),
    )


def stop_the_live_session(db: Session, stage: Stage) -> None:
    stop_session(db, db.get_one(Show, stage.show_id), db.get_one(User, stage.user_id), NOW)


def test_simultaneous_starts_from_many_threads_have_exactly_one_winner(
    database: Database, database_url: str
) -> None:
    stage = set_the_stage(database)
    engines = [Database(database_url) for _ in range(CONTENDERS)]
    try:
        for engine in engines:  # connect before the race, so the race is only the start
            with engine.read() as db:
                db.execute(text("SELECT 1"))
        for round_no in range(ROUNDS):
            scheduled = schedule_three(database, stage, round_no)
            before = count_sessions(database, stage.show_id)
            outcomes = race(
                [
                    start_in_process(engine, stage, client_id, target)
                    for engine, client_id, target in zip(
                        engines, stage.clients, targets(scheduled), strict=True
                    )
                ]
            )
            assert outcomes.count("started") == 1, outcomes
            assert set(outcomes) - {"started"} <= LOSING_MESSAGES, outcomes

            live = live_sessions(database, stage.show_id)
            assert len(live) == 1
            assert claimed_session(database, stage.show_id) == live[0]
            winner = targets(scheduled)[outcomes.index("started")]
            if winner is None:  # an ad-hoc winner adds its own row; losers leave nothing
                assert count_sessions(database, stage.show_id) == before + 1
            else:
                assert live == [winner]
                assert count_sessions(database, stage.show_id) == before

            with database.write() as db:
                stop_the_live_session(db, stage)
        assert live_sessions(database, stage.show_id) == []
    finally:
        for engine in engines:
            engine.dispose()


def test_the_same_scheduled_session_started_from_every_thread_starts_once(
    database: Database, database_url: str
) -> None:
    stage = set_the_stage(database)
    engines = [Database(database_url) for _ in range(CONTENDERS)]
    try:
        for round_no in range(ROUNDS):
            target = schedule_three(database, stage, round_no)[0]
            outcomes = race(
                [
                    start_in_process(engine, stage, client_id, target)
                    for engine, client_id in zip(engines, stage.clients, strict=True)
                ]
            )
            assert outcomes.count("started") == 1, outcomes
            assert set(outcomes) - {"started"} <= LOSING_MESSAGES, outcomes
            assert live_sessions(database, stage.show_id) == [target]
            with database.write() as db:
                started = db.execute(
                    text("SELECT count(*) FROM session_events WHERE kind = 'started'")
                ).scalar_one()
                assert started == round_no + 1  # one "started" event per winner, none per loser
                stop_the_live_session(db, stage)
    finally:
        for engine in engines:
            engine.dispose()


# -- two server processes ------------------------------------------------------------------


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[LiveServer]]:
    with live_servers(database_url, tmp_path, 2) as servers:
        yield servers


@pytest.mark.skipif(BACKEND != "postgresql", reason="a SQLite file is served by one process")
def test_two_server_processes_sharing_a_database_start_exactly_one_session_per_round(
    two_servers: list[LiveServer], database: Database
) -> None:
    first, second = two_servers
    admin = {"username": "admin", "password": "password1"}
    assert first.call("POST", "/api/v1/auth/create", {**admin, "is_admin": True})[0] == 200
    # The other process knows the new user too.
    status, body = second.call("POST", "/api/v1/auth/login", admin)
    assert status == 200, body
    token = body["access_token"]
    show = {"name": "Hamlet", "start": "2026-12-01", "end": "2027-01-31", "script_mode": 1}
    status, body = first.call("POST", "/api/v1/show?load=true", show, token)
    assert status == 200, body
    show_id = body["id"]
    clients = [f"ws-client-{n}" for n in range(CONTENDERS)]
    with database.write() as db:
        for client_id in clients:
            register_client(db, client_id, "127.0.0.1", NOW)

    def start_on(server: LiveServer, body: dict[str, Any]) -> Callable[[], tuple[int, Any]]:
        return lambda: server.call("POST", "/api/v1/show/sessions/start", body, token)

    for round_no in range(ROUNDS):
        scheduled = []
        for n in range(3):
            when = f"2026-12-{round_no + 1:02d}T{18 + n}:00:00"
            status, body = first.call(
                "POST", "/api/v1/show/sessions/schedule", {"scheduled_date_time": when}, token
            )
            assert status == 200, body
            scheduled.append(body["id"])
        bodies = [
            {"session_id": client_id}
            if target is None
            else {"session_id": client_id, "show_session_id": target}
            for client_id, target in zip(clients, targets(scheduled), strict=True)
        ]
        # Alternate the servers so that each target is raced from both processes.
        answers = race([start_on((first, second)[n % 2], b) for n, b in enumerate(bodies)])
        codes = [code for code, _ in answers]
        assert codes.count(200) == 1, answers
        assert codes.count(409) == CONTENDERS - 1, answers
        assert {b["message"] for code, b in answers if code == 409} <= LOSING_MESSAGES
        assert len(live_sessions(database, show_id)) == 1
        status, body = second.call("GET", "/api/v1/show/sessions")
        assert body["current_session"]["id"] == claimed_session(database, show_id)
        assert second.call("POST", "/api/v1/show/sessions/stop", token=token)[0] == 200

    assert live_sessions(database, show_id) == []
    status, body = first.call("GET", "/api/v1/show/sessions")
    assert [s["status"] for s in body["sessions"]].count("complete") == ROUNDS


# -- editing racing with starting ----------------------------------------------------------


def delete_in_process(database: Database, stage: Stage, target: int) -> Callable[[], str]:
    return in_process(
        database, stage, "deleted", lambda db, show, _user: delete_session(db, show, target)
    )


def test_a_session_deleted_while_it_starts_is_either_started_or_gone(
    database: Database, database_url: str
) -> None:
    stage = set_the_stage(database)
    engines = [Database(database_url) for _ in range(4)]
    try:
        for round_no in range(ROUNDS * 2):
            target = schedule_three(database, stage, round_no)[0]
            outcomes = race(
                [
                    start_in_process(engines[0], stage, stage.clients[0], target),
                    delete_in_process(engines[1], stage, target),
                    start_in_process(engines[2], stage, stage.clients[2], target),
                    delete_in_process(engines[3], stage, target),
                ]
            )
            won = {o for o in outcomes if o in ("started", "deleted")}
            assert len(won) == 1 and len([o for o in outcomes if o in won]) == 1, outcomes
            live = live_sessions(database, stage.show_id)
            if won == {"started"}:
                assert live == [target]
                assert claimed_session(database, stage.show_id) == target
                with database.write() as db:
                    stop_the_live_session(db, stage)
            else:
                assert live == []
                assert claimed_session(database, stage.show_id) is None
    finally:
        for engine in engines:
            engine.dispose()


def update_in_process(
    database: Database, stage: Stage, target: int, hour: int
) -> Callable[[], str]:
    change = {"scheduled_date_time": NOW.replace(hour=hour)}
    return in_process(
        database,
        stage,
        "updated",
        lambda db, show, user: update_session(db, show, target, user, NOW, change),
    )


def test_a_session_edited_while_it_starts_is_never_changed_once_started(
    database: Database, database_url: str
) -> None:
    stage = set_the_stage(database)
    engines = [Database(database_url) for _ in range(3)]
    try:
        for round_no in range(ROUNDS * 2):
            target = schedule_three(database, stage, round_no)[0]
            outcomes = race(
                [
                    update_in_process(engines[0], stage, target, 18),
                    start_in_process(engines[1], stage, stage.clients[1], target),
                    update_in_process(engines[2], stage, target, 19),
                ]
            )
            assert outcomes[1] == "started", outcomes
            assert set(outcomes[::2]) <= {"updated", "409 session already started"}, outcomes
            with database.read() as db:
                kinds = [
                    r[0]
                    for r in db.execute(
                        text("SELECT kind FROM session_events WHERE session_id = :s ORDER BY id"),
                        {"s": target},
                    )
                ]
            # Every edit that got through happened before the start, never after it.
            assert kinds[-1] == "started", kinds
            assert kinds.count("updated") == outcomes.count("updated"), (kinds, outcomes)
            with database.write() as db:
                stop_the_live_session(db, stage)
    finally:
        for engine in engines:
            engine.dispose()

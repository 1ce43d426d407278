"""The revision adding casting pools and per-session casting: with data, each character's
played_by becomes its pool's principal and each planned, unstarted session is cast with the
principals; it goes down and up again."""

from __future__ import annotations

from sqlalchemy import text

from alembic import command
from server.db import make_engine
from server.migrations import alembic_config

CASTING = "2414169d6b15"
BEFORE = "a323b2ecb68a"

ROWS = [
    "INSERT INTO shows (id, name, start_date, end_date, created_at, edited_at, script_mode)"
    " VALUES (1, 'Hamlet', '2026-12-01', '2027-01-31', '2026-11-23 12:00:00',"
    " '2026-11-23 12:00:00', 1)",
    "INSERT INTO \"cast\" (id, show_id, first_name) VALUES (1, 1, 'Ada')",
    "INSERT INTO character (id, show_id, played_by, name) VALUES (1, 1, 1, 'Hamlet')",
    "INSERT INTO character (id, show_id, played_by, name) VALUES (2, 1, NULL, 'Ghost')",
    # planned, not started / planned and started / ad hoc
    "INSERT INTO showsession (id, show_id, scheduled_date_time)"
    " VALUES (1, 1, '2026-12-02 19:30:00')",
    "INSERT INTO showsession (id, show_id, scheduled_date_time, start_date_time)"
    " VALUES (2, 1, '2026-12-01 19:30:00', '2026-12-01 19:31:00')",
    "INSERT INTO showsession (id, show_id, start_date_time) VALUES (3, 1, '2026-11-30 19:30:00')",
]


def query(url: str, statement: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            return [tuple(row) for row in conn.execute(text(statement))]
    finally:
        engine.dispose()


def test_upgrade_makes_principals_and_casts_planned_sessions(empty_database_url):
    url = empty_database_url
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
    finally:
        engine.dispose()

    command.upgrade(config, CASTING)
    assert query(url, "SELECT character_id, cast_id, position FROM casting_pool") == [(1, 1, 0)]
    assert query(
        url,
        "SELECT show_session_id, character_id, cast_id FROM session_casting"
        " ORDER BY show_session_id, character_id",
    ) == [(1, 1, 1), (1, 2, None)]

    command.downgrade(config, BEFORE)
    assert query(url, "SELECT count(*) FROM showsession") == [(3,)]
    command.upgrade(config, "head")
    command.check(config)
    assert len(query(url, "SELECT * FROM session_casting")) == 2

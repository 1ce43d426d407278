"""The migrations that add scheduling keep every existing session and tag link, both ways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import inspect, text

from alembic import command
from server.db import Database, make_engine
from server.migrations import alembic_config
from server.models import Show, User
from server.operations.sessions import list_sessions, schedule_session, status_board

BEFORE_SCHEDULING = "940dd1ab3d38"  # the revision before add_scheduled_session_fields
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)

# Columns every version of showsession has, so rows can be compared across the migration.
SESSION_COLUMNS = (
    "id, show_id, script_revision_id, start_date_time, end_date_time, user_id, "
    "client_internal_id, last_client_internal_id, latest_line_ref, current_interval_id"
)

EXISTING_DATA = [
    'INSERT INTO "user" (id, username, password, is_admin, created_on, token_version, '
    "requires_password_change) VALUES (1, 'admin', 'x', true, '2026-10-01 09:00:00', 0, false)",
    "INSERT INTO shows (id, name, start_date, end_date, created_at, edited_at, script_mode) "
    "VALUES (1, 'Hamlet', '2026-11-01', '2026-12-31', '2026-10-01 09:00:00', "
    "'2026-10-01 09:00:00', 1)",
    "INSERT INTO script (id, show_id) VALUES (1, 1)",
    "INSERT INTO script_revisions (id, script_id, revision, description, created_at, edited_at) "
    "VALUES (1, 1, 1, 'Initial script revision', '2026-10-01 09:00:00', '2026-10-01 09:00:00')",
    "UPDATE script SET current_revision = 1 WHERE id = 1",
    "INSERT INTO session_tags (id, show_id, tag, colour) VALUES (1, 1, 'Preview', '#ff0000')",
    "INSERT INTO session_tags (id, show_id, tag, colour) VALUES (2, 1, 'Press Night', '#00ff00')",
    "INSERT INTO sessions (internal_id, remote_ip, user_id, connected_at) "
    "VALUES ('client-1', '127.0.0.1', 1, '2026-11-22 18:00:00')",
    # A finished performance, a live one led by client-1, and one more finished with no tags.
    "INSERT INTO showsession (id, show_id, script_revision_id, start_date_time, end_date_time, "
    "user_id, client_internal_id, last_client_internal_id, latest_line_ref) VALUES "
    "(1, 1, 1, '2026-11-20 19:30:00', '2026-11-20 22:15:00', 1, NULL, 'client-0', '3:14')",
    "INSERT INTO showsession (id, show_id, script_revision_id, start_date_time, "
    "user_id, client_internal_id, last_client_internal_id) VALUES "
    "(2, 1, 1, '2026-11-22 19:30:00', 1, 'client-1', 'client-1')",
    "INSERT INTO showsession (id, show_id, script_revision_id, start_date_time, end_date_time) "
    "VALUES (3, 1, NULL, '2026-11-21 14:00:00', '2026-11-21 16:40:00')",
    "UPDATE shows SET current_session_id = 2 WHERE id = 1",
    "INSERT INTO session_tag_associations (session_id, tag_id) VALUES (1, 1)",
    "INSERT INTO session_tag_associations (session_id, tag_id) VALUES (1, 2)",
    "INSERT INTO session_tag_associations (session_id, tag_id) VALUES (2, 2)",
]


def run(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def catch_up_sequences(url: str) -> None:
    """On PostgreSQL, rows inserted with explicit ids leave the id sequences behind them."""
    if not url.startswith("postgresql"):
        return
    run(
        url,
        *(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            for table in (
                '"user"',
                "shows",
                "script",
                "script_revisions",
                "session_tags",
                "showsession",
            )
        ),
    )


def tables_and_columns(url: str) -> dict[str, set[str]]:
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        return {
            t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()
        }
    finally:
        engine.dispose()


def existing_state(url: str) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "sessions": query(url, f"SELECT {SESSION_COLUMNS} FROM showsession ORDER BY id"),
        "links": query(
            url, "SELECT session_id, tag_id FROM session_tag_associations ORDER BY 1, 2"
        ),
        "tags": query(url, "SELECT id, show_id, tag, colour FROM session_tags ORDER BY id"),
        "shows": query(url, "SELECT id, current_session_id FROM shows ORDER BY id"),
        "clients": query(url, "SELECT internal_id, user_id FROM sessions ORDER BY 1"),
    }


@pytest.fixture
def migrated_from_before_scheduling(empty_database_url: str) -> tuple[str, dict[str, Any]]:
    """A database that had sessions and tag links before scheduling existed, now at head."""
    url = empty_database_url
    config = alembic_config(url)
    command.upgrade(config, BEFORE_SCHEDULING)
    assert "scheduled_date_time" not in tables_and_columns(url)["showsession"]
    run(url, *EXISTING_DATA)
    catch_up_sequences(url)
    before = existing_state(url)
    command.upgrade(config, "head")
    return url, before


def test_upgrade_keeps_every_session_and_tag_link(migrated_from_before_scheduling):
    url, before = migrated_from_before_scheduling
    assert existing_state(url) == before
    assert len(before["sessions"]) == 3
    assert before["links"] == [(1, 1), (1, 2), (2, 2)]


def test_upgrade_leaves_existing_sessions_unscheduled(migrated_from_before_scheduling):
    url, _ = migrated_from_before_scheduling
    assert query(url, "SELECT id, scheduled_date_time FROM showsession ORDER BY id") == [
        (1, None),
        (2, None),
        (3, None),
    ]


def test_upgrade_adds_an_empty_session_log(migrated_from_before_scheduling):
    url, _ = migrated_from_before_scheduling
    assert query(url, "SELECT count(*) FROM session_events") == [(0,)]


def test_existing_sessions_read_as_complete_or_in_progress_after_upgrade(
    migrated_from_before_scheduling,
):
    url, _ = migrated_from_before_scheduling
    database = Database(url)
    try:
        with database.read() as db:
            show = db.get_one(Show, 1)
            board = status_board(db, show.id, NOW)
            listed = list_sessions(db, show)
            assert [(s.id, board.status(s)) for s in listed] == [
                (1, "complete"),
                (3, "complete"),
                (2, "in_progress"),
            ]
            assert [t.tag for t in listed[0].tags] == ["Preview", "Press Night"]
    finally:
        database.dispose()


def test_downgrade_keeps_every_session_and_tag_link(migrated_from_before_scheduling):
    url, before = migrated_from_before_scheduling
    command.downgrade(alembic_config(url), BEFORE_SCHEDULING)
    schema = tables_and_columns(url)
    assert "scheduled_date_time" not in schema["showsession"]
    assert "session_events" not in schema
    assert existing_state(url) == before


def test_downgrade_keeps_sessions_scheduled_after_the_upgrade(migrated_from_before_scheduling):
    url, before = migrated_from_before_scheduling
    database = Database(url)
    try:
        with database.write() as db:
            show, user = db.get_one(Show, 1), db.get_one(User, 1)
            planned = schedule_session(db, show, user, NOW, NOW + dt.timedelta(days=3), tag_ids=[1])
    finally:
        database.dispose()
    command.downgrade(alembic_config(url), BEFORE_SCHEDULING)
    after = existing_state(url)
    assert [r[0] for r in after["sessions"]] == [1, 2, 3, planned]
    assert after["links"] == sorted([*before["links"], (planned, 1)])


def test_upgrade_again_after_a_downgrade_keeps_everything(migrated_from_before_scheduling):
    url, before = migrated_from_before_scheduling
    config = alembic_config(url)
    command.downgrade(config, BEFORE_SCHEDULING)
    command.upgrade(config, "head")
    assert existing_state(url) == before
    assert query(url, "SELECT count(*) FROM showsession WHERE scheduled_date_time IS NULL") == [
        (3,)
    ]
    command.check(config)  # raises if the models and the migrated schema disagree


def test_the_migrated_schema_matches_the_models(migrated_from_before_scheduling):
    url, _ = migrated_from_before_scheduling
    command.check(alembic_config(url))

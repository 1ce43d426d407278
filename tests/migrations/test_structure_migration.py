"""The revision adding a show's structure, people and stage: with rows in every new table it goes
down and up again, and a show's stale first act is cleared on the way up."""

from __future__ import annotations

from sqlalchemy import text

from alembic import command
from server.db import make_engine
from server.migrations import alembic_config

STRUCTURE = "00f04a1a85a7"
BEFORE = "92696943562d"

SHOW = (
    "INSERT INTO shows (id, name, start_date, end_date, created_at, edited_at, script_mode,"
    " first_act_id) VALUES (1, 'Hamlet', '2026-12-01', '2027-01-31', '2026-11-23 12:00:00',"
    " '2026-11-23 12:00:00', 1, {first_act})"
)

ROWS = [
    "INSERT INTO act (id, show_id, name, interval_after) VALUES (1, 1, 'Act 1', true)",
    "INSERT INTO act (id, show_id, name, interval_after, previous_act_id)"
    " VALUES (2, 1, 'Act 2', false, 1)",
    "INSERT INTO scene (id, show_id, act_id, name) VALUES (1, 1, 1, 'Elsinore')",
    "INSERT INTO scene (id, show_id, act_id, name, previous_scene_id)"
    " VALUES (2, 1, 1, 'The platform', 1)",
    "UPDATE act SET first_scene_id = 1 WHERE id = 1",
    "UPDATE shows SET first_act_id = 1 WHERE id = 1",
    "INSERT INTO \"cast\" (id, show_id, first_name, last_name) VALUES (1, 1, 'Ada', 'Lane')",
    "INSERT INTO character (id, show_id, played_by, name) VALUES (1, 1, 1, 'Hamlet')",
    "INSERT INTO character_group (id, show_id, name) VALUES (1, 1, 'Royals')",
    "INSERT INTO character_group_association (character_group_id, character_id) VALUES (1, 1)",
    "INSERT INTO crew (id, show_id, first_name) VALUES (1, 1, 'Sam')",
    "INSERT INTO prop_type (id, show_id, name) VALUES (1, 1, 'Hand props')",
    "INSERT INTO props (id, show_id, prop_type_id, name) VALUES (1, 1, 1, 'Skull')",
    "INSERT INTO scenery_type (id, show_id, name) VALUES (1, 1, 'Flats')",
    "INSERT INTO scenery (id, show_id, scenery_type_id, name) VALUES (1, 1, 1, 'Battlements')",
    "INSERT INTO props_allocation (id, props_id, scene_id) VALUES (1, 1, 2)",
    "INSERT INTO scenery_allocation (id, scenery_id, scene_id) VALUES (1, 1, 1)",
    "INSERT INTO crew_assignment (id, crew_id, scene_id, assignment_type, prop_id)"
    " VALUES (1, 1, 2, 'set', 1)",
]

TABLES = [
    "act",
    "scene",
    '"cast"',
    "character",
    "character_group",
    "character_group_association",
    "crew",
    "prop_type",
    "props",
    "scenery_type",
    "scenery",
    "props_allocation",
    "scenery_allocation",
    "crew_assignment",
]


def run(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


def first_act(url: str) -> int | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT first_act_id FROM shows WHERE id = 1")).scalar()
    finally:
        engine.dispose()


def test_with_data_the_revision_goes_down_and_up_again(empty_database_url):
    url = empty_database_url
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    # Before acts existed the column held a bare number; no act can match it.
    run(url, SHOW.format(first_act=7))

    command.upgrade(config, STRUCTURE)
    assert first_act(url) is None
    run(url, *ROWS)
    assert counts(url) == {t: (2 if t in ("act", "scene") else 1) for t in TABLES}
    assert first_act(url) == 1

    command.downgrade(config, BEFORE)
    assert first_act(url) == 1  # the column stays; only its key goes
    command.upgrade(config, STRUCTURE)
    assert first_act(url) is None
    command.upgrade(config, "head")  # later revisions exist; the models match head
    command.check(config)
    run(url, *ROWS)
    assert sum(counts(url).values()) == len(TABLES) + 2


def test_deleting_a_show_deletes_its_structure_people_and_stage(empty_database_url):
    url = empty_database_url
    command.upgrade(alembic_config(url), STRUCTURE)
    run(url, SHOW.format(first_act="NULL"), *ROWS)

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.execute(text("DELETE FROM shows WHERE id = 1"))
    finally:
        engine.dispose()

    assert counts(url) == dict.fromkeys(TABLES, 0)

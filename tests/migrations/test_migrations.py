"""Migrations: a fresh database reaches head with no drift and goes back down; `serve`'s upgrade
backs up an existing SQLite file first, and only then."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from alembic import command
from server.db import make_engine
from server.migrations import alembic_config, upgrade
from server.models import Base

INITIAL = "940dd1ab3d38"


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def head(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()  # type: ignore[return-value]


def test_a_fresh_database_upgrades_to_head_without_drift(empty_database_url):
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.check(config)  # raises when the models and the migrated schema disagree
    assert table_names(empty_database_url) == set(Base.metadata.tables) | {"alembic_version"}
    assert current_revision(empty_database_url) == head(empty_database_url)


def test_downgrade_to_base_removes_every_table_and_upgrade_works_again(empty_database_url):
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert table_names(empty_database_url) <= {"alembic_version"}
    command.upgrade(config, "head")
    command.check(config)


def test_upgrade_from_the_first_revision_keeps_the_data(empty_database_url):
    """Batch migrations rebuild SQLite tables; the rows, and the links between them, survive."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, INITIAL)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO shows (id, name, start_date, end_date, created_at, edited_at,"
                    " script_mode) VALUES (1, 'Hamlet', '2026-12-01', '2027-01-31',"
                    " '2026-11-23 12:00:00', '2026-11-23 12:00:00', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO session_tags (id, show_id, tag, colour)"
                    " VALUES (1, 1, 'Gala', '#fff')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO showsession (id, show_id, start_date_time)"
                    " VALUES (1, 1, '2026-11-23 12:00:00')"
                )
            )
            conn.execute(
                text("INSERT INTO session_tag_associations (session_id, tag_id) VALUES (1, 1)")
            )
    finally:
        engine.dispose()

    upgrade(empty_database_url)

    assert current_revision(empty_database_url) == head(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM shows")).scalars().all() == ["Hamlet"]
            links = conn.execute(text("SELECT session_id, tag_id FROM session_tag_associations"))
            assert [tuple(row) for row in links] == [(1, 1)]
            sessions = conn.execute(text("SELECT id, scheduled_date_time FROM showsession"))
            assert [tuple(row) for row in sessions] == [(1, None)]
    finally:
        engine.dispose()


def test_upgrade_backs_up_an_existing_sqlite_file_first(tmp_path: Path):
    path = tmp_path / "digiscript.sqlite"
    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), INITIAL)

    backup = upgrade(url)

    assert backup is not None
    assert backup.parent == tmp_path
    assert re.fullmatch(r"digiscript\.sqlite\.\d{8}T\d{6}Z\.bak", backup.name), backup.name
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [(INITIAL,)]
    assert current_revision(url) == head(url)


def test_upgrade_of_a_brand_new_sqlite_file_makes_no_backup(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert upgrade(url) is None
    assert current_revision(url) == head(url)
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []


def test_upgrade_of_a_database_already_at_head_does_nothing(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'current.sqlite'}"
    upgrade(url)
    assert upgrade(url) is None
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []


def test_upgrade_of_a_server_database_makes_no_file_backup(empty_database_url, tmp_path: Path):
    if empty_database_url.startswith("sqlite"):
        pytest.skip("only a database server has no file to copy")
    config = alembic_config(empty_database_url)
    command.upgrade(config, INITIAL)
    assert upgrade(empty_database_url) is None
    assert current_revision(empty_database_url) == head(empty_database_url)

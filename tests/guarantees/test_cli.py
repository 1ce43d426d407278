"""The command line: `python -m server migrate` and `create-admin`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from server.auth import check_password
from server.db import Database
from server.migrations import alembic_config
from server.models import User
from tests.pgcluster import free_port

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGISCRIPT_BCRYPT_ROUNDS": "4"}
    env.pop("DIGISCRIPT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def users(url: str) -> list[User]:
    database = Database(url)
    try:
        with database.read() as db:
            return list(db.scalars(select(User).order_by(User.id)))
    finally:
        database.dispose()


def test_migrate_brings_a_new_database_to_head(empty_database_url):
    result = run_cli("migrate", "--database-url", empty_database_url)
    assert result.returncode == 0, result.stderr
    assert "database is up to date" in result.stdout
    database = Database(empty_database_url)
    try:
        with database.read() as db:
            version = db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        database.dispose()
    assert (
        version
        == ScriptDirectory.from_config(alembic_config(empty_database_url)).get_current_head()
    )


def test_create_admin_makes_an_admin_who_can_log_in(empty_database_url):
    result = run_cli(
        "create-admin",
        "--database-url",
        empty_database_url,
        "--username",
        "boss",
        "--password",
        "a long secret",
    )
    assert result.returncode == 0, result.stderr
    assert "boss" in result.stdout
    (boss,) = users(empty_database_url)
    assert boss.username == "boss"
    assert boss.is_admin
    assert check_password("a long secret", boss.password)


def test_create_admin_refuses_a_name_that_is_taken(empty_database_url):
    args = ["--database-url", empty_database_url, "--password", "a long secret"]
    assert run_cli("create-admin", *args, "--username", "boss").returncode == 0
    result = run_cli("create-admin", *args, "--username", "boss")
    assert result.returncode == 1
    assert "Username already taken" in result.stderr
    assert [u.username for u in users(empty_database_url)] == ["boss"]


def damaged_database(tmp_path: Path, page: int) -> Path:
    """A real, migrated SQLite file with garbage written over one of its 4 KB pages."""
    from server.migrations import upgrade

    path = tmp_path / "damaged.sqlite"
    upgrade(f"sqlite:///{path}")
    garbage = bytes((i * 151 + 7) % 256 for i in range(4096))
    with path.open("r+b") as file:
        file.seek(4096 * (page - 1))
        file.write(garbage)
    return path


@pytest.mark.parametrize("page", [2, 3])
@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_a_damaged_sqlite_file_is_refused_at_start_up_and_left_as_it_was(tmp_path, command, page):
    path = damaged_database(tmp_path, page)
    before = path.read_bytes()
    args = ["--port", str(free_port())] if command == "serve" else []
    result = run_cli(command, "--database-url", f"sqlite:///{path}", *args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"digiscript-server: the database file {path} is damaged ("), lines
    assert "Restore it from a backup" in lines[0]
    assert path.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if ".bak" in p.name]  # no upgrade began


def test_a_sound_sqlite_file_passes_the_check(tmp_path):
    from server.cli import sqlite_damage
    from server.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'sound.sqlite'}"
    assert sqlite_damage(url) is None  # no file yet
    upgrade(url)
    assert sqlite_damage(url) is None
    assert sqlite_damage("postgresql+psycopg://nobody@127.0.0.1:1/x") is None

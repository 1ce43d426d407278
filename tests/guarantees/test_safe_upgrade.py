"""Upgrades are safe: a SQLite file is backed up first, and a failing migration leaves the
database as it was (and usable), with `serve` and `migrate` saying so instead of a traceback."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from alembic import command
from server.db import make_engine, sqlite_file
from server.migrations import MigrationFailed, alembic_config, upgrade
from tests.conftest import BACKEND
from tests.live_server import ROOT, LiveServer

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="backups are of SQLite files")

FAILING_REVISION = "fa11ed000001"


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def first_revision() -> str:
    (base,) = scripts().get_bases()
    return base


def revision_of(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def tables_of(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def columns_of(url: str, table: str) -> list[str]:
    engine = make_engine(url)
    try:
        return [c["name"] for c in inspect(engine).get_columns(table)]
    finally:
        engine.dispose()


def put_probe(url: str, value: str = "kept") -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO settings (key, value) VALUES ('probe', :v)"), {"v": f'"{value}"'}
            )
    finally:
        engine.dispose()


def probe_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT value FROM settings WHERE key = 'probe'"))
    finally:
        engine.dispose()


def at_first_revision(url: str) -> str:
    """A database at the oldest revision, holding one row of data; the row's value."""
    command.upgrade(alembic_config(url), first_revision())
    put_probe(url)
    return '"kept"'


def migrations_with_a_failing_head(tmp_path: Path, upgrade_body: str) -> Path:
    """A copy of alembic/ with one more revision on top, whose upgrade runs `upgrade_body`."""
    location = tmp_path / "alembic"
    shutil.copytree(ROOT / "alembic", location, ignore=shutil.ignore_patterns("__pycache__"))
    head = scripts().get_current_head()
    body = textwrap.indent(textwrap.dedent(upgrade_body).strip(), "    ")
    source = "\n".join(
        [
            "import sqlalchemy as sa",
            "from alembic import op",
            "",
            f"revision = {FAILING_REVISION!r}",
            f"down_revision = {head!r}",
            "branch_labels = None",
            "depends_on = None",
            "",
            "",
            "def upgrade():",
            body,
            '    raise RuntimeError("the doomed revision failed halfway")',
            "",
            "",
            "def downgrade():",
            "    pass",
            "",
        ]
    )
    (location / "versions" / f"{FAILING_REVISION}_doomed.py").write_text(source)
    return location


# DDL and data changes inside the migration's transaction, then a failure.
DDL_THEN_FAIL = """
op.create_table("doomed", sa.Column("id", sa.Integer, primary_key=True))
with op.batch_alter_table("shows") as batch:
    batch.add_column(sa.Column("doomed_column", sa.Integer, nullable=True))
op.execute("UPDATE settings SET value = '\\"overwritten\\"' WHERE key = 'probe'")
"""

# A step that commits on its own (outside the migration's transaction), then a failure.
COMMITTED_STEP_THEN_FAIL = """
with op.get_context().autocommit_block():
    op.create_table("doomed", sa.Column("id", sa.Integer, primary_key=True))
"""


# -- backups ----------------------------------------------------------------------------------


@sqlite_only
def test_upgrade_backs_up_a_sqlite_file_before_migrating(tmp_path):
    url = f"sqlite:///{tmp_path / 'show.sqlite'}"
    value = at_first_revision(url)
    backup = upgrade(url)
    assert backup is not None
    assert backup.parent == tmp_path
    assert backup.name.startswith("show.sqlite.") and backup.name.endswith(".bak")
    backup_url = f"sqlite:///{backup}"
    assert revision_of(backup_url) == {first_revision()}
    assert probe_of(backup_url) == value
    assert revision_of(url) == set(scripts().get_heads())
    assert probe_of(url) == value


@sqlite_only
def test_upgrade_makes_no_backup_when_the_database_is_up_to_date(database_url):
    path = sqlite_file(database_url)
    assert path is not None
    assert upgrade(database_url) is None
    assert list(path.parent.glob("*.bak")) == []


@sqlite_only
def test_upgrade_of_a_new_sqlite_file_makes_no_backup(tmp_path):
    assert upgrade(f"sqlite:///{tmp_path / 'new.sqlite'}") is None
    assert list(tmp_path.glob("*.bak")) == []


@sqlite_only
def test_serve_backs_up_the_sqlite_file_before_migrating(tmp_path):
    path = tmp_path / "show.sqlite"
    value = at_first_revision(f"sqlite:///{path}")
    server = LiveServer(f"sqlite:///{path}", tmp_path / "server.log")
    server.start()
    try:
        assert server.call("GET", "/api/v1/health")[0] == 200
    finally:
        server.stop()
    (backup,) = tmp_path.glob("show.sqlite.*.bak")
    assert revision_of(f"sqlite:///{backup}") == {first_revision()}
    assert probe_of(f"sqlite:///{backup}") == value
    assert "backed up" in server.log()


# -- a failing migration ----------------------------------------------------------------------


def test_a_failing_revision_leaves_the_database_as_it_was(database_url, tmp_path):
    put_probe(database_url)
    head = revision_of(database_url)
    shows_columns = columns_of(database_url, "shows")
    location = migrations_with_a_failing_head(tmp_path, DDL_THEN_FAIL)
    with pytest.raises(MigrationFailed, match="the doomed revision failed halfway"):
        upgrade(database_url, script_location=location)
    assert revision_of(database_url) == head
    assert "doomed" not in tables_of(database_url)
    assert columns_of(database_url, "shows") == shows_columns
    assert probe_of(database_url) == '"kept"'


def test_a_failing_revision_undoes_the_revisions_run_before_it(empty_database_url, tmp_path):
    value = at_first_revision(empty_database_url)
    tables = tables_of(empty_database_url)
    location = migrations_with_a_failing_head(tmp_path, DDL_THEN_FAIL)
    with pytest.raises(MigrationFailed):
        upgrade(empty_database_url, script_location=location)
    assert revision_of(empty_database_url) == {first_revision()}
    assert tables_of(empty_database_url) == tables
    assert probe_of(empty_database_url) == value


def test_the_database_is_usable_after_a_failed_upgrade(database_url, tmp_path):
    location = migrations_with_a_failing_head(tmp_path, DDL_THEN_FAIL)
    with pytest.raises(MigrationFailed):
        upgrade(database_url, script_location=location)
    # The real migrations find nothing to do, and the data can be written and read.
    assert upgrade(database_url) is None
    put_probe(database_url, "after the failure")
    assert probe_of(database_url) == '"after the failure"'


@sqlite_only
def test_a_step_committed_outside_the_transaction_is_undone_from_the_backup(tmp_path):
    path = tmp_path / "show.sqlite"
    url = f"sqlite:///{path}"
    value = at_first_revision(url)
    tables = tables_of(url)
    location = migrations_with_a_failing_head(tmp_path, COMMITTED_STEP_THEN_FAIL)
    with pytest.raises(MigrationFailed, match="restored from the backup"):
        upgrade(url, script_location=location)
    assert revision_of(url) == {first_revision()}
    assert tables_of(url) == tables
    assert probe_of(url) == value
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


# -- what the commands say --------------------------------------------------------------------


def from_a_newer_release(url: str) -> None:
    """Mark the database as migrated by a release this one does not know."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfacef00d'"))
    finally:
        engine.dispose()


def run_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_exits_with_a_clear_error_when_the_database_cannot_be_upgraded(database_url):
    from_a_newer_release(database_url)
    run = run_command("serve", "--port", "0", "--database-url", database_url)
    assert run.returncode == 1
    assert "digiscript-server: database upgrade failed" in run.stderr
    assert "f00dfacef00d" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_migrate_exits_with_a_clear_error_when_the_database_cannot_be_upgraded(database_url):
    from_a_newer_release(database_url)
    run = run_command("migrate", "--database-url", database_url)
    assert run.returncode == 1
    assert "digiscript-server: database upgrade failed" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout

"""Bringing a database up to the newest schema, with a backup of SQLite files first.

A migration that fails leaves the database as it was: its transaction is rolled back, and a
SQLite file that was changed all the same (a step outside the transaction) is put back from
the backup.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from contextlib import ExitStack
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from alembic import command
from server.db import make_engine, sqlite_file
from server.locks import migration_lock

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str, script_location: Path | None = None) -> AlembicConfig:
    config = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(script_location or PROJECT_ROOT / "alembic"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def pending_revisions(config: AlembicConfig, database_url: str) -> bool:
    """True when the database is not at the newest revision (an empty database included)."""
    heads = set(ScriptDirectory.from_config(config).get_heads())
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    return current != heads


def backup_sqlite(path: Path, now: dt.datetime | None = None) -> Path:
    """A consistent copy of a live SQLite database beside it, named with the time."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


class MigrationFailed(Exception):
    """The database could not be upgraded. The message says what state it was left in."""


def upgrade(database_url: str, script_location: Path | None = None) -> Path | None:
    """Upgrade to head. Returns the backup made first (SQLite files with pending revisions).

    Processes upgrading the same database at once take turns (`migration_lock`): the first
    upgrades, the others then find it at head. Raises MigrationFailed, with the database left
    or put back as it was, when a revision fails.
    """
    with ExitStack() as stack:
        try:
            stack.enter_context(migration_lock(database_url))
        except Exception as exc:
            log.error("cannot lock the database for upgrading: %s", exc)
            raise MigrationFailed(f"cannot lock the database for upgrading: {exc}") from exc
        return _upgrade(database_url, script_location)


def _upgrade(database_url: str, script_location: Path | None) -> Path | None:
    config = alembic_config(database_url, script_location)
    path = sqlite_file(database_url)
    existed = path is not None and path.exists() and path.stat().st_size > 0
    try:
        if not pending_revisions(config, database_url):
            return None
    except Exception as exc:
        log.error("cannot read the database's schema revision: %s", exc)
        raise MigrationFailed(f"cannot read the database's schema revision: {exc}") from exc
    backup = None
    if path is not None and existed:
        backup = backup_sqlite(path)
        log.info("backed up %s to %s before migrating", path, backup)
    try:
        command.upgrade(config, "head")
    except Exception as exc:
        if path is not None and backup is not None:
            if restore_if_changed(backup, path):
                state = f"it was restored from the backup {backup}"
            else:
                state = f"it was left as it was (a backup is at {backup})"
        else:
            state = "its transaction was rolled back"
        log.error("database upgrade failed: %s; %s", exc, state)
        raise MigrationFailed(f"database upgrade failed: {exc}; {state}") from exc
    return backup


def _schema_of(path: Path) -> list[tuple[object, ...]]:
    """The tables, indexes and triggers of a SQLite file, and its Alembic revision."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        has_version = any(row[1] == "alembic_version" for row in rows)
        versions = (
            conn.execute("SELECT version_num FROM alembic_version ORDER BY 1").fetchall()
            if has_version
            else []
        )
    finally:
        conn.close()
    return [*rows, *versions]


def restore_if_changed(backup: Path, path: Path) -> bool:
    """Put the backup back if the failed upgrade left the file's schema changed.

    SQLite's backup API writes through the database's own locks and journal, so a file with a
    live WAL beside it is replaced safely (a plain file copy would not be).
    """
    if _schema_of(path) == _schema_of(backup):
        return False
    source = sqlite3.connect(backup)
    try:
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    log.warning("restored %s from %s after the failed upgrade", path, backup)
    return True

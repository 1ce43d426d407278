"""Bringing a database up to the newest schema, with a backup of SQLite files first."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from alembic import command
from server.db import make_engine, sqlite_file

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


def upgrade(database_url: str, script_location: Path | None = None) -> Path | None:
    """Upgrade to head. Returns the backup made first (SQLite files with pending revisions)."""
    config = alembic_config(database_url, script_location)
    path = sqlite_file(database_url)
    existed = path is not None and path.exists() and path.stat().st_size > 0
    if not pending_revisions(config, database_url):
        return None
    backup = None
    if path is not None and existed:
        backup = backup_sqlite(path)
        log.info("backed up %s to %s before migrating", path, backup)
    command.upgrade(config, "head")
    return backup


def copy_back(backup: Path, path: Path) -> None:
    shutil.copyfile(backup, path)

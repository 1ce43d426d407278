"""Backups of a SQLite database: made, listed, downloaded, restored and deleted by admins.

Backups live in a `backups` folder beside the database file, named as DigiScript names them
(`<database file name>.<unix seconds>`); the copies made before a schema upgrade
(`<database file name>.<YYYYmmddTHHMMSSZ>.bak`, beside the file: see server.migrations) are
listed with them. A backup is named by its `created_at` second only, so no request ever names a
path.

Every copy is made with SQLite's online backup API, which reads a consistent snapshot of a
database that others are writing (a plain file copy would not be), into a temporary file that
is checked (`PRAGMA quick_check`) and only then renamed into place.

A restore never leaves a half-written database: the backup is copied to a temporary file
beside the database, checked with `PRAGMA integrity_check`, upgraded to this server's schema if
it is older (refused if it is newer), and only then copied into the live database by the
backup API, in one transaction that other connections wait for. A copy of the database as it
was is kept first. See `reconcile_after_restore` for what happens to connected clients.

PostgreSQL databases are backed up by PostgreSQL's own tools; every verb says so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import select
from sqlalchemy.orm import Session

from alembic import command
from server import __version__
from server.changes import Change, Notice, announce, record
from server.errors import Conflict, Invalid, NotFound
from server.migrations import alembic_config
from server.models import RevokedToken, Show, User, WebClient
from server.models.client import ServerProcess
from server.operations import clients, settings

FOLDER = "backups"
POSTGRESQL = (
    "Backups of a PostgreSQL database are made by PostgreSQL's own tools: run"
    " `pg_dump --format=custom --file=digiscript.dump <database>` (and `pg_restore` to restore)"
)
_UPGRADE_STAMP = re.compile(r"^(\d{8}T\d{6}Z)\.bak$")
# One backup, restore or deletion at a time in this process.
_lock = threading.Lock()


@dataclass(frozen=True)
class Backup:
    path: Path
    created_at: int

    def as_json(self) -> dict[str, Any]:
        return {
            "filename": self.path.name,
            "size_bytes": self.path.stat().st_size,
            "created_at": self.created_at,
        }


def database_file(url_path: Path | None) -> Path:
    """The SQLite file backed up; Invalid (naming pg_dump) for PostgreSQL."""
    if url_path is None:
        raise Invalid(POSTGRESQL)
    return url_path


def folder(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def backups(db_path: Path) -> list[Backup]:
    """Every backup of this database, newest first."""
    found: list[Backup] = []
    prefix = db_path.name + "."
    where = folder(db_path)
    if where.is_dir():
        for entry in where.iterdir():
            suffix = entry.name[len(prefix) :] if entry.name.startswith(prefix) else ""
            if suffix.isascii() and suffix.isdigit() and entry.is_file():
                found.append(Backup(entry, int(suffix)))
    if db_path.parent.is_dir():
        for entry in db_path.parent.iterdir():
            if not entry.name.startswith(prefix):
                continue
            match = _UPGRADE_STAMP.match(entry.name[len(prefix) :])
            if match and entry.is_file():
                at = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
                found.append(Backup(entry, int(at.timestamp())))
    found.sort(key=lambda b: (b.created_at, b.path.name), reverse=True)
    return found


def listing(db_path: Path) -> dict[str, Any]:
    items = [b.as_json() for b in backups(db_path)]
    return {
        "backups": items,
        "count": len(items),
        "total_size_bytes": sum(item["size_bytes"] for item in items),
    }


def find(db_path: Path, created_at: int) -> Backup:
    for backup in backups(db_path):
        if backup.created_at == created_at:
            return backup
    raise NotFound("Backup file not found")


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, live or not (the online backup API)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dest = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def _check(path: Path, pragma: str) -> str | None:
    """None when the file is a sound SQLite database; else what is wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    return "; ".join(problems[:3]) or None


def _discard(*paths: Path) -> None:
    for path in paths:
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)


def create(db_path: Path, now: dt.datetime) -> Backup:
    with _lock:
        return _create(db_path, int(now.timestamp()), bump=False)


def _create(db_path: Path, created_at: int, bump: bool) -> Backup:
    where = folder(db_path)
    where.mkdir(parents=True, exist_ok=True)
    target = where / f"{db_path.name}.{created_at}"
    while bump and target.exists():
        created_at += 1
        target = where / f"{db_path.name}.{created_at}"
    if target.exists():
        raise Conflict("A backup was made this second already: try again in a moment")
    partial = where / f".{target.name}.partial"
    try:
        _copy(db_path, partial)
        problem = _check(partial, "quick_check")
        if problem is not None:
            raise Conflict(f"The backup could not be verified: {problem}")
        os.replace(partial, target)
    finally:
        _discard(partial)
    return Backup(target, created_at)


def delete(db_path: Path, created_at: int) -> None:
    with _lock:
        find(db_path, created_at).path.unlink()


@dataclass(frozen=True)
class Restored:
    backup: Backup
    before: Backup  # the database as it was just before


def restore(db_path: Path, created_at: int, now: dt.datetime) -> Restored:
    """Put the backup made at `created_at` in place of the live database (see the module)."""
    with _lock:
        backup = find(db_path, created_at)
        staging = db_path.with_name(f".{db_path.name}.restoring")
        _discard(staging)
        try:
            try:
                _copy(backup.path, staging)
            except sqlite3.DatabaseError as exc:
                raise Invalid(f"Backup {backup.path.name} is damaged: {exc}") from exc
            problem = _check(staging, "integrity_check")
            if problem is not None:
                raise Invalid(f"Backup {backup.path.name} is damaged: {problem}")
            _bring_to_head(staging, backup.path.name)
            problem = _check(staging, "integrity_check")
            if problem is not None:  # pragma: no cover - an upgrade that broke the file
                raise Invalid(f"Backup {backup.path.name} could not be upgraded: {problem}")
            before = _create(db_path, int(now.timestamp()), bump=True)
            _copy(staging, db_path)
        finally:
            _discard(staging)
    return Restored(backup, before)


def _bring_to_head(path: Path, name: str) -> None:
    """Upgrade the file to this server's schema; Invalid if it is no database of this server,
    or one of a newer server."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError:
        revisions = []
    finally:
        conn.close()
    if not revisions:
        raise Invalid(f"Backup {name} is not a database of this server")
    config = alembic_config(f"sqlite:///{path}")
    script = ScriptDirectory.from_config(config)
    for revision in revisions:
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise Invalid(
                f"Backup {name} is from a newer server (schema revision {revision}) than this"
                f" one ({__version__}): upgrade the server first"
            )
    if set(revisions) != set(script.get_heads()):
        command.upgrade(config, "head")


@dataclass
class LiveState:
    """What a restore keeps from the live database."""

    processes: list[dict[str, Any]]
    clients: list[dict[str, Any]]
    counters: dict[int, int]
    revoked: list[dict[str, Any]]


def live_state(db: Session) -> LiveState:
    return LiveState(
        processes=[
            {"id": p.id, "started_at": p.started_at, "heartbeat_at": p.heartbeat_at}
            for p in db.scalars(select(ServerProcess))
        ],
        clients=[
            {
                "internal_id": c.internal_id,
                "remote_ip": c.remote_ip,
                "user_id": c.user_id,
                "connected_at": c.connected_at,
                "process_id": c.process_id,
            }
            for c in db.scalars(select(WebClient))
        ],
        counters={
            show_id: version for show_id, version in db.execute(select(Show.id, Show.data_version))
        },
        revoked=[
            {"jti": r.jti, "expires_at": r.expires_at} for r in db.scalars(select(RevokedToken))
        ],
    )


def reconcile_after_restore(db: Session, live: LiveState, alive_since: dt.datetime) -> None:
    """After a restore, in one write transaction: the connected clients are the ones really
    connected now (the backup's rows of clients long gone are swept, and sessions they led are
    left without a leader, as when a leader disconnects); logins ended since the backup stay
    ended; every show's change counter moves on past any value a client has seen, so no cached
    list passes for the restored data; and every client is told to fetch settings, users and
    each show's data again."""
    db.query(ServerProcess).delete()
    for process in live.processes:
        db.add(ServerProcess(**process))
    for revoked in live.revoked:
        db.merge(RevokedToken(**revoked))
    db.flush()
    users = set(db.scalars(select(User.id)))
    for row in live.clients:
        if row["user_id"] not in users:
            row = {**row, "user_id": None}
        db.merge(WebClient(**row))
    db.flush()
    clients.sweep_stale(db, alive_since)
    for show in db.scalars(select(Show)):
        show.data_version = max(show.data_version, live.counters.get(show.id, 0))
        record(db, show.id, *Change)
    db.flush()
    announce(
        db,
        Notice(
            "SETTINGS_CHANGED", "WS_SETTINGS_CHANGED", settings.public_settings(db, __version__)
        ),
        Notice("NOOP", "GET_USERS"),
    )

"""Locks that keep server processes from stepping on each other: an exclusive `flock` on a file
beside a SQLite database, and a PostgreSQL advisory lock.

The kernel drops a process's `flock` locks when it exits, however it exits (`kill -9`
included), so a lock file left behind never keeps anyone out."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from server.db import make_engine, sqlite_file

# pg_advisory_lock's key for upgrading the schema (any fixed 64-bit number; this one spells
# "digimigr" in ASCII).
MIGRATION_LOCK_KEY = 0x646967696D696772


def lock_path(database: Path, purpose: str) -> Path:
    return database.with_name(f"{database.name}.{purpose}.lock")


def try_flock(path: Path) -> int | None:
    """An exclusive lock on `path` (created if missing): its open descriptor, to be kept open
    for as long as the lock is held, or None when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def flock(path: Path) -> Iterator[None]:
    """Waits for, holds and then releases an exclusive lock on `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Held while the schema is upgraded, so that processes starting at once upgrade one after
    another (the later ones then find nothing to do). SQLite files: a lock file beside the
    database; PostgreSQL: an advisory lock on a connection of its own; otherwise none."""
    path = sqlite_file(database_url)
    if path is not None:
        with flock(lock_path(path, "migrate")):
            yield
        return
    engine = make_engine(database_url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        yield
        return
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


class AlreadyServing(Exception):
    """Another `serve` holds the SQLite database."""


class HeldLock:
    """A lock held through an open descriptor: released by `release()`, or when the object is
    dropped, or when the process ends."""

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:
        self.release()


def hold_serve_lock(database_url: str) -> HeldLock | None:
    """One `serve` at a time on a SQLite file: the server processes of a SQLite database would
    not hear each other's changes, and leadership of a live session is kept per process. The
    lock is held for as long as the returned object lives (None: not a SQLite file)."""
    path = sqlite_file(database_url)
    if path is None:
        return None
    lock = lock_path(path.resolve(), "serve")
    fd = try_flock(lock)
    if fd is None:
        raise AlreadyServing(
            f"another server is already serving {path} (it holds {lock}); "
            "several server processes can share a PostgreSQL database, not a SQLite file"
        )
    return HeldLock(fd)

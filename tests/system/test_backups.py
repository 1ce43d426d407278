"""Database backups: made online and verified, listed, downloaded, restored, deleted."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from alembic import command
from server.db import Database, sqlite_file
from server.migrations import alembic_config
from server.operations.backups import POSTGRESQL
from tests.conftest import BACKEND, NOW

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="backups are SQLite's")
BACKUPS = "/admin/db-backups"
STAMP = int(NOW.timestamp())


def db_path(database: Database) -> Path:
    path = sqlite_file(database.url)
    assert path is not None
    return path


def show_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM shows ORDER BY id")]
    finally:
        conn.close()


@sqlite_only
@pytest.mark.gen_test
async def test_a_backup_is_made_verified_and_listed(admin, show, database):
    assert (await admin.get(BACKUPS)).json == {"backups": [], "count": 0, "total_size_bytes": 0}
    r = await admin.post(BACKUPS)
    assert r.code == 200, r
    path = db_path(database).parent / "backups" / f"{db_path(database).name}.{STAMP}"
    assert r.json == {
        "message": "Backup created",
        "backup": {"filename": path.name, "size_bytes": path.stat().st_size, "created_at": STAMP},
    }
    assert show_names(path) == ["Hamlet"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert not [p for p in path.parent.iterdir() if p != path]  # no partial copy left behind
    listed = (await admin.get(BACKUPS)).json
    assert listed == {
        "backups": [r.json["backup"]],
        "count": 1,
        "total_size_bytes": path.stat().st_size,
    }


@sqlite_only
@pytest.mark.gen_test
async def test_backups_are_listed_newest_first_with_the_copies_made_before_upgrades(
    admin, clock, database
):
    path = db_path(database)
    upgrade_copy = path.with_name(f"{path.name}.20261101T080000Z.bak")
    upgrade_copy.write_bytes(path.read_bytes())
    (path.parent / "backups").mkdir()
    (path.parent / "backups" / f"{path.name}.notes").write_text("not a backup")
    assert (await admin.post(BACKUPS)).code == 200
    clock.advance(dt.timedelta(minutes=5))
    assert (await admin.post(BACKUPS)).code == 200
    listed = (await admin.get(BACKUPS)).json
    assert [b["created_at"] for b in listed["backups"]] == [
        STAMP + 300,
        STAMP,
        int(dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC).timestamp()),
    ]
    assert listed["backups"][2]["filename"] == upgrade_copy.name
    assert listed["count"] == 3
    assert listed["total_size_bytes"] == sum(b["size_bytes"] for b in listed["backups"])


@sqlite_only
@pytest.mark.gen_test
async def test_a_second_backup_in_the_same_second_is_refused(admin):
    assert (await admin.post(BACKUPS)).code == 200
    r = await admin.post(BACKUPS)
    assert (r.code, r.message) == (
        409,
        "A backup was made this second already: try again in a moment",
    )


@sqlite_only
@pytest.mark.gen_test
async def test_a_backup_is_downloaded_as_its_file(admin, database):
    made = (await admin.post(BACKUPS)).json["backup"]
    r = await admin.get(f"{BACKUPS}/download?timestamp={made['created_at']}")
    assert r.code == 200, r
    assert r.headers["Content-Type"] == "application/vnd.sqlite3"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{made["filename"]}"'
    assert r.body == (db_path(database).parent / "backups" / made["filename"]).read_bytes()
    assert r.body.startswith(b"SQLite format 3\x00")


@sqlite_only
@pytest.mark.gen_test
async def test_a_backup_is_deleted(admin, database):
    made = (await admin.post(BACKUPS)).json["backup"]
    r = await admin.delete(f"{BACKUPS}?timestamp={made['created_at']}")
    assert (r.code, r.json) == (200, {"message": "Backup deleted"})
    assert not (db_path(database).parent / "backups" / made["filename"]).exists()
    assert (await admin.get(BACKUPS)).json["count"] == 0
    again = await admin.delete(f"{BACKUPS}?timestamp={made['created_at']}")
    assert (again.code, again.message) == (404, "Backup file not found")


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "timestamp query argument is required"),
        ("?timestamp=", 400, "timestamp query argument is required"),
        ("?timestamp=abc", 400, "timestamp must be a positive integer"),
        ("?timestamp=-5", 400, "timestamp must be a positive integer"),
        ("?timestamp=../../etc/passwd", 400, "timestamp must be a positive integer"),
        ("?timestamp=1%2F2", 400, "timestamp must be a positive integer"),
        ("?timestamp=1234567890123456", 400, "timestamp must be a positive integer"),
        ("?timestamp=12345", 404, "Backup file not found"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", BACKUPS), ("GET", BACKUPS + "/download"), ("POST", BACKUPS + "/restore")],
)
async def test_a_backup_is_named_by_its_timestamp_only(admin, method, path, query, status, message):
    r = await admin.request(method, path + query)
    if BACKEND == "postgresql" and status == 404:
        status, message = 400, POSTGRESQL
    assert (r.code, r.message) == (status, message)


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", BACKUPS),
        ("POST", BACKUPS),
        ("DELETE", BACKUPS + "?timestamp=1"),
        ("GET", BACKUPS + "/download?timestamp=1"),
        ("POST", BACKUPS + "/restore?timestamp=1"),
    ],
)
async def test_only_admins_handle_backups(admin, database, method, path):
    assert (await admin.request(method, path, token="")).code == 401
    r = await admin.request(method, path, token=await admin.user_token("crew"))
    assert (r.code, r.message) == (403, "Admin access required")
    if BACKEND == "sqlite":
        assert not (db_path(database).parent / "backups").exists()


@pytest.mark.skipif(BACKEND != "postgresql", reason="a PostgreSQL database's answer")
@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", BACKUPS),
        ("POST", BACKUPS),
        ("DELETE", BACKUPS + "?timestamp=1"),
        ("GET", BACKUPS + "/download?timestamp=1"),
        ("POST", BACKUPS + "/restore?timestamp=1"),
    ],
)
async def test_postgresql_backups_are_pg_dump_s_job(admin, method, path):
    r = await admin.request(method, path)
    assert (r.code, r.message) == (400, POSTGRESQL)
    assert "pg_dump" in POSTGRESQL


# -- restoring -----------------------------------------------------------------------------


@sqlite_only
@pytest.mark.gen_test
async def test_a_restore_puts_the_backup_back_and_keeps_the_state_before(
    admin, show, clock, database, ws_connect
):
    made = (await admin.post(BACKUPS)).json["backup"]
    await admin.create_show("Macbeth", load=False)
    listener = await ws_connect()
    clock.advance(dt.timedelta(minutes=1))
    r = await admin.post(f"{BACKUPS}/restore?timestamp={made['created_at']}")
    assert r.code == 200, r
    assert r.json["message"] == "Backup restored"
    assert r.json["restored"] == {**made}
    previous = db_path(database).parent / "backups" / r.json["previous"]["filename"]
    assert show_names(previous) == ["Hamlet", "Macbeth"]
    assert show_names(db_path(database)) == ["Hamlet"]
    shows = await admin.get("/shows")
    assert [s["name"] for s in shows.json["shows"]] == ["Hamlet"]
    # The connected client is still one, and is told to fetch everything again.
    actions = set()
    while "GET_USERS" not in actions or "WS_SETTINGS_CHANGED" not in actions:
        actions.add((await listener.receive())["ACTION"])
    assert {"GET_SHOW_SESSION_DATA", "GET_SESSION_TAGS"} <= actions
    listed = (await admin.get("/ws/sessions")).json["sessions"]
    assert [c["internal_id"] for c in listed] == [listener.internal_id]


@sqlite_only
@pytest.mark.gen_test
async def test_requests_during_a_restore_are_answered(admin, show, database):
    made = (await admin.post(BACKUPS)).json["backup"]
    restore = admin.post(f"{BACKUPS}/restore?timestamp={made['created_at']}")
    reads = [admin.get("/shows") for _ in range(5)]
    writes = [admin.create_tag(f"tag {n}") for n in range(3)]
    answers = await asyncio.gather(restore, *reads, *writes, return_exceptions=True)
    assert answers[0].code == 200, answers[0]
    assert all(not isinstance(a, BaseException) for a in answers), answers
    assert all(a.code == 200 for a in answers[1:6])
    conn = sqlite3.connect(db_path(database))
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert (await admin.get("/shows")).code == 200


@sqlite_only
@pytest.mark.gen_test
async def test_a_backup_of_an_older_schema_is_upgraded_when_restored(admin, show, database):
    made = (await admin.post(BACKUPS)).json["backup"]
    path = db_path(database).parent / "backups" / made["filename"]
    config = alembic_config(f"sqlite:///{path}")
    command.downgrade(config, "-1")
    head = ScriptDirectory.from_config(config).get_current_head()
    r = await admin.post(f"{BACKUPS}/restore?timestamp={made['created_at']}")
    assert r.code == 200, r
    conn = sqlite3.connect(db_path(database))
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    conn.close()
    assert show_names(db_path(database)) == ["Hamlet"]
    assert (await admin.get("/shows")).code == 200


@sqlite_only
@pytest.mark.gen_test
async def test_a_backup_of_a_newer_server_is_refused_and_nothing_changes(admin, show, database):
    made = (await admin.post(BACKUPS)).json["backup"]
    path = db_path(database).parent / "backups" / made["filename"]
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'fffffffffff0'")
    conn.commit()
    conn.close()
    await admin.create_show("Macbeth", load=False)
    r = await admin.post(f"{BACKUPS}/restore?timestamp={made['created_at']}")
    assert r.code == 400
    assert r.message.startswith(
        f"Backup {made['filename']} is from a newer server (schema revision fffffffffff0)"
    )
    assert show_names(db_path(database)) == ["Hamlet", "Macbeth"]
    assert (await admin.get(BACKUPS)).json["count"] == 1  # no copy made for nothing


@sqlite_only
@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"SQLite format 3\x00" + b"\x01" * 4000, "is damaged"),
        (b"hello, not a database at all", "is damaged"),
        (None, "is not a database of this server"),
    ],
)
async def test_a_damaged_or_foreign_backup_is_refused(admin, show, database, content, message):
    folder = db_path(database).parent / "backups"
    folder.mkdir()
    path = folder / f"{db_path(database).name}.1700000000"
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    r = await admin.post(f"{BACKUPS}/restore?timestamp=1700000000")
    assert r.code == 400, r
    assert r.message.startswith(f"Backup {path.name} {message}")
    assert show_names(db_path(database)) == ["Hamlet"]
    assert [p.name for p in folder.iterdir()] == [path.name]
    assert [p.name for p in db_path(database).parent.iterdir() if "restoring" in p.name] == []


@sqlite_only
@pytest.mark.gen_test
async def test_a_login_ended_after_the_backup_stays_ended(admin, show):
    crew = await admin.user_token("crew")
    made = (await admin.post(BACKUPS)).json["backup"]
    assert (await admin.post("/auth/logout", {}, token=crew)).code == 200
    assert (await admin.get("/user/settings", token=crew)).code == 401
    r = await admin.post(f"{BACKUPS}/restore?timestamp={made['created_at']}")
    assert r.code == 200, r
    assert (await admin.get("/user/settings", token=crew)).code == 401
    assert (await admin.get("/auth/users")).code == 200

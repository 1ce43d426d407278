"""A database that cannot serve a request (read-only, damaged, unreachable) is answered 503
with a message saying so, never a 500; /health reports it with a 503 of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc as sa_exc
from sqlalchemy.engine import make_url

from server import __version__
from server.db import Database
from server.handlers.base import database_trouble
from tests.conftest import BACKEND
from tests.db_state import snapshot
from tests.pgcluster import free_port

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="a SQLite file opened read-only")


class Swap:
    """Serves the app's requests from another Database for a while."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.original = app.settings["database"]
        self.others: list[Database] = []

    def to(self, url: str) -> Database:
        other = Database(url)
        self.others.append(other)
        self.app.settings["database"] = other
        return other

    def restore(self) -> None:
        self.app.settings["database"] = self.original
        for other in self.others:
            other.dispose()


@pytest.fixture
def swap(app: Any) -> Iterator[Swap]:
    swapped = Swap(app)
    yield swapped
    swapped.restore()


def read_only_url(database: Database) -> str:
    path = Path(str(make_url(database.url).database)).resolve()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def unreachable_postgresql() -> str:
    # Nothing listens there: the connection is refused at once.
    return f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/digiscript?connect_timeout=5"


@pytest.mark.gen_test
async def test_health_says_the_database_is_fine(api):
    r = await api.get("/health")
    assert r.code == 200
    assert r.json == {"status": "ok", "version": __version__, "database": "ok"}


@sqlite_only
@pytest.mark.gen_test
async def test_a_write_to_a_read_only_sqlite_file_is_a_503_and_reads_go_on(
    admin, show, database, swap
):
    tag = await admin.create_tag("Preview")
    before = snapshot(database)
    swap.to(read_only_url(database))
    r = await admin.post("/show/session/tags", {"tag": "Gala", "colour": "#fff"})
    assert (r.code, r.json) == (503, {"message": "Database unavailable: it is read-only"})
    r = await admin.patch("/show/session/tags", {"id": tag, "tag": "Gala", "colour": "#fff"})
    assert (r.code, r.message) == (503, "Database unavailable: it is read-only")
    r = await admin.get("/show/session/tags")
    assert r.code == 200 and [t["tag"] for t in r.json["tags"]] == ["Preview"]
    # The file can still be read, so health is fine.
    assert (await admin.get("/health")).json["database"] == "ok"
    swap.restore()
    assert snapshot(database) == before


@sqlite_only
@pytest.mark.gen_test
async def test_a_damaged_sqlite_file_is_a_503_for_health_and_requests(admin, show, swap, tmp_path):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is no database, it is a shopping list\n" * 200)
    swap.to(f"sqlite:///{damaged}")
    r = await admin.get("/health")
    assert (r.code, r.json) == (
        503,
        {"status": "unavailable", "version": __version__, "database": "its file is damaged"},
    )
    r = await admin.get("/show/session/tags")
    assert (r.code, r.json) == (503, {"message": "Database unavailable: its file is damaged"})


@pytest.mark.gen_test
async def test_an_unreachable_postgresql_server_is_a_503_for_health_and_requests(admin, swap):
    swap.to(unreachable_postgresql())
    r = await admin.get("/health")
    assert (r.code, r.json) == (
        503,
        {"status": "unavailable", "version": __version__, "database": "cannot connect to it"},
    )
    # Signed in: the token's check is the first thing that needs the database.
    r = await admin.post("/show/session/tags", {"tag": "Gala", "colour": "#fff"})
    assert (r.code, r.json) == (503, {"message": "Database unavailable: cannot connect to it"})
    r = await admin.get("/settings", token="")
    assert (r.code, r.message) == (503, "Database unavailable: cannot connect to it")


def _error(kind: type[sa_exc.DBAPIError], said: str) -> sa_exc.DBAPIError:
    return kind("INSERT ...", {}, Exception(said))


@pytest.mark.parametrize(
    ("error", "trouble"),
    [
        (_error(sa_exc.OperationalError, "database or disk is full"), "the disk is full"),
        (
            _error(sa_exc.OperationalError, 'could not extend file "base/1/2": No space left'),
            "the disk is full",
        ),
        (
            _error(sa_exc.OperationalError, "attempt to write a readonly database"),
            "it is read-only",
        ),
        (
            _error(sa_exc.InternalError, "cannot execute INSERT in a read-only transaction"),
            "it is read-only",
        ),
        (_error(sa_exc.DatabaseError, "database disk image is malformed"), "its file is damaged"),
        (_error(sa_exc.OperationalError, "database is locked"), "it is busy"),
        (_error(sa_exc.OperationalError, "disk I/O error"), "a disk error"),
        (_error(sa_exc.OperationalError, "something new"), "it could not complete the request"),
        # A constraint or a bug is not the database being unavailable.
        (_error(sa_exc.IntegrityError, "UNIQUE constraint failed"), None),
        (_error(sa_exc.ProgrammingError, "no such table: users"), None),
        (ValueError("not the database"), None),
    ],
)
def test_what_a_database_error_is_called(error, trouble):
    assert database_trouble(error) == trouble

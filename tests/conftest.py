"""Test fixtures: a fresh, migrated database per test (SQLite, or PostgreSQL when
DIGISCRIPT_TEST_DB=postgresql), the Tornado app on a pinned clock, and an API client."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import os
import shutil
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

os.environ.setdefault("DIGISCRIPT_BCRYPT_ROUNDS", "4")

from server.app import make_app  # noqa: E402
from server.clock import FixedClock  # noqa: E402
from server.db import Database  # noqa: E402
from server.migrations import upgrade  # noqa: E402
from server.models import WebClient  # noqa: E402
from tests import pgcluster  # noqa: E402

BACKEND = os.environ.get("DIGISCRIPT_TEST_DB", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"
NOW = dt.datetime(2026, 11, 23, 12, 0, 0, tzinfo=dt.UTC)
_counter = itertools.count()
# Every key of a session object (contract 6.1).
SESSION_KEYS = {
    "id",
    "show_id",
    "script_revision_id",
    "scheduled_date_time",
    "start_date_time",
    "end_date_time",
    "user_id",
    "client_internal_id",
    "last_client_internal_id",
    "latest_line_ref",
    "current_interval_id",
    "tags",
    "show",
    "revision",
    "user",
    "client",
    "status",
    "cancelled_at",
    "cancel_reason",
    "performance_number",
}


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgcluster.Cluster | None]:
    if BACKEND != "postgresql":
        yield None
        return
    if not pgcluster.binaries_available():
        if IN_CI:
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are required when CI=true")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found")
    cluster = pgcluster.Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def template_database(
    pg_cluster: pgcluster.Cluster | None, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database migrated to head once per run; each test gets a copy of it."""
    if pg_cluster is not None:
        admin = create_engine(pg_cluster.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE template_head"))
        admin.dispose()
        upgrade(pg_cluster.url("template_head"))
        return "template_head"
    path = tmp_path_factory.mktemp("template") / "head.sqlite"
    upgrade(f"sqlite:///{path}")
    return str(path)


@contextmanager
def postgresql_database(
    cluster: pgcluster.Cluster, prefix: str, template: str | None = None
) -> Iterator[str]:
    """A new database on the cluster (a copy of `template` if given), dropped afterwards even
    if a test left connections open."""
    name = f"{prefix}_{os.getpid()}_{next(_counter)}"
    copy_of = f" TEMPLATE {template}" if template else ""
    admin = create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}{copy_of}"))
        try:
            yield cluster.url(name)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


@pytest.fixture
def database_url(
    pg_cluster: pgcluster.Cluster | None, template_database: str, tmp_path: Path
) -> Iterator[str]:
    if pg_cluster is not None:
        with postgresql_database(pg_cluster, "test", template_database) as url:
            yield url
        return
    path = tmp_path / "test.sqlite"
    shutil.copyfile(template_database, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def empty_database_url(pg_cluster: pgcluster.Cluster | None, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (not even Alembic's), for migration tests."""
    if pg_cluster is not None:
        with postgresql_database(pg_cluster, "empty") as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / 'empty.sqlite'}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(database: Database, clock: FixedClock) -> Any:
    return make_app(database, clock)


class Response:
    def __init__(self, code: int, body: bytes, headers: Any) -> None:
        self.code = code
        self.body = body
        self.headers = headers

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message(self) -> str | None:
        data = self.json
        return data.get("message") if isinstance(data, dict) else None

    def __repr__(self) -> str:
        return f"<Response {self.code} {self.body[:200]!r}>"


class Api:
    """Calls the app under test: `await api.post("/show/sessions/schedule", {...}, token=t)`."""

    def __init__(self, http_client: AsyncHTTPClient, base_url: str) -> None:
        self.http_client = http_client
        self.base_url = base_url
        self.token: str | None = None

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        url = self.base_url + (path if path.startswith("/api/") else "/api/v1" + path)
        all_headers = {"Content-Type": "application/json"}
        bearer = token if token is not None else self.token
        if bearer:
            all_headers["Authorization"] = f"Bearer {bearer}"
        all_headers.update(headers or {})
        payload: bytes | str | None = raw
        if payload is None and body is not None:
            payload = json.dumps(body)
        if payload is None and method in ("POST", "PATCH", "PUT"):
            payload = b""
        request = HTTPRequest(
            url,
            method=method,
            body=payload,
            headers=all_headers,
            allow_nonstandard_methods=True,
            request_timeout=60,
        )
        response = await self.http_client.fetch(request, raise_error=False)
        return Response(response.code, response.body or b"", response.headers)

    async def get(self, path: str, **kwargs: Any) -> Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return await self.request("POST", path, body, **kwargs)

    async def patch(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return await self.request("PATCH", path, body, **kwargs)

    async def delete(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return await self.request("DELETE", path, body, **kwargs)

    # -- common set-up through the API itself ----------------------------------------------

    async def create_user(
        self, username: str, password: str = "password1", is_admin: bool = False
    ) -> None:
        r = await self.post(
            "/auth/create", {"username": username, "password": password, "is_admin": is_admin}
        )
        assert r.code == 200, r

    async def login(self, username: str, password: str = "password1") -> str:
        r = await self.post("/auth/login", {"username": username, "password": password})
        assert r.code == 200, r
        return str(r.json["access_token"])

    async def user_id(self, token: str) -> int:
        r = await self.get("/auth", token=token)
        return int(r.json["id"])

    async def create_show(self, name: str = "Hamlet", load: bool = True) -> int:
        r = await self.post(
            "/show" + ("?load=true" if load else ""),
            {"name": name, "start": "2026-12-01", "end": "2027-01-31", "script_mode": 1},
        )
        assert r.code == 200, r
        return int(r.json["id"])

    async def load_show(self, show_id: int) -> None:
        r = await self.patch("/settings", {"current_show": show_id})
        assert r.code == 200, r

    async def create_tag(self, tag: str, colour: str = "#3366ff") -> int:
        r = await self.post("/show/session/tags", {"tag": tag, "colour": colour})
        assert r.code == 200, r
        return int(r.json["id"])

    async def schedule(self, when: str, **extra: Any) -> int:
        r = await self.post("/show/sessions/schedule", {"scheduled_date_time": when, **extra})
        assert r.code == 200, r
        return int(r.json["id"])

    async def user_token(
        self, username: str, role: int | None = None, show_id: int | None = None
    ) -> str:
        """A new non-admin user's token; with `role`, that role is granted on `show_id` first."""
        await self.create_user(username)
        token = await self.login(username)
        if role is not None:
            assert show_id is not None
            await self.grant(await self.user_id(token), show_id, role)
        return token

    async def start(
        self, client_id: str, show_session_id: int | None = None, **kwargs: Any
    ) -> Response:
        """POST /show/sessions/start, led by `client_id`: the scheduled session
        `show_session_id`, or an ad-hoc one without it."""
        body: dict[str, Any] = {"session_id": client_id}
        if show_session_id is not None:
            body["show_session_id"] = show_session_id
        return await self.post("/show/sessions/start", body, **kwargs)

    async def start_adhoc(self, client_id: str, token: str | None = None) -> Response:
        return await self.start(client_id, token=token)

    async def grant(self, user_id: int, show_id: int, role: int) -> None:
        r = await self.post(
            "/rbac/user/roles/grant",
            {"resource": "shows", "object": {"id": show_id}, "user": user_id, "role": role},
        )
        assert r.code == 200, r

    async def sessions(self) -> dict[str, Any]:
        r = await self.get("/show/sessions")
        assert r.code == 200, r
        return r.json  # type: ignore[no-any-return]

    async def session(self, session_id: int) -> dict[str, Any]:
        """One session as the list shows it."""
        return next(s for s in (await self.sessions())["sessions"] if s["id"] == session_id)

    async def current_revision(self) -> int:
        r = await self.get("/show/script/revisions/current")
        assert r.code == 200, r
        return int(r.json["current_revision"])

    async def finished_session(self, client_id: str) -> int:
        """An ad-hoc session led by `client_id`, started and stopped; its id."""
        assert (await self.start(client_id)).code == 200
        session_id = (await self.sessions())["current_session"]["id"]
        assert (await self.post("/show/sessions/stop", {})).code == 200
        return int(session_id)


@pytest.fixture
def api(http_client: AsyncHTTPClient, base_url: str) -> Api:
    return Api(http_client, base_url)


@pytest.fixture
def admin(api: Api, io_loop: Any) -> Api:
    """The API client logged in as the first user, an admin called "admin"."""

    async def setup() -> None:
        await api.create_user("admin", "password1", is_admin=True)
        api.token = await api.login("admin", "password1")

    io_loop.run_sync(setup)
    return api


@pytest.fixture
def show(admin: Api, io_loop: Any) -> int:
    """A show called Hamlet, created and loaded by the admin; its id."""
    return int(io_loop.run_sync(lambda: admin.create_show("Hamlet")))


def client_row(database: Database, internal_id: str) -> WebClient | None:
    with database.read() as db:
        return db.get(WebClient, internal_id)


async def eventually(check: Callable[[], Any], what: str = "the server never got there") -> None:
    """The server handles a WebSocket close (or a message with no answer) a moment after it
    is sent: wait, boundedly, until `check()` holds."""
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(what)


class WsClient:
    """A WebSocket connection to the app under test."""

    def __init__(self, conn: WebSocketClientConnection) -> None:
        self.conn = conn
        self.internal_id = ""

    async def receive(self) -> Any:
        # The bound only turns a missing message into a failure instead of a hung test.
        message = await asyncio.wait_for(self.conn.read_message(), 10)
        assert message is not None, "the server closed the WebSocket"
        return json.loads(message)

    async def send(self, message: Any) -> None:
        await self.conn.write_message(json.dumps(message))

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def ws_connect(http_server: Any, base_url: str) -> Iterator[Callable[..., Awaitable[WsClient]]]:
    """`client = await ws_connect()`: a connected client that has read its two greetings
    (SET_UUID, whose uuid is `client.internal_id`, and NOOP/GET_SETTINGS); with
    `greeted=False` the greetings are left unread."""
    opened: list[WsClient] = []

    async def connect(greeted: bool = True) -> WsClient:
        conn = await websocket_connect(base_url.replace("http", "ws", 1) + "/api/v1/ws")
        client = WsClient(conn)
        opened.append(client)
        if greeted:
            hello = await client.receive()
            assert hello["OP"] == "SET_UUID", hello
            client.internal_id = hello["DATA"]
            settings_notice = await client.receive()
            assert settings_notice["ACTION"] == "GET_SETTINGS", settings_notice
        return client

    yield connect
    for client in opened:
        client.close()


async def connect_client(base_url: str) -> tuple[WebSocketClientConnection, str]:
    """A WebSocket connection that has read its two greetings, and its uuid (SET_UUID)."""
    conn = await websocket_connect(base_url.replace("http", "ws", 1) + "/api/v1/ws")
    hello = json.loads(await conn.read_message())  # type: ignore[arg-type]
    assert hello["OP"] == "SET_UUID", hello
    await conn.read_message()  # NOOP/GET_SETTINGS
    return conn, str(hello["DATA"])


@pytest.fixture
def client(base_url: str, io_loop: Any, show: int) -> Iterator[str]:
    """The uuid of a connected WebSocket client, able to lead a session (what the web UI sends
    as `session_id`)."""
    conn, client_id = io_loop.run_sync(lambda: connect_client(base_url))
    yield client_id
    conn.close()


@pytest.fixture
def role_user(admin: Api, show: int, io_loop: Any) -> Callable[[str, int], tuple[str, int]]:
    """`token, user_id = role_user("sm", 7)`: a new non-admin user holding that role mask on
    the loaded show."""

    def make(username: str, mask: int) -> tuple[str, int]:
        async def setup() -> tuple[str, int]:
            await admin.create_user(username)
            token = await admin.login(username)
            user_id = await admin.user_id(token)
            await admin.grant(user_id, show, mask)
            return token, user_id

        token, user_id = io_loop.run_sync(setup)
        return str(token), int(user_id)

    return make

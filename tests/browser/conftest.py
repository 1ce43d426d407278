"""Browser-test fixtures: Debian's Chromium driven by Playwright, and a real server process on a
fresh SQLite database for each test."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"
ADMIN = ("admin", "password1")
TIMEZONE = "Europe/Berlin"


class ApiError(AssertionError):
    pass


class Server(LiveServer):
    """A server on a SQLite database of its own in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(f"sqlite:///{workdir / 'db.sqlite'}", workdir / "server.log")

    @property
    def url(self) -> str:
        return self.base_url


class Api:
    """Set-up and checks through the HTTP API, as one user."""

    def __init__(self, server: Server, token: str | None = None) -> None:
        self.server = server
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return self.server.call(method, "/api/v1" + path, body, self.token)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, data = self.call(method, path, body)
        if status != 200:
            raise ApiError(f"{method} {path} -> {status} {data}")
        return data

    def create_user(self, username: str, password: str, is_admin: bool = False) -> None:
        body = {"username": username, "password": password, "is_admin": is_admin}
        self.ok("POST", "/auth/create", body)

    def login(self, username: str, password: str) -> Api:
        answer = self.ok("POST", "/auth/login", {"username": username, "password": password})
        return Api(self.server, answer["access_token"])

    def create_show(
        self,
        name: str,
        start: str = "2026-11-01",
        end: str = "2027-12-31",
        time_zone: str = TIMEZONE,
    ) -> int:
        """A new show, loaded; its venue is in `time_zone` (by default the browser's, so that
        times read the same at the venue and in the browser)."""
        body = {
            "name": name,
            "start": start,
            "end": end,
            "script_mode": 1,
            "time_zone": time_zone,
        }
        return int(self.ok("POST", "/show?load=true", body)["id"])

    def create_tag(self, name: str, colour: str) -> int:
        return int(self.ok("POST", "/show/session/tags", {"tag": name, "colour": colour})["id"])

    def schedule(self, when_utc: str, tag_ids: list[int] | None = None) -> int:
        body = {"scheduled_date_time": when_utc, "tag_ids": tag_ids or []}
        return int(self.ok("POST", "/show/sessions/schedule", body)["id"])

    def sessions(self) -> list[dict[str, Any]]:
        return list(self.ok("GET", "/show/sessions")["sessions"])

    def session(self, session_id: int) -> dict[str, Any]:
        return next(s for s in self.sessions() if s["id"] == session_id)

    def tags(self) -> list[dict[str, Any]]:
        return list(self.ok("GET", "/show/session/tags")["tags"])


class LiveClient:
    """A WebSocket client of the server's live channel, held open on a thread of its own so a
    test can act "from elsewhere" (starting a session needs a connected client's id)."""

    def __init__(self, server: Server) -> None:
        from tornado.websocket import websocket_connect

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

        async def connect() -> tuple[Any, str]:
            conn = await websocket_connect(f"ws://127.0.0.1:{server.port}/api/v1/ws")
            while True:
                message = json.loads(await conn.read_message())
                if message["OP"] == "SET_UUID":
                    return conn, str(message["DATA"])

        future = asyncio.run_coroutine_threadsafe(connect(), self.loop)
        self.conn, self.uuid = future.result(30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.conn.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, launched once per module."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is required for the browser tests when CI=true")
        pytest.skip(f"{CHROMIUM} not found (install Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def running_server(workdir: Path) -> Iterator[Server]:
    process = Server(workdir)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server on an empty database: no users, no shows. A module whose tests each bring
    their own show may share one server instead (see `shared_server`)."""
    with running_server(tmp_path) as process:
        yield process


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("server")) as process:
        yield process


def first_admin(server: Server) -> Api:
    """Creates the first user, an admin, and logs it in through the API."""
    Api(server).create_user(*ADMIN, is_admin=True)
    return Api(server).login(*ADMIN)


@pytest.fixture
def admin_api(server: Server) -> Api:
    return first_admin(server)


@pytest.fixture
def show_id(admin_api: Api) -> Iterator[int]:
    """A new show called Hamlet, loaded; whatever session it left live is stopped afterwards
    (a live session would keep the next test from loading its own show)."""
    yield admin_api.create_show("Hamlet")
    admin_api.call("POST", "/show/sessions/stop")


@pytest.fixture
def new_page(browser: Any, server: Server) -> Iterator[Any]:
    """`new_page()`: a page of a fresh browser context (its own storage) at the server's root,
    1280 px wide, on Berlin time."""
    contexts: list[Any] = []

    def open_page(width: int = 1280, height: int = 800) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            timezone_id=TIMEZONE,
            locale="en-GB",
            base_url=server.url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def live_client(server: Server) -> Iterator[LiveClient]:
    client = LiveClient(server)
    try:
        yield client
    finally:
        client.close()


def sign_in(page: Any, username: str, password: str) -> None:
    """Through the sign-in form; returns once the signed-in header shows the user."""
    from playwright.sync_api import expect

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".user-name")).to_have_text(username)
    # Starting a session needs the live channel; wait until it is signed in and ready.
    expect(page.locator("#live-status")).to_have_attribute("data-state", "open")


def dialog(page: Any, name: str) -> Any:
    """An open modal, by its name (`data-dialog`)."""
    return page.locator(f'dialog[data-dialog="{name}"]')


AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
_AXE: list[str] = []


def _axe_source() -> str:
    if not _AXE:
        _AXE.append(AXE_SCRIPT.read_text(encoding="utf-8"))
    return _AXE[0]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds wrong on the page as it is now (an open dialog included): each
    violation with its rule, impact and the elements it names."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the driver: the page's Content-Security-Policy allows no script
        # that the server did not serve, and rightly so.
        page.evaluate(_axe_source() + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await window.axe.run(document, { resultTypes: ["violations"] });
            return r.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "),
                    summary: n.failureSummary,
                })),
            }));
        }"""
    )
    return list(result)


def assert_accessible(page: Any) -> None:
    """axe-core finds no violation at all on the page as it is now."""
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)

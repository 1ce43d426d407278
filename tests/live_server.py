"""A real `python -m server serve` process on a throwaway database, for tests that need one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.pgcluster import free_port

ROOT = Path(__file__).resolve().parent.parent
STARTUP_LIMIT = 60.0  # seconds; a server that is not up by then has failed to start


class LiveServer:
    """Start, stop or kill a server process; `call` speaks JSON to it."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.launch()
        self.wait_until_serving()

    def launch(self) -> None:
        """Starts the process without waiting for it, so that several can boot at once."""
        env = {**os.environ, "DIGISCRIPT_BCRYPT_ROUNDS": "4"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server",
                    "serve",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_serving(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_LIMIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited at start:\n{self.log()}")
            try:
                status, _ = self.call("GET", "/api/v1/health")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a power cut would leave it."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        """One request; (status, decoded JSON body). Connection errors are raised."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload or b"null")
            except ValueError:
                return error.code, payload.decode(errors="replace")

    def ok(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        status, data = self.call(method, path, body, token)
        assert status == 200, (method, path, status, data)
        return data


@contextmanager
def live_servers(database_url: str, folder: Path, count: int) -> Iterator[list[LiveServer]]:
    """`count` server processes on one database, booted at once, stopped afterwards."""
    servers = [LiveServer(database_url, folder / f"server-{n}.log") for n in range(count)]
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_serving()
        yield servers
    finally:
        for server in servers:
            server.stop()


def seed(server: LiveServer) -> dict[str, Any]:
    """An admin, a loaded show with a tag and three scheduled sessions, and a second show with
    a tag of its own; returns the admin's token and the ids."""
    server.ok(
        "POST",
        "/api/v1/auth/create",
        {"username": "admin", "password": "password1", "is_admin": True},
    )
    token = server.ok("POST", "/api/v1/auth/login", {"username": "admin", "password": "password1"})[
        "access_token"
    ]
    show = {"start": "2026-12-01", "end": "2027-01-31", "script_mode": 1}
    other_show = server.ok("POST", "/api/v1/show?load=true", {"name": "Macbeth", **show}, token)[
        "id"
    ]
    other_tag = server.ok(
        "POST", "/api/v1/show/session/tags", {"tag": "Matinee", "colour": "#aa0000"}, token
    )["id"]
    show_id = server.ok("POST", "/api/v1/show?load=true", {"name": "Hamlet", **show}, token)["id"]
    tag = server.ok(
        "POST", "/api/v1/show/session/tags", {"tag": "Preview", "colour": "#2f80ed"}, token
    )["id"]
    sessions = [
        server.ok(
            "POST",
            "/api/v1/show/sessions/schedule",
            {"scheduled_date_time": when, "tag_ids": [tag]},
            token,
        )["id"]
        for when in ("2026-12-01T19:30:00", "2026-12-02T19:30:00", "2026-12-03T14:00:00")
    ]
    return {
        "token": token,
        "show_id": show_id,
        "tag_id": tag,
        "session_ids": sessions,
        "other_show_id": other_show,
        "other_tag_id": other_tag,
    }

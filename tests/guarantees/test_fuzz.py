"""Schemathesis against a live server: every documented operation, as an admin and anonymous.

It must find no 5xx, no response the OpenAPI document does not describe (status, content type,
body schema), and no 405 without an `Allow` header. Bounded by examples per operation, not time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BACKEND
from tests.live_server import LiveServer, seed

# The server under fuzzing runs on its own SQLite file whatever the suite's backend: what is
# fuzzed is the HTTP layer, which does not change with the database.
pytestmark = [
    pytest.mark.fuzz,
    pytest.mark.skipif(BACKEND != "sqlite", reason="fuzzed once, on SQLite"),
]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "unsupported_method",
        "allow_header_conformance",
    ]
)
MAX_EXAMPLES = os.environ.get("DIGISCRIPT_FUZZ_EXAMPLES", "20")
# A fixed seed keeps `make test` repeatable; set another to explore further.
SEED = os.environ.get("DIGISCRIPT_FUZZ_SEED", "20261123")
LOGOUT = "/api/v1/auth/logout"
# The live log answers until the client goes away: fuzzed anonymously only (refused at once).
LOG_STREAM = "/api/v1/logs/stream"
RUN_LIMIT = 600  # seconds; a run that has not finished by then has hung


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("fuzz")
    server = LiveServer(f"sqlite:///{root / 'fuzz.sqlite'}", root / "server.log")
    server.start()
    try:
        ids = seed(server)
        # A login of its own for the logout run, made before any fuzzing: the fuzzer's wrong
        # passwords for "admin" from this address would have it throttled (429) by then.
        login = {"username": "admin", "password": "password1"}
        ids["logout_token"] = server.ok("POST", "/api/v1/auth/login", login)["access_token"]
        yield server, ids
    finally:
        server.stop()


def run_schemathesis(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    st = Path(sys.executable).with_name("st")
    # Schemathesis keeps a cache in its working directory: the server's, not the repository.
    command = [
        str(st),
        "run",
        f"{server.base_url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        SEED,
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        *args,
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=RUN_LIMIT,
        cwd=server.log_path.parent,
    )


def assert_clean(run: subprocess.CompletedProcess[str], server: LiveServer) -> None:
    report = (run.stdout + run.stderr)[-12000:]
    assert run.returncode == 0, f"schemathesis found problems:\n{report}"
    assert "Traceback" not in server.log(), server.log()[-8000:]


def test_fuzzing_anonymously_finds_nothing_the_document_does_not_allow(live):
    server, _ids = live
    assert_clean(run_schemathesis(server), server)


def test_fuzzing_as_admin_finds_nothing_the_document_does_not_allow(live):
    server, ids = live
    # Logging out would end the admin's token halfway through; it has a run of its own below.
    run = run_schemathesis(
        server,
        "--exclude-path",
        LOGOUT,
        "--exclude-path",
        LOG_STREAM,
        "--header",
        f"Authorization: Bearer {ids['token']}",
    )
    assert_clean(run, server)


def test_fuzzing_logout_as_admin_finds_nothing_the_document_does_not_allow(live):
    server, ids = live
    run = run_schemathesis(
        server, "--include-path", LOGOUT, "--header", f"Authorization: Bearer {ids['logout_token']}"
    )
    assert_clean(run, server)

"""Passwords are hashed and checked on the password threads, never on the event loop, and an
unknown username costs the same bcrypt work as a known one."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from server import auth
from server.models import User
from tests.conftest import eventually

# A bound on how long a held password check waits to be let go, so that a server that runs the
# check on the event loop (where nothing can let it go) fails the test instead of hanging it.
HOLD = 10


class HeldChecks:
    """Stands in for `auth.check_password`: each call is counted, then waits until `release`
    is set before the real check runs."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.hashes: list[str] = []
        self.threads: list[str] = []
        self._lock = threading.Lock()
        self._real = auth.check_password

    def __call__(self, password: str, hashed: str) -> bool:
        with self._lock:
            self.hashes.append(hashed)
            self.threads.append(threading.current_thread().name)
        self.release.wait(HOLD)
        return self._real(password, hashed)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldChecks]:
    checks = HeldChecks()
    monkeypatch.setattr(auth, "check_password", checks)
    yield checks
    checks.release.set()


@pytest.mark.gen_test(timeout=120)
async def test_the_session_list_answers_while_logins_wait_for_their_password_checks(
    admin, show, held
):
    logins = [
        asyncio.ensure_future(
            admin.post("/auth/login", {"username": "admin", "password": f"wrong-{n}"}, token="")
        )
        for n in range(4)
    ]
    # Both password threads are busy with a check that is held; two more logins queue.
    await eventually(lambda: len(held.hashes) >= 2, "no password check began")
    r = await admin.get("/show/sessions")
    assert r.code == 200
    assert not any(login.done() for login in logins), "a login finished before the list"
    held.release.set()
    answers = await asyncio.gather(*logins)
    assert [a.code for a in answers] == [401] * 4
    assert len(held.hashes) == 4
    assert all(name.startswith("bcrypt") for name in held.threads), held.threads


@pytest.mark.gen_test(timeout=120)
async def test_creating_a_user_hashes_the_password_off_the_event_loop(
    admin, show, database, monkeypatch
):
    entered = threading.Event()
    release = threading.Event()
    real = auth.hash_password

    def held_hash(password: str) -> str:
        entered.set()
        release.wait(HOLD)
        return real(password)

    monkeypatch.setattr(auth, "hash_password", held_hash)
    try:
        creating = asyncio.ensure_future(
            admin.post("/auth/create", {"username": "alice", "password": "password1"})
        )
        await eventually(entered.is_set, "the password was never hashed")
        r = await admin.get("/show/sessions")
        assert r.code == 200
        assert not creating.done(), "the user was created before the list answered"
        # No transaction is held while the password is hashed: another write goes through.
        assert (await admin.create_tag("Preview")) > 0
        release.set()
        assert (await creating).code == 200
    finally:
        release.set()
    with database.read() as db:
        stored = db.scalar(select(User.password).where(User.username == "alice"))
    assert stored is not None and auth.check_password("password1", stored)


@pytest.mark.gen_test
async def test_an_unknown_username_is_checked_against_a_stand_in_hash(admin, monkeypatch):
    checked: list[str] = []
    real = auth.check_password

    def spy(password: str, hashed: str) -> bool:
        checked.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(auth, "check_password", spy)
    r = await admin.post("/auth/login", {"username": "nobody", "password": "password1"})
    assert (r.code, r.message) == (401, "Invalid username/password")
    assert checked == [auth.dummy_hash()]
    # The same single check as for a user who exists, with their own hash.
    r = await admin.post("/auth/login", {"username": "admin", "password": "not-it"})
    assert (r.code, r.message) == (401, "Invalid username/password")
    assert len(checked) == 2 and checked[1] != checked[0]


def test_the_stand_in_hash_has_the_configured_cost(monkeypatch):
    monkeypatch.setenv("DIGISCRIPT_BCRYPT_ROUNDS", "5")
    assert auth.dummy_hash().startswith("$2b$05$")
    assert auth.dummy_hash() == auth.dummy_hash()  # made once
    monkeypatch.setenv("DIGISCRIPT_BCRYPT_ROUNDS", "4")
    assert auth.dummy_hash().startswith("$2b$04$")
    assert not auth.check_password("", auth.dummy_hash())

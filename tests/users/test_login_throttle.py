"""Login throttling: wrong passwords cost a client tokens that come back over time; when they
run out the login is a 429 with Retry-After, without the password being checked. The real
user still signs in from another address while their name is attacked from one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from server import __version__, auth, throttle
from server.app import make_app
from server.clock import FixedClock
from server.db import Database
from server.handlers import openapi
from server.handlers.base import ROUTES
from tests.conftest import Api, Response

LOGIN = "/auth/login"
ATTACKER = "203.0.113.9"
HOME = "198.51.100.7"


def retry_after(r: Response) -> int:
    assert r.code == 429, r
    assert r.message == "Too many failed login attempts; try again later"
    return int(r.headers["Retry-After"])


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords the server checked with bcrypt, in order."""
    seen: list[str] = []
    real = auth.check_password

    def spy(password: str, hashed: str) -> bool:
        seen.append(password)
        return real(password, hashed)

    monkeypatch.setattr(auth, "check_password", spy)
    return seen


@pytest.mark.gen_test(timeout=60)
async def test_the_sixth_wrong_password_is_a_429_and_the_password_is_not_checked(
    admin, clock, checks
):
    await admin.create_user("alice")
    for n in range(throttle.PAIR):
        r = await admin.post(LOGIN, {"username": "alice", "password": f"guess-{n}"}, token="")
        assert (r.code, r.message) == (401, "Invalid username/password")
    assert len(checks) == throttle.PAIR
    # 200 more in a row: every one refused at once, none of them checked, the right one neither.
    for n in range(200):
        r = await admin.post(LOGIN, {"username": "alice", "password": f"more-{n}"}, token="")
        assert 1 <= retry_after(r) <= throttle.REFILL
    r = await admin.post(LOGIN, {"username": "alice", "password": "password1"}, token="")
    assert retry_after(r) == throttle.REFILL
    assert len(checks) == throttle.PAIR


@pytest.mark.gen_test(timeout=60)
async def test_logins_work_again_once_retry_after_has_passed(admin, clock):
    await admin.create_user("alice")
    for n in range(throttle.PAIR):
        await admin.post(LOGIN, {"username": "alice", "password": f"guess-{n}"}, token="")
    wait = retry_after(await admin.post(LOGIN, {"username": "alice", "password": "x" * 8}))
    clock.advance(dt.timedelta(seconds=wait - 1))
    r = await admin.post(LOGIN, {"username": "alice", "password": "password1"}, token="")
    assert retry_after(r) == 1
    clock.advance(dt.timedelta(seconds=1))
    assert await admin.login("alice")
    # A success fills the name's bucket at this address again: five more tries before a 429.
    for n in range(throttle.PAIR):
        r = await admin.post(LOGIN, {"username": "alice", "password": f"again-{n}"}, token="")
        assert r.code == 401
    assert retry_after(await admin.post(LOGIN, {"username": "alice", "password": "x" * 8}))


@pytest.mark.gen_test(timeout=60)
async def test_tokens_come_back_one_per_refill_period(admin, clock):
    await admin.create_user("alice")
    for n in range(throttle.PAIR):
        await admin.post(LOGIN, {"username": "alice", "password": f"guess-{n}"}, token="")
    clock.advance(dt.timedelta(seconds=2 * throttle.REFILL))
    for n in range(2):
        r = await admin.post(LOGIN, {"username": "alice", "password": f"later-{n}"}, token="")
        assert r.code == 401
    assert retry_after(await admin.post(LOGIN, {"username": "alice", "password": "x" * 8}))


@pytest.fixture
def behind_proxy(
    database_url: str, clock: FixedClock, http_client: Any, io_loop: Any
) -> Iterator[Callable[[str], Api]]:
    """`api = from_address("203.0.113.9")`: a client of a server on the test's database that
    takes clients' addresses from X-Forwarded-For (as `serve --behind-proxy` does), calling
    from that address."""
    database = Database(database_url)
    server = HTTPServer(make_app(database, clock), xheaders=True)
    sock, port = bind_unused_port()
    server.add_sockets([sock])

    def from_address(address: str) -> Api:
        api = Api(http_client, f"http://127.0.0.1:{port}")
        real_request = api.request

        async def request(method: str, path: str, body=None, **kwargs):  # type: ignore[no-untyped-def]
            headers = {"X-Forwarded-For": address, **(kwargs.pop("headers", None) or {})}
            return await real_request(method, path, body, headers=headers, **kwargs)

        api.request = request  # type: ignore[method-assign]
        return api

    try:
        yield from_address
    finally:
        server.stop()
        io_loop.run_sync(server.close_all_connections)
        database.dispose()


@pytest.mark.gen_test(timeout=60)
async def test_the_real_user_logs_in_from_elsewhere_while_their_name_is_attacked(
    admin, behind_proxy
):
    await admin.create_user("alice")
    attacker = behind_proxy(ATTACKER)
    for n in range(throttle.PAIR):
        r = await attacker.post(LOGIN, {"username": "alice", "password": f"guess-{n}"})
        assert r.code == 401
    assert retry_after(await attacker.post(LOGIN, {"username": "alice", "password": "guess"}))
    # Even the right password is refused at the attacking address...
    assert retry_after(await attacker.post(LOGIN, {"username": "alice", "password": "password1"}))
    # ...while alice, from an address she has never used, signs in.
    assert await behind_proxy(HOME).login("alice")


@pytest.mark.gen_test(timeout=120)
async def test_one_address_trying_many_names_is_stopped(admin, behind_proxy):
    await admin.create_user("alice")
    attacker = behind_proxy(ATTACKER)
    for n in range(throttle.ADDRESS):
        r = await attacker.post(LOGIN, {"username": f"user{n}", "password": "password1"})
        assert r.code == 401
    assert retry_after(await attacker.post(LOGIN, {"username": "alice", "password": "guess"}))
    # Another address is not held back.
    assert await behind_proxy(HOME).login("alice")


@pytest.mark.gen_test(timeout=300)
async def test_a_name_attacked_from_many_addresses_still_signs_in_where_it_has_before(
    admin, behind_proxy
):
    await admin.create_user("alice")
    assert await behind_proxy(HOME).login("alice")
    # Four wrong passwords from each of 25 addresses: none is throttled on its own...
    for host in range(throttle.USERNAME // 4):
        attacker = behind_proxy(f"203.0.113.{host}")
        for n in range(4):
            r = await attacker.post(LOGIN, {"username": "alice", "password": f"guess-{n}"})
            assert r.code == 401
    # ...but the name has had enough: a new address waits, even with the right password...
    newcomer = behind_proxy("192.0.2.1")
    assert retry_after(await newcomer.post(LOGIN, {"username": "alice", "password": "password1"}))
    # ...while alice signs in where she has before.
    assert await behind_proxy(HOME).login("alice")


@pytest.mark.gen_test(timeout=60)
async def test_a_right_password_draws_nothing_and_gives_the_pair_its_tries_back(admin):
    await admin.create_user("alice")
    for _ in range(3):
        for _ in range(throttle.PAIR - 1):
            r = await admin.post(LOGIN, {"username": "alice", "password": "guess"}, token="")
            assert r.code == 401
        for _ in range(throttle.PAIR):
            assert await admin.login("alice")


def test_the_document_describes_the_429_and_its_retry_after():
    document = openapi.document(ROUTES, __version__)
    answer = document["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"]
    assert answer["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}

"""Logging out ends the login: the token presented and every token refreshed from the same
login (its family, the `fam` claim), before or after it. A token issued before tokens carried
a family still works, and is its own family."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
import pytest
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from server.app import make_app
from server.db import Database
from server.models import RevokedToken
from server.operations import settings
from tests.conftest import Api


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


async def refreshed(api: Api, token: str) -> str:
    r = await api.post("/auth/refresh-token", token=token)
    assert r.code == 200, r
    return str(r.json["access_token"])


async def refused(api: Api, token: str) -> bool:
    r = await api.post("/auth/refresh-token", token=token)
    return (r.code, r.message) == (401, "Token has been revoked")


@pytest.mark.gen_test
async def test_refreshed_tokens_keep_the_family_of_their_login(admin):
    first = await admin.login("admin")
    second = await refreshed(admin, first)
    third = await refreshed(admin, second)
    families = {claims_of(t)["fam"] for t in (first, second, third)}
    assert len(families) == 1
    assert len({claims_of(t)["jti"] for t in (first, second, third)}) == 3
    other = await admin.login("admin")
    assert claims_of(other)["fam"] not in families


@pytest.mark.parametrize("logged_out", [0, 1, 2])
@pytest.mark.gen_test
async def test_logout_ends_every_token_of_the_login(admin, logged_out):
    first = await admin.login("admin")
    family = [first, await refreshed(admin, first)]
    family.append(await refreshed(admin, family[1]))
    other = await admin.login("admin")
    r = await admin.post("/auth/logout", {}, token=family[logged_out])
    assert r.code == 200
    for token in family:
        assert await refused(admin, token)
        assert (await admin.get("/auth", token=token)).json == {}
    # Another login of the same user is untouched.
    assert (await admin.get("/auth", token=other)).json["username"] == "admin"
    assert await refreshed(admin, other)


@pytest.mark.gen_test
async def test_a_refreshed_token_stays_refused_after_a_restart(
    admin, database_url, clock, http_client
):
    first = await admin.login("admin")
    second = await refreshed(admin, first)
    assert (await admin.post("/auth/logout", {}, token=first)).code == 200
    restarted = Database(database_url)
    server = HTTPServer(make_app(restarted, clock))
    sock, port = bind_unused_port()
    server.add_sockets([sock])
    try:
        fresh = Api(http_client, f"http://127.0.0.1:{port}")
        assert await refused(fresh, second)
    finally:
        server.stop()
        await server.close_all_connections()
        restarted.dispose()


def legacy_token(database: Database, token: str) -> str:
    """`token` as the server signed tokens before they had a family: no `fam`, its own jti."""
    with database.read() as db:
        secret = settings.get_value(db, settings.JWT_SECRET)
    claims = claims_of(token)
    del claims["fam"]
    claims["jti"] = uuid.uuid4().hex
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.gen_test
async def test_a_token_without_a_family_works_and_logout_revokes_it_by_its_jti(admin, database):
    old = legacy_token(database, await admin.login("admin"))
    assert (await admin.get("/auth", token=old)).json["username"] == "admin"
    assert (await admin.post("/auth/logout", {}, token=old)).code == 200
    assert await refused(admin, old)
    with database.read() as db:
        assert db.get(RevokedToken, claims_of(old)["jti"]) is not None
    assert await refreshed(admin, admin.token)  # the fixture's own login goes on


@pytest.mark.parametrize("logged_out", ["old", "refreshed"])
@pytest.mark.gen_test
async def test_a_token_refreshed_from_one_without_a_family_joins_it(admin, database, logged_out):
    old = legacy_token(database, await admin.login("admin"))
    new = await refreshed(admin, old)
    assert claims_of(new)["fam"] == claims_of(old)["jti"]
    token = old if logged_out == "old" else new
    assert (await admin.post("/auth/logout", {}, token=token)).code == 200
    assert await refused(admin, old)
    assert await refused(admin, new)

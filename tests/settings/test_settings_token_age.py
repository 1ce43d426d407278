"""A shorter jwt_token_lifetime_hours also ends tokens already issued once they are older than
it (as DigiScript checks each token's age against the setting), over HTTP and the WebSocket."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.gen_test
async def test_a_shorter_lifetime_ends_older_tokens(admin, clock):
    before = await admin.login("admin")  # issued for a day
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 1})
    clock.advance(dt.timedelta(minutes=59))
    assert (await admin.get("/rbac/user/roles", token=before)).code == 200
    clock.advance(dt.timedelta(minutes=2))
    r = await admin.get("/rbac/user/roles", token=before)
    assert (r.code, r.message) == (401, "Token expired")
    # A fresh token is good for the hour.
    assert (await admin.get("/rbac/user/roles", token=await admin.login("admin"))).code == 200


@pytest.mark.gen_test
async def test_a_longer_lifetime_does_not_stretch_a_token(admin, clock):
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 1})
    token = await admin.login("admin")
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 24}, token=token)
    clock.advance(dt.timedelta(minutes=61))
    assert (await admin.get("/rbac/user/roles", token=token)).code == 401


@pytest.mark.gen_test
async def test_the_websocket_refuses_a_token_older_than_the_lifetime(admin, clock, ws_connect):
    token = await admin.login("admin")
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 6})
    clock.advance(dt.timedelta(hours=7))
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": token}})
    assert (await client.receive()) == {"OP": "WS_AUTH_ERROR", "DATA": "Token expired"}

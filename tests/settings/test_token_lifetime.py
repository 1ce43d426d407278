"""The jwt_token_lifetime_hours setting: listed, editable by admins, and given to new tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
import pytest
from sqlalchemy import select

from server.models import RevokedToken


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def lifetime_of(token: str) -> dt.timedelta:
    claims = claims_of(token)
    return dt.timedelta(seconds=claims["exp"] - claims["iat"])


@pytest.mark.gen_test
async def test_the_lifetime_is_a_day_by_default(admin):
    r = await admin.get("/settings")
    assert r.json["jwt_token_lifetime_hours"] == 24
    assert lifetime_of(await admin.login("admin")) == dt.timedelta(hours=24)


@pytest.mark.gen_test
async def test_raw_settings_offer_the_lifetimes_with_their_labels(api, admin):
    r = await api.get("/settings/raw")
    assert r.json["jwt_token_lifetime_hours"] == {
        "type": "int",
        "value": 24,
        "default": 24,
        "can_edit": True,
        "display_name": "JWT Token Lifetime",
        "help_text": r.json["jwt_token_lifetime_hours"]["help_text"],
        "hide_from_ui": False,
        "choice_options": [1, 6, 12, 24, 168, 720],
        "choice_labels": [
            "1 hour",
            "6 hours",
            "12 hours",
            "1 day",
            "1 week",
            "1 month (30 days)",
        ],
    }
    r = await api.get("/settings/categories")
    assert r.json["categories"]["Security"] == ["jwt_token_lifetime_hours"]


@pytest.mark.gen_test
@pytest.mark.parametrize("hours", [1, 168, 720])
async def test_new_tokens_are_issued_for_the_chosen_lifetime(admin, hours):
    r = await admin.patch("/settings", {"jwt_token_lifetime_hours": hours})
    assert r.code == 200
    assert (await admin.get("/settings")).json["jwt_token_lifetime_hours"] == hours
    assert lifetime_of(await admin.login("admin")) == dt.timedelta(hours=hours)
    refreshed = await admin.post("/auth/refresh-token")
    assert refreshed.code == 200
    assert lifetime_of(refreshed.json["access_token"]) == dt.timedelta(hours=hours)


@pytest.mark.gen_test
async def test_a_token_issued_earlier_keeps_its_lifetime(admin):
    before = await admin.login("admin")
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 6})
    assert lifetime_of(before) == dt.timedelta(hours=24)
    assert (await admin.get("/rbac/user/roles", token=before)).code == 200


@pytest.mark.gen_test
async def test_a_token_expires_after_the_chosen_lifetime(admin, clock):
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 1})
    token = await admin.login("admin")
    clock.advance(dt.timedelta(minutes=59))
    assert (await admin.get("/rbac/user/roles", token=token)).code == 200
    clock.advance(dt.timedelta(minutes=2))
    assert (await admin.get("/rbac/user/roles", token=token)).code == 401


@pytest.mark.gen_test
async def test_logging_out_revokes_for_as_long_as_the_longest_lifetime(admin, database, clock):
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 720})
    token = await admin.login("admin")
    assert (await admin.post("/auth/logout", {}, token=token)).code == 200
    with database.read() as db:
        expires = db.scalar(select(RevokedToken.expires_at))
    assert expires is not None
    assert expires.replace(tzinfo=dt.UTC) >= clock() + dt.timedelta(hours=720)


@pytest.mark.gen_test
@pytest.mark.parametrize("value", [0, 2, 48, -1, "24", 24.0, True, None])
async def test_only_the_offered_lifetimes_are_accepted(admin, value):
    r = await admin.patch("/settings", {"jwt_token_lifetime_hours": value})
    assert (r.code, r.message) == (
        400,
        "jwt_token_lifetime_hours must be one of 1, 6, 12, 24, 168, 720",
    )
    assert (await admin.get("/settings")).json["jwt_token_lifetime_hours"] == 24


@pytest.mark.gen_test
async def test_only_admins_change_the_lifetime(admin):
    token = await admin.user_token("alice")
    r = await admin.patch("/settings", {"jwt_token_lifetime_hours": 1}, token=token)
    assert r.code == 403
    assert (await admin.get("/settings")).json["jwt_token_lifetime_hours"] == 24


@pytest.mark.gen_test
async def test_changing_the_lifetime_broadcasts_the_settings(admin, ws_connect):
    watcher = await ws_connect()
    await admin.patch("/settings", {"jwt_token_lifetime_hours": 168})
    changed = await watcher.receive()
    assert changed["OP"] == "SETTINGS_CHANGED"
    assert changed["DATA"]["jwt_token_lifetime_hours"] == 168

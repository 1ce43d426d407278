"""The rest of what DigiScript's client reads at start-up and on its pages: /auth, the loaded
show, the user's roles, the script modes, and conditional GETs (ETag and 304)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from server.models import Script, User
from server.roles import Role

USER_KEYS = {
    "id",
    "username",
    "is_admin",
    "created_on",
    "last_login",
    "last_seen",
    "requires_password_change",
    "token_version",
}


# -- GET /auth -------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_auth_answers_an_empty_object_to_anonymous_callers(api):
    r = await api.get("/auth")
    assert r.code == 200
    assert r.json == {}


@pytest.mark.parametrize("token", ["not.a.token", "Bearer", "x" * 300])
@pytest.mark.gen_test
async def test_auth_answers_an_empty_object_to_a_malformed_token(admin, token):
    r = await admin.get("/auth", token=token)
    assert r.code == 200
    assert r.json == {}


@pytest.mark.gen_test
async def test_auth_answers_an_empty_object_to_an_expired_token(admin, clock):
    clock.advance(dt.timedelta(hours=25))
    r = await admin.get("/auth")
    assert r.code == 200
    assert r.json == {}


@pytest.mark.gen_test
async def test_auth_answers_an_empty_object_to_a_revoked_token(admin, database):
    token = admin.token
    assert (await admin.post("/auth/logout", {})).code == 200
    r = await admin.get("/auth", token=token)
    assert r.code == 200
    assert r.json == {}


@pytest.mark.gen_test
async def test_auth_answers_an_empty_object_to_a_token_of_an_older_version(admin, database):
    with database.write() as db:
        db.execute(update(User).values(token_version=User.token_version + 1))
    r = await admin.get("/auth")
    assert r.code == 200
    assert r.json == {}


@pytest.mark.gen_test
async def test_auth_describes_the_signed_in_user(admin):
    r = await admin.get("/auth")
    assert r.code == 200
    assert set(r.json) == USER_KEYS
    assert r.json["username"] == "admin"
    assert r.json["is_admin"] is True
    assert r.json["created_on"] == "2026-11-23T12:00:00"
    assert r.json["last_login"] == "2026-11-23T12:00:00"
    assert r.json["requires_password_change"] is False
    assert r.json["token_version"] == 0
    assert "password" not in r.json


# -- GET /show ---------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_show_has_null_session_and_first_act_when_they_are_unset(admin, show):
    r = await admin.get("/show")
    assert r.code == 200
    assert "current_session_id" in r.json and r.json["current_session_id"] is None
    assert "first_act_id" in r.json and r.json["first_act_id"] is None


# -- GET /show/script_modes ----------------------------------------------------------------------


@pytest.mark.gen_test
async def test_script_modes_are_listed_for_the_show_form(api):
    r = await api.get("/show/script_modes")
    assert r.code == 200
    assert r.json == {
        "script_modes": [{"text": "FULL", "value": 1}, {"text": "COMPACT", "value": 2}]
    }


@pytest.mark.gen_test
async def test_each_script_mode_creates_a_show_in_that_mode(admin):
    for mode in (await admin.get("/show/script_modes")).json["script_modes"]:
        body = {"name": mode["text"], "start": "2026-12-01", "end": "2026-12-02"}
        r = await admin.post("/show", {**body, "script_mode": mode["value"]})
        assert r.code == 200, mode
    shows = (await admin.get("/shows")).json["shows"]
    assert [(s["name"], s["script_mode"]) for s in shows] == [("FULL", 1), ("COMPACT", 2)]


# -- GET /rbac/user/roles ----------------------------------------------------------------------


@pytest.mark.gen_test
async def test_user_roles_are_empty_with_no_show_loaded(admin):
    r = await admin.get("/rbac/user/roles")
    assert r.code == 200
    assert r.json == {"roles": {}}


@pytest.mark.gen_test
async def test_user_roles_name_the_show_and_its_script_with_the_mask(admin, show, database):
    token = await admin.user_token("alice", role=Role.READ | Role.EXECUTE, show_id=show)
    r = await admin.get("/rbac/user/roles", token=token)
    assert r.code == 200
    current = (await admin.get("/show")).json
    with database.read() as db:
        script_id = db.scalar(select(Script.id).where(Script.show_id == show))
    assert r.json == {"roles": {"shows": [[current, 5]], "script": [[{"id": script_id}, 5]]}}


@pytest.mark.gen_test
async def test_an_admin_holds_every_role_on_the_show_and_script(admin, show):
    r = await admin.get("/rbac/user/roles")
    assert r.json["roles"]["shows"][0][1] == 7
    assert r.json["roles"]["script"][0][1] == 7


# -- conditional GET -----------------------------------------------------------------------------

REVALIDATED = [
    "/settings",
    "/settings/raw",
    "/auth",
    "/user/settings",
    "/rbac/roles",
    "/rbac/user/roles",
    "/show",
    "/shows",
    "/show/sessions",
    "/show/session/tags",
    "/show/script/revisions",
    "/show/script_modes",
]


@pytest.mark.parametrize("path", REVALIDATED)
@pytest.mark.gen_test
async def test_a_repeated_get_with_its_etag_is_a_304(admin, show, path):
    first = await admin.get(path)
    assert first.code == 200
    etag = first.headers["Etag"]
    again = await admin.get(path, headers={"If-None-Match": etag})
    assert again.code == 304
    assert again.body == b""


@pytest.mark.gen_test
async def test_a_changed_answer_carries_a_new_etag_and_a_body(admin, show):
    first = await admin.get("/settings")
    await admin.patch("/settings", {"client_log_level": "DEBUG"})
    again = await admin.get("/settings", headers={"If-None-Match": first.headers["Etag"]})
    assert again.code == 200
    assert again.headers["Etag"] != first.headers["Etag"]
    assert again.json["client_log_level"] == "DEBUG"


@pytest.mark.gen_test
async def test_the_etag_depends_on_who_is_asking(admin):
    anonymous = await admin.get("/auth", token="")
    signed_in = await admin.get("/auth", headers={"If-None-Match": anonymous.headers["Etag"]})
    assert signed_in.code == 200
    assert signed_in.json["username"] == "admin"

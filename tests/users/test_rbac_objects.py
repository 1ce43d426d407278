"""The RBAC dialog's lists: /rbac/user/resources and /rbac/user/objects."""

from __future__ import annotations

import pytest

from server.roles import Role


@pytest.mark.gen_test
async def test_resources_are_the_shows(admin):
    r = await admin.get("/rbac/user/resources")
    assert r.code == 200
    assert r.json == {"resources": ["shows"]}


@pytest.mark.gen_test
async def test_resources_are_for_admins_only(admin):
    token = await admin.user_token("alice")
    r = await admin.get("/rbac/user/resources", token=token)
    assert (r.code, r.message) == (403, "Admin access required")
    r = await admin.get("/rbac/user/resources", token="")
    assert r.code == 401


@pytest.mark.gen_test
async def test_objects_are_the_loaded_show_with_its_display_fields(admin, show):
    current = (await admin.get("/show")).json
    r = await admin.get("/rbac/user/objects?resource=shows")
    assert r.code == 200
    assert r.json == {"objects": [current], "display_fields": ["id", "name"]}


@pytest.mark.gen_test
async def test_objects_for_a_user_pair_each_show_with_that_users_mask(admin, show):
    token = await admin.user_token("alice", role=Role.READ | Role.EXECUTE, show_id=show)
    alice = await admin.user_id(token)
    await admin.create_user("bob")
    bob = await admin.user_id(await admin.login("bob"))
    current = (await admin.get("/show")).json
    r = await admin.get(f"/rbac/user/objects?resource=shows&user={alice}")
    assert r.code == 200
    assert r.json == {"objects": [[current, 5]], "display_fields": ["id", "name"]}
    r = await admin.get(f"/rbac/user/objects?resource=shows&user={bob}")
    assert r.json["objects"] == [[current, 0]]


@pytest.mark.gen_test
async def test_objects_follow_a_grant_and_a_revoke(admin, show):
    token = await admin.user_token("alice")
    alice = await admin.user_id(token)
    body = {"resource": "shows", "object": {"id": show}, "user": alice, "role": 3}
    assert (await admin.post("/rbac/user/roles/grant", body)).code == 200
    r = await admin.get(f"/rbac/user/objects?resource=shows&user={alice}")
    assert r.json["objects"][0][1] == 3
    body["role"] = 1
    assert (await admin.post("/rbac/user/roles/revoke", body)).code == 200
    r = await admin.get(f"/rbac/user/objects?resource=shows&user={alice}")
    assert r.json["objects"][0][1] == 2


@pytest.mark.gen_test
async def test_no_loaded_show_means_no_objects(admin):
    r = await admin.get("/rbac/user/objects?resource=shows")
    assert r.code == 200
    assert r.json == {"objects": [], "display_fields": ["id", "name"]}


@pytest.mark.gen_test
@pytest.mark.parametrize("query", ["", "?resource=", "?resource=%20", "?user=1"])
async def test_objects_need_a_resource(admin, show, query):
    r = await admin.get("/rbac/user/objects" + query)
    assert (r.code, r.message) == (400, "resource query parameter not fulfilled")


@pytest.mark.gen_test
async def test_objects_of_an_unknown_resource_are_not_found(admin, show):
    r = await admin.get("/rbac/user/objects?resource=cuetypes")
    assert (r.code, r.message) == (404, "object not found")


@pytest.mark.gen_test
async def test_objects_for_an_unknown_user_are_not_found(admin, show):
    r = await admin.get("/rbac/user/objects?resource=shows&user=9999")
    assert (r.code, r.message) == (404, "user not found")


@pytest.mark.gen_test
@pytest.mark.parametrize("user", ["abc", "1.5", "99999999999999999999"])
async def test_objects_refuse_a_user_that_is_no_integer(admin, show, user):
    r = await admin.get(f"/rbac/user/objects?resource=shows&user={user}")
    assert (r.code, r.message) == (400, "user must be an integer")


@pytest.mark.gen_test
async def test_objects_are_for_admins_only(admin, show):
    token = await admin.user_token("alice", role=Role.READ, show_id=show)
    r = await admin.get("/rbac/user/objects?resource=shows", token=token)
    assert (r.code, r.message) == (403, "Admin access required")
    r = await admin.get("/rbac/user/objects?resource=shows", token="")
    assert r.code == 401

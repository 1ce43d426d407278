"""Server settings and the loaded show: GET /settings (a fresh server's, naming the loaded
show) and PATCH /settings loading another show (refused while a session is live)."""

from __future__ import annotations

import pytest


@pytest.mark.gen_test
async def test_settings_of_a_fresh_server(api):
    r = await api.get("/settings")
    assert r.code == 200
    assert r.json["current_show"] is None
    assert r.json["has_admin_user"] is False
    assert r.json["version"] == "0.1.0"


@pytest.mark.gen_test
async def test_settings_name_the_loaded_show(admin, show):
    r = await admin.get("/settings", token="")
    assert r.json["current_show"] == show
    assert r.json["has_admin_user"] is True


@pytest.mark.gen_test
async def test_patch_settings_loads_another_show(admin, show):
    other = await admin.create_show("Macbeth", load=False)
    r = await admin.patch("/settings", {"current_show": other})
    assert r.code == 200
    assert r.json == {"message": "Settings updated"}
    assert (await admin.get("/settings")).json["current_show"] == other
    assert (await admin.get("/show")).json["name"] == "Macbeth"


@pytest.mark.gen_test
async def test_patch_settings_with_an_unknown_show_is_a_404(admin, show):
    r = await admin.patch("/settings", {"current_show": show + 100})
    assert r.code == 404
    assert r.json == {"message": "404 show not found"}
    assert (await admin.get("/settings")).json["current_show"] == show


@pytest.mark.gen_test
async def test_patch_settings_is_refused_while_a_session_is_live(admin, show, ws_connect):
    other = await admin.create_show("Macbeth", load=False)
    client = await ws_connect()
    assert (await admin.start_adhoc(client.internal_id)).code == 200
    r = await admin.patch("/settings", {"current_show": other})
    assert r.code == 409
    assert r.json == {"message": "Current session in progress"}
    assert (await admin.get("/settings")).json["current_show"] == show


@pytest.mark.gen_test
async def test_patch_settings_works_again_once_the_session_stops(admin, show, ws_connect):
    other = await admin.create_show("Macbeth", load=False)
    client = await ws_connect()
    assert (await admin.start_adhoc(client.internal_id)).code == 200
    assert (await admin.post("/show/sessions/stop", {})).code == 200
    assert (await admin.patch("/settings", {"current_show": other})).code == 200
    assert (await admin.get("/settings")).json["current_show"] == other


@pytest.mark.parametrize("body", [{}, {"current_show": None}, {"current_show": "1"}])
@pytest.mark.gen_test
async def test_patch_settings_needs_an_integer_show_id(admin, show, body):
    r = await admin.patch("/settings", body)
    assert r.code == 400
    assert r.message and "current_show" in r.message
    assert (await admin.get("/settings")).json["current_show"] == show

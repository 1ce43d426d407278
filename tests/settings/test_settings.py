"""What DigiScript's client reads and edits of the server settings: /settings, /settings/raw,
/settings/categories, and SETTINGS_CHANGED on the WebSocket."""

from __future__ import annotations

from typing import Any

import pytest

from server.db import Database
from server.operations import settings

RAW_KEYS = {"type", "value", "default", "can_edit", "display_name", "help_text", "hide_from_ui"}


def stored(database: Database, key: str) -> Any:
    with database.read() as db:
        return settings.get_value(db, key)


# -- GET /settings ---------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_settings_carry_client_log_level_info_by_default(api):
    r = await api.get("/settings")
    assert r.code == 200
    assert r.json["client_log_level"] == "INFO"
    assert r.json["client_log_enabled"] is True


@pytest.mark.gen_test
async def test_settings_list_every_setting_and_never_the_token_secret(admin):
    r = await admin.get("/settings")
    assert set(r.json) == {s.key for s in settings.DEFINITIONS}
    assert set(r.json) >= {"current_show", "has_admin_user", "version", "client_log_level"}
    assert "jwt_secret" not in r.json


@pytest.mark.gen_test
async def test_settings_say_there_is_no_admin_before_the_first_one_is_created(api):
    assert (await api.get("/settings")).json["has_admin_user"] is False
    await api.create_user("admin", is_admin=True)
    assert (await api.get("/settings")).json["has_admin_user"] is True


@pytest.mark.gen_test
async def test_settings_answer_a_stale_token_instead_of_401(admin):
    r = await admin.get("/settings", token="not.a.token")
    assert r.code == 200
    assert r.json["has_admin_user"] is True


# -- PATCH /settings -------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_admin_changes_the_client_log_level(admin, database):
    r = await admin.patch("/settings", {"client_log_level": "DEBUG"})
    assert r.code == 200
    assert r.json == {"message": "Settings updated"}
    assert stored(database, "client_log_level") == "DEBUG"
    assert (await admin.get("/settings")).json["client_log_level"] == "DEBUG"


@pytest.mark.gen_test
async def test_client_log_level_is_accepted_in_any_case_and_kept_in_capitals(admin, database):
    assert (await admin.patch("/settings", {"client_log_level": "warn"})).code == 200
    assert stored(database, "client_log_level") == "WARN"


@pytest.mark.parametrize("value", ["LOUD", "", None, 3, ["INFO"], "SILENT"])
@pytest.mark.gen_test
async def test_client_log_level_must_be_a_level_name(admin, database, value):
    r = await admin.patch("/settings", {"client_log_level": value})
    assert r.code == 400
    assert r.json == {"message": "client_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR"}
    assert stored(database, "client_log_level") is None


@pytest.mark.parametrize("value", ["yes", 1, None])
@pytest.mark.gen_test
async def test_client_log_enabled_must_be_a_boolean(admin, database, value):
    r = await admin.patch("/settings", {"client_log_enabled": value})
    assert r.code == 400
    assert r.json == {"message": "client_log_enabled must be a boolean"}
    assert stored(database, "client_log_enabled") is None


@pytest.mark.gen_test
async def test_a_bad_value_changes_nothing_else_in_the_same_patch(admin, database):
    r = await admin.patch("/settings", {"client_log_enabled": False, "client_log_level": "LOUD"})
    assert r.code == 400
    assert stored(database, "client_log_enabled") is None


@pytest.mark.gen_test
async def test_settings_form_may_send_read_only_settings_back_unchanged(admin, database):
    # DigiScript's System Config form sends every setting it shows, edited or not.
    current = (await admin.get("/settings")).json
    body = {"version": current["version"], "client_log_level": "ERROR", "client_log_enabled": True}
    r = await admin.patch("/settings", body)
    assert r.code == 200
    assert stored(database, "client_log_level") == "ERROR"


@pytest.mark.parametrize("key, value", [("version", "9.9.9"), ("has_admin_user", False)])
@pytest.mark.gen_test
async def test_read_only_settings_cannot_be_changed(admin, key, value):
    r = await admin.patch("/settings", {key: value})
    assert r.code == 400
    assert r.json == {"message": f"{key} cannot be changed"}
    assert (await admin.get("/settings")).json[key] != value


@pytest.mark.gen_test
async def test_unknown_settings_are_ignored_with_a_warning(admin, database, caplog):
    r = await admin.patch("/settings", {"client_log_level": "DEBUG", "colour_scheme": "dark"})
    assert r.code == 200
    assert stored(database, "colour_scheme") is None
    assert any("colour_scheme" in rec.getMessage() for rec in caplog.records)


@pytest.mark.gen_test
async def test_a_patch_with_no_setting_names_what_may_be_sent(admin):
    r = await admin.patch("/settings", {})
    assert r.code == 400
    assert r.json == {
        "message": "No settings to update: send current_show or one of "
        "client_log_enabled, client_log_level, jwt_token_lifetime_hours"
    }


@pytest.mark.gen_test
async def test_only_an_admin_changes_settings(admin, database):
    token = await admin.user_token("alice")
    r = await admin.patch("/settings", {"client_log_level": "DEBUG"}, token=token)
    assert r.code == 403
    assert (await admin.patch("/settings", {"client_log_level": "DEBUG"}, token="")).code == 401
    assert stored(database, "client_log_level") is None


@pytest.mark.gen_test
async def test_client_log_level_may_change_while_a_session_is_live(
    admin, show, database, ws_connect
):
    client = await ws_connect()
    assert (await admin.start_adhoc(client.internal_id)).code == 200
    assert (await admin.patch("/settings", {"client_log_level": "TRACE"})).code == 200
    assert stored(database, "client_log_level") == "TRACE"


# -- GET /settings/raw and /settings/categories ----------------------------------------------


@pytest.mark.gen_test
async def test_raw_settings_describe_every_setting(admin, show):
    r = await admin.get("/settings/raw", token="")
    assert r.code == 200
    assert set(r.json) == set((await admin.get("/settings")).json)
    for key, entry in r.json.items():
        assert set(entry) >= RAW_KEYS, key
    assert r.json["client_log_level"] == {
        "type": "str",
        "value": "INFO",
        "default": "INFO",
        "can_edit": True,
        "display_name": "Client Log Level",
        "help_text": "Browser log messages below this level are not kept in the server log",
        "hide_from_ui": False,
        "choice_options": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"],
        "choice_labels": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"],
    }
    assert r.json["current_show"]["value"] == show
    assert r.json["current_show"]["type"] == "int"
    assert r.json["current_show"]["can_edit"] is False
    assert r.json["has_admin_user"]["value"] is True
    assert r.json["client_log_enabled"]["type"] == "bool"


@pytest.mark.gen_test
async def test_raw_settings_show_a_changed_value_beside_its_default(admin):
    await admin.patch("/settings", {"client_log_level": "ERROR"})
    entry = (await admin.get("/settings/raw")).json["client_log_level"]
    assert (entry["value"], entry["default"]) == ("ERROR", "INFO")


@pytest.mark.gen_test
async def test_settings_categories_group_every_setting_once(api):
    r = await api.get("/settings/categories")
    assert r.code == 200
    grouped = [key for keys in r.json["categories"].values() for key in keys]
    assert sorted(grouped) == sorted((await api.get("/settings/raw")).json)


# -- SETTINGS_CHANGED --------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_creating_the_first_admin_broadcasts_settings_changed(api, ws_connect):
    watcher = await ws_connect()
    await api.create_user("admin", is_admin=True)
    changed = await watcher.receive()
    assert changed["OP"] == "SETTINGS_CHANGED"
    assert changed["ACTION"] == "WS_SETTINGS_CHANGED"
    assert changed["DATA"] == (await api.get("/settings")).json
    assert changed["DATA"]["has_admin_user"] is True
    assert await watcher.receive() == {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USERS"}


@pytest.mark.gen_test
async def test_creating_a_user_broadcasts_get_users(admin, ws_connect):
    watcher = await ws_connect()
    await admin.create_user("alice")
    received = [await watcher.receive(), await watcher.receive()]
    assert {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USERS"} in received


@pytest.mark.gen_test
async def test_changing_a_setting_broadcasts_the_whole_settings_object(admin, ws_connect):
    watcher = await ws_connect()
    await admin.patch("/settings", {"client_log_level": "WARN"})
    changed = await watcher.receive()
    assert changed["OP"] == "SETTINGS_CHANGED"
    assert changed["ACTION"] == "WS_SETTINGS_CHANGED"
    assert changed["DATA"] == (await admin.get("/settings")).json
    assert changed["DATA"]["client_log_level"] == "WARN"


@pytest.mark.gen_test
async def test_loading_a_show_broadcasts_settings_changed_then_show_changed(
    admin, show, ws_connect
):
    other = await admin.create_show("Macbeth", load=False)
    watcher = await ws_connect()
    await admin.patch("/settings", {"current_show": other})
    changed = await watcher.receive()
    assert changed["OP"] == "SETTINGS_CHANGED"
    assert changed["DATA"]["current_show"] == other
    assert await watcher.receive() == {"OP": "NOOP", "DATA": {}, "ACTION": "SHOW_CHANGED"}


@pytest.mark.gen_test
async def test_creating_a_show_with_load_broadcasts_show_changed(admin, ws_connect):
    watcher = await ws_connect()
    show_id = await admin.create_show("Hamlet", load=True)
    changed = await watcher.receive()
    assert changed["OP"] == "SETTINGS_CHANGED"
    assert changed["DATA"]["current_show"] == show_id
    assert await watcher.receive() == {"OP": "NOOP", "DATA": {}, "ACTION": "SHOW_CHANGED"}


@pytest.mark.gen_test
async def test_setting_a_value_it_already_has_broadcasts_nothing(admin, ws_connect):
    watcher = await ws_connect()
    await admin.patch("/settings", {"client_log_level": "INFO"})
    await admin.patch("/settings", {"client_log_level": "DEBUG"})
    # The first notice this client sees is the one about the second, real change.
    first = await watcher.receive()
    assert first["OP"] == "SETTINGS_CHANGED"
    assert first["DATA"]["client_log_level"] == "DEBUG"

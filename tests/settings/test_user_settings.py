"""Per-user settings: GET and PATCH /api/v1/user/settings."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from server.db import Database
from server.models import User, UserSettings

DEFAULTS = {
    "enable_script_auto_save": True,
    "script_auto_save_interval": 10,
    "cue_position_right": False,
    "script_text_alignment": 2,
    "console_log_level": "WARN",
    "character_mru_sort": False,
    "character_combined_dropdown": False,
    "preferred_ui": None,
    "table_page_sizes": None,
    "default_sd_text_colour": None,
    "default_sd_background_colour": None,
    "show_current_cue_footer": True,
}
USER_SETTINGS_NOTICE = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_USER_SETTINGS"}


def settings_row(database: Database, username: str) -> UserSettings | None:
    with database.read() as db:
        user_id = db.scalar(select(User.id).where(User.username == username))
        return db.get(UserSettings, user_id)


def row_count(database: Database) -> int:
    with database.read() as db:
        return int(db.scalar(select(func.count()).select_from(UserSettings)) or 0)


async def authenticated(ws_connect: Any, token: str) -> Any:
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": token}})
    assert (await client.receive())["OP"] == "WS_AUTH_SUCCESS"
    return client


# -- reading ---------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_first_read_answers_the_defaults_and_stores_them(admin, database):
    assert settings_row(database, "admin") is None
    r = await admin.get("/user/settings")
    assert r.code == 200
    assert r.json == DEFAULTS
    row = settings_row(database, "admin")
    assert row is not None and row.console_log_level == "WARN"


@pytest.mark.gen_test
async def test_reading_again_does_not_make_another_row(admin, database):
    await admin.get("/user/settings")
    await admin.get("/user/settings")
    assert row_count(database) == 1


@pytest.mark.gen_test
async def test_user_settings_need_a_login(api):
    r = await api.get("/user/settings")
    assert r.code == 401
    assert r.message


@pytest.mark.gen_test
async def test_each_user_has_settings_of_their_own(admin, database):
    alice = await admin.user_token("alice")
    assert (await admin.patch("/user/settings", {"console_log_level": "DEBUG"})).code == 200
    assert (await admin.get("/user/settings", token=alice)).json["console_log_level"] == "WARN"
    assert (await admin.get("/user/settings")).json["console_log_level"] == "DEBUG"
    assert row_count(database) == 2


# -- changing --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_patch_stores_the_given_settings_and_keeps_the_others(admin, database):
    changes = {
        "enable_script_auto_save": False,
        "script_auto_save_interval": 30,
        "cue_position_right": True,
        "script_text_alignment": 1,
        "console_log_level": "ERROR",
        "character_mru_sort": True,
        "character_combined_dropdown": True,
        "preferred_ui": "new",
        "table_page_sizes": {"sessions": 25, "tags": 0},
        "default_sd_text_colour": "#112233",
        "default_sd_background_colour": "#fff",
        "show_current_cue_footer": False,
    }
    for key, value in changes.items():
        r = await admin.patch("/user/settings", {key: value})
        assert r.code == 200, key
        assert r.json == {"message": "User settings updated"}
    assert (await admin.get("/user/settings")).json == changes
    row = settings_row(database, "admin")
    assert row is not None
    assert row.table_page_sizes == {"sessions": 25, "tags": 0}
    assert row.script_text_alignment == 1


@pytest.mark.gen_test
async def test_patch_before_any_read_starts_from_the_defaults(admin, database):
    assert (await admin.patch("/user/settings", {"cue_position_right": True})).code == 200
    assert (await admin.get("/user/settings")).json == {**DEFAULTS, "cue_position_right": True}


@pytest.mark.gen_test
async def test_nullable_settings_can_be_cleared(admin):
    await admin.patch("/user/settings", {"preferred_ui": "old", "default_sd_text_colour": "#000"})
    r = await admin.patch("/user/settings", {"preferred_ui": None, "default_sd_text_colour": None})
    assert r.code == 200
    data = (await admin.get("/user/settings")).json
    assert (data["preferred_ui"], data["default_sd_text_colour"]) == (None, None)


@pytest.mark.gen_test
async def test_the_form_may_send_its_whole_state_back(admin):
    # DigiScript's user settings form PATCHes every field it holds.
    state = (await admin.get("/user/settings")).json
    r = await admin.patch("/user/settings", {**state, "console_log_level": "TRACE"})
    assert r.code == 200
    assert (await admin.get("/user/settings")).json == {**DEFAULTS, "console_log_level": "TRACE"}


@pytest.mark.parametrize("name, number", [("left", 1), ("center", 2), ("Right", 3)])
@pytest.mark.gen_test
async def test_text_alignment_may_be_given_by_name(admin, name, number):
    assert (await admin.patch("/user/settings", {"script_text_alignment": name})).code == 200
    assert (await admin.get("/user/settings")).json["script_text_alignment"] == number


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("enable_script_auto_save", "yes", "enable_script_auto_save must be a boolean"),
        ("enable_script_auto_save", None, "enable_script_auto_save must be a boolean"),
        ("cue_position_right", 1, "cue_position_right must be a boolean"),
        ("character_mru_sort", "false", "character_mru_sort must be a boolean"),
        ("character_combined_dropdown", 0, "character_combined_dropdown must be a boolean"),
        ("show_current_cue_footer", None, "show_current_cue_footer must be a boolean"),
        (
            "script_auto_save_interval",
            0,
            "script_auto_save_interval must be an integer between 1 and 86400",
        ),
        (
            "script_auto_save_interval",
            "10",
            "script_auto_save_interval must be an integer between 1 and 86400",
        ),
        (
            "script_auto_save_interval",
            86401,
            "script_auto_save_interval must be an integer between 1 and 86400",
        ),
        (
            "script_text_alignment",
            4,
            "script_text_alignment must be 1 (left), 2 (center) or 3 (right)",
        ),
        (
            "script_text_alignment",
            "justify",
            "script_text_alignment must be 1 (left), 2 (center) or 3 (right)",
        ),
        (
            "console_log_level",
            "VERBOSE",
            "console_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, SILENT",
        ),
        ("preferred_ui", "classic", 'preferred_ui must be null, "old" or "new"'),
        (
            "table_page_sizes",
            {"sessions": -1},
            "table_page_sizes must be null or an object of table names to rows per page "
            "(0 for all)",
        ),
        (
            "table_page_sizes",
            [10],
            "table_page_sizes must be null or an object of table names to rows per page "
            "(0 for all)",
        ),
        (
            "default_sd_text_colour",
            "red; background: url(x)",
            "default_sd_text_colour must be null or a hex colour such as #1a2b3c",
        ),
        (
            "default_sd_background_colour",
            "#12345",
            "default_sd_background_colour must be null or a hex colour such as #1a2b3c",
        ),
    ],
)
@pytest.mark.gen_test
async def test_patch_refuses_a_bad_value_naming_the_field(admin, database, key, value, message):
    before = (await admin.get("/user/settings")).json
    r = await admin.patch("/user/settings", {"console_log_level": "DEBUG", key: value})
    assert r.code == 400
    assert r.json == {"message": message}
    assert (await admin.get("/user/settings")).json == before


@pytest.mark.gen_test
async def test_unknown_keys_are_ignored_with_a_warning(admin, caplog):
    caplog.set_level(logging.WARNING)
    r = await admin.patch("/user/settings", {"console_log_level": "INFO", "favourite_act": 2})
    assert r.code == 200
    assert "favourite_act" not in (await admin.get("/user/settings")).json
    assert (await admin.get("/user/settings")).json["console_log_level"] == "INFO"
    warnings = [rec for rec in caplog.records if rec.levelno == logging.WARNING]
    assert any("favourite_act" in rec.getMessage() for rec in warnings)


@pytest.mark.parametrize("raw", ["[1]", '"DEBUG"', "{nope"])
@pytest.mark.gen_test
async def test_patch_needs_a_json_object(admin, raw):
    r = await admin.request("PATCH", "/user/settings", raw=raw)
    assert r.code == 400
    assert r.json == {"message": "Invalid JSON body"}


@pytest.mark.gen_test
async def test_patch_needs_a_login(api):
    r = await api.patch("/user/settings", {"console_log_level": "DEBUG"})
    assert r.code == 401


@pytest.mark.gen_test
async def test_user_settings_go_with_their_user(admin, database):
    await admin.user_token("alice")
    assert settings_row(database, "alice") is None
    alice = await admin.login("alice")
    await admin.get("/user/settings", token=alice)
    with database.write() as db:
        user = db.scalar(select(User).where(User.username == "alice"))
        db.delete(user)
    assert row_count(database) == 0


# -- the notice to the user's own connections ------------------------------------------------


@pytest.mark.gen_test
async def test_patch_tells_only_the_users_own_connections_to_reload_them(admin, ws_connect):
    alice = await admin.user_token("alice")
    mine = await authenticated(ws_connect, admin.token)
    theirs = await authenticated(ws_connect, alice)
    anonymous = await ws_connect()
    await admin.patch("/user/settings", {"console_log_level": "DEBUG"})
    assert await mine.receive() == USER_SETTINGS_NOTICE
    # Whatever each of the others receives next is a later broadcast, not that notice.
    await admin.patch("/settings", {"client_log_level": "DEBUG"})
    for other in (theirs, anonymous):
        assert (await other.receive())["OP"] == "SETTINGS_CHANGED"

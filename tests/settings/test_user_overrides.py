"""A user's own overrides of the show's looks: /api/v1/user/settings/stage_direction_overrides
and /api/v1/user/settings/cue_colour_overrides."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import User, UserOverride

SD = "/user/settings/stage_direction_overrides"
CUE = "/user/settings/cue_colour_overrides"
STYLES = "/show/script/stage_direction_styles"
ACTION = {"description": "Action", "textFormat": "default", "textColour": "#ffffff"}
LOOK = {
    "bold": True,
    "italic": False,
    "underline": True,
    "textFormat": "lower",
    "textColour": "#0000ff",
    "enableBackgroundColour": True,
    "backgroundColour": "#cccccc",
}
STORED_LOOK = {
    "bold": True,
    "italic": False,
    "underline": True,
    "text_format": "lower",
    "text_colour": "#0000ff",
    "enable_background_colour": True,
    "background_colour": "#cccccc",
}
SD_NOTICE = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_STAGE_DIRECTION_STYLE_OVERRIDES"}
CUE_NOTICE = {"OP": "NOOP", "DATA": {}, "ACTION": "GET_CUE_COLOUR_OVERRIDES"}


async def add_style(admin: Any, description: str = "Action") -> int:
    r = await admin.post(STYLES, {**ACTION, "description": description})
    assert r.code == 200, r
    return int(r.json["id"])


async def add_override(admin: Any, style_id: int, token: str | None = None, **look: Any) -> int:
    r = await admin.post(SD, {"styleId": style_id, **LOOK, **look}, token=token)
    assert r.code == 200, r
    return int(r.json["id"])


def user_id(database: Database, username: str) -> int:
    with database.read() as db:
        found = db.scalar(select(User.id).where(User.username == username))
        assert found is not None
        return found


def insert_cue_override(database: Database, username: str, cue_type_id: int = 7) -> int:
    """A cue colour override stored directly: the show has no cue types to override yet."""
    with database.write() as db:
        row = UserOverride(
            user_id=user_id(database, username),
            settings_type="cue_types",
            object_id=cue_type_id,
            settings={"id": cue_type_id, "colour": "#0000ff"},
        )
        db.add(row)
        db.flush()
        return row.id


def stored(database: Database, override_id: int) -> UserOverride | None:
    with database.read() as db:
        return db.get(UserOverride, override_id)


async def authenticated(ws_connect: Any, token: str) -> Any:
    client = await ws_connect()
    await client.send({"OP": "AUTHENTICATE", "DATA": {"token": token}})
    assert (await client.receive())["OP"] == "WS_AUTH_SUCCESS"
    return client


# -- stage direction style overrides ----------------------------------------------------------


@pytest.mark.gen_test
async def test_create_list_edit_and_delete_a_stage_direction_override(admin, show, database):
    style_id = await add_style(admin)
    assert (await admin.get(SD)).json == {"overrides": []}

    r = await admin.post(SD, {"styleId": style_id, **LOOK})
    assert r.code == 200, r
    assert r.message == "Successfully added stage direction style override"
    override_id = r.json["id"]
    row = stored(database, override_id)
    assert row is not None
    assert (row.settings_type, row.object_id) == ("stage_direction_styles", style_id)
    listed = (await admin.get(SD)).json
    assert listed == {
        "overrides": [{"id": override_id, "settings": {"id": style_id, **STORED_LOOK}}]
    }

    r = await admin.patch(SD, {"id": override_id, "bold": False, "text_colour": "#00ff00"})
    assert (r.code, r.message) == (200, "Successfully edited stage direction style override")
    settings = (await admin.get(SD)).json["overrides"][0]["settings"]
    assert settings == {**STORED_LOOK, "id": style_id, "bold": False, "text_colour": "#00ff00"}

    r = await admin.delete(f"{SD}?id={override_id}")
    assert (r.code, r.message) == (200, "Successfully deleted stage direction style override")
    assert stored(database, override_id) is None
    assert (await admin.get(SD)).json == {"overrides": []}


@pytest.mark.gen_test
async def test_the_look_takes_defaults_and_no_background_is_stored_as_none(admin, show):
    style_id = await add_style(admin)
    r = await admin.post(SD, {"styleId": style_id, "textFormat": "upper", "textColour": "#123456"})
    assert r.code == 200, r
    assert (await admin.get(SD)).json["overrides"][0]["settings"] == {
        "id": style_id,
        "bold": False,
        "italic": False,
        "underline": False,
        "text_format": "upper",
        "text_colour": "#123456",
        "enable_background_colour": False,
        "background_colour": None,
    }


@pytest.mark.gen_test
async def test_each_user_sees_only_their_own_overrides(admin, show):
    style_id = await add_style(admin)
    alice = await admin.user_token("alice")
    mine = await add_override(admin, style_id)
    theirs = await add_override(admin, style_id, token=alice, textColour="#111111")
    assert [o["id"] for o in (await admin.get(SD)).json["overrides"]] == [mine]
    listed = (await admin.get(SD, token=alice)).json["overrides"]
    assert [(o["id"], o["settings"]["text_colour"]) for o in listed] == [(theirs, "#111111")]


@pytest.mark.gen_test
async def test_only_the_loaded_shows_overrides_are_listed(admin, show):
    style_id = await add_style(admin)
    await add_override(admin, style_id)
    other = await admin.create_show("Macbeth")  # now loaded
    assert (await admin.get(SD)).json == {"overrides": []}
    macbeth_style = await add_style(admin, "Thunder")
    later = await add_override(admin, macbeth_style)
    assert [o["id"] for o in (await admin.get(SD)).json["overrides"]] == [later]
    await admin.load_show(show)
    assert [o["settings"]["id"] for o in (await admin.get(SD)).json["overrides"]] == [style_id]
    assert other != show


@pytest.mark.gen_test
async def test_a_style_of_another_show_or_none_loaded_is_not_found(admin, show, database):
    hamlet_style = await add_style(admin)
    await admin.create_show("Macbeth")
    r = await admin.post(SD, {"styleId": hamlet_style, **LOOK})
    assert (r.code, r.message) == (404, "Stage direction style not found")
    r = await admin.post(SD, {"styleId": 99999, **LOOK})
    assert (r.code, r.message) == (404, "Stage direction style not found")
    r = await admin.post(SD, {"styleId": 2**70, **LOOK})
    assert r.code == 400
    with database.read() as db:
        assert db.scalars(select(UserOverride)).all() == []


@pytest.mark.gen_test
async def test_overriding_a_style_again_replaces_the_first_override(admin, show):
    style_id = await add_style(admin)
    first = await add_override(admin, style_id)
    again = await add_override(admin, style_id, textColour="#222222")
    assert again == first
    listed = (await admin.get(SD)).json["overrides"]
    assert [(o["id"], o["settings"]["text_colour"]) for o in listed] == [(first, "#222222")]


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"styleId": None}, "Style ID missing"),
        ({"styleId": 0}, "Style ID missing"),
        ({"styleId": "1"}, "Style ID must be an integer"),
        ({"textFormat": None}, "Text format missing or invalid"),
        ({"textFormat": "shouting"}, "Text format missing or invalid"),
        ({"textColour": None}, "Text colour missing"),
        ({"textColour": " "}, "Text colour missing"),
        ({"textColour": 3}, "Text colour must be a string"),
        ({"backgroundColour": None}, "Background colour missing"),
        ({"backgroundColour": ""}, "Background colour missing"),
        ({"bold": "yes"}, "bold must be a boolean"),
        ({"enableBackgroundColour": 1}, "enableBackgroundColour must be a boolean"),
    ],
)
async def test_a_bad_new_override_is_refused(admin, show, database, change, message):
    style_id = await add_style(admin)
    body = {"styleId": style_id, **LOOK, **change}
    # None stands for a key left out.
    r = await admin.post(SD, {k: v for k, v in body.items() if v is not None})
    assert (r.code, r.message) == (400, message)
    with database.read() as db:
        assert db.scalars(select(UserOverride)).all() == []


@pytest.mark.gen_test
async def test_a_body_that_is_not_an_object_is_refused(admin, show):
    r = await admin.post(SD, [1, 2])
    assert r.code == 400 and r.message


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"id": None, "bold": False}, "ID missing"),
        ({"id": "x"}, "ID must be an integer"),
        ({"text_format": "shouting"}, "Text format missing or invalid"),
        ({"text_colour": ""}, "Text colour missing"),
        ({"background_colour": None}, "Background colour missing"),
        ({"italic": "no"}, "italic must be a boolean"),
    ],
)
async def test_a_bad_edit_is_refused_and_changes_nothing(admin, show, database, body, message):
    override_id = await add_override(admin, await add_style(admin))
    before = stored(database, override_id)
    assert before is not None
    r = await admin.patch(SD, {"id": override_id, **body})
    assert (r.code, r.message) == (400, message)
    after = stored(database, override_id)
    assert after is not None and after.settings == before.settings


@pytest.mark.gen_test
async def test_turning_the_background_off_keeps_no_colour(admin, show):
    override_id = await add_override(admin, await add_style(admin))
    r = await admin.patch(
        SD, {"id": override_id, "enable_background_colour": False, "background_colour": None}
    )
    assert r.code == 200, r
    settings = (await admin.get(SD)).json["overrides"][0]["settings"]
    assert (settings["enable_background_colour"], settings["background_colour"]) == (False, None)


@pytest.mark.gen_test
async def test_another_users_override_cannot_be_edited_or_deleted(admin, show, database):
    override_id = await add_override(admin, await add_style(admin))
    alice = await admin.user_token("alice")
    r = await admin.patch(SD, {"id": override_id, "bold": False}, token=alice)
    assert (r.code, r.message) == (403, "That override belongs to another user")
    r = await admin.delete(f"{SD}?id={override_id}", token=alice)
    assert (r.code, r.message) == (403, "That override belongs to another user")
    row = stored(database, override_id)
    assert row is not None and row.settings["bold"] is True


@pytest.mark.gen_test
async def test_unknown_overrides_are_not_found(admin, show, database):
    cue_override = insert_cue_override(database, "admin")
    for override_id in (99999, cue_override):
        r = await admin.patch(SD, {"id": override_id, "bold": False})
        assert (r.code, r.message) == (404, "Stage direction style override not found")
        r = await admin.delete(f"{SD}?id={override_id}")
        assert (r.code, r.message) == (404, "Stage direction style override not found")
    assert stored(database, cue_override) is not None


@pytest.mark.gen_test
@pytest.mark.parametrize(("query", "message"), [("", "ID missing"), ("?id=x", "Invalid ID")])
async def test_delete_needs_an_id(admin, show, query, message):
    r = await admin.delete(SD + query)
    assert (r.code, r.message) == (400, message)


@pytest.mark.gen_test
async def test_overrides_need_a_login(api, admin, show):
    for method, path in (("GET", SD), ("POST", SD), ("PATCH", SD), ("DELETE", SD + "?id=1")):
        r = await api.request(method, path, {}, token="")
        assert (r.code, bool(r.message)) == (401, True), (method, path)


@pytest.mark.gen_test
async def test_no_show_loaded_lists_no_overrides(admin):
    assert (await admin.get(SD)).json == {"overrides": []}


@pytest.mark.gen_test
async def test_deleting_a_style_deletes_every_users_overrides_of_it(
    admin, show, database, ws_connect
):
    style_id = await add_style(admin)
    kept_style = await add_style(admin, "Aside")
    alice = await admin.user_token("alice")
    mine = await add_override(admin, style_id)
    theirs = await add_override(admin, style_id, token=alice)
    kept = await add_override(admin, kept_style)
    alices = await authenticated(ws_connect, alice)
    r = await admin.delete(f"{STYLES}?id={style_id}")
    assert r.code == 200, r
    assert stored(database, mine) is None and stored(database, theirs) is None
    assert stored(database, kept) is not None
    received = [await alices.receive(), await alices.receive()]
    assert SD_NOTICE in received


# -- the notices --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_each_change_tells_only_the_owners_connections(admin, show, ws_connect):
    style_id = await add_style(admin)
    alice = await admin.user_token("alice")
    mine = await authenticated(ws_connect, admin.token)
    theirs = await authenticated(ws_connect, alice)
    anonymous = await ws_connect()
    override_id = await add_override(admin, style_id)
    assert await mine.receive() == SD_NOTICE
    await admin.patch(SD, {"id": override_id, "italic": True})
    assert await mine.receive() == SD_NOTICE
    await admin.delete(f"{SD}?id={override_id}")
    assert await mine.receive() == SD_NOTICE
    # The others' next message is a later broadcast, not any of those notices.
    await admin.patch("/settings", {"client_log_level": "DEBUG"})
    for other in (theirs, anonymous):
        assert (await other.receive())["OP"] == "SETTINGS_CHANGED"


@pytest.mark.gen_test
async def test_cue_colour_changes_tell_the_owner(admin, show, database, ws_connect):
    override_id = insert_cue_override(database, "admin")
    mine = await authenticated(ws_connect, admin.token)
    await admin.patch(CUE, {"id": override_id, "colour": "#00ffff"})
    assert await mine.receive() == CUE_NOTICE
    await admin.delete(f"{CUE}?id={override_id}")
    assert await mine.receive() == CUE_NOTICE


# -- cue colour overrides -----------------------------------------------------------------------


@pytest.mark.gen_test
async def test_cue_colour_overrides_are_listed_edited_and_deleted(admin, show, database):
    assert (await admin.get(CUE)).json == {"overrides": []}
    override_id = insert_cue_override(database, "admin")
    alice = await admin.user_token("alice")
    insert_cue_override(database, "alice")
    assert (await admin.get(CUE)).json == {
        "overrides": [{"id": override_id, "settings": {"id": 7, "colour": "#0000ff"}}]
    }
    r = await admin.patch(CUE, {"id": override_id, "colour": "#00ffff"})
    assert (r.code, r.message) == (200, "Successfully edited cue colour override")
    assert (await admin.get(CUE)).json["overrides"][0]["settings"] == {"id": 7, "colour": "#00ffff"}
    r = await admin.delete(f"{CUE}?id={override_id}", token=alice)
    assert (r.code, r.message) == (403, "That override belongs to another user")
    r = await admin.delete(f"{CUE}?id={override_id}")
    assert (r.code, r.message) == (200, "Successfully deleted cue colour override")
    assert stored(database, override_id) is None


@pytest.mark.gen_test
async def test_an_unknown_cue_type_is_not_found(admin, show, database):
    r = await admin.post(CUE, {"cueTypeId": 1, "colour": "#ffff00"})
    assert (r.code, r.message) == (404, "Cue type not found")
    with database.read() as db:
        assert db.scalars(select(UserOverride)).all() == []


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"colour": "#ffff00"}, "Cue type ID missing"),
        ({"cueTypeId": 0, "colour": "#ffff00"}, "Cue type ID missing"),
        ({"cueTypeId": True, "colour": "#ffff00"}, "Cue type ID must be an integer"),
        ({"cueTypeId": 1}, "Colour missing"),
        ({"cueTypeId": 1, "colour": ""}, "Colour missing"),
        ({"cueTypeId": 1, "colour": 5}, "Colour must be a string"),
    ],
)
async def test_a_bad_cue_colour_override_is_refused(admin, show, body, message):
    r = await admin.post(CUE, body)
    assert (r.code, r.message) == (400, message)


@pytest.mark.gen_test
async def test_cue_colour_edits_are_checked(admin, show, database):
    override_id = insert_cue_override(database, "admin")
    r = await admin.patch(CUE, {"colour": "#00ffff"})
    assert (r.code, r.message) == (400, "ID missing")
    r = await admin.patch(CUE, {"id": override_id, "colour": ""})
    assert (r.code, r.message) == (400, "Colour missing")
    r = await admin.patch(CUE, {"id": 99999, "colour": "#00ffff"})
    assert (r.code, r.message) == (404, "Cue colour override not found")
    style_override = await add_override(admin, await add_style(admin))
    r = await admin.patch(CUE, {"id": style_override, "colour": "#00ffff"})
    assert (r.code, r.message) == (404, "Cue colour override not found")

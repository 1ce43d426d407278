"""Stage direction styles of the loaded show's script: /show/script/stage_direction_styles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import StageDirectionStyle

PATH = "/show/script/stage_direction_styles"
WHISPER = {"description": "Whisper", "textFormat": "lower", "textColour": "#808080"}


def style_rows(database: Database) -> list[tuple[str, str]]:
    with database.read() as db:
        return [
            (s.description, s.text_format)
            for s in db.scalars(select(StageDirectionStyle).order_by(StageDirectionStyle.id))
        ]


async def add(admin, body=None) -> int:
    r = await admin.post(PATH, body or WHISPER)
    assert r.code == 200, r
    return int(r.json["id"])


@pytest.mark.gen_test
async def test_add_list_edit_delete_and_every_change_tells_clients(admin, show, ws_connect):
    client = await ws_connect()
    r = await admin.post(
        PATH,
        {
            **WHISPER,
            "italic": True,
            "enableBackgroundColour": True,
            "backgroundColour": "#000000",
        },
    )
    assert r.code == 200, r
    assert r.message == "Successfully added stage direction style"
    style_id = r.json["id"]
    assert (await client.receive())["ACTION"] == "GET_STAGE_DIRECTION_STYLES"
    r = await admin.get(PATH)
    assert r.code == 200
    script_id = r.json["styles"][0]["script_id"]
    assert r.json == {
        "styles": [
            {
                "id": style_id,
                "script_id": script_id,
                "description": "Whisper",
                "bold": False,
                "italic": True,
                "underline": False,
                "text_format": "lower",
                "text_colour": "#808080",
                "enable_background_colour": True,
                "background_colour": "#000000",
            }
        ]
    }

    r = await admin.patch(
        PATH,
        {**WHISPER, "id": style_id, "description": "Shout", "bold": True, "textFormat": "upper"},
    )
    assert (r.code, r.message) == (200, "Successfully edited stage direction style")
    assert (await client.receive())["ACTION"] == "GET_STAGE_DIRECTION_STYLES"
    [style] = (await admin.get(PATH)).json["styles"]
    assert (style["description"], style["bold"], style["italic"], style["text_format"]) == (
        "Shout",
        True,
        False,
        "upper",
    )
    assert style["background_colour"] is None

    r = await admin.delete(f"{PATH}?id={style_id}")
    assert (r.code, r.message) == (200, "Successfully deleted stage direction style")
    assert (await client.receive())["ACTION"] == "GET_STAGE_DIRECTION_STYLES"
    assert (await admin.get(PATH)).json == {"styles": []}


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"description": None}, "Description missing"),
        ({"description": "  "}, "Description missing"),
        ({"textFormat": None}, "Text format missing or invalid"),
        ({"textFormat": "title"}, "Text format missing or invalid"),
        ({"textColour": ""}, "Text colour missing"),
        ({"enableBackgroundColour": True}, "Background colour missing"),
        ({"enableBackgroundColour": True, "backgroundColour": ""}, "Background colour missing"),
        ({"bold": "yes"}, "Bold must be true or false"),
    ],
)
async def test_bad_styles_are_refused(admin, show, database, change, message):
    r = await admin.post(PATH, {**WHISPER, **change})
    assert (r.code, r.message) == (400, message)
    style_id = await add(admin)
    r = await admin.patch(PATH, {**WHISPER, "id": style_id, **change})
    assert (r.code, r.message) == (400, message)
    assert style_rows(database) == [("Whisper", "lower")]


@pytest.mark.gen_test
async def test_edit_and_delete_name_a_style_of_the_loaded_show(admin, show, database):
    r = await admin.patch(PATH, {"description": "x"})
    assert (r.code, r.message) == (400, "ID missing")
    r = await admin.patch(PATH, {**WHISPER, "id": 999})
    assert (r.code, r.message) == (404, "404 stage direction style not found")
    r = await admin.delete(PATH)
    assert (r.code, r.message) == (400, "ID missing")
    r = await admin.delete(f"{PATH}?id=one")
    assert (r.code, r.message) == (400, "Invalid ID")
    r = await admin.delete(f"{PATH}?id=999")
    assert (r.code, r.message) == (404, "404 stage direction style not found")
    style_id = await add(admin)
    await admin.create_show("Macbeth", load=True)
    assert (await admin.get(PATH)).json == {"styles": []}
    r = await admin.patch(PATH, {**WHISPER, "id": style_id, "description": "Mine"})
    assert (r.code, r.message) == (404, "404 stage direction style not found")
    r = await admin.delete(f"{PATH}?id={style_id}")
    assert (r.code, r.message) == (404, "404 stage direction style not found")
    assert style_rows(database) == [("Whisper", "lower")]


@pytest.mark.gen_test
async def test_changes_need_write_and_no_live_session(admin, show, database, ws_connect):
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    assert (await admin.get(PATH, token=reader)).code == 200
    assert (await admin.post(PATH, WHISPER, token=reader)).code == 403
    style_id = await add(admin)
    assert (await admin.patch(PATH, {**WHISPER, "id": style_id}, token=reader)).code == 403
    assert (await admin.delete(f"{PATH}?id={style_id}", token=reader)).code == 403
    assert (await admin.post(PATH, WHISPER, token=writer)).code == 200
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    for r in (
        await admin.post(PATH, WHISPER),
        await admin.patch(PATH, {**WHISPER, "id": style_id, "description": "Shout"}),
        await admin.delete(f"{PATH}?id={style_id}"),
    ):
        assert (r.code, r.message) == (409, "Current session in progress")
    assert style_rows(database) == [("Whisper", "lower"), ("Whisper", "lower")]


@pytest.mark.gen_test
async def test_styles_need_a_loaded_show_and_go_with_their_show(admin, database):
    r = await admin.get(PATH)
    assert (r.code, r.message) == (400, "No show loaded")
    hamlet = await admin.create_show("Hamlet", load=True)
    await add(admin)
    await admin.create_show("Macbeth", load=True)
    r = await admin.delete(f"/show?id={hamlet}")
    assert r.code == 200, r
    assert style_rows(database) == []


@pytest.mark.gen_test
async def test_import_lists_other_shows_styles_by_show(admin, show):
    r = await admin.get(PATH + "/import")
    assert (r.code, r.json) == (200, {"style_groups": []})
    whisper = await add(admin)
    shout = await add(admin, {**WHISPER, "description": "Shout", "textFormat": "upper"})
    macbeth = await admin.create_show("Macbeth", load=True)
    await add(admin, {**WHISPER, "description": "Aside"})
    r = await admin.get(PATH + "/import")
    assert r.code == 200
    [group] = r.json["style_groups"]
    assert (group["id"], group["name"]) == (show, "Hamlet")
    assert [(s["id"], s["description"]) for s in group["styles"]] == [
        (whisper, "Whisper"),
        (shout, "Shout"),
    ]
    assert macbeth != show
    r = await admin.get(PATH + "/import", token="")
    assert r.code == 401

"""Session tags of the loaded show: /show/session/tags and /show/session/tags/import."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import SessionTag, ShowSession, session_tag_associations


def tag_rows(database: Database) -> list[tuple[int, int, str, str]]:
    with database.read() as db:
        rows = db.scalars(select(SessionTag).order_by(SessionTag.id))
        return [(t.id, t.show_id, t.tag, t.colour) for t in rows]


async def tags(api) -> list[dict]:
    r = await api.get("/show/session/tags")
    assert r.code == 200, r
    return r.json["tags"]  # type: ignore[no-any-return]


# -- listing and creating --------------------------------------------------------------------


@pytest.mark.gen_test
async def test_a_new_show_has_no_tags(admin, show):
    r = await admin.get("/show/session/tags", token="")
    assert r.code == 200
    assert r.json == {"tags": []}


@pytest.mark.gen_test
async def test_create_tag(admin, show, database):
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#3366ff"})
    assert r.code == 200
    assert r.json["message"] == "Successfully added session tag"
    assert tag_rows(database) == [(r.json["id"], show, "Preview", "#3366ff")]
    assert await tags(admin) == [
        {"id": r.json["id"], "show_id": show, "tag": "Preview", "colour": "#3366ff"}
    ]


@pytest.mark.gen_test
async def test_tags_are_listed_in_the_order_they_were_made(admin, show):
    ids = [await admin.create_tag(name) for name in ("Preview", "Press Night", "Matinee")]
    assert [t["id"] for t in await tags(admin)] == ids


@pytest.mark.parametrize(
    "body, message",
    [
        ({"colour": "#fff"}, "Tag name missing"),
        ({"tag": "", "colour": "#fff"}, "Tag name missing"),
        ({"tag": "  ", "colour": "#fff"}, "Tag name missing"),
        ({"tag": None, "colour": "#fff"}, "Tag name missing"),
        ({"tag": "Preview"}, "Colour missing"),
        ({"tag": "Preview", "colour": ""}, "Colour missing"),
        ({"tag": "Preview", "colour": None}, "Colour missing"),
    ],
)
@pytest.mark.gen_test
async def test_create_tag_rejects_missing_fields(admin, show, database, body, message):
    r = await admin.post("/show/session/tags", body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert tag_rows(database) == []


@pytest.mark.parametrize("name", ["Preview", "preview", "PREVIEW", " Preview "])
@pytest.mark.gen_test
async def test_create_tag_refuses_a_name_the_show_already_has(admin, show, database, name):
    await admin.create_tag("Preview")
    r = await admin.post("/show/session/tags", {"tag": name, "colour": "#000"})
    assert r.code == 400
    assert r.json == {"message": "Tag name already exists (case-insensitive)"}
    assert len(tag_rows(database)) == 1


@pytest.mark.parametrize(
    "existing, name",
    [
        ("PREMIÈRE", "Première"),
        ("ÉTÉ", "été"),
        ("Straße", "STRASSE"),  # case folding, not just lower()
        ("Ωmega", "ωMEGA"),
        ("Premi\u00e8re", "PREMIE\u0300RE"),  # the accent composed, and as a combining mark
    ],
)
@pytest.mark.gen_test
async def test_names_differing_only_in_non_ascii_case_are_the_same_name(
    admin, show, database, existing, name
):
    await admin.create_tag(existing)
    r = await admin.post("/show/session/tags", {"tag": name, "colour": "#000"})
    assert (r.code, r.message) == (400, "Tag name already exists (case-insensitive)")
    gala = await admin.create_tag("Gala")
    r = await admin.patch("/show/session/tags", {"id": gala, "tag": name, "colour": "#000"})
    assert (r.code, r.message) == (400, "Tag name already exists (case-insensitive)")
    assert sorted(row[2] for row in tag_rows(database)) == sorted([existing, "Gala"])


@pytest.mark.gen_test
async def test_an_edit_may_change_the_non_ascii_case_of_its_own_name(admin, show, database):
    tag = await admin.create_tag("Première")
    r = await admin.patch("/show/session/tags", {"id": tag, "tag": "PREMIÈRE", "colour": "#fff"})
    assert r.code == 200
    assert tag_rows(database) == [(tag, show, "PREMIÈRE", "#fff")]


@pytest.mark.gen_test
async def test_another_show_may_use_the_same_tag_name(admin, show, database):
    await admin.create_tag("Preview")
    macbeth = await admin.create_show("Macbeth", load=True)
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#000"})
    assert r.code == 200
    names = {(show_id, name) for _id, show_id, name, _colour in tag_rows(database)}
    assert names == {(show, "Preview"), (macbeth, "Preview")}


@pytest.mark.gen_test
async def test_create_tag_is_refused_while_a_session_is_live(admin, show, database, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    r = await admin.post("/show/session/tags", {"tag": "Preview", "colour": "#fff"})
    assert r.code == 409
    assert r.json == {"message": "Current session in progress"}
    assert tag_rows(database) == []


# -- editing ---------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_edit_tag(admin, show, database):
    tag = await admin.create_tag("Preview")
    r = await admin.patch("/show/session/tags", {"id": tag, "tag": "Gala", "colour": "#000000"})
    assert r.code == 200
    assert r.json == {"message": "Successfully updated session tag"}
    assert tag_rows(database) == [(tag, show, "Gala", "#000000")]


@pytest.mark.gen_test
async def test_edit_tag_may_change_the_case_of_its_own_name(admin, show, database):
    tag = await admin.create_tag("Preview")
    r = await admin.patch("/show/session/tags", {"id": tag, "tag": "PREVIEW", "colour": "#fff"})
    assert r.code == 200
    assert tag_rows(database) == [(tag, show, "PREVIEW", "#fff")]


@pytest.mark.gen_test
async def test_edit_tag_refuses_the_name_of_another_tag(admin, show, database):
    await admin.create_tag("Preview")
    tag = await admin.create_tag("Gala")
    r = await admin.patch("/show/session/tags", {"id": tag, "tag": "preview", "colour": "#fff"})
    assert r.code == 400
    assert r.json == {"message": "Tag name already exists (case-insensitive)"}
    assert tag_rows(database)[1][2] == "Gala"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"tag": "Gala", "colour": "#fff"}, "ID missing"),
        ({"id": None, "tag": "Gala", "colour": "#fff"}, "ID missing"),
        ({"id": "TAG", "tag": "", "colour": "#fff"}, "Tag name missing"),
        ({"id": "TAG", "tag": "Gala"}, "Colour missing"),
    ],
)
@pytest.mark.gen_test
async def test_edit_tag_rejects_missing_fields(admin, show, database, body, message):
    tag = await admin.create_tag("Preview")
    body = {k: (tag if v == "TAG" else v) for k, v in body.items()}
    r = await admin.patch("/show/session/tags", body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert tag_rows(database) == [(tag, show, "Preview", "#3366ff")]


@pytest.mark.gen_test
async def test_edit_of_an_unknown_tag_is_a_404(admin, show):
    r = await admin.patch("/show/session/tags", {"id": 9999, "tag": "Gala", "colour": "#fff"})
    assert r.code == 404
    assert r.json == {"message": "404 tag not found"}


@pytest.mark.gen_test
async def test_edit_of_another_shows_tag_is_a_404(admin, show, database):
    foreign = await admin.create_tag("Preview")
    await admin.create_show("Macbeth", load=True)
    r = await admin.patch("/show/session/tags", {"id": foreign, "tag": "Gala", "colour": "#fff"})
    assert r.code == 404
    assert r.json == {"message": "404 tag not found"}
    assert tag_rows(database) == [(foreign, show, "Preview", "#3366ff")]


# -- deleting --------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_delete_tag(admin, show, database):
    keep = await admin.create_tag("Matinee")
    tag = await admin.create_tag("Preview")
    r = await admin.delete(f"/show/session/tags?id={tag}")
    assert r.code == 200
    assert r.json == {"message": "Successfully deleted session tag"}
    assert [row[0] for row in tag_rows(database)] == [keep]


@pytest.mark.parametrize("query", ["", "?id=", "?other=1"])
@pytest.mark.gen_test
async def test_delete_tag_needs_an_id(admin, show, database, query):
    await admin.create_tag("Preview")
    r = await admin.delete(f"/show/session/tags{query}")
    assert r.code == 400
    assert r.json == {"message": "ID missing"}
    assert len(tag_rows(database)) == 1


@pytest.mark.gen_test
async def test_delete_tag_with_an_id_that_is_not_a_number_is_a_400(admin, show, database):
    await admin.create_tag("Preview")
    r = await admin.delete("/show/session/tags?id=abc")
    assert r.code == 400
    assert r.message
    assert len(tag_rows(database)) == 1


@pytest.mark.gen_test
async def test_delete_of_an_unknown_tag_is_a_404(admin, show):
    r = await admin.delete("/show/session/tags?id=9999")
    assert r.code == 404
    assert r.json == {"message": "404 tag not found"}


@pytest.mark.gen_test
async def test_delete_of_another_shows_tag_is_a_404(admin, show, database):
    foreign = await admin.create_tag("Preview")
    await admin.create_show("Macbeth", load=True)
    r = await admin.delete(f"/show/session/tags?id={foreign}")
    assert r.code == 404
    assert r.json == {"message": "404 tag not found"}
    assert [row[0] for row in tag_rows(database)] == [foreign]


@pytest.mark.gen_test
async def test_deleting_a_tag_removes_its_assignments_but_keeps_the_sessions(
    admin, show, database, ws_connect
):
    doomed = await admin.create_tag("Preview")
    kept = await admin.create_tag("Matinee")
    session = await admin.finished_session((await ws_connect()).internal_id)
    r = await admin.patch(
        "/show/sessions/assign-tags", {"session_id": session, "tag_ids": [doomed, kept]}
    )
    assert r.code == 200
    assert (await admin.delete(f"/show/session/tags?id={doomed}")).code == 200
    listed = (await admin.sessions())["sessions"]
    assert [s["id"] for s in listed] == [session]
    assert [t["id"] for t in listed[0]["tags"]] == [kept]
    with database.read() as db:
        assert db.get(ShowSession, session) is not None
        links = db.execute(select(session_tag_associations.c.tag_id)).scalars().all()
        assert links == [kept]


# -- importing from other shows --------------------------------------------------------------


@pytest.mark.gen_test
async def test_import_lists_the_tags_of_every_other_show_that_has_some(admin, show):
    await admin.create_tag("Own tag")
    macbeth = await admin.create_show("Macbeth", load=True)
    preview = await admin.create_tag("Preview")
    gala = await admin.create_tag("Gala", colour="#000000")
    await admin.create_show("Tempest", load=True)
    lear = await admin.create_show("Lear", load=True)
    matinee = await admin.create_tag("Matinee")
    await admin.load_show(show)
    r = await admin.get("/show/session/tags/import", token="")
    assert r.code == 200
    assert r.json == {
        "tag_groups": [
            {
                "id": macbeth,
                "name": "Macbeth",
                "tags": [
                    {"id": preview, "show_id": macbeth, "tag": "Preview", "colour": "#3366ff"},
                    {"id": gala, "show_id": macbeth, "tag": "Gala", "colour": "#000000"},
                ],
            },
            {
                "id": lear,
                "name": "Lear",
                "tags": [{"id": matinee, "show_id": lear, "tag": "Matinee", "colour": "#3366ff"}],
            },
        ]
    }


@pytest.mark.gen_test
async def test_import_is_empty_when_no_other_show_has_tags(admin, show):
    await admin.create_tag("Own tag")
    await admin.create_show("Macbeth", load=False)
    r = await admin.get("/show/session/tags/import")
    assert r.json == {"tag_groups": []}

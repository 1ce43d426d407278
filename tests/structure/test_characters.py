"""Characters, character groups and merging characters: /show/character (+ /group, /merge,
/stats)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import Database
from server.models import Character, CharacterGroup, character_group_association
from server.operations import characters
from server.operations.settings import current_show
from server.operations.shows import script_of
from tests.structure.helpers import actions

CHARACTER = "/show/character"
GROUP = "/show/character/group"
MERGE = "/show/character/merge"


async def add_character(api, name: str, **extra) -> int:
    r = await api.post(CHARACTER, {"name": name, **extra})
    assert (r.code, r.message) == (200, "Successfully added cast member"), r
    return int(r.json["id"])


async def add_group(api, name: str, characters: list[int]) -> int:
    r = await api.post(GROUP, {"name": name, "characters": characters})
    assert (r.code, r.message) == (200, "Successfully added new character group"), r
    return int(r.json["id"])


async def add_cast(api, first: str, last: str) -> int:
    r = await api.post("/show/cast", {"firstName": first, "lastName": last})
    assert r.code == 200, r
    return int(r.json["id"])


def memberships(database: Database) -> set[tuple[int, int]]:
    with database.read() as db:
        rows = db.execute(
            select(
                character_group_association.c.character_group_id,
                character_group_association.c.character_id,
            )
        )
        return {(g, c) for g, c in rows}


def character_names(database: Database) -> list[str]:
    with database.read() as db:
        return list(db.scalars(select(Character.name).order_by(Character.id)))


@pytest.mark.gen_test
async def test_characters_are_added_edited_deleted_and_every_client_is_told(
    admin, show, ws_connect
):
    ada = await add_cast(admin, "Ada", "Lane")
    client = await ws_connect()
    hamlet = await add_character(admin, "Hamlet", description="The prince", played_by=ada)
    assert await actions(client, 2) == ["GET_CHARACTER_LIST", "GET_CAST_LIST"]
    ghost = await add_character(admin, "Ghost")
    await actions(client, 2)
    royals = await add_group(admin, "Royals", [hamlet])
    assert await actions(client, 2) == ["GET_CHARACTER_GROUP_LIST", "GET_CHARACTER_LIST"]

    r = await admin.get(CHARACTER)
    assert r.code == 200
    assert r.json == {
        "characters": [
            {
                "id": hamlet,
                "show_id": show,
                "played_by": ada,
                "name": "Hamlet",
                "description": "The prince",
                "character_groups": [royals],
                "cast_member": {"id": ada, "first_name": "Ada", "last_name": "Lane"},
            },
            {
                "id": ghost,
                "show_id": show,
                "played_by": None,
                "name": "Ghost",
                "description": None,
                "character_groups": [],
                "cast_member": None,
            },
        ]
    }

    r = await admin.patch(
        CHARACTER, {"id": ghost, "name": "Ghost of Hamlet's father", "played_by": ada}
    )
    assert (r.code, r.message) == (200, "Successfully updated character")
    assert await actions(client, 2) == ["GET_CHARACTER_LIST", "GET_CAST_LIST"]
    r = await admin.patch(CHARACTER, {"id": hamlet, "name": "Hamlet"})
    assert r.code == 200  # no description, no actor: both cleared
    characters = {c["id"]: c for c in (await admin.get(CHARACTER)).json["characters"]}
    assert characters[ghost]["cast_member"]["id"] == ada
    assert (characters[hamlet]["played_by"], characters[hamlet]["description"]) == (None, None)
    await actions(client, 2)

    r = await admin.delete(f"{CHARACTER}?id={hamlet}")
    assert (r.code, r.message) == (200, "Successfully deleted character")
    assert await actions(client, 3) == [
        "GET_CHARACTER_LIST",
        "GET_CHARACTER_GROUP_LIST",
        "GET_CAST_LIST",
    ]
    assert [c["id"] for c in (await admin.get(CHARACTER)).json["characters"]] == [ghost]
    [group] = (await admin.get(GROUP)).json["character_groups"]
    assert group["characters"] == []


@pytest.mark.gen_test
async def test_character_groups_are_added_edited_and_deleted(admin, show, ws_connect, database):
    a = await add_character(admin, "Rosencrantz")
    b = await add_character(admin, "Guildenstern")
    c = await add_character(admin, "Osric")
    client = await ws_connect()
    group = await add_group(admin, "Courtiers", [b, a])
    assert await actions(client, 2) == ["GET_CHARACTER_GROUP_LIST", "GET_CHARACTER_LIST"]
    assert (await admin.get(GROUP)).json == {
        "character_groups": [
            {
                "id": group,
                "show_id": show,
                "name": "Courtiers",
                "description": None,
                "characters": [a, b],
            }
        ]
    }
    r = await admin.patch(
        GROUP, {"id": group, "name": "Court", "description": "Friends", "characters": [c]}
    )
    assert (r.code, r.message) == (200, "Successfully updated character group")
    assert await actions(client, 2) == ["GET_CHARACTER_GROUP_LIST", "GET_CHARACTER_LIST"]
    [row] = (await admin.get(GROUP)).json["character_groups"]
    assert (row["name"], row["description"], row["characters"]) == ("Court", "Friends", [c])
    r = await admin.delete(f"{GROUP}?id={group}")
    assert (r.code, r.message) == (200, "Successfully deleted character group")
    assert await actions(client, 2) == ["GET_CHARACTER_GROUP_LIST", "GET_CHARACTER_LIST"]
    assert (await admin.get(GROUP)).json == {"character_groups": []}
    assert memberships(database) == set()
    assert character_names(database) == ["Rosencrantz", "Guildenstern", "Osric"]


@pytest.mark.gen_test
async def test_bad_characters_and_groups_and_other_shows_ids_are_refused(admin, show, database):
    mine = await add_character(admin, "Hamlet")
    group = await add_group(admin, "Royals", [mine])
    await admin.create_show("Macbeth", load=True)
    theirs = await add_character(admin, "Macbeth")
    their_group = await add_group(admin, "Witches", [])
    their_cast = await add_cast(admin, "Sam", "Reed")
    await admin.load_show(show)

    cases = [
        ("POST", CHARACTER, {}, 400, "Name missing"),
        ("POST", CHARACTER, {"name": " "}, 400, "Name missing"),
        ("POST", CHARACTER, {"name": "X", "description": 3}, 400, "Description must be a string"),
        ("POST", CHARACTER, {"name": "X", "played_by": "1"}, 400, "Played by must be an integer"),
        (
            "POST",
            CHARACTER,
            {"name": "X", "played_by": their_cast},
            404,
            "404 cast member not found",
        ),
        ("PATCH", CHARACTER, {"name": "X"}, 400, "ID missing"),
        ("PATCH", CHARACTER, {"id": theirs, "name": "X"}, 404, "404 character not found"),
        (
            "PATCH",
            CHARACTER,
            {"id": mine, "name": "X", "played_by": their_cast},
            404,
            "404 cast member not found",
        ),
        ("DELETE", f"{CHARACTER}?id={theirs}", None, 404, "404 character not found"),
        ("DELETE", CHARACTER, None, 400, "ID missing"),
        ("DELETE", f"{CHARACTER}?id=x", None, 400, "Invalid ID"),
        ("POST", GROUP, {"characters": []}, 400, "Name missing"),
        (
            "POST",
            GROUP,
            {"name": "X", "characters": [theirs]},
            404,
            f"Character {theirs} not found",
        ),
        (
            "POST",
            GROUP,
            {"name": "X", "characters": "all"},
            400,
            "Characters must be a list of character IDs",
        ),
        (
            "POST",
            GROUP,
            {"name": "X", "characters": [mine, mine]},
            400,
            "Characters must not repeat a character",
        ),
        ("PATCH", GROUP, {"name": "X"}, 400, "ID missing"),
        ("PATCH", GROUP, {"id": their_group, "name": "X"}, 404, "404 character group not found"),
        (
            "PATCH",
            GROUP,
            {"id": group, "name": "X", "characters": [theirs]},
            404,
            f"Character {theirs} not found",
        ),
        ("DELETE", f"{GROUP}?id={their_group}", None, 404, "404 character group not found"),
        ("DELETE", GROUP, None, 400, "ID missing"),
    ]
    for method, path, body, code, message in cases:
        r = await admin.request(method, path, body)
        assert (r.code, r.message) == (code, message), (method, path, body)
    assert character_names(database) == ["Hamlet", "Macbeth"]
    assert memberships(database) == {(group, mine)}
    [row] = (await admin.get(CHARACTER)).json["characters"]
    assert (row["id"], row["played_by"]) == (mine, None)


# -- merge ------------------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_merge_moves_group_memberships_and_deletes_the_source(
    admin, show, database, ws_connect
):
    ada = await add_cast(admin, "Ada", "Lane")
    source = await add_character(admin, "Guard 1", played_by=ada)
    destination = await add_character(admin, "Guard")
    bystander = await add_character(admin, "Horatio")
    both = await add_group(admin, "Watch", [source, destination])
    only_source = await add_group(admin, "Night", [source, bystander])
    neither = await add_group(admin, "Court", [bystander])
    client = await ws_connect()

    r = await admin.post(MERGE, {"source_id": source, "destination_id": destination})
    assert (r.code, r.message) == (200, "Successfully merged character")
    assert await actions(client, 3) == [
        "GET_CHARACTER_LIST",
        "GET_CHARACTER_GROUP_LIST",
        "GET_CAST_LIST",
    ]
    assert character_names(database) == ["Guard", "Horatio"]
    assert memberships(database) == {
        (both, destination),
        (only_source, destination),
        (only_source, bystander),
        (neither, bystander),
    }
    characters = {c["id"]: c for c in (await admin.get(CHARACTER)).json["characters"]}
    assert characters[destination]["character_groups"] == [both, only_source]
    cast = (await admin.get("/show/cast")).json["cast"]
    assert cast[0]["character_list"] == []


@pytest.mark.gen_test
async def test_merge_refusals_change_nothing(admin, show, database):
    a = await add_character(admin, "A")
    b = await add_character(admin, "B")
    group = await add_group(admin, "G", [a])
    await admin.create_show("Macbeth", load=True)
    theirs = await add_character(admin, "Theirs")
    await admin.load_show(show)
    cases = [
        ({"destination_id": b}, 400, "ID missing"),
        ({"source_id": a}, 400, "ID missing"),
        ({"source_id": "1", "destination_id": b}, 400, "ID must be an integer"),
        (
            {"source_id": a, "destination_id": a},
            400,
            "Source and destination characters must be different",
        ),
        ({"source_id": 99999, "destination_id": b}, 404, "404 character not found"),
        ({"source_id": a, "destination_id": 99999}, 404, "404 character not found"),
        ({"source_id": theirs, "destination_id": b}, 404, "404 character not found"),
        ({"source_id": a, "destination_id": theirs}, 404, "404 character not found"),
    ]
    for body, code, message in cases:
        r = await admin.post(MERGE, body)
        assert (r.code, r.message) == (code, message), body
    assert character_names(database) == ["A", "B", "Theirs"]
    assert memberships(database) == {(group, a)}


@pytest.mark.gen_test
async def test_merge_is_one_transaction(admin, show, database, monkeypatch):
    """A failure at the merge's last step leaves the memberships and the source as they were."""
    a = await add_character(admin, "A")
    b = await add_character(admin, "B")
    group = await add_group(admin, "G", [a])

    def fail(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(characters, "record", fail)
    with pytest.raises(RuntimeError), database.write() as db:
        loaded = current_show(db)
        assert loaded is not None
        characters.merge_characters(db, loaded, a, b)
    assert character_names(database) == ["A", "B"]
    assert memberships(database) == {(group, a)}


# -- stats, roles, caching --------------------------------------------------------------------


@pytest.mark.gen_test
async def test_stats_answer_line_counts_of_the_current_revision(admin, show, database):
    for path in ("/show/character/stats", "/show/cast/stats"):
        r = await admin.get(path, token="")
        assert (r.code, r.json) == (200, {"line_counts": {}})
    with database.write() as db:
        loaded = current_show(db)
        assert loaded is not None
        script_of(db, loaded).current_revision = None
    for path in ("/show/character/stats", "/show/cast/stats"):
        r = await admin.get(path)
        assert (r.code, r.message) == (400, "Script does not have a current revision")


@pytest.mark.gen_test
async def test_changes_need_write_and_no_live_session(admin, show, ws_connect, database):
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    a = await add_character(admin, "A")
    b = await add_character(admin, "B")
    group = await add_group(admin, "G", [a])
    assert (await admin.get(CHARACTER, token="")).code == 200
    assert (await admin.get(GROUP, token=reader)).code == 200
    changes = [
        ("POST", CHARACTER, {"name": "C"}),
        ("PATCH", CHARACTER, {"id": b, "name": "B2"}),
        ("POST", GROUP, {"name": "H", "characters": [a]}),
        ("PATCH", GROUP, {"id": group, "name": "G2", "characters": [b]}),
        ("POST", MERGE, {"source_id": a, "destination_id": b}),
        ("DELETE", f"{GROUP}?id={group}", None),
        ("DELETE", f"{CHARACTER}?id={b}", None),
    ]
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=reader)
        assert (r.code, r.message) == (403, "WRITE role required for this show"), path
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert (r.code, r.message) == (409, "Current session in progress"), path
    assert character_names(database) == ["A", "B"]
    await admin.post("/show/sessions/stop")
    for method, path, body in changes:
        r = await admin.request(method, path, body, token=writer)
        assert r.code == 200, (path, r)
    with database.read() as db:
        assert db.scalars(select(CharacterGroup.name)).all() == ["H"]


@pytest.mark.gen_test
async def test_the_lists_are_cacheable_until_a_change(admin, show):
    await add_character(admin, "A")
    for path in (CHARACTER, GROUP):
        r = await admin.get(path)
        etag = r.headers["Etag"]
        assert (await admin.get(path, headers={"If-None-Match": etag})).code == 304
        await add_character(admin, f"After {path}")
        assert (await admin.get(path, headers={"If-None-Match": etag})).code == 200

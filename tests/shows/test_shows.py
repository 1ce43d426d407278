"""Shows: creating one (/show, optionally loading it) and reading them (/show, /shows)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.db import Database
from server.models import ScriptRevision, Show
from server.timezones import server_zone_name

HAMLET = {"name": "Hamlet", "start": "2026-12-01", "end": "2027-01-31", "script_mode": 1}


def show_count(database: Database) -> int:
    with database.read() as db:
        return int(db.scalar(select(func.count()).select_from(Show)) or 0)


# -- creating shows --------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_create_show_answers_its_id(admin, database):
    r = await admin.post("/show", HAMLET)
    assert r.code == 200
    assert r.json["message"] == "Successfully created show"
    with database.read() as db:
        created = db.get(Show, r.json["id"])
        assert created is not None and created.name == "Hamlet"


@pytest.mark.gen_test
async def test_create_show_without_load_leaves_the_loaded_show_alone(admin):
    await admin.post("/show", HAMLET)
    assert (await admin.get("/settings")).json["current_show"] is None
    assert (await admin.get("/show")).json == {"message": "No show loaded"}


@pytest.mark.gen_test
async def test_create_show_with_load_true_loads_it(admin):
    r = await admin.post("/show?load=true", HAMLET)
    assert r.code == 200
    assert (await admin.get("/settings")).json["current_show"] == r.json["id"]


@pytest.mark.gen_test
async def test_a_new_show_has_revision_one_as_its_current_revision(admin, database):
    show_id = (await admin.post("/show?load=true", HAMLET)).json["id"]
    r = await admin.get("/show/script/revisions")
    assert len(r.json["revisions"]) == 1
    first = r.json["revisions"][0]
    assert first["revision"] == 1
    assert first["description"] == "Initial script revision"
    assert first["previous_revision_id"] is None
    assert r.json["current_revision"] == first["id"]
    with database.read() as db:
        assert db.get(ScriptRevision, first["id"]).script.show_id == show_id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": None}, "Show name missing"),
        ({"name": ""}, "Show name missing"),
        ({"start": None}, "Start date missing"),
        ({"start": "1st December"}, "Unable to parse start date value"),
        ({"start": "2026-13-01"}, "Unable to parse start date value"),
        ({"end": None}, "End date missing"),
        ({"end": "2027-02-30"}, "Unable to parse end date value"),
        ({"end": 20270131}, "Unable to parse end date value"),
        ({"start": "2027-02-01"}, "Start date must be before or the same as the end date"),
        ({"script_mode": None}, "Script mode missing"),
        ({"script_mode": 3}, "Invalid script mode value"),
        ({"script_mode": 0}, "Invalid script mode value"),
        ({"script_mode": "FULL"}, "Invalid script mode value"),
    ],
)
@pytest.mark.gen_test
async def test_create_show_rejects_bad_input(admin, database, change, message):
    body = {k: v for k, v in {**HAMLET, **change}.items() if v is not None}
    r = await admin.post("/show?load=true", body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert show_count(database) == 0
    assert (await admin.get("/settings")).json["current_show"] is None


@pytest.mark.gen_test
async def test_a_show_may_start_and_end_on_the_same_day(admin):
    body = {**HAMLET, "start": "2026-12-01", "end": "2026-12-01", "script_mode": 2}
    assert (await admin.post("/show", body)).code == 200


# -- reading shows ---------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_get_show_describes_the_loaded_show(admin, show):
    r = await admin.get("/show", token="")
    assert r.code == 200
    assert r.json == {
        "id": show,
        "name": "Hamlet",
        "start_date": "2026-12-01",
        "end_date": "2027-01-31",
        "created_at": "2026-11-23T12:00:00",
        "edited_at": "2026-11-23T12:00:00",
        "current_session_id": None,
        "script_mode": 1,
        "first_act_id": None,
        "time_zone": server_zone_name(),  # none was given: the server's
    }


@pytest.mark.gen_test
async def test_get_show_names_the_live_session(admin, show, ws_connect):
    client = await ws_connect()
    await admin.start_adhoc(client.internal_id)
    live = (await admin.sessions())["current_session"]["id"]
    assert (await admin.get("/show")).json["current_session_id"] == live
    await admin.post("/show/sessions/stop", {})
    assert (await admin.get("/show")).json["current_session_id"] is None


@pytest.mark.gen_test
async def test_shows_lists_every_show(admin, show):
    other = await admin.create_show("Macbeth", load=False)
    r = await admin.get("/shows", token="")
    assert r.code == 200
    assert [(s["id"], s["name"]) for s in r.json["shows"]] == [(show, "Hamlet"), (other, "Macbeth")]
    assert r.json["shows"][0] == (await admin.get("/show")).json


@pytest.mark.gen_test
async def test_shows_is_empty_before_any_show_exists(api):
    r = await api.get("/shows")
    assert r.code == 200
    assert r.json == {"shows": []}

"""Changing and deleting shows, and deleting script revisions: PATCH/DELETE /show and
DELETE /show/script/revisions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.db import Database
from server.models import (
    Act,
    Script,
    ScriptRevision,
    SessionTag,
    Show,
    ShowSession,
    UserOverride,
    UserRole,
)

DETAILS = {"name": "Macbeth", "start_date": "2027-02-01", "end_date": "2027-02-28"}


async def next_action(client) -> str:
    return str((await client.receive())["ACTION"])


# -- PATCH /show ---------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_patch_show_changes_name_dates_and_first_act_and_tells_everyone(
    admin, show, ws_connect, database
):
    with database.write() as db:
        act = Act(show_id=show, name="Act 1")
        db.add(act)
        db.flush()
        act_id = act.id
    client = await ws_connect()
    r = await admin.patch("/show", {**DETAILS, "first_act_id": act_id})
    assert r.code == 200, r
    assert r.message == "Successfully updated act"
    assert await next_action(client) == "GET_SHOW_DETAILS"
    data = (await admin.get("/show")).json
    assert (data["name"], data["start_date"], data["end_date"], data["first_act_id"]) == (
        "Macbeth",
        "2027-02-01",
        "2027-02-28",
        act_id,
    )
    r = await admin.patch("/show", DETAILS)
    assert r.code == 200
    assert (await admin.get("/show")).json["first_act_id"] is None


@pytest.mark.gen_test
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Show name missing"),
        ({"name": None}, "Show name missing"),
        ({"start_date": None}, "Start date missing"),
        ({"start_date": "next week"}, "Unable to parse start date value"),
        ({"end_date": None}, "End date missing"),
        ({"end_date": "2027-13-01"}, "Unable to parse end date value"),
        ({"end_date": "2027-01-31"}, "Start date must be before or the same as the end date"),
        ({"first_act_id": "one"}, "first_act_id must be an integer"),
    ],
)
async def test_patch_show_refuses_bad_details(admin, show, change, message):
    r = await admin.patch("/show", {**DETAILS, **change})
    assert (r.code, r.message) == (400, message)
    assert (await admin.get("/show")).json["name"] == "Hamlet"


@pytest.mark.gen_test
async def test_patch_show_needs_write_on_the_loaded_show(admin, show):
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    r = await admin.patch("/show", DETAILS, token=reader)
    assert r.code == 403
    assert (await admin.get("/show")).json["name"] == "Hamlet"
    r = await admin.patch("/show", DETAILS, token=writer)
    assert r.code == 200
    assert (await admin.get("/show")).json["name"] == "Macbeth"


@pytest.mark.gen_test
async def test_patch_show_needs_a_loaded_show(admin):
    r = await admin.patch("/show", DETAILS)
    assert (r.code, r.message) == (400, "No show loaded")


# -- DELETE /show ----------------------------------------------------------------------------


def count(database: Database, model, **where) -> int:
    with database.read() as db:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(db.scalar(query) or 0)


@pytest.mark.gen_test
async def test_delete_show_takes_everything_of_it_with_it(admin, show, database, ws_connect):
    doomed = await admin.create_show("Doomed")  # now loaded
    await admin.create_tag("Matinee")
    await admin.schedule("2026-12-09T19:30:00")
    await admin.post("/show/script/revisions", {"description": "Cuts"})
    sm = await admin.user_token("sm", 2, show)
    await admin.grant(await admin.user_id(sm), doomed, 2)
    await admin.finished_session((await ws_connect()).internal_id)
    r = await admin.post(
        "/show/script/stage_direction_styles",
        {"description": "Loud", "textFormat": "upper", "textColour": "#ff0000"},
    )
    assert r.code == 200, r
    style = {"styleId": int(r.json["id"]), "textFormat": "upper", "textColour": "#00ff00"}
    r = await admin.post("/user/settings/stage_direction_overrides", style)
    assert r.code == 200, r
    await admin.load_show(show)
    client = await ws_connect()

    r = await admin.delete(f"/show?id={doomed}")
    assert r.code == 200, r
    assert r.message == "Successfully deleted show"
    assert await next_action(client) == "GET_SHOW_DETAILS"
    assert [s["id"] for s in (await admin.get("/shows")).json["shows"]] == [show]
    with database.read() as db:
        assert db.scalar(select(Script.id).where(Script.show_id == doomed)) is None
    assert count(database, ShowSession, show_id=doomed) == 0
    assert count(database, SessionTag, show_id=doomed) == 0
    assert count(database, UserRole, show_id=doomed) == 0
    assert count(database, UserRole, show_id=show) == 1
    assert count(database, ScriptRevision) == 1  # the loaded show's first revision
    assert count(database, Show) == 1
    assert count(database, UserOverride) == 0


@pytest.mark.gen_test
async def test_delete_show_refuses_the_loaded_show_and_unknown_or_bad_ids(admin, show):
    r = await admin.delete(f"/show?id={show}")
    assert (r.code, r.message) == (400, "Cannot delete the currently loaded show")
    r = await admin.delete(f"/show?id={show + 100}")
    assert (r.code, r.message) == (404, "404 show not found")
    r = await admin.delete("/show")
    assert (r.code, r.message) == (400, "ID missing")
    r = await admin.delete("/show?id=abc")
    assert (r.code, r.message) == (400, "Invalid ID")
    assert len((await admin.get("/shows")).json["shows"]) == 1


@pytest.mark.gen_test
async def test_delete_show_is_refused_while_a_session_is_live(admin, show, ws_connect):
    other = await admin.create_show("Other", load=False)
    assert (await admin.start((await ws_connect()).internal_id)).code == 200
    r = await admin.delete(f"/show?id={other}")
    assert (r.code, r.message) == (409, "Current session in progress")


@pytest.mark.gen_test
async def test_delete_show_is_for_admins_only(admin, show):
    other = await admin.create_show("Other", load=False)
    writer = await admin.user_token("writer", 7, other)
    r = await admin.delete(f"/show?id={other}", token=writer)
    assert r.code == 403
    assert len((await admin.get("/shows")).json["shows"]) == 2


# -- DELETE /show/script/revisions --------------------------------------------------------


async def add_revision(admin, description: str, **extra) -> int:
    r = await admin.post("/show/script/revisions", {"description": description, **extra})
    assert r.code == 200, r
    return int(r.json["id"])


async def revision_list(admin) -> dict:
    return (await admin.get("/show/script/revisions")).json


@pytest.mark.gen_test
async def test_delete_revision_reparents_its_children(admin, show, ws_connect):
    first = await admin.current_revision()
    middle = await add_revision(admin, "Two")
    child = await add_revision(admin, "Three")
    client = await ws_connect()
    r = await admin.delete(f"/show/script/revisions?rev_id={middle}")
    assert (r.code, r.message) == (200, "Successfully deleted script revision")
    assert await next_action(client) == "GET_SCRIPT_REVISIONS"
    data = await revision_list(admin)
    assert data["current_revision"] == child
    assert [(v["id"], v["previous_revision_id"]) for v in data["revisions"]] == [
        (first, None),
        (child, first),
    ]


@pytest.mark.gen_test
async def test_deleting_the_current_revision_makes_its_parent_current(admin, show, ws_connect):
    second = await add_revision(admin, "Two")
    third = await add_revision(admin, "Three")
    client = await ws_connect()
    r = await admin.delete(f"/show/script/revisions?rev_id={third}")
    assert r.code == 200, r
    assert await next_action(client) == "SCRIPT_REVISION_CHANGED"
    assert await admin.current_revision() == second


@pytest.mark.gen_test
async def test_delete_revision_refusals(admin, show):
    first = await admin.current_revision()
    r = await admin.delete(f"/show/script/revisions?rev_id={first}")
    assert (r.code, r.message) == (400, "Cannot delete first script revision")
    r = await admin.delete("/show/script/revisions?rev_id=9999")
    assert (r.code, r.message) == (404, "Revision not found")
    r = await admin.delete("/show/script/revisions")
    assert (r.code, r.message) == (400, "Revision missing")
    r = await admin.delete("/show/script/revisions?rev_id=x")
    assert (r.code, r.message) == (400, "rev_id must be an integer")
    await admin.create_show("Other")
    r = await admin.delete(f"/show/script/revisions?rev_id={first}")
    assert (r.code, r.message) == (400, "Revision is not for the current script")


@pytest.mark.gen_test
async def test_delete_revision_is_refused_while_scheduled_sessions_name_it(
    admin, show, database, ws_connect
):
    second = await add_revision(admin, "Two")
    past = await admin.finished_session((await ws_connect()).internal_id)
    a = await admin.schedule("2026-12-09T19:30:00", script_revision_id=second)
    b = await admin.schedule("2026-12-10T19:30:00", script_revision_id=second)
    r = await admin.delete(f"/show/script/revisions?rev_id={second}")
    assert (r.code, r.message) == (409, f"Revision is used by scheduled sessions: {a}, {b}")
    assert count(database, ScriptRevision, id=second) == 1
    for session_id in (a, b):
        assert (await admin.delete(f"/show/sessions/{session_id}")).code == 200
    r = await admin.delete(f"/show/script/revisions?rev_id={second}")
    assert r.code == 200, r
    # The session that ran from it is kept, naming no revision rather than a missing one.
    assert (await admin.session(past))["script_revision_id"] is None


@pytest.mark.gen_test
async def test_delete_revision_is_refused_while_a_session_is_live(admin, show, ws_connect):
    second = await add_revision(admin, "Two")
    assert (await admin.start((await ws_connect()).internal_id)).code == 200
    r = await admin.delete(f"/show/script/revisions?rev_id={second}")
    assert (r.code, r.message) == (409, "Current session in progress")


@pytest.mark.gen_test
async def test_delete_revision_needs_write(admin, show, database):
    second = await add_revision(admin, "Two")
    reader = await admin.user_token("reader", 1, show)
    writer = await admin.user_token("writer", 2, show)
    r = await admin.delete(f"/show/script/revisions?rev_id={second}", token=reader)
    assert r.code == 403
    r = await admin.delete(f"/show/script/revisions?rev_id={second}", token=writer)
    assert r.code == 200
    assert count(database, ScriptRevision, id=second) == 0

"""A session's log: GET /api/v1/show/sessions/{id}/log (contract 6.2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from server.db import Database
from tests.conftest import Api


async def log_of(api: Api, session_id: int) -> list[dict[str, Any]]:
    r = await api.get(f"/show/sessions/{session_id}/log")
    assert r.code == 200, r
    return r.json["events"]  # type: ignore[no-any-return]


def event_rows(database: Database, session_id: int) -> int:
    with database.read() as db:
        return int(
            db.execute(
                text("SELECT count(*) FROM session_events WHERE session_id = :s"), {"s": session_id}
            ).scalar_one()
        )


@pytest.fixture
def stage_manager(role_user: Any) -> tuple[str, int]:
    """Token and id of "sm", a non-admin with READ|WRITE|EXECUTE on the show."""
    return role_user("sm", 1 | 2 | 4)  # type: ignore[no-any-return]


@pytest.mark.gen_test
async def test_the_log_answers_the_session_and_its_events(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.get(f"/show/sessions/{sid}/log")
    assert r.code == 200
    assert set(r.json) == {"session", "events"}
    assert r.json["session"]["id"] == sid
    assert r.json["session"]["scheduled_date_time"] == "2026-12-01T19:30:00"
    assert r.json["session"]["status"] == "next_up"
    assert [e["kind"] for e in r.json["events"]] == ["scheduled"]


@pytest.mark.gen_test
async def test_scheduling_is_logged_with_who_when_and_what(admin, show):
    preview = await admin.create_tag("Preview")
    revision = await admin.current_revision()
    admin_id = await admin.user_id(admin.token)
    sid = await admin.schedule("2026-12-01T20:30:00+01:00", tag_ids=[preview])
    assert await log_of(admin, sid) == [
        {
            "at": "2026-11-23T12:00:00",
            "kind": "scheduled",
            "user_id": admin_id,
            "username": "admin",
            "details": {
                "scheduled_date_time": "2026-12-01T19:30:00",
                "script_revision_id": revision,
                "tag_ids": [preview],
            },
        }
    ]


@pytest.mark.gen_test
async def test_an_update_logs_the_old_and_new_value_of_each_changed_field(admin, show, clock):
    preview = await admin.create_tag("Preview")
    matinee = await admin.create_tag("Matinee")
    first_revision = await admin.current_revision()
    r = await admin.post("/show/script/revisions", {"description": "Tour", "set_as_current": False})
    newer = r.json["id"]
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    clock.advance(dt.timedelta(minutes=5))
    r = await admin.patch(
        f"/show/sessions/{sid}",
        {
            "scheduled_date_time": "2026-12-02T14:00:00",
            "script_revision_id": newer,
            "tag_ids": [matinee, preview],
        },
    )
    assert r.code == 200, r
    updated = (await log_of(admin, sid))[-1]
    assert updated["kind"] == "updated"
    assert updated["at"] == "2026-11-23T12:05:00"
    assert updated["username"] == "admin"
    assert updated["details"] == {
        "scheduled_date_time": {"old": "2026-12-01T19:30:00", "new": "2026-12-02T14:00:00"},
        "script_revision_id": {"old": first_revision, "new": newer},
        "tag_ids": {"old": [preview], "new": sorted([preview, matinee])},
    }


@pytest.mark.gen_test
async def test_an_update_lists_only_the_fields_that_changed(admin, show):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    revision = await admin.current_revision()
    r = await admin.patch(
        f"/show/sessions/{sid}",
        {
            "scheduled_date_time": "2026-12-01T18:00:00",
            "script_revision_id": revision,
            "tag_ids": [preview],
        },
    )
    assert r.code == 200, r
    assert (await log_of(admin, sid))[-1]["details"] == {
        "scheduled_date_time": {"old": "2026-12-01T19:30:00", "new": "2026-12-01T18:00:00"}
    }


@pytest.mark.gen_test
async def test_an_update_that_changes_nothing_adds_no_event(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.patch(
        f"/show/sessions/{sid}", {"scheduled_date_time": "2026-12-01T20:30:00+01:00"}
    )
    assert r.code == 200, r
    assert [e["kind"] for e in await log_of(admin, sid)] == ["scheduled"]


@pytest.mark.gen_test
async def test_a_refused_update_adds_no_event(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    r = await admin.patch(
        f"/show/sessions/{sid}", {"scheduled_date_time": "2026-12-02T19:30:00", "tag_ids": [999]}
    )
    assert r.code == 400
    assert [e["kind"] for e in await log_of(admin, sid)] == ["scheduled"]


@pytest.mark.gen_test
async def test_start_and_stop_are_logged_with_the_user_who_did_them(
    admin, show, client, clock, stage_manager
):
    token, sm_id = stage_manager
    admin_id = await admin.user_id(admin.token)
    sid = await admin.schedule("2026-11-23T19:30:00")
    clock.set(dt.datetime(2026, 11, 23, 19, 31, tzinfo=dt.UTC))
    r = await admin.start(client, sid, token=token)
    assert r.code == 200, r
    clock.set(dt.datetime(2026, 11, 23, 22, 10, tzinfo=dt.UTC))
    assert (await admin.post("/show/sessions/stop")).code == 200
    events = await log_of(admin, sid)
    assert [(e["kind"], e["at"], e["user_id"], e["username"]) for e in events] == [
        ("scheduled", "2026-11-23T12:00:00", admin_id, "admin"),
        ("started", "2026-11-23T19:31:00", sm_id, "sm"),
        ("stopped", "2026-11-23T22:10:00", admin_id, "admin"),
    ]


@pytest.mark.gen_test
async def test_assigning_tags_is_logged_with_the_old_and_new_tags(admin, show, stage_manager):
    token, sm_id = stage_manager
    preview = await admin.create_tag("Preview")
    press = await admin.create_tag("Press Night")
    sid = await admin.schedule("2026-12-01T19:30:00", tag_ids=[preview])
    r = await admin.patch(
        "/show/sessions/assign-tags", {"session_id": sid, "tag_ids": [press]}, token=token
    )
    assert r.code == 200, r
    last = (await log_of(admin, sid))[-1]
    assert (last["kind"], last["user_id"], last["username"]) == ("tags_assigned", sm_id, "sm")
    assert last["details"] == {"old": [preview], "new": [press]}


@pytest.mark.gen_test
async def test_the_log_runs_oldest_first_through_a_whole_life(admin, show, client, clock):
    preview = await admin.create_tag("Preview")
    sid = await admin.schedule("2026-11-24T19:30:00")
    clock.advance(dt.timedelta(minutes=1))
    await admin.patch(f"/show/sessions/{sid}", {"scheduled_date_time": "2026-11-23T19:30:00"})
    clock.advance(dt.timedelta(minutes=1))
    await admin.patch("/show/sessions/assign-tags", {"session_id": sid, "tag_ids": [preview]})
    clock.advance(dt.timedelta(minutes=1))
    await admin.start(client, sid)
    clock.advance(dt.timedelta(minutes=1))
    await admin.post("/show/sessions/stop")
    events = await log_of(admin, sid)
    assert [(e["kind"], e["at"]) for e in events] == [
        ("scheduled", "2026-11-23T12:00:00"),
        ("updated", "2026-11-23T12:01:00"),
        ("tags_assigned", "2026-11-23T12:02:00"),
        ("started", "2026-11-23T12:03:00"),
        ("stopped", "2026-11-23T12:04:00"),
    ]


@pytest.mark.gen_test
async def test_events_at_the_same_second_keep_the_order_they_happened_in(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    for hour in (18, 17, 16):
        r = await admin.patch(
            f"/show/sessions/{sid}", {"scheduled_date_time": f"2026-12-01T{hour}:00:00"}
        )
        assert r.code == 200, r
    events = await log_of(admin, sid)
    assert [e["details"].get("scheduled_date_time", {}).get("new") for e in events[1:]] == [
        "2026-12-01T18:00:00",
        "2026-12-01T17:00:00",
        "2026-12-01T16:00:00",
    ]


@pytest.mark.gen_test
async def test_an_ad_hoc_session_logs_its_start_and_stop(admin, show, client):
    assert (await admin.start(client)).code == 200
    sid = (await admin.sessions())["current_session"]["id"]
    assert (await admin.post("/show/sessions/stop")).code == 200
    assert [e["kind"] for e in await log_of(admin, sid)] == ["started", "stopped"]


@pytest.mark.gen_test
async def test_each_session_has_its_own_log(admin, show):
    first = await admin.schedule("2026-12-01T19:30:00")
    second = await admin.schedule("2026-12-02T19:30:00")
    await admin.patch(f"/show/sessions/{second}", {"tag_ids": []})
    await admin.patch(f"/show/sessions/{second}", {"scheduled_date_time": "2026-12-03T19:30:00"})
    assert [e["kind"] for e in await log_of(admin, first)] == ["scheduled"]
    assert [e["kind"] for e in await log_of(admin, second)] == ["scheduled", "updated"]


@pytest.mark.gen_test
async def test_deleting_a_session_deletes_its_log(admin, show, database):
    sid = await admin.schedule("2026-12-01T19:30:00")
    keep = await admin.schedule("2026-12-02T19:30:00")
    await admin.patch(f"/show/sessions/{sid}", {"scheduled_date_time": "2026-12-01T18:00:00"})
    assert event_rows(database, sid) == 2
    assert (await admin.delete(f"/show/sessions/{sid}")).code == 200
    assert event_rows(database, sid) == 0
    assert event_rows(database, keep) == 1
    r = await admin.get(f"/show/sessions/{sid}/log")
    assert (r.code, r.message) == (404, "404 session not found")


@pytest.mark.gen_test
async def test_the_log_needs_no_login(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    admin.token = None
    assert [e["kind"] for e in await log_of(admin, sid)] == ["scheduled"]


@pytest.mark.gen_test
async def test_the_log_of_a_missing_session_is_not_found(admin, show):
    r = await admin.get("/show/sessions/4242/log")
    assert (r.code, r.json) == (404, {"message": "404 session not found"})


@pytest.mark.gen_test
async def test_the_log_of_another_shows_session_is_not_found(admin, show):
    await admin.create_show("Macbeth")  # created and loaded
    theirs = await admin.schedule("2026-12-05T19:30:00")
    await admin.load_show(show)
    r = await admin.get(f"/show/sessions/{theirs}/log")
    assert (r.code, r.message) == (404, "404 session not found")


@pytest.mark.parametrize("raw_id", ["abc", "1.0", "-1", "1e2"])
@pytest.mark.gen_test
async def test_the_log_of_a_session_id_that_is_not_an_integer_is_not_found(admin, show, raw_id):
    await admin.schedule("2026-12-01T19:30:00")
    r = await admin.get(f"/show/sessions/{raw_id}/log")
    assert (r.code, r.message) == (404, "404 session not found")


@pytest.mark.gen_test
async def test_the_log_needs_a_loaded_show(admin):
    r = await admin.get("/show/sessions/1/log")
    assert (r.code, r.message) == (400, "No show loaded")

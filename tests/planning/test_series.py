"""Scheduling a run from a weekly pattern: POST /api/v1/show/sessions/schedule/series.

Times are the show's local times and stay so across clock changes; excepted dates are skipped;
a dry run lists without creating; more than 400 is refused; and it is all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.models import SessionEvent, ShowSession
from tests.planning.helpers import SERIES, series, set_zone

TUE_TO_SAT_EVENINGS = [{"weekday": d, "time": "19:30"} for d in range(2, 7)]
MATINEES = [{"weekday": 3, "time": "14:30"}, {"weekday": 6, "time": "14:30"}]


def count_rows(database, model=ShowSession):
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.mark.gen_test
async def test_a_three_week_run_in_one_call(admin, show, database):
    await set_zone(admin, "Europe/London")
    preview = await admin.create_tag("Preview")
    revision = await admin.current_revision()
    r = await series(
        admin,
        **{"from": "2026-12-01", "to": "2026-12-21"},
        slots=TUE_TO_SAT_EVENINGS + MATINEES,
        tag_ids=[preview],
        script_revision_id=revision,
    )
    assert r.code == 200, r
    planned = r.json["sessions"]
    # Three weeks of Tue-Sat evenings (15) and Wed & Sat matinees (6).
    assert len(planned) == 21
    assert r.json["message"] == "Successfully scheduled 21 show sessions"
    assert planned[0]["scheduled_date_time"] == "2026-12-01T19:30:00"  # GMT: UTC+0
    assert planned[1]["scheduled_date_time"] == "2026-12-02T14:30:00"
    listed = (await admin.sessions())["sessions"]
    assert [s["id"] for s in listed] == [p["id"] for p in planned]
    assert all(s["tags"][0]["id"] == preview for s in listed)
    assert all(s["script_revision_id"] == revision for s in listed)
    assert [s["performance_number"] for s in listed] == list(range(1, 22))
    # Each is logged as one scheduled by hand is.
    log = (await admin.get(f"/show/sessions/{planned[0]['id']}/log")).json["events"]
    assert [e["kind"] for e in log] == ["scheduled"]
    assert count_rows(database, SessionEvent) == 21


@pytest.mark.gen_test
async def test_local_time_holds_across_both_clock_changes(admin, show):
    await set_zone(admin, "Europe/London")
    # Sundays around the last Sunday of March and of October 2027.
    r = await series(
        admin, **{"from": "2027-03-21", "to": "2027-04-04"}, slots=[{"weekday": 7, "time": "19:30"}]
    )
    assert [s["scheduled_date_time"] for s in r.json["sessions"]] == [
        "2027-03-21T19:30:00",  # GMT
        "2027-03-28T18:30:00",  # BST from 01:00 that day
        "2027-04-04T18:30:00",
    ]
    r = await series(
        admin, **{"from": "2027-10-24", "to": "2027-11-07"}, slots=[{"weekday": 7, "time": "19:30"}]
    )
    assert [s["scheduled_date_time"] for s in r.json["sessions"]] == [
        "2027-10-24T18:30:00",  # BST
        "2027-10-31T19:30:00",  # GMT from 02:00 that day
        "2027-11-07T19:30:00",
    ]


@pytest.mark.gen_test
async def test_another_zone_gives_other_utc_instants(admin, show):
    await set_zone(admin, "America/New_York")
    r = await series(
        admin, **{"from": "2026-12-01", "to": "2026-12-01"}, slots=[{"weekday": 2, "time": "19:30"}]
    )
    assert r.json["sessions"][0]["scheduled_date_time"] == "2026-12-02T00:30:00"


@pytest.mark.gen_test
async def test_excepted_dates_are_skipped(admin, show):
    await set_zone(admin, "Europe/London")
    r = await series(
        admin,
        **{"from": "2026-12-21", "to": "2026-12-27"},
        slots=[{"weekday": d, "time": "19:30"} for d in range(1, 8)],
        except_dates=["2026-12-24", "2026-12-25"],
    )
    days = [s["scheduled_date_time"][:10] for s in r.json["sessions"]]
    assert days == ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-26", "2026-12-27"]


@pytest.mark.gen_test
async def test_a_dry_run_lists_without_ids_and_creates_nothing(admin, show, database):
    r = await series(
        admin,
        **{"from": "2026-12-01", "to": "2026-12-14"},
        slots=TUE_TO_SAT_EVENINGS,
        dry_run=True,
    )
    assert r.code == 200, r
    assert len(r.json["sessions"]) == 10
    assert all(set(s) == {"scheduled_date_time"} for s in r.json["sessions"])
    assert r.json["message"] == "10 show sessions would be scheduled"
    assert count_rows(database) == 0


@pytest.mark.gen_test
async def test_four_hundred_is_the_most_and_more_is_refused(admin, show, database):
    slots = [{"weekday": d, "time": t} for d in range(1, 8) for t in ("14:30", "19:30")]
    # 2027-01-01 .. 2027-07-24: 205 days, two a day is 410.
    r = await series(admin, **{"from": "2027-01-01", "to": "2027-07-24"}, slots=slots)
    assert r.code == 400
    assert "at most 400" in r.json["message"]
    assert count_rows(database) == 0
    r = await series(admin, **{"from": "2027-01-01", "to": "2027-07-19"}, slots=slots)
    assert r.code == 200, r
    assert len(r.json["sessions"]) == 400
    assert count_rows(database) == 400


@pytest.mark.gen_test
async def test_a_huge_range_is_refused_quickly(admin, show, database):
    r = await series(
        admin, **{"from": "1970-01-01", "to": "9998-12-31"}, slots=[{"weekday": 1, "time": "10:00"}]
    )
    assert r.code == 400
    assert "at most 400" in r.json["message"]


@pytest.mark.gen_test
async def test_another_shows_tag_or_revision_creates_nothing(admin, show, database):
    other = await admin.create_show("Macbeth", load=True)
    foreign_tag = await admin.create_tag("Macbeth only")
    foreign_revision = await admin.current_revision()
    await admin.load_show(show)
    body = {"from": "2026-12-01", "to": "2026-12-31", "slots": TUE_TO_SAT_EVENINGS}
    r = await admin.post(SERIES, {**body, "tag_ids": [foreign_tag]})
    assert (r.code, r.json["message"]) == (400, "One or more tag IDs are invalid")
    r = await admin.post(SERIES, {**body, "script_revision_id": foreign_revision})
    assert (r.code, r.json["message"]) == (400, "Script revision not found for this show")
    assert count_rows(database) == 0
    assert other != show


@pytest.mark.gen_test
async def test_a_failure_part_way_leaves_nothing(admin, show, database, monkeypatch):
    """All or nothing holds even when the database refuses a later row: the ones before it
    go with it."""
    from server.operations import sessions as ops

    real = ops.schedule_planned
    made = []

    def failing(*args, **kwargs):
        if len(made) == 3:
            raise RuntimeError("the disk filled up")
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ops, "schedule_planned", failing)
    r = await series(admin, **{"from": "2026-12-01", "to": "2026-12-14"}, slots=TUE_TO_SAT_EVENINGS)
    assert r.code == 500
    assert len(made) == 3
    assert count_rows(database) == 0
    assert count_rows(database, SessionEvent) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"to": "2026-12-02", "slots": [{"weekday": 1, "time": "19:30"}]}, "from missing"),
        (
            {"from": "2026-12-02", "to": "2026-12-01", "slots": [{"weekday": 1, "time": "19:30"}]},
            "from must be on or before to",
        ),
        ({"from": "2026-12-01", "to": "2026-12-02", "slots": []}, "slots must name"),
        ({"from": "2026-12-01", "to": "2026-12-02", "slots": [[None, None]]}, "slots must be"),
        ({"from": "2026-12-01", "to": "2026-12-02", "slots": 5}, "slots must be"),
        (
            {"from": "2026-12-01", "to": "2026-12-02", "slots": [{"weekday": 8, "time": "19:30"}]},
            "slots: weekday must be",
        ),
        (
            {"from": "2026-12-01", "to": "2026-12-02", "slots": [{"weekday": 1, "time": "7pm"}]},
            "slots: time must be HH:MM",
        ),
        (
            {"from": "2026-12-01", "to": "2026-12-02", "slots": [{"weekday": 1, "time": "24:00"}]},
            "slots: time must be HH:MM",
        ),
        (
            {
                "from": "2026-12-01",
                "to": "2026-12-02",
                "slots": [{"weekday": 1, "time": "19:30"}],
                "except_dates": ["tomorrow"],
            },
            "except_dates must be",
        ),
        (
            {"from": "2026-12-01", "to": "2026-12-01", "slots": [{"weekday": 1, "time": "19:30"}]},
            "No date in the range falls on a slot's weekday",
        ),
    ],
)
@pytest.mark.gen_test
async def test_bad_patterns_are_refused_naming_the_field(admin, show, database, body, message):
    r = await admin.post(SERIES, body)
    assert r.code == 400, r
    assert r.json["message"].startswith(message), r.json
    assert count_rows(database) == 0


@pytest.mark.gen_test
async def test_a_slot_given_twice_makes_one_session(admin, show):
    slot = {"weekday": 2, "time": "19:30"}
    r = await series(admin, **{"from": "2026-12-01", "to": "2026-12-01"}, slots=[slot, slot])
    assert len(r.json["sessions"]) == 1


@pytest.mark.gen_test
async def test_clients_are_told_to_fetch_the_list(admin, show, ws_connect):
    client = await ws_connect()
    r = await series(admin, **{"from": "2026-12-01", "to": "2026-12-14"}, slots=TUE_TO_SAT_EVENINGS)
    assert r.code == 200
    message = await client.receive()
    assert message["ACTION"] == "GET_SHOW_SESSION_DATA"

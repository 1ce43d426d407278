"""The computed `status` of a session, read at pinned clocks (contract 6.1).

The clock fixture stands at 2026-11-23T12:00:00Z unless a test moves it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import Api


async def statuses(api: Api) -> dict[int, str]:
    return {s["id"]: s["status"] for s in (await api.sessions())["sessions"]}


async def start(api: Api, client_id: str, show_session_id: int | None = None) -> int:
    body: dict[str, Any] = {"session_id": client_id}
    if show_session_id is not None:
        body["show_session_id"] = show_session_id
    r = await api.post("/show/sessions/start", body)
    assert r.code == 200, r
    return int((await api.sessions())["current_session"]["id"])


async def stop(api: Api) -> None:
    r = await api.post("/show/sessions/stop")
    assert r.code == 200, r


@pytest.mark.gen_test
async def test_a_session_started_and_stopped_is_complete(admin, show, client):
    sid = await admin.schedule("2026-11-23T11:00:00")
    await start(admin, client, sid)
    await stop(admin)
    assert await statuses(admin) == {sid: "complete"}


@pytest.mark.gen_test
async def test_a_started_scheduled_session_is_in_progress(admin, show, client):
    sid = await admin.schedule("2026-11-23T19:30:00")
    await start(admin, client, sid)
    data = await admin.sessions()
    assert await statuses(admin) == {sid: "in_progress"}
    assert data["current_session"]["status"] == "in_progress"


@pytest.mark.gen_test
async def test_an_ad_hoc_session_is_in_progress_then_complete(admin, show, client):
    sid = await start(admin, client)
    assert await statuses(admin) == {sid: "in_progress"}
    await stop(admin)
    assert await statuses(admin) == {sid: "complete"}


@pytest.mark.gen_test
async def test_the_earliest_future_session_is_next_up_and_the_rest_scheduled(admin, show):
    later = await admin.schedule("2026-11-25T19:30:00")
    soonest = await admin.schedule("2026-11-23T19:30:00")
    latest = await admin.schedule("2026-12-01T19:30:00")
    assert await statuses(admin) == {soonest: "next_up", later: "scheduled", latest: "scheduled"}


@pytest.mark.gen_test
async def test_a_session_an_hour_late_is_still_next_up(admin, show):
    late = await admin.schedule("2026-11-23T11:00:00")
    tonight = await admin.schedule("2026-11-23T19:30:00")
    assert await statuses(admin) == {late: "next_up", tonight: "scheduled"}


@pytest.mark.gen_test
async def test_a_session_two_days_late_is_overdue_and_not_next_up(admin, show):
    forgotten = await admin.schedule("2026-11-21T12:00:00")
    tonight = await admin.schedule("2026-11-23T19:30:00")
    assert await statuses(admin) == {forgotten: "overdue", tonight: "next_up"}


@pytest.mark.gen_test
async def test_exactly_twelve_hours_late_is_not_yet_overdue(admin, show):
    sid = await admin.schedule("2026-11-23T00:00:00")
    assert await statuses(admin) == {sid: "next_up"}


@pytest.mark.gen_test
async def test_twelve_hours_and_a_second_late_is_overdue(admin, show):
    sid = await admin.schedule("2026-11-22T23:59:59")
    assert await statuses(admin) == {sid: "overdue"}


@pytest.mark.gen_test
async def test_the_twelve_hours_are_counted_from_the_utc_instant(admin, show):
    # 01:30+02:00 is 2026-11-22T23:30:00Z, twelve and a half hours before the clock.
    sid = await admin.schedule("2026-11-23T01:30:00+02:00")
    assert await statuses(admin) == {sid: "overdue"}


@pytest.mark.gen_test
async def test_an_overdue_session_that_starts_is_in_progress(admin, show, client):
    sid = await admin.schedule("2026-11-20T19:30:00")
    assert await statuses(admin) == {sid: "overdue"}
    await start(admin, client, sid)
    assert await statuses(admin) == {sid: "in_progress"}


@pytest.mark.gen_test
async def test_next_up_skips_a_session_that_has_started(admin, show, client):
    first = await admin.schedule("2026-11-23T13:00:00")
    second = await admin.schedule("2026-11-23T19:30:00")
    third = await admin.schedule("2026-11-24T19:30:00")
    await start(admin, client, first)
    assert await statuses(admin) == {first: "in_progress", second: "next_up", third: "scheduled"}
    await stop(admin)
    assert await statuses(admin) == {first: "complete", second: "next_up", third: "scheduled"}


@pytest.mark.gen_test
async def test_starting_a_later_session_leaves_the_earlier_one_next_up(admin, show, client):
    first = await admin.schedule("2026-11-23T13:00:00")
    second = await admin.schedule("2026-11-23T19:30:00")
    await start(admin, client, second)
    assert await statuses(admin) == {first: "next_up", second: "in_progress"}


@pytest.mark.gen_test
async def test_of_two_sessions_at_the_same_time_the_older_one_is_next_up(admin, show):
    first = await admin.schedule("2026-11-23T19:30:00")
    second = await admin.schedule("2026-11-23T19:30:00")
    assert await statuses(admin) == {first: "next_up", second: "scheduled"}


@pytest.mark.gen_test
async def test_exactly_one_session_is_next_up_among_many(admin, show, client):
    await admin.schedule("2026-11-20T19:30:00")  # overdue
    for day in range(24, 31):
        await admin.schedule(f"2026-11-{day}T19:30:00")
    started = await admin.schedule("2026-11-23T12:30:00")
    await start(admin, client, started)
    found = list((await statuses(admin)).values())
    assert found.count("next_up") == 1
    assert found.count("in_progress") == 1
    assert found.count("overdue") == 1
    assert found.count("scheduled") == 6


@pytest.mark.gen_test
async def test_no_session_is_next_up_when_every_one_has_started_or_is_overdue(admin, show, client):
    overdue = await admin.schedule("2026-11-20T19:30:00")
    done = await admin.schedule("2026-11-23T11:30:00")
    await start(admin, client, done)
    await stop(admin)
    assert await statuses(admin) == {overdue: "overdue", done: "complete"}


@pytest.mark.gen_test
async def test_moving_a_session_earlier_makes_it_next_up(admin, show):
    first = await admin.schedule("2026-11-24T19:30:00")
    second = await admin.schedule("2026-11-25T19:30:00")
    r = await admin.patch(
        f"/show/sessions/{second}", {"scheduled_date_time": "2026-11-23T19:30:00"}
    )
    assert r.code == 200, r
    assert await statuses(admin) == {first: "scheduled", second: "next_up"}


@pytest.mark.gen_test
async def test_deleting_the_next_up_session_hands_next_up_to_the_following_one(admin, show):
    first = await admin.schedule("2026-11-24T19:30:00")
    second = await admin.schedule("2026-11-25T19:30:00")
    assert (await admin.delete(f"/show/sessions/{first}")).code == 200
    assert await statuses(admin) == {second: "next_up"}


@pytest.mark.gen_test
async def test_status_follows_the_clock(admin, show, clock):
    tonight = await admin.schedule("2026-11-23T19:30:00")
    tomorrow = await admin.schedule("2026-11-24T19:30:00")
    admin.token = None  # reading needs no login, and a token would expire as the clock moves

    clock.set(dt.datetime(2026, 11, 23, 20, 30, tzinfo=dt.UTC))  # curtain is an hour late
    assert await statuses(admin) == {tonight: "next_up", tomorrow: "scheduled"}

    clock.advance(dt.timedelta(hours=11))  # 07:30 next morning: eleven hours late
    assert await statuses(admin) == {tonight: "next_up", tomorrow: "scheduled"}

    clock.advance(dt.timedelta(hours=1, seconds=1))  # past twelve hours
    assert await statuses(admin) == {tonight: "overdue", tomorrow: "next_up"}

    clock.advance(dt.timedelta(days=2))
    assert await statuses(admin) == {tonight: "overdue", tomorrow: "overdue"}


@pytest.mark.gen_test
async def test_next_up_is_chosen_per_show(admin, show):
    own = await admin.schedule("2026-11-30T19:30:00")
    other = await admin.create_show("Macbeth")  # created and loaded
    theirs = await admin.schedule("2026-11-24T19:30:00")
    assert await statuses(admin) == {theirs: "next_up"}
    await admin.load_show(show)
    assert await statuses(admin) == {own: "next_up"}
    assert other != show


@pytest.mark.gen_test
async def test_the_log_reports_the_same_status_as_the_list(admin, show, client):
    overdue = await admin.schedule("2026-11-21T19:30:00")
    next_up = await admin.schedule("2026-11-23T19:30:00")
    scheduled = await admin.schedule("2026-11-24T19:30:00")
    live = await admin.schedule("2026-11-23T12:00:00")
    await start(admin, client, live)
    listed = await statuses(admin)
    assert listed == {
        overdue: "overdue",
        live: "in_progress",
        next_up: "next_up",
        scheduled: "scheduled",
    }
    for sid, status in listed.items():
        r = await admin.get(f"/show/sessions/{sid}/log")
        assert r.json["session"]["status"] == status

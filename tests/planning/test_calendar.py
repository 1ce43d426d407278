"""The iCalendar feed, GET /api/v1/show/sessions.ics, parsed back with the icalendar library:
one VEVENT per session, its start in the show's zone (with a VTIMEZONE) across clock
changes, tags in the summary, STATUS:CANCELLED for a cancelled one, and UIDs that survive
edits. It is readable as the session list is: without a token."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.planning.helpers import series, set_zone

ICS = "/show/sessions.ics"


async def feed(api, **kwargs) -> icalendar.Calendar:
    r = await api.get(ICS, **kwargs)
    assert r.code == 200, r
    assert r.headers["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(r.body)


def events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


@pytest.mark.gen_test
async def test_one_event_per_session_in_the_venue_zone_across_a_clock_change(admin, show):
    await set_zone(admin, "Europe/London")
    gala = await admin.create_tag("Gala")
    r = await series(
        admin,
        **{"from": "2027-03-21", "to": "2027-04-04"},
        slots=[{"weekday": 7, "time": "19:30"}],
        tag_ids=[gala],
    )
    assert r.code == 200
    cal = await feed(admin, token="")
    found = events(cal)
    assert len(found) == 3
    london = ZoneInfo("Europe/London")
    starts = [e.decoded("dtstart") for e in found]
    assert [s.astimezone(london).time() for s in starts] == [dt.time(19, 30)] * 3
    assert [s.astimezone(dt.UTC).hour for s in starts] == [19, 18, 18]
    assert all(e["dtstart"].params["TZID"] == "Europe/London" for e in found)
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["tzid"] == "Europe/London"
    assert str(found[0]["summary"]) == "Hamlet: Performance 1 (Gala)"
    assert [str(e["status"]) for e in found] == ["CONFIRMED"] * 3


@pytest.mark.gen_test
async def test_uids_are_stable_across_edits_and_cancelled_ones_say_so(admin, show):
    first = await admin.schedule("2026-12-01T19:30:00")
    second = await admin.schedule("2026-12-02T19:30:00")
    before = {str(e["uid"]) for e in events(await feed(admin))}
    assert len(before) == 2
    tag = await admin.create_tag("Relaxed")
    r = await admin.patch(
        f"/show/sessions/{first}", {"scheduled_date_time": "2026-12-03T14:00:00", "tag_ids": [tag]}
    )
    assert r.code == 200
    r = await admin.post(f"/show/sessions/{second}/cancel", {"reason": "Strike"})
    assert r.code == 200
    after = {str(e["uid"]): e for e in events(await feed(admin))}
    assert set(after) == before
    moved = next(e for e in after.values() if "Relaxed" in str(e["summary"]))
    assert moved.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(
        2026, 12, 3, 14, 0, tzinfo=dt.UTC
    )
    cancelled = next(e for e in after.values() if e is not moved)
    assert str(cancelled["status"]) == "CANCELLED"
    assert "Strike" in str(cancelled["description"])
    assert str(moved["summary"]) == "Hamlet: Performance 1 (Relaxed)"


@pytest.mark.gen_test
async def test_another_shows_sessions_are_not_in_it(admin, show):
    await admin.schedule("2026-12-01T19:30:00")
    await admin.create_show("Macbeth", load=True)
    assert events(await feed(admin)) == []


@pytest.mark.gen_test
async def test_without_a_loaded_show_it_is_400(api, admin):
    r = await api.get(ICS)
    assert (r.code, r.json["message"]) == (400, "No show loaded")

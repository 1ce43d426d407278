"""A show's venue time zone: given on create, changed on edit, the server's by default; an
unknown zone is refused naming the field; local times a clock change skips or doubles are
refused naming the date and time, never moved."""

from __future__ import annotations

import datetime as dt

import pytest

from server.timezones import LocalTimeError, local_to_utc, server_zone_name, zone
from tests.planning.helpers import series, set_zone

SHOW = {"name": "Othello", "start": "2027-03-01", "end": "2027-11-30", "script_mode": 1}


@pytest.mark.gen_test
async def test_a_new_show_takes_the_given_zone_and_lists_it(admin):
    r = await admin.post("/show?load=true", {**SHOW, "time_zone": "America/New_York"})
    assert r.code == 200, r
    assert (await admin.get("/show")).json["time_zone"] == "America/New_York"
    (listed,) = (await admin.get("/shows")).json["shows"]
    assert listed["time_zone"] == "America/New_York"


@pytest.mark.gen_test
async def test_a_show_without_a_zone_takes_the_servers(admin, show):
    assert (await admin.get("/show")).json["time_zone"] == server_zone_name()


@pytest.mark.gen_test
async def test_editing_the_show_changes_the_zone_and_leaving_it_out_keeps_it(admin, show):
    await set_zone(admin, "Europe/London")
    assert (await admin.get("/show")).json["time_zone"] == "Europe/London"
    body = {"name": "Hamlet", "start_date": "2026-12-01", "end_date": "2027-01-31"}
    assert (await admin.patch("/show", body)).code == 200
    assert (await admin.get("/show")).json["time_zone"] == "Europe/London"


@pytest.mark.parametrize("bad", ["Mars/Olympus_Mons", "", "../etc/passwd", 5, "x" * 300])
@pytest.mark.gen_test
async def test_an_unknown_zone_is_refused_naming_the_field(admin, show, bad):
    r = await admin.post("/show", {**SHOW, "time_zone": bad})
    assert r.code == 400
    assert "time_zone" in r.json["message"]
    body = {"name": "Hamlet", "start_date": "2026-12-01", "end_date": "2027-01-31"}
    r = await admin.patch("/show", {**body, "time_zone": bad})
    assert r.code == 400
    assert "time_zone" in r.json["message"]
    assert (await admin.get("/show")).json["time_zone"] == server_zone_name()


@pytest.mark.gen_test
async def test_a_time_the_clocks_skip_is_refused_naming_it(admin, show):
    await set_zone(admin, "Europe/London")
    r = await series(
        admin, **{"from": "2027-03-27", "to": "2027-03-29"}, slots=[{"weekday": 7, "time": "01:30"}]
    )
    assert r.code == 400
    assert r.json["message"].startswith("2027-03-28 01:30 does not exist in Europe/London")
    assert (await admin.sessions())["sessions"] == []


@pytest.mark.gen_test
async def test_a_time_the_clocks_double_is_refused_naming_it(admin, show):
    await set_zone(admin, "Europe/London")
    r = await series(
        admin, **{"from": "2027-10-31", "to": "2027-10-31"}, slots=[{"weekday": 7, "time": "01:30"}]
    )
    assert r.code == 400
    assert r.json["message"].startswith("2027-10-31 01:30 happens twice in Europe/London")
    assert (await admin.sessions())["sessions"] == []


def test_local_times_convert_on_either_side_of_a_change():
    london = zone("Europe/London")
    assert london is not None
    assert local_to_utc(dt.date(2027, 3, 27), dt.time(19, 30), london) == dt.datetime(
        2027, 3, 27, 19, 30, tzinfo=dt.UTC
    )
    assert local_to_utc(dt.date(2027, 3, 28), dt.time(19, 30), london) == dt.datetime(
        2027, 3, 28, 18, 30, tzinfo=dt.UTC
    )
    # Southern hemisphere, half-hour zone: the gap is 02:00-03:00 local on 2027-10-03.
    adelaide = zone("Australia/Adelaide")
    assert adelaide is not None
    with pytest.raises(LocalTimeError):
        local_to_utc(dt.date(2027, 10, 3), dt.time(2, 30), adelaide)


def test_the_servers_zone_comes_from_tz_when_it_names_one(monkeypatch):
    server_zone_name.cache_clear()
    try:
        monkeypatch.setenv("TZ", "Asia/Kolkata")
        assert server_zone_name() == "Asia/Kolkata"
        server_zone_name.cache_clear()
        monkeypatch.setenv("TZ", "not a zone")
        assert server_zone_name() != "not a zone"
        assert zone(server_zone_name()) is not None
    finally:
        monkeypatch.undo()
        server_zone_name.cache_clear()

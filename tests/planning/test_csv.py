"""CSV: the session list out (GET /api/v1/show/sessions.csv) and sessions in (POST
/api/v1/show/sessions/import): `date,time,tags` lines in the show's zone, a dry run that
creates nothing, per-line errors with nothing created, a bounded size."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from server.models import ShowSession
from tests.planning.helpers import set_zone

IMPORT = "/show/sessions/import"
EXPORT = "/show/sessions.csv"


def count_sessions(database) -> int:
    with database.read() as db:
        return int(db.scalar(select(func.count()).select_from(ShowSession)) or 0)


async def send(api, text: str | bytes, query: str = ""):
    return await api.post(IMPORT + query, raw=text, headers={"Content-Type": "text/csv"})


@pytest.mark.gen_test
async def test_an_import_schedules_each_line_in_the_venue_zone(admin, show, database):
    await set_zone(admin, "Europe/London")
    preview = await admin.create_tag("Preview")
    press = await admin.create_tag("Press Night")
    text = (
        "date,time,tags\n"
        "2027-03-27,19:30,Preview\n"
        '2027-03-28,19:30,"preview; PRESS NIGHT"\n'
        "2027-03-29,14:30,\n"
    )
    r = await send(admin, text)
    assert r.code == 200, r
    assert r.json["message"] == "Successfully imported 3 show sessions"
    assert [s["scheduled_date_time"] for s in r.json["sessions"]] == [
        "2027-03-27T19:30:00",
        "2027-03-28T18:30:00",
        "2027-03-29T13:30:00",
    ]
    listed = (await admin.sessions())["sessions"]
    assert [[t["id"] for t in s["tags"]] for s in listed] == [[preview], [preview, press], []]
    assert [s["id"] for s in listed] == [s["id"] for s in r.json["sessions"]]


@pytest.mark.gen_test
async def test_a_dry_run_creates_nothing(admin, show, database):
    r = await send(admin, "2026-12-01,19:30\n2026-12-02,19:30\n", "?dry_run=true")
    assert r.code == 200, r
    assert r.json["message"] == "2 show sessions would be imported"
    assert all(set(s) == {"scheduled_date_time"} for s in r.json["sessions"])
    assert count_sessions(database) == 0


@pytest.mark.gen_test
async def test_every_bad_line_is_named_and_nothing_is_created(admin, show, database):
    await set_zone(admin, "Europe/London")
    await admin.create_tag("Preview")
    text = (
        "date,time,tags\n"
        "2026-12-01,19:30,Preview\n"  # 2: good
        "01/12/2026,19:30,\n"  # 3
        "2026-12-02,7.30pm,\n"  # 4
        "2026-12-03,19:30,Gala\n"  # 5
        "2027-03-28,01:30,\n"  # 6: the clocks skip it
        "2026-12-01,19:30,\n"  # 7: line 2 again
        "2026-12-04\n"  # 8
        "\n"
        "2026-12-05,19:30,Preview,extra\n"  # 10
    )
    r = await send(admin, text)
    assert r.code == 400, r
    assert r.json["message"] == "7 lines of the file cannot be imported"
    errors = r.json["errors"]
    assert [e["line"] for e in errors] == [3, 4, 5, 6, 7, 8, 10]
    messages = {e["line"]: e["message"] for e in errors}
    assert "YYYY-MM-DD" in messages[3]
    assert "HH:MM" in messages[4]
    assert messages[5] == "no tag named 'Gala' in this show"
    assert messages[6].startswith("2027-03-28 01:30 does not exist in Europe/London")
    assert messages[7] == "the same date and time as line 2"
    assert count_sessions(database) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The file lists no sessions"),
        (b"date,time,tags\n", "The file lists no sessions"),
        (b"\xff\xfe2026", "The file must be UTF-8 text"),
        (b"2026-12-01,19:30\n" * 20000, "The file is larger than 64 KiB"),
    ],
)
@pytest.mark.gen_test
async def test_bad_files_are_refused(admin, show, database, body, message):
    r = await send(admin, body)
    assert r.code == 400
    assert r.json["message"].startswith(message)
    assert count_sessions(database) == 0


@pytest.mark.gen_test
async def test_more_than_four_hundred_lines_is_refused(admin, show, database):
    import datetime as dt

    day = dt.date(2027, 1, 1)
    lines = [f"{day + dt.timedelta(days=i)},19:30" for i in range(401)]
    r = await send(admin, "\n".join(lines))
    assert r.code == 400
    assert "at most 400" in r.json["message"]
    r = await send(admin, "\n".join(lines[:400]))
    assert r.code == 200
    assert count_sessions(database) == 400


@pytest.mark.gen_test
async def test_the_export_lists_each_session_in_the_venue_zone(admin, show, ws_connect):
    await set_zone(admin, "America/New_York")
    gala = await admin.create_tag("=Gala")
    first = await admin.schedule("2026-11-23T19:00:00", tag_ids=[gala])
    second = await admin.schedule("2026-12-02T00:30:00")
    r = await admin.post(f"/show/sessions/{second}/cancel", {"reason": "Snow"})
    assert r.code == 200
    client = await ws_connect()
    assert (await admin.start(client.internal_id, first)).code == 200
    r = await admin.get(EXPORT, token="")
    assert r.code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.body.decode())))
    assert [(row["id"], row["date"], row["time"], row["status"]) for row in rows] == [
        (str(first), "2026-11-23", "14:00", "in_progress"),
        (str(second), "2026-12-01", "19:30", "cancelled"),
    ]
    assert rows[0]["time_zone"] == "America/New_York"
    assert rows[0]["tags"] == "'=Gala"  # no formula for a spreadsheet
    assert rows[0]["actual_start"] == "2026-11-23T07:00:00-05:00"
    assert rows[0]["revision"] == "1"
    assert rows[0]["performance_number"] == "1"
    assert (rows[1]["performance_number"], rows[1]["cancel_reason"]) == ("", "Snow")

"""Refusals of the new endpoints are JSON {"message"} with the contract's status, never HTML or
a 500, whatever the bad input; the file endpoints included."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api

PROBES = [
    ("GET", "/show/sessions.ics", None),
    ("GET", "/show/sessions.csv", None),
    ("GET", "/show/sessions/x/cast-sheet", None),
    ("GET", "/show/sessions/99999/cast-sheet", None),
    ("GET", "/show/sessions/99999/cast-sheet?format=xml", None),
    ("GET", "/show/sessions/99999999999999999999/cast-sheet?format=csv", None),
    ("GET", "/admin/db-backups/download", None),
    ("GET", "/admin/db-backups/download?timestamp=abc", None),
    ("GET", "/admin/db-backups/download?timestamp=99999999999999999999999", None),
    ("GET", "/admin/db-backups/download?timestamp=-1", None),
    ("GET", "/admin/db-backups/download?timestamp=1", None),
    ("DELETE", "/admin/db-backups?timestamp=1", None),
    ("POST", "/admin/db-backups/restore?timestamp=1", b""),
    ("POST", "/admin/db-backups/restore?timestamp=x", b""),
    ("GET", "/logs/stream?level=NOPE", None),
    ("GET", "/logs/stream?source=nope", None),
    ("GET", "/logs/view?limit=abc", None),
    ("GET", "/logs/view?limit=100000", None),
    ("GET", "/logs/view?offset=-5", None),
    ("GET", "/show/casting?from_=x&to=y", None),
    ("GET", "/show/casting?from=2026-01-01&to=2020-01-01", None),
    ("GET", "/show/casting?from=2026-01-01&to=9999-12-31", None),
    ("PUT", "/show/casting/pools/abc", b"{}"),
    ("PUT", "/show/casting/pools/99999999999999999999", b'{"cast_ids": [1]}'),
    ("PUT", "/show/casting/pools/1", b'{"cast_ids": [99999999999999999999999]}'),
    ("PATCH", "/show/sessions/1/casting", b'{"casting": {"x": 1}}'),
    ("PATCH", "/show/sessions/1/casting", b'{"casting": [1]}'),
    ("POST", "/show/sessions/import", b"\xff\xfe"),
    ("POST", "/show/sessions/import?dry_run=maybe", b"2026-01-01,19:00,"),
    ("POST", "/show/sessions/import", b"9999-12-31,23:59,"),
    ("POST", "/show/sessions/import", b"0001-01-01,00:00,"),
    ("POST", "/show/sessions/schedule/series", b'{"from": "x"}'),
    (
        "POST",
        "/show/sessions/schedule/series",
        b'{"from": "9999-12-01", "to": "9999-12-31", "slots": [{"weekday": 1, "time": "23:59"}]}',
    ),
    (
        "POST",
        "/show/sessions/schedule/series",
        b'{"from": "0001-01-01", "to": "0001-01-31", "slots": [{"weekday": 1, "time": "00:00"}]}',
    ),
    ("POST", "/show/sessions/abc/cancel", b"{}"),
    ("POST", "/show/sessions/99999999999999999999999/reinstate", b""),
    ("PATCH", "/show", b'{"time_zone": "Nowhere/Else"}'),
    ("PATCH", "/show", b'{"start_date": "2027-01-01", "end_date": "2026-01-01"}'),
    ("DELETE", "/show?id=abc", None),
    ("DELETE", "/show?id=99999999999999999999999", None),
    ("DELETE", "/show/script/revisions?rev_id=99999999999999999999999", None),
    ("GET", "/user/settings/stage_direction_overrides", None),
    ("DELETE", "/user/settings/stage_direction_overrides?id=abc", None),
    ("DELETE", "/user/settings/cue_colour_overrides?id=99999999999999999999999", None),
    ("PATCH", "/user/settings/cue_colour_overrides", b'{"id": "x"}'),
]


@pytest.mark.gen_test
@pytest.mark.parametrize(("method", "path", "raw"), PROBES)
async def test_refusals_are_json(admin: Api, show: int, method: str, path: str, raw: Any) -> None:
    r = await admin.request(method, path, raw=raw)
    assert r.code != 500 and r.code < 600, r
    if r.code >= 400:
        assert r.headers["Content-Type"].startswith("application/json"), r
        assert isinstance(r.message, str) and r.message, r


@pytest.mark.gen_test
@pytest.mark.parametrize(
    "body",
    [
        {"from": "9999-12-01", "to": "9999-12-31", "slots": [{"weekday": 1, "time": "23:59"}]},
        {"from": "0001-01-01", "to": "0001-01-31", "slots": [{"weekday": 1, "time": "00:00"}]},
        {"from": "1969-12-01", "to": "1969-12-31", "slots": [{"weekday": 1, "time": "19:00"}]},
    ],
)
async def test_a_series_outside_the_plannable_years_is_refused(
    admin: Api, show: int, body: dict[str, Any]
) -> None:
    r = await admin.post("/show/sessions/schedule/series", body)
    assert r.code == 400, r
    assert r.message == "A session must be planned between 1970-01-01 and 9998-12-31 (UTC)"
    assert (await admin.sessions())["sessions"] == []


@pytest.mark.gen_test
@pytest.mark.parametrize("line", [b"9999-12-31,23:59,", b"0001-01-01,00:00,", b"1969-07-20,20:17,"])
async def test_an_import_line_outside_the_plannable_years_is_refused(
    admin: Api, show: int, line: bytes
) -> None:
    r = await admin.post("/show/sessions/import", raw=line)
    assert r.code == 400, r
    assert r.json["errors"] == [
        {"line": 1, "message": "A session must be planned between 1970-01-01 and 9998-12-31 (UTC)"}
    ]
    assert (await admin.sessions())["sessions"] == []

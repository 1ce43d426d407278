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

PROBES += [
    ("POST", "/show/stage/props/types", b'{"name": "' + b"x" * 5000 + b'"}'),
    ("POST", "/show/stage/props", b'{"prop_type_id": 99999999999999999999999, "name": "a"}'),
    ("POST", "/show/stage/props", b'{"prop_type_id": "a", "name": "a"}'),
    ("DELETE", "/show/stage/props?id=zz", None),
    ("DELETE", "/show/stage/props?id=99999999999999999999", None),
    ("POST", "/show/stage/props/allocations", b'{"props_id": 1, "scene_id": 1}'),
    ("POST", "/show/stage/props/allocations", b"[]"),
    ("DELETE", "/show/stage/props/allocations?id=", None),
    ("POST", "/show/stage/scenery", b'{"scenery_type_id": null}'),
    ("POST", "/show/stage/scenery/allocations", b'{"scenery_id": 1, "scene_id": "x"}'),
    ("POST", "/show/stage/crew", b'{"first_name": 5}'),
    ("POST", "/show/stage/crew/assignments", b'{"crew_id": 1, "scene_id": 1, "prop_id": 1}'),
    ("PATCH", "/show/stage/crew/assignments", b'{"id": 1}'),
    ("POST", "/show/act", b'{"name": "a", "previous_act_id": 99999999999999999999999}'),
    ("PATCH", "/show/act", b'{"id": 1, "name": "a", "previous_act_id": 1}'),
    ("POST", "/show/act/first_scene", b'{"act_id": 1, "scene_id": 1}'),
    ("POST", "/show/scene", b'{"name": "a", "act_id": "x"}'),
    ("PATCH", "/show/scene", b'{"id": 1, "previous_scene_id": 1}'),
    ("POST", "/show/character", b'{"name": "a", "played_by": 99999999999999999999999}'),
    ("POST", "/show/character/merge", b'{"source_id": 1, "destination_id": 1}'),
    ("POST", "/show/character/group", b'{"name": "a", "characters": ["x"]}'),
    ("PATCH", "/show/character/group", b'{"id": 1, "characters": [1, 1]}'),
    ("POST", "/show/cast", b'{"first_name": "a"}'),
    ("PATCH", "/show/cast", b'{"id": "x"}'),
    ("POST", "/show/script/stage_direction_styles", b'{"description": "a", "text_colour": "red"}'),
    ("POST", "/show/script/stage_direction_styles/import", b'{"show_id": "x"}'),
    ("POST", "/show/script/stage_direction_styles/import", b'{"show_id": 99999999999999999999}'),
    ("GET", "/rbac/user/objects?resource=nope&user=x", None),
    ("GET", "/rbac/user/objects?resource=shows&user=99999999999999999999", None),
    (
        "POST",
        "/rbac/user/roles/grant",
        b'{"resource": "shows", "object": "x", "user": 1, "role": 1}',
    ),
    (
        "POST",
        "/rbac/user/roles/grant",
        b'{"resource": "shows", "object": {"id": 1}, "user": 1, "role": 99999999999}',
    ),
    ("POST", "/auth/reset-password", b'{"user_id": "x"}'),
    ("POST", "/auth/reset-password", b'{"user_id": 99999999999999999999}'),
    ("POST", "/auth/change-password", b'{"old_password": 1, "new_password": 2}'),
    ("DELETE", "/api/v2/users?id=99999999999999999999", None),
    ("PATCH", "/api/v2/users?id=1", b'{"is_admin": "maybe"}'),
    ("POST", "/api/v2/users/token", b"x"),
    ("POST", "/user/settings/stage_direction_overrides", b'{"settings": {"x": 1}}'),
    (
        "POST",
        "/user/settings/cue_colour_overrides",
        b'{"settings": [], "cue_type_id": 99999999999999999999}',
    ),
    ("PATCH", "/user/settings", b'{"x": 1}'),
    ("POST", "/logs", b'{"level": "NOPE", "message": "a"}'),
    ("POST", "/logs/batch", b'{"batch": [{"level": "INFO"}]}'),
    ("POST", "/logs/batch", b'{"batch": "x"}'),
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


FILE_ENDPOINTS = [
    "/show/sessions.ics",
    "/show/sessions.csv",
    "/show/sessions/1/cast-sheet",
    "/show/sessions/1/cast-sheet?format=csv",
    "/admin/db-backups/download?timestamp=1",
    "/logs/stream",
]


@pytest.mark.gen_test
@pytest.mark.parametrize("path", FILE_ENDPOINTS)
async def test_file_endpoints_refuse_in_json(admin: Api, path: str) -> None:
    """No show loaded, a bad token, no token: each refusal of a file or stream endpoint is
    JSON, not the file's media type."""
    # None is the admin's own token (the stream answers an admin at once, so not there).
    tokens = ("not-a-token", "") if path == "/logs/stream" else (None, "not-a-token", "")
    for token in tokens:
        r = await admin.get(path, token=token)
        assert r.code in (400, 401, 403, 404), r
        assert r.headers["Content-Type"].startswith("application/json"), r
        assert isinstance(r.message, str) and r.message, r

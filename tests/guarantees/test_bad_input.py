"""A corpus of bad input for schedule, session edit, start, tags and login.

Each bad request is answered 400 (or 404/401 where the contract says so) with the exact message
naming the field, and leaves every table exactly as it was.

Offsets: `+14:00` and `-12:00` are valid ISO-8601 offsets and are accepted, converted to UTC;
they are refused only when the converted instant falls outside 1970-01-01 .. 9998-12-31.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.db_state import snapshot

SCHEDULE = "/show/sessions/schedule"
START = "/show/sessions/start"
TAGS = "/show/session/tags"
LOGIN = "/auth/login"

INVALID_JSON = "Invalid JSON body"
WHEN_MISSING = "scheduled_date_time missing"
WHEN_INVALID = "scheduled_date_time must be an ISO-8601 date and time"
TAGS_INVALID = "tag_ids must be a list of integers"
TAG_IDS_INVALID = "One or more tag IDs are invalid"
REVISION_INVALID = "script_revision_id must be an integer"
REVISION_UNKNOWN = "Script revision not found for this show"
MEGABYTE = "x" * (1 << 20)


@dataclass(frozen=True)
class Scene:
    show: int
    tag: int
    session: int
    other_tag: int
    other_revision: int


@dataclass(frozen=True)
class Case:
    id: str
    body: Any  # JSON to send, or bytes sent as they are, or a function of the Scene
    message: str
    status: int = 400

    def payload(self, scene: Scene) -> dict[str, Any]:
        body = self.body(scene) if callable(self.body) else self.body
        if isinstance(body, bytes):
            return {"raw": body}
        return {"raw": json.dumps(body)}


# Bodies that are not a JSON object, refused the same way by every endpoint.
NOT_AN_OBJECT = [
    Case("not-json", b"scheduled_date_time=tomorrow", INVALID_JSON),
    Case("truncated-json", b'{"scheduled_date_time": "2026-12-01T19:30:00"', INVALID_JSON),
    Case("json-array", [{"scheduled_date_time": "2026-12-01T19:30:00"}], INVALID_JSON),
    Case("json-null", None, INVALID_JSON),
    Case("json-string", "2026-12-01T19:30:00", INVALID_JSON),
    Case("json-number", 42, INVALID_JSON),
    Case("json-nan-constant", b'{"scheduled_date_time": NaN}', INVALID_JSON),
    Case("json-infinity-constant", b'{"tag_ids": [Infinity]}', INVALID_JSON),
    Case("not-utf8", b'{"tag": "\xff\xfe"}', INVALID_JSON),
    Case("deeply-nested", b"[" * 100_000, INVALID_JSON),
]


def _when(value: Any) -> Any:
    return {"scheduled_date_time": value}


# Datetime values refused by schedule and by PATCH alike.
BAD_DATETIMES = [
    Case("when-empty-string", _when(""), WHEN_INVALID),
    Case("when-number", _when(1796000000), WHEN_INVALID),
    Case("when-boolean", _when(True), WHEN_INVALID),
    Case("when-list", _when(["2026-12-01T19:30:00"]), WHEN_INVALID),
    Case("when-object", _when({"date": "2026-12-01"}), WHEN_INVALID),
    Case("when-date-only", _when("2026-12-01"), WHEN_INVALID),
    Case("when-time-only", _when("19:30:00"), WHEN_INVALID),
    Case("when-not-a-date", _when("next tuesday at eight"), WHEN_INVALID),
    Case("when-year-1", _when("0001-01-01T00:00:00"), WHEN_INVALID),
    Case("when-year-1-date", _when("0001-01-01"), WHEN_INVALID),
    Case("when-end-of-year-9999", _when("9999-12-31T23:59:59"), WHEN_INVALID),
    Case("when-before-1970", _when("1969-12-31T23:59:59"), WHEN_INVALID),
    Case("when-february-30", _when("2026-02-30T19:30:00"), WHEN_INVALID),
    Case("when-leap-second", _when("2026-12-31T23:59:60"), WHEN_INVALID),
    Case("when-hour-24", _when("2026-12-01T24:00:00"), WHEN_INVALID),
    Case("when-offset-past-a-day", _when("2026-12-01T19:30:00+24:00"), WHEN_INVALID),
    Case("when-plus-14-before-1970", _when("1970-01-01T00:00:00+14:00"), WHEN_INVALID),
    Case("when-minus-12-after-9998", _when("9998-12-31T23:59:59-12:00"), WHEN_INVALID),
    Case("when-nan-text", _when("NaN"), WHEN_INVALID),
    Case("when-infinity-text", _when("Infinity"), WHEN_INVALID),
    Case("when-huge-number", b'{"scheduled_date_time": 1e999}', WHEN_INVALID),
    Case("when-control-character", _when("2026-12-01T19:30:00\u0000"), WHEN_INVALID),
    Case("when-megabyte", _when(MEGABYTE), WHEN_INVALID),
]


def _bad_tag_ids(base: dict[str, Any]) -> list[Case]:
    return [
        Case("tag-ids-string", {**base, "tag_ids": "1"}, TAGS_INVALID),
        Case("tag-ids-object", {**base, "tag_ids": {"id": 1}}, TAGS_INVALID),
        Case("tag-ids-booleans", {**base, "tag_ids": [True]}, TAGS_INVALID),
        Case("tag-ids-strings", {**base, "tag_ids": ["1"]}, TAGS_INVALID),
        Case("tag-ids-floats", {**base, "tag_ids": [1.5]}, TAGS_INVALID),
        Case("tag-ids-null-item", {**base, "tag_ids": [None]}, TAGS_INVALID),
        Case(
            "tag-ids-infinite",
            b'{"scheduled_date_time": "2026-12-01T19:30:00", "tag_ids": [1e999]}',
            TAGS_INVALID,
        ),  # fmt: skip
        Case("tag-ids-duplicate", lambda s: {**base, "tag_ids": [s.tag, s.tag]}, TAG_IDS_INVALID),
        Case("tag-ids-unknown", {**base, "tag_ids": [987654]}, TAG_IDS_INVALID),
        Case("tag-ids-beyond-64-bits", {**base, "tag_ids": [2**70]}, TAG_IDS_INVALID),
        Case("tag-ids-another-show", lambda s: {**base, "tag_ids": [s.other_tag]}, TAG_IDS_INVALID),
    ]


def _bad_revisions(base: dict[str, Any]) -> list[Case]:
    return [
        Case("revision-string", {**base, "script_revision_id": "1"}, REVISION_INVALID),
        Case("revision-boolean", {**base, "script_revision_id": True}, REVISION_INVALID),
        Case("revision-float", {**base, "script_revision_id": 1.5}, REVISION_INVALID),
        Case("revision-list", {**base, "script_revision_id": [1]}, REVISION_INVALID),
        Case("revision-unknown", {**base, "script_revision_id": 987654}, REVISION_UNKNOWN),
        Case(
            "revision-another-show",
            lambda s: {**base, "script_revision_id": s.other_revision},
            REVISION_UNKNOWN,
        ),
    ]


VALID_WHEN = {"scheduled_date_time": "2026-12-01T19:30:00"}

SCHEDULE_CASES = [
    *NOT_AN_OBJECT,
    Case("empty-body", b"", WHEN_MISSING),
    Case("empty-object", {}, WHEN_MISSING),
    Case("when-null", _when(None), WHEN_MISSING),
    *BAD_DATETIMES,
    *_bad_tag_ids(VALID_WHEN),
    Case("tag-ids-null", {**VALID_WHEN, "tag_ids": None}, TAGS_INVALID),
    *_bad_revisions(VALID_WHEN),
]

PATCH_CASES = [
    *NOT_AN_OBJECT,
    Case("empty-body", b"", "No fields to update"),
    Case("empty-object", {}, "No fields to update"),
    Case("only-unknown-keys", {"start_date_time": "2026-12-01T19:30:00"}, "No fields to update"),
    Case("when-null", _when(None), WHEN_MISSING),
    *BAD_DATETIMES,
    *_bad_tag_ids({}),
    Case("tag-ids-null", {"tag_ids": None}, TAGS_INVALID),
    *_bad_revisions({}),
    Case("revision-null", {"script_revision_id": None}, REVISION_INVALID),
]

CLIENT = {"session_id": "a-websocket-client"}
NO_CLIENT = "Unable to find session given session_id"
START_CASES = [
    *NOT_AN_OBJECT,
    Case("empty-object", {}, "session_id missing"),
    Case("session-id-null", {"session_id": None}, "session_id missing"),
    Case("session-id-blank", {"session_id": "   "}, "session_id missing"),
    Case("session-id-number", {"session_id": 7}, "Unable to find session given session_id"),
    Case("session-id-boolean", {"session_id": True}, "Unable to find session given session_id"),
    Case("session-id-list", {"session_id": ["a"]}, "Unable to find session given session_id"),
    Case("session-id-unknown", CLIENT, "Unable to find session given session_id"),
    Case("session-id-control", {"session_id": "a\u0007b"}, NO_CLIENT),
    Case("session-id-megabyte", {"session_id": MEGABYTE}, NO_CLIENT),
    Case("show-session-id-string", {**CLIENT, "show_session_id": "1"},
         "show_session_id must be an integer"),
    Case("show-session-id-boolean", {**CLIENT, "show_session_id": True},
         "show_session_id must be an integer"),
    Case("show-session-id-float", {**CLIENT, "show_session_id": 1.0},
         "show_session_id must be an integer"),
]  # fmt: skip

TAG_NAME_TOO_LONG = "Tag name must be 100 characters or fewer"
TAG_CONTROL = "Tag name must not contain control characters"
COLOUR = {"colour": "#112233"}


def _bad_tag_fields(base: Callable[[Scene], dict[str, Any]]) -> list[Case]:
    def with_(**fields: Any) -> Callable[[Scene], dict[str, Any]]:
        return lambda s: {**base(s), **fields}

    return [
        Case("tag-missing", with_(**COLOUR), "Tag name missing"),
        Case("tag-null", with_(tag=None, **COLOUR), "Tag name missing"),
        Case("tag-blank", with_(tag=" \t ", **COLOUR), "Tag name missing"),
        Case("tag-number", with_(tag=5, **COLOUR), "Tag name must be a string"),
        Case("tag-boolean", with_(tag=False, **COLOUR), "Tag name must be a string"),
        Case("tag-list", with_(tag=["Preview"], **COLOUR), "Tag name must be a string"),
        Case("tag-megabyte", with_(tag=MEGABYTE, **COLOUR), TAG_NAME_TOO_LONG),
        Case("tag-101-characters", with_(tag="p" * 101, **COLOUR), TAG_NAME_TOO_LONG),
        Case("tag-nul", with_(tag="Press\u0000Night", **COLOUR), TAG_CONTROL),
        Case("tag-newline", with_(tag="Press\nNight", **COLOUR), TAG_CONTROL),
        Case("tag-escape", with_(tag="Press\u001bNight", **COLOUR), TAG_CONTROL),
        Case("tag-delete-character", with_(tag="Press\u007fNight", **COLOUR), TAG_CONTROL),
        Case("colour-missing", with_(tag="Gala"), "Colour missing"),
        Case("colour-null", with_(tag="Gala", colour=None), "Colour missing"),
        Case("colour-number", with_(tag="Gala", colour=0x112233), "Colour must be a string"),
        Case("colour-too-long", with_(tag="Gala", colour="#" * 33),
             "Colour must be 32 characters or fewer"),
        Case("colour-control", with_(tag="Gala", colour="#11\u000022"),
             "Colour must not contain control characters"),
    ]  # fmt: skip


CREATE_TAG_CASES = [
    *NOT_AN_OBJECT,
    *_bad_tag_fields(lambda s: {}),
    Case("duplicate-name-other-case", {"tag": "pREVIEW", **COLOUR},
         "Tag name already exists (case-insensitive)"),
]  # fmt: skip

EDIT_TAG_CASES = [
    *NOT_AN_OBJECT,
    Case("id-missing", {"tag": "Gala", **COLOUR}, "ID missing"),
    Case("id-null", {"id": None, "tag": "Gala", **COLOUR}, "ID missing"),
    Case("id-string", {"id": "1", "tag": "Gala", **COLOUR}, "ID must be an integer"),
    Case("id-boolean", {"id": True, "tag": "Gala", **COLOUR}, "ID must be an integer"),
    Case("id-float", {"id": 1.0, "tag": "Gala", **COLOUR}, "ID must be an integer"),
    Case("id-beyond-64-bits", {"id": 2**64, "tag": "Gala", **COLOUR}, "ID must be an integer"),
    Case("id-unknown", {"id": 987654, "tag": "Gala", **COLOUR}, "404 tag not found", 404),
    Case("id-of-another-show", lambda s: {"id": s.other_tag, "tag": "Gala", **COLOUR},
         "404 tag not found", 404),
    *_bad_tag_fields(lambda s: {"id": s.tag}),
]  # fmt: skip

LOGIN_CASES = [
    *NOT_AN_OBJECT,
    Case("empty-object", {}, "Username missing"),
    Case("username-null", {"username": None, "password": "password1"}, "Username missing"),
    Case("username-number", {"username": 1, "password": "password1"}, "Username missing"),
    Case("username-boolean", {"username": True, "password": "password1"}, "Username missing"),
    Case("username-megabyte", {"username": MEGABYTE, "password": "password1"}, "Username missing"),
    Case("password-missing", {"username": "admin"}, "Password missing"),
    Case("password-null", {"username": "admin", "password": None}, "Password missing"),
    Case("password-number", {"username": "admin", "password": 123456}, "Password missing"),
    Case("password-list", {"username": "admin", "password": ["password1"]}, "Password missing"),
    Case("session-id-number", {"username": "admin", "password": "password1", "session_id": 5},
         "session_id must be a string"),
    Case("password-megabyte", {"username": "admin", "password": MEGABYTE},
         "Invalid username/password", 401),
    Case("username-control", {"username": "ad\u0000min", "password": "password1"},
         "Username missing"),
]  # fmt: skip


@pytest.fixture
def scene(admin, show, io_loop) -> Scene:
    """Hamlet (loaded) with a tag and a scheduled session; Macbeth with a tag of its own."""

    async def setup() -> Scene:
        other = await admin.create_show("Macbeth")
        other_tag = await admin.create_tag("Matinee")
        other_revision = (await admin.get("/show/script/revisions/current")).json[
            "current_revision"
        ]
        await admin.load_show(show)
        tag = await admin.create_tag("Preview")
        session = await admin.schedule("2026-12-01T19:30:00", tag_ids=[tag])
        assert other != show
        return Scene(show, tag, session, other_tag, other_revision)

    return io_loop.run_sync(setup)  # type: ignore[no-any-return]


async def refusals(admin, database, method: str, path: str, cases: list[Case], scene: Scene):
    """Send every case; what went other than the contract says, one line per case."""
    problems: list[str] = []
    for case in cases:
        before = snapshot(database)
        r = await admin.request(method, path, **case.payload(scene))
        if (r.code, r.message) != (case.status, case.message):
            problems.append(f"{case.id}: wanted {case.status} {case.message!r}, got {r!r}")
        elif snapshot(database) != before:
            problems.append(f"{case.id}: the database changed")
    return problems


@pytest.mark.gen_test(timeout=120)
async def test_schedule_refuses_bad_input_and_changes_nothing(admin, database, scene):
    assert await refusals(admin, database, "POST", SCHEDULE, SCHEDULE_CASES, scene) == []


@pytest.mark.gen_test(timeout=120)
async def test_session_edit_refuses_bad_input_and_changes_nothing(admin, database, scene):
    path = f"/show/sessions/{scene.session}"
    assert await refusals(admin, database, "PATCH", path, PATCH_CASES, scene) == []


@pytest.mark.gen_test(timeout=120)
async def test_start_refuses_bad_input_and_changes_nothing(admin, database, scene):
    assert await refusals(admin, database, "POST", START, START_CASES, scene) == []


@pytest.mark.gen_test(timeout=120)
async def test_tag_create_refuses_bad_input_and_changes_nothing(admin, database, scene):
    assert await refusals(admin, database, "POST", TAGS, CREATE_TAG_CASES, scene) == []


@pytest.mark.gen_test(timeout=120)
async def test_tag_edit_refuses_bad_input_and_changes_nothing(admin, database, scene):
    assert await refusals(admin, database, "PATCH", TAGS, EDIT_TAG_CASES, scene) == []


@pytest.mark.gen_test(timeout=120)
async def test_login_refuses_bad_input_and_changes_nothing(admin, database, scene):
    assert await refusals(admin, database, "POST", LOGIN, LOGIN_CASES, scene) == []


NOT_INTEGERS = ["abc", "-1", "1.5", "0x1", "99999999999999999999", "%20", "1%00", "%E2%91%A0"]


@pytest.mark.gen_test(timeout=120)
async def test_session_edit_and_delete_of_a_path_id_that_is_not_an_integer_is_404(
    admin, database, scene
):
    before = snapshot(database)
    for raw in NOT_INTEGERS:
        edit = await admin.patch(f"/show/sessions/{raw}", {"tag_ids": []})
        delete = await admin.delete(f"/show/sessions/{raw}")
        log = await admin.get(f"/show/sessions/{raw}/log")
        for r in (edit, delete, log):
            assert (r.code, r.message) == (404, "404 session not found"), (raw, r)
    assert snapshot(database) == before


# Valid offsets: accepted and converted to UTC, as the contract says.
OFFSETS = [
    ("2026-12-01T19:30:00+14:00", "2026-12-01T05:30:00"),
    ("2026-12-01T19:30:00-12:00", "2026-12-02T07:30:00"),
    ("2026-12-01T19:30:00Z", "2026-12-01T19:30:00"),
    ("1970-01-01T14:00:00+14:00", "1970-01-01T00:00:00"),
    ("9998-12-31T11:59:59-12:00", "9998-12-31T23:59:59"),
    # The edges of the accepted range, without an offset.
    ("1970-01-01T00:00:00", "1970-01-01T00:00:00"),
    ("9998-12-31T23:59:59", "9998-12-31T23:59:59"),
]


async def _scheduled_time(admin, session_id: int) -> str:
    r = await admin.get(f"/show/sessions/{session_id}/log")
    assert r.code == 200, r
    return str(r.json["session"]["scheduled_date_time"])


@pytest.mark.gen_test(timeout=60)
async def test_schedule_converts_valid_offsets_to_utc(admin, scene):
    stored = {}
    for sent, _utc in OFFSETS:
        r = await admin.post(SCHEDULE, {"scheduled_date_time": sent})
        assert r.code == 200, (sent, r)
        stored[sent] = await _scheduled_time(admin, r.json["id"])
    assert stored == dict(OFFSETS)


@pytest.mark.gen_test(timeout=60)
async def test_session_edit_converts_valid_offsets_to_utc(admin, scene):
    stored = {}
    for sent, _utc in OFFSETS:
        r = await admin.patch(f"/show/sessions/{scene.session}", {"scheduled_date_time": sent})
        assert r.code == 200, (sent, r)
        stored[sent] = await _scheduled_time(admin, scene.session)
    assert stored == dict(OFFSETS)


QUERY_IDS = ["%FF", "%C3%28", "abc", "1.5", "%00", "99999999999999999999999"]


@pytest.mark.gen_test(timeout=60)
async def test_tag_delete_refuses_a_query_id_that_is_not_an_integer(admin, database, scene):
    before = snapshot(database)
    answers = {raw: await admin.delete(f"{TAGS}?id={raw}") for raw in QUERY_IDS}
    assert {raw: (r.code, r.message) for raw, r in answers.items()} == {
        raw: (400, "ID must be an integer") for raw in QUERY_IDS
    }
    assert snapshot(database) == before


@pytest.mark.gen_test(timeout=60)
async def test_user_delete_refuses_a_query_id_that_is_not_an_integer(admin, database, scene):
    before = snapshot(database)
    wanted = {raw: (400, "Id must be an integer") for raw in QUERY_IDS}
    # An integer too big for any id column names no user.
    wanted["99999999999999999999999"] = (404, "User not found")
    answers = {raw: await admin.delete(f"/api/v2/users?id={raw}") for raw in QUERY_IDS}
    assert {raw: (r.code, r.message) for raw, r in answers.items()} == wanted
    assert snapshot(database) == before

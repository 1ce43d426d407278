"""Cancelling and reinstating a performance: POST /api/v1/show/sessions/{id}/cancel and
.../reinstate. A cancelled session is kept with its reason, has status "cancelled" and no
performance number, is never next up, cannot be started (409), and both are logged."""

from __future__ import annotations

import pytest

CLOCK_DAY = "2026-11-23"  # the clock fixture's day


async def cancel(api, session_id, reason="Lead actor ill", **kwargs):
    return await api.post(f"/show/sessions/{session_id}/cancel", {"reason": reason}, **kwargs)


@pytest.mark.gen_test
async def test_a_cancelled_session_is_kept_with_its_reason_and_numbers_skip_it(admin, show):
    first = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    second = await admin.schedule("2026-11-24T19:30:00")
    third = await admin.schedule("2026-11-25T19:30:00")
    r = await cancel(admin, second)
    assert (r.code, r.json) == (200, {"message": "Successfully cancelled show session"})
    listed = {s["id"]: s for s in (await admin.sessions())["sessions"]}
    assert listed[second]["status"] == "cancelled"
    assert listed[second]["cancel_reason"] == "Lead actor ill"
    assert listed[second]["cancelled_at"] == "2026-11-23T12:00:00"
    assert [listed[i]["performance_number"] for i in (first, second, third)] == [1, None, 2]


@pytest.mark.gen_test
async def test_a_cancelled_session_is_never_next_up(admin, show):
    first = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    second = await admin.schedule("2026-11-24T19:30:00")
    assert (await admin.session(first))["status"] == "next_up"
    assert (await cancel(admin, first)).code == 200
    assert (await admin.session(first))["status"] == "cancelled"
    assert (await admin.session(second))["status"] == "next_up"
    log = (await admin.get(f"/show/sessions/{first}/log")).json
    assert log["session"]["status"] == "cancelled"
    assert log["session"]["performance_number"] is None
    second_log = (await admin.get(f"/show/sessions/{second}/log")).json
    assert (second_log["session"]["status"], second_log["session"]["performance_number"]) == (
        "next_up",
        1,
    )


@pytest.mark.gen_test
async def test_a_cancelled_session_cannot_start(admin, show, ws_connect):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    await cancel(admin, sid)
    client = await ws_connect()
    r = await admin.start(client.internal_id, sid)
    assert (r.code, r.json["message"]) == (409, "409 session cancelled")
    data = await admin.sessions()
    assert data["current_session"] is None
    assert (await admin.session(sid))["start_date_time"] is None


@pytest.mark.gen_test
async def test_reinstating_schedules_it_again(admin, show, ws_connect):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    await cancel(admin, sid)
    r = await admin.post(f"/show/sessions/{sid}/reinstate")
    assert (r.code, r.json) == (200, {"message": "Successfully reinstated show session"})
    session = await admin.session(sid)
    assert (session["status"], session["cancelled_at"], session["cancel_reason"]) == (
        "next_up",
        None,
        None,
    )
    assert session["performance_number"] == 1
    client = await ws_connect()
    assert (await admin.start(client.internal_id, sid)).code == 200


@pytest.mark.gen_test
async def test_both_are_logged(admin, show):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    await cancel(admin, sid, "Snow")
    await admin.post(f"/show/sessions/{sid}/reinstate")
    events = (await admin.get(f"/show/sessions/{sid}/log")).json["events"]
    assert [(e["kind"], e["details"], e["username"]) for e in events[1:]] == [
        ("cancelled", {"reason": "Snow"}, "admin"),
        ("reinstated", {"reason": "Snow"}, "admin"),
    ]


@pytest.mark.gen_test
async def test_state_conflicts_are_409(admin, show, ws_connect):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    r = await admin.post(f"/show/sessions/{sid}/reinstate")
    assert (r.code, r.json["message"]) == (409, "409 session not cancelled")
    await cancel(admin, sid)
    r = await cancel(admin, sid)
    assert (r.code, r.json["message"]) == (409, "409 session already cancelled")
    other = await admin.schedule("2026-11-24T19:30:00")
    client = await ws_connect()
    assert (await admin.start(client.internal_id, other)).code == 200
    r = await cancel(admin, other)
    assert (r.code, r.json["message"]) == (409, "409 session already started")


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "reason missing"), ({"reason": "  "}, "reason missing"), ({"reason": 3}, "reason must")],
)
@pytest.mark.gen_test
async def test_a_reason_is_needed(admin, show, body, message):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    r = await admin.post(f"/show/sessions/{sid}/cancel", body)
    assert r.code == 400
    assert r.json["message"].startswith(message)
    assert (await admin.session(sid))["status"] == "next_up"


@pytest.mark.gen_test
async def test_missing_or_another_shows_session_is_404(admin, show):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    await admin.create_show("Macbeth", load=True)
    for path in (f"/show/sessions/{sid}/cancel", f"/show/sessions/{sid}/reinstate"):
        r = await admin.post(path, {"reason": "x"})
        assert (r.code, r.json["message"]) == (404, "404 session not found")
    r = await admin.post("/show/sessions/abc/cancel", {"reason": "x"})
    assert r.code == 404


@pytest.mark.gen_test
async def test_a_cancelled_session_can_still_be_edited_and_stays_cancelled(admin, show):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    await cancel(admin, sid)
    r = await admin.patch(f"/show/sessions/{sid}", {"scheduled_date_time": "2026-12-01T19:30:00"})
    assert r.code == 200
    session = await admin.session(sid)
    assert (session["scheduled_date_time"], session["status"]) == (
        "2026-12-01T19:30:00",
        "cancelled",
    )
    assert (await admin.delete(f"/show/sessions/{sid}")).code == 200


@pytest.mark.gen_test
async def test_clients_are_told(admin, show, ws_connect):
    sid = await admin.schedule(f"{CLOCK_DAY}T19:30:00")
    client = await ws_connect()
    await cancel(admin, sid)
    assert (await client.receive())["ACTION"] == "GET_SHOW_SESSION_DATA"
    await admin.post(f"/show/sessions/{sid}/reinstate")
    assert (await client.receive())["ACTION"] == "GET_SHOW_SESSION_DATA"

import pytest


@pytest.mark.gen_test
async def test_health_answers_ok_with_the_version(api):
    r = await api.get("/health")
    assert r.code == 200
    assert r.json == {"status": "ok", "version": "0.1.0"}


@pytest.mark.gen_test
async def test_schedule_then_list(admin, show):
    sid = await admin.schedule("2026-12-01T19:30:00")
    data = await admin.sessions()
    assert [s["id"] for s in data["sessions"]] == [sid]

"""One browser log message sent to POST /api/v1/logs ends up in the server log, kept or dropped
by the same rules as a batch's entries."""

from __future__ import annotations

import logging
from typing import Any

import pytest

TRACE = 5


def client_records(caplog: Any) -> list[logging.LogRecord]:
    return [rec for rec in caplog.records if rec.name == "client"]


@pytest.mark.gen_test
async def test_an_entry_is_written_at_its_level_with_user_and_extra(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    r = await admin.post("/logs", {"level": "WARN", "message": "slow", "extra": {"page": "cue"}})
    assert r.code == 200
    assert r.json == {"status": "ok", "dropped": 0}
    (rec,) = client_records(caplog)
    assert rec.levelno == logging.WARNING
    assert "admin" in rec.getMessage()
    assert rec.getMessage().endswith('slow | {"page": "cue"}')


@pytest.mark.gen_test
async def test_anonymous_browsers_may_log_one_entry(api, caplog):
    caplog.set_level(TRACE, logger="client")
    r = await api.post("/logs", {"level": "ERROR", "message": "boom"})
    assert r.code == 200
    (rec,) = client_records(caplog)
    assert "[anonymous " in rec.getMessage()


@pytest.mark.gen_test
async def test_an_entry_below_the_client_log_level_is_not_written(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    r = await admin.post("/logs", {"level": "DEBUG", "message": "d"})
    assert r.json == {"status": "ok", "dropped": 0}
    assert client_records(caplog) == []
    await admin.patch("/settings", {"client_log_level": "DEBUG"})
    await admin.post("/logs", {"level": "DEBUG", "message": "d"})
    assert [rec.levelno for rec in client_records(caplog)] == [logging.DEBUG]


@pytest.mark.gen_test
async def test_nothing_is_written_while_client_logging_is_disabled(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    await admin.patch("/settings", {"client_log_enabled": False})
    r = await admin.post("/logs", {"level": "ERROR", "message": "e"})
    assert r.code == 200
    assert client_records(caplog) == []


@pytest.mark.gen_test
async def test_one_entry_is_one_line_of_the_log(api, caplog):
    caplog.set_level(TRACE, logger="client")
    await api.post("/logs", {"level": "INFO", "message": "one\nforged line"})
    (rec,) = client_records(caplog)
    assert "\n" not in rec.getMessage()


@pytest.mark.parametrize(
    "body, message",
    [
        ({"message": "no level"}, "level missing"),
        ({"level": "LOUD", "message": "x"}, "level must be one of TRACE, DEBUG, INFO, WARN, ERROR"),
        ({"level": "INFO"}, "message missing"),
        ({"level": "INFO", "message": "x", "extra": [1]}, "extra must be an object"),
        ([{"level": "INFO", "message": "x"}], "Invalid JSON body"),
    ],
)
@pytest.mark.gen_test
async def test_a_bad_entry_is_refused(api, caplog, body, message):
    caplog.set_level(TRACE, logger="client")
    r = await api.post("/logs", body)
    assert r.code == 400
    assert r.json == {"message": message}
    assert client_records(caplog) == []


@pytest.mark.gen_test
async def test_a_body_that_is_not_json_is_refused(api):
    r = await api.request("POST", "/logs", raw="{level: ")
    assert r.code == 400
    assert r.json == {"message": "Invalid JSON body"}


@pytest.mark.gen_test
async def test_at_most_64_kb_in_one_entry(api, caplog):
    caplog.set_level(TRACE, logger="client")
    r = await api.post("/logs", {"level": "INFO", "message": "x" * 65536})
    assert r.code == 400
    assert r.json == {"message": "Log entry too large: at most 65536 bytes"}
    assert client_records(caplog) == []
    assert (await api.post("/logs", {"level": "INFO", "message": "x" * 65000})).code == 200


@pytest.mark.gen_test
async def test_single_entries_share_the_address_allowance_with_batches(api, caplog, clock):
    from server.handlers.logs import ENTRY_MIN_COST, LOG_BURST

    caplog.set_level(TRACE, logger="client")
    allowed = LOG_BURST // ENTRY_MIN_COST  # short entries each count as ENTRY_MIN_COST bytes
    for size in (allowed // 2, allowed - allowed // 2):
        batch = [{"level": "ERROR", "message": "x"}] * size
        assert (await api.post("/logs/batch", {"batch": batch})).json["dropped"] == 0
    caplog.clear()
    r = await api.post("/logs", {"level": "ERROR", "message": "one too many"})
    assert r.json == {"status": "ok", "dropped": 1}
    assert client_records(caplog) == []
    warnings = [rec for rec in caplog.records if "entries dropped" in rec.getMessage()]
    assert len(warnings) == 1

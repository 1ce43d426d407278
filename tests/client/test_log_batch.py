"""Browser log messages sent to POST /api/v1/logs/batch end up in the server log."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest

TRACE = 5


def client_records(caplog: Any) -> list[logging.LogRecord]:
    return [rec for rec in caplog.records if rec.name == "client"]


def entry(level: str, message: Any = "hello", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"level": level, "message": message}
    if extra:
        body["extra"] = extra
    return body


@pytest.mark.gen_test
async def test_a_batch_is_written_to_the_client_log_at_each_entrys_level(api, caplog):
    caplog.set_level(TRACE, logger="client")
    batch = [entry("INFO", "boot"), entry("WARN", "slow"), entry("ERROR", "boom")]
    r = await api.post("/logs/batch", {"batch": batch})
    assert r.code == 200
    assert r.json == {"status": "ok", "dropped": 0}
    levels_and_ends = [(rec.levelno, rec.getMessage()[-4:]) for rec in client_records(caplog)]
    assert levels_and_ends == [
        (logging.INFO, "boot"),
        (logging.WARNING, "slow"),
        (logging.ERROR, "boom"),
    ]


@pytest.mark.gen_test
async def test_entries_below_the_client_log_level_are_dropped(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    batch = [entry(level, level.lower()) for level in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")]
    await admin.post("/logs/batch", {"batch": batch})
    assert [rec.levelno for rec in client_records(caplog)] == [
        logging.INFO,
        logging.WARNING,
        logging.ERROR,
    ]


@pytest.mark.gen_test
async def test_a_lower_client_log_level_keeps_debug_and_trace(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    await admin.patch("/settings", {"client_log_level": "TRACE"})
    batch = [entry("TRACE", "t"), entry("DEBUG", "d")]
    await admin.post("/logs/batch", {"batch": batch})
    assert [rec.levelno for rec in client_records(caplog)] == [TRACE, logging.DEBUG]


@pytest.mark.gen_test
async def test_a_higher_client_log_level_drops_warnings(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    await admin.patch("/settings", {"client_log_level": "ERROR"})
    await admin.post("/logs/batch", {"batch": [entry("WARN", "w"), entry("ERROR", "e")]})
    assert [rec.getMessage()[-1] for rec in client_records(caplog)] == ["e"]


@pytest.mark.gen_test
async def test_nothing_is_written_while_client_logging_is_disabled(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    await admin.patch("/settings", {"client_log_enabled": False})
    r = await admin.post("/logs/batch", {"batch": [entry("ERROR", "e")]})
    assert r.code == 200
    assert client_records(caplog) == []


@pytest.mark.gen_test
async def test_the_log_line_names_the_user_and_carries_the_extra(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    batch = [entry("ERROR", "Unhandled Error: x is undefined", lineno=12, filename="app.js")]
    await admin.post("/logs/batch", {"batch": batch})
    (record,) = client_records(caplog)
    text = record.getMessage()
    assert text.startswith("[admin ")
    assert "Unhandled Error: x is undefined" in text
    assert json.dumps({"lineno": 12, "filename": "app.js"}) in text


@pytest.mark.gen_test
async def test_anonymous_browsers_and_stale_tokens_may_log(api, caplog):
    caplog.set_level(TRACE, logger="client")
    r = await api.post("/logs/batch", {"batch": [entry("INFO", "hi")]}, token="not.a.token")
    assert r.code == 200
    (record,) = client_records(caplog)
    assert record.getMessage().startswith("[anonymous ")


@pytest.mark.gen_test
async def test_one_entry_is_one_line_of_the_log(api, caplog):
    caplog.set_level(TRACE, logger="client")
    await api.post("/logs/batch", {"batch": [entry("INFO", "first\nINFO forged line")]})
    (record,) = client_records(caplog)
    assert "\n" not in record.getMessage()
    assert "first\\nINFO forged line" in record.getMessage()


@pytest.mark.gen_test
async def test_a_message_that_is_not_text_is_logged_as_json(api, caplog):
    caplog.set_level(TRACE, logger="client")
    await api.post("/logs/batch", {"batch": [entry("INFO", {"state": [1, 2]})]})
    (record,) = client_records(caplog)
    assert record.getMessage().endswith('{"state": [1, 2]}')


@pytest.mark.gen_test
async def test_an_empty_batch_is_fine(api):
    r = await api.post("/logs/batch", {"batch": []})
    assert r.code == 200
    assert r.json == {"status": "ok", "dropped": 0}


@pytest.mark.parametrize("body", [{}, {"entries": []}, [entry("INFO")], "batch"])
@pytest.mark.gen_test
async def test_a_body_without_a_batch_key_is_refused(api, caplog, body):
    r = await api.post("/logs/batch", body)
    assert r.code == 400
    assert r.json == {"message": "Expected JSON object with 'batch' key"}
    assert client_records(caplog) == []


@pytest.mark.parametrize("batch", [{"level": "INFO"}, "hello", None, 3])
@pytest.mark.gen_test
async def test_a_batch_that_is_not_a_list_is_refused(api, batch):
    r = await api.post("/logs/batch", {"batch": batch})
    assert r.code == 400
    assert r.json == {"message": "Expected 'batch' to be a list of log entries"}


@pytest.mark.gen_test
async def test_a_body_that_is_not_json_is_refused(api):
    r = await api.request("POST", "/logs/batch", raw="{batch: [")
    assert r.code == 400
    assert r.json == {"message": "Invalid JSON body"}


@pytest.mark.parametrize(
    "bad, message",
    [
        ("not an entry", "Log entry 1 must be an object"),
        ({"message": "no level"}, "Log entry 1: level missing"),
        (
            {"level": "LOUD", "message": "x"},
            "Log entry 1: level must be one of TRACE, DEBUG, INFO, WARN, ERROR",
        ),
        ({"level": "INFO"}, "Log entry 1: message missing"),
        ({"level": "INFO", "message": "x", "extra": [1]}, "Log entry 1: extra must be an object"),
    ],
)
@pytest.mark.gen_test
async def test_a_bad_entry_refuses_the_whole_batch(api, caplog, bad, message):
    caplog.set_level(TRACE, logger="client")
    r = await api.post("/logs/batch", {"batch": [entry("ERROR", "fine"), bad]})
    assert r.code == 400
    assert r.json == {"message": message}
    assert client_records(caplog) == []


@pytest.mark.gen_test
async def test_at_most_500_entries_in_one_batch(api, caplog):
    caplog.set_level(TRACE, logger="client")
    assert (await api.post("/logs/batch", {"batch": [entry("INFO", "x")] * 500})).code == 200
    caplog.clear()
    r = await api.post("/logs/batch", {"batch": [entry("INFO", "x")] * 501})
    assert r.code == 400
    assert r.json == {"message": "Too many log entries: at most 500 in one batch"}
    assert client_records(caplog) == []


@pytest.mark.gen_test
async def test_at_most_64_kb_in_one_batch(api, caplog):
    caplog.set_level(TRACE, logger="client")
    r = await api.post("/logs/batch", {"batch": [entry("INFO", "x" * 65536)]})
    assert r.code == 400
    assert r.json == {"message": "Log batch too large: at most 65536 bytes in one batch"}
    assert client_records(caplog) == []
    fits = {"batch": [entry("INFO", "x" * 65000)]}
    assert len(json.dumps(fits)) <= 65536
    assert (await api.post("/logs/batch", fits)).code == 200


# -- what one client address may write ---------------------------------------------------------


def full_batch(size: int = 50) -> list[dict[str, Any]]:
    """500 entries of `size` characters each."""
    return [entry("ERROR", "x" * size) for _ in range(500)]


def dropped_warnings(caplog: Any) -> list[str]:
    return [
        rec.getMessage()
        for rec in caplog.records
        if rec.name == "server.handlers.logs" and "entries dropped" in rec.getMessage()
    ]


@pytest.mark.gen_test
async def test_entries_over_an_address_allowance_are_dropped_counted_and_warned_once(
    api, caplog, clock
):
    from server.handlers.logs import ENTRY_MIN_COST, LOG_BURST

    caplog.set_level(TRACE, logger="client")
    allowed = LOG_BURST // ENTRY_MIN_COST  # short entries each count as ENTRY_MIN_COST bytes
    written = 0
    answers = []
    for _ in range(3):
        r = await api.post("/logs/batch", {"batch": full_batch()})
        assert r.code == 200
        answers.append(r.json)
        written = len(client_records(caplog))
    assert written == allowed
    assert answers[0] == {"status": "ok", "dropped": max(0, 500 - allowed)}
    assert sum(a["dropped"] for a in answers) == 3 * 500 - allowed
    # One warning line says so, not one per batch or per entry.
    (warning,) = dropped_warnings(caplog)
    assert "127.0.0.1" in warning and "entries dropped" in warning


@pytest.mark.gen_test
async def test_the_allowance_comes_back_with_time(api, caplog, clock):
    from server.handlers.logs import ENTRY_MIN_COST, LOG_RATE, WARN_EVERY

    caplog.set_level(TRACE, logger="client")
    while (await api.post("/logs/batch", {"batch": full_batch()})).json["dropped"] == 0:
        pass
    caplog.clear()
    clock.advance(dt.timedelta(seconds=1))
    r = await api.post("/logs/batch", {"batch": full_batch()})
    assert len(client_records(caplog)) == LOG_RATE // ENTRY_MIN_COST
    assert r.json["dropped"] == 500 - LOG_RATE // ENTRY_MIN_COST
    assert dropped_warnings(caplog) == []  # warned a second ago already
    clock.advance(dt.timedelta(seconds=WARN_EVERY))
    caplog.clear()
    for _ in range(2):
        await api.post("/logs/batch", {"batch": full_batch()})
    assert len(dropped_warnings(caplog)) == 1


@pytest.mark.gen_test
async def test_long_entries_use_up_the_allowance_by_their_size(api, caplog, clock):
    from server.handlers.logs import LOG_BURST

    caplog.set_level(TRACE, logger="client")
    long = entry("ERROR", "y" * 10_000)
    for _ in range(4):
        await api.post("/logs/batch", {"batch": [long] * 6})
    written = sum(len(rec.getMessage()) for rec in client_records(caplog))
    assert len(client_records(caplog)) == LOG_BURST // 10_000
    assert written <= LOG_BURST + 100 * len(client_records(caplog))


@pytest.mark.gen_test
async def test_entries_below_the_level_or_with_logging_disabled_use_no_allowance(admin, caplog):
    caplog.set_level(TRACE, logger="client")
    debug = [entry("DEBUG", "x" * 50) for _ in range(500)]
    for _ in range(5):
        r = await admin.post("/logs/batch", {"batch": debug})
        assert r.json == {"status": "ok", "dropped": 0}
    r = await admin.post("/logs/batch", {"batch": full_batch()})
    assert r.json == {"status": "ok", "dropped": 0}
    assert len(client_records(caplog)) == 500

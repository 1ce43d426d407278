"""The Sessions tab in the browser: scheduling in local time, editing, deleting, starting and
stopping, the log, live updates from elsewhere, roles, and the server's errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ADMIN,
    TIMEZONE,
    Api,
    LiveClient,
    Server,
    dialog,
    first_admin,
    sign_in,
)

pytestmark = pytest.mark.browser

LOCAL = ZoneInfo(TIMEZONE)
READ = 1


def evening(days_ahead: int, hour: int = 19, minute: int = 30) -> dt.datetime:
    """A performance time in the browser's time zone, some days from now. September is skipped:
    its short English name differs between ICU versions ("Sep"/"Sept")."""
    day = dt.datetime.now(LOCAL).date() + dt.timedelta(days=days_ahead)
    if day.month == 9:
        day += dt.timedelta(days=30)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def utc_text(when: dt.datetime) -> str:
    """How the API writes an instant: UTC, no offset."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def date_text(when: dt.datetime) -> str:
    """The page's date for a British-English browser, e.g. "Sat, 5 Dec 2026"."""
    return f"{when:%a}, {when.day} {when:%b %Y}"


def row(page: Any, session_id: int) -> Any:
    return page.locator(f'table.sessions-table tr[data-session-id="{session_id}"]')


def signed_in_page(new_page: Any, width: int = 1280) -> Any:
    page = new_page(width=width)
    sign_in(page, *ADMIN)
    return page


# One server for the module: each test loads a show of its own, which is all the page shows.
@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


@pytest.fixture
def tags(admin_api: Api, show_id: int) -> dict[str, int]:
    return {
        "Preview": admin_api.create_tag("Preview", "#2563eb"),
        "Press Night": admin_api.create_tag("Press Night", "#dc2626"),
    }


def test_the_table_has_the_documented_columns(new_page: Any, admin_api: Api, tags: dict):
    admin_api.schedule(utc_text(evening(10)))
    page = signed_in_page(new_page)
    expect(page.locator("table.sessions-table thead th")).to_have_text(
        ["Date · Time", "Tags", "Revision", "Status", "Ran", "Actions"]
    )


def test_scheduling_shows_the_local_time_and_stores_the_utc_instant(
    new_page: Any, admin_api: Api, tags: dict
):
    when = evening(20)
    page = signed_in_page(new_page)
    page.get_by_role("button", name="+ Schedule Session").click()
    form = dialog(page, "schedule-session")
    revisions = admin_api.ok("GET", "/show/script/revisions")
    expect(form.get_by_label("Script revision")).to_have_value(str(revisions["current_revision"]))
    form.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Preview").check()
    form.get_by_role("button", name="Schedule session").click()

    rows = page.locator("table.sessions-table tr[data-session-id]")
    expect(rows).to_have_count(1)
    expect(rows.locator(".when-date")).to_have_text(date_text(when))
    expect(rows.locator(".when-time")).to_have_text("19:30")
    expect(rows.locator(".col-tags")).to_have_text("Preview")
    expect(rows.locator(".col-rev")).to_have_text("Rev 1")
    expect(rows.locator(".col-status")).to_have_text("Next Up")
    [stored] = admin_api.sessions()
    assert stored["scheduled_date_time"] == utc_text(when)
    assert [t["id"] for t in stored["tags"]] == [tags["Preview"]]
    assert stored["script_revision_id"] == revisions["current_revision"]


def test_a_later_session_is_scheduled_behind_the_next_one(
    new_page: Any, admin_api: Api, tags: dict
):
    first = admin_api.schedule(utc_text(evening(5)))
    later = admin_api.schedule(utc_text(evening(6)))
    page = signed_in_page(new_page)
    expect(row(page, first).locator(".col-status")).to_have_text("Next Up")
    expect(row(page, later).locator(".col-status")).to_have_text("Scheduled")


def test_editing_a_session_updates_its_row(new_page: Any, admin_api: Api, tags: dict):
    when = evening(12)
    session_id = admin_api.schedule(utc_text(when), [tags["Preview"]])
    page = signed_in_page(new_page)

    row(page, session_id).get_by_role("button", name="Edit").click()
    form = dialog(page, "edit-session")
    expect(form.get_by_label("Date and time")).to_have_value(when.strftime("%Y-%m-%dT%H:%M"))
    moved = when + dt.timedelta(days=1, minutes=30)
    form.get_by_label("Date and time").fill(moved.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Preview").uncheck()
    form.get_by_label("Press Night").check()
    form.get_by_role("button", name="Save changes").click()

    expect(row(page, session_id).locator(".when-time")).to_have_text("20:00")
    expect(row(page, session_id).locator(".when-date")).to_have_text(date_text(moved))
    expect(row(page, session_id).locator(".col-tags")).to_have_text("Press Night")
    stored = admin_api.session(session_id)
    assert stored["scheduled_date_time"] == utc_text(moved)
    assert [t["tag"] for t in stored["tags"]] == ["Press Night"]


def test_deleting_a_session_asks_first_and_removes_its_row(
    new_page: Any, admin_api: Api, tags: dict
):
    kept = admin_api.schedule(utc_text(evening(7)))
    when = evening(8, 14, 0)
    doomed = admin_api.schedule(utc_text(when), [tags["Press Night"]])
    page = signed_in_page(new_page)

    row(page, doomed).get_by_role("button", name="Delete").click()
    confirm = dialog(page, "delete-session")
    expect(confirm.locator(".modal-meta")).to_contain_text(f"{date_text(when)} · 14:00")
    confirm.get_by_role("button", name="Delete session").click()

    expect(row(page, doomed)).to_have_count(0)
    expect(row(page, kept)).to_have_count(1)
    assert [s["id"] for s in admin_api.sessions()] == [kept]


def test_cancelling_the_delete_keeps_the_session(new_page: Any, admin_api: Api, tags: dict):
    session_id = admin_api.schedule(utc_text(evening(7)))
    page = signed_in_page(new_page)
    row(page, session_id).get_by_role("button", name="Delete").click()
    dialog(page, "delete-session").get_by_role("button", name="Cancel").click()
    expect(dialog(page, "delete-session")).to_have_count(0)
    expect(row(page, session_id)).to_have_count(1)
    assert [s["id"] for s in admin_api.sessions()] == [session_id]


def test_starting_stopping_and_reading_the_log_of_a_scheduled_session(
    new_page: Any, admin_api: Api, tags: dict
):
    when = evening(3)
    session_id = admin_api.schedule(utc_text(when), [tags["Preview"], tags["Press Night"]])
    page = signed_in_page(new_page)

    row(page, session_id).get_by_role("button", name="Start").click()
    confirm = dialog(page, "start-session")
    header = confirm.locator(".modal-meta")
    expect(header).to_contain_text(f"{date_text(when)} · 19:30")
    expect(header.locator(".chip")).to_have_text(["Preview", "Press Night"])
    # Days before its time: the dialog says how far off it is before anything goes live.
    expect(confirm.locator(".warn .gap")).to_have_text(re.compile(r"^\d days( \d+ h)? from now$"))
    confirm.get_by_role("button", name="Start anyway").click()
    expect(row(page, session_id).locator(".col-status")).to_have_text("In Progress")
    expect(page.locator(".live-banner")).to_contain_text("Live now")

    row(page, session_id).get_by_role("button", name="Stop").click()
    dialog(page, "stop-session").get_by_role("button", name="Stop session").click()
    expect(row(page, session_id).locator(".col-status")).to_have_text("Complete")
    expect(page.locator(".live-banner")).to_have_count(0)

    row(page, session_id).get_by_role("button", name="View Log").click()
    log = dialog(page, "session-log")
    expect(log.locator(".event-kind")).to_have_text(["Scheduled", "Started", "Stopped"])
    expect(log.locator(".run-time")).to_have_text(re.compile(r"^\d+ s$"))
    stored = admin_api.ok("GET", f"/show/sessions/{session_id}/log")
    assert [e["kind"] for e in stored["events"]] == ["scheduled", "started", "stopped"]
    assert stored["session"]["status"] == "complete"


def test_an_ad_hoc_start_is_confirmed_first(new_page: Any, admin_api: Api, show_id: int):
    page = signed_in_page(new_page)
    page.get_by_role("button", name="Start Ad-hoc Session").click()
    confirm = dialog(page, "start-ad-hoc")
    expect(confirm.locator(".modal-meta")).to_contain_text("Now")
    assert admin_api.sessions() == []
    confirm.get_by_role("button", name="Start session").click()

    rows = page.locator("table.sessions-table tr[data-session-id]")
    expect(rows.locator(".col-status")).to_have_text(["In Progress"])
    expect(rows.locator(".sub")).to_have_text(["Ad-hoc"])
    [stored] = admin_api.sessions()
    assert stored["scheduled_date_time"] is None
    assert stored["status"] == "in_progress"


def test_a_second_browser_sees_a_new_session_without_reloading(
    new_page: Any, admin_api: Api, tags: dict
):
    watcher = signed_in_page(new_page)
    expect(watcher.get_by_text("No sessions yet")).to_be_visible()
    watcher.evaluate("window.stillTheSamePage = true")
    page = signed_in_page(new_page)

    page.get_by_role("button", name="+ Schedule Session").click()
    form = dialog(page, "schedule-session")
    form.get_by_label("Date and time").fill(evening(9).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Press Night").check()
    form.get_by_role("button", name="Schedule session").click()

    rows = watcher.locator("table.sessions-table tr[data-session-id]")
    expect(rows).to_have_count(1)
    expect(rows.locator(".col-tags")).to_have_text("Press Night")
    assert watcher.evaluate("window.stillTheSamePage") is True


def test_a_second_browser_sees_a_new_tag_without_reloading(
    new_page: Any, admin_api: Api, show_id: int
):
    watcher = signed_in_page(new_page)
    watcher.get_by_role("tab", name="Tags").click()
    expect(watcher.get_by_text("No tags yet")).to_be_visible()
    admin_api.create_tag("Matinee", "#d97706")
    expect(watcher.locator("table.tags-table tbody tr")).to_have_text([re.compile("Matinee")])


def test_a_read_only_user_sees_sessions_but_no_controls(
    new_page: Any, admin_api: Api, show_id: int, tags: dict
):
    session_id = admin_api.schedule(utc_text(evening(4)), [tags["Preview"]])
    admin_api.create_user("reader", "password1")
    reader_id = admin_api.login("reader", "password1").ok("GET", "/auth")["id"]
    grant = {"resource": "shows", "object": {"id": show_id}, "user": reader_id, "role": READ}
    admin_api.ok("POST", "/rbac/user/roles/grant", grant)

    page = new_page()
    sign_in(page, "reader", "password1")
    expect(page.locator(".user-role")).to_have_text("Read only")
    expect(row(page, session_id).locator(".col-tags")).to_have_text("Preview")
    for label in ("+ Schedule Session", "Start Ad-hoc Session", "Edit", "Delete", "Start"):
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
    page.get_by_role("tab", name="Tags").click()
    expect(page.locator("table.tags-table tbody tr")).to_have_count(2)
    for label in ("+ New Tag", "Edit", "Delete"):
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)


def test_a_conflict_from_elsewhere_is_shown_with_the_servers_message(
    new_page: Any, admin_api: Api, tags: dict, live_client: LiveClient
):
    session_id = admin_api.schedule(utc_text(evening(2)))
    page = signed_in_page(new_page)
    row(page, session_id).get_by_role("button", name="Edit").click()
    form = dialog(page, "edit-session")
    form.get_by_label("Press Night").check()

    start = {"session_id": live_client.uuid, "show_session_id": session_id}
    admin_api.ok("POST", "/show/sessions/start", start)
    form.get_by_role("button", name="Save changes").click()

    alert = form.get_by_role("alert")
    expect(alert.locator(".error-plain")).to_have_text(
        "This performance has already started, so it cannot be changed now."
    )
    expect(alert.locator(".error-server")).to_have_text("Server: 409 session already started")
    assert admin_api.session(session_id)["tags"] == []

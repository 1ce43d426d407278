"""Planning a run in the browser: the Plan a run dialog (a weekly pattern, previewed, then made
at once) counted in user actions, Duplicate and Save and add another, CSV import and export, the
calendar subscription, cancelled performances, and times in the venue's zone seen from another."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ADMIN,
    TIMEZONE,
    Api,
    Server,
    assert_accessible,
    dialog,
    first_admin,
    sign_in,
)

pytestmark = pytest.mark.browser

LOCAL = ZoneInfo(TIMEZONE)


def utc_text(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def days_ahead(n: int, hour: int = 19, minute: int = 30, zone: ZoneInfo = LOCAL) -> dt.datetime:
    day = dt.datetime.now(zone).date() + dt.timedelta(days=n)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def row(page: Any, session_id: int) -> Any:
    return page.locator(f'table.sessions-table tr[data-session-id="{session_id}"]')


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


def signed_in(new_page: Any, width: int = 1280, height: int = 900) -> Any:
    page = new_page(width=width, height=height)
    sign_in(page, *ADMIN)
    return page


class Actions:
    """Every click, fill and key press a user makes, counted."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, locator: Any) -> None:
        self.count += 1
        locator.click()

    def check(self, locator: Any) -> None:
        self.count += 1
        locator.check()

    def fill(self, locator: Any, value: str) -> None:
        self.count += 1
        locator.fill(value)


def test_a_three_week_run_of_27_is_planned_in_at_most_20_actions(
    new_page: Any, admin_api: Api, show_id: int
):
    """Previews from Tuesday 1 December, press night on Monday 7, then 8 shows a week
    (Monday to Saturday at 19:30, Wednesday and Saturday matinees at 14:30) to Christmas Eve,
    dark on the 24th: 27 performances, as the issue's stage manager planned by hand."""
    # The next December that begins on a Tuesday, as December 2026 does.
    year = dt.date.today().year
    while dt.date(year, 12, 1).weekday() != 1 or dt.date(year, 12, 1) <= dt.date.today():
        year += 1
    preview = admin_api.create_tag("Preview", "#2563eb")
    press = admin_api.create_tag("Press Night", "#dc2626")
    page = signed_in(new_page)
    act = Actions()

    # The previews: Tuesday 1 to Friday 4 December, evenings and the Wednesday matinee.
    act.click(page.get_by_role("button", name="Plan a run"))
    plan = dialog(page, "plan-run")
    act.fill(plan.get_by_label("First date"), f"{year}-12-01")
    act.fill(plan.get_by_label("Last date"), f"{year}-12-04")
    act.click(plan.get_by_role("button", name="+ Add a time"))
    act.check(plan.get_by_label("Preview"))
    act.click(plan.get_by_role("button", name="Preview", exact=True))
    expect(plan.locator(".preview-list li")).to_have_count(5)
    expect(plan.locator(".preview-count")).to_contain_text("5 performances")
    assert_accessible(page)
    act.click(plan.get_by_role("button", name="Create 5 performances"))
    expect(plan).to_have_count(0)

    # The run: Saturday 5 to Thursday 24 December, dark on Christmas Eve.
    act.click(page.get_by_role("button", name="Plan a run"))
    act.fill(plan.get_by_label("First date"), f"{year}-12-05")
    act.fill(plan.get_by_label("Last date"), f"{year}-12-24")
    act.click(plan.get_by_role("button", name="+ Add a time"))
    act.fill(plan.get_by_label("Dark days"), f"{year}-12-24")
    act.click(plan.get_by_role("button", name="Preview", exact=True))
    expect(plan.locator(".preview-list li")).to_have_count(22)
    # Every performance it will make is listed, in the venue's time.
    expect(plan.locator(".preview-list li").first).to_contain_text(f"5 Dec {year} · 14:30 CET")
    expect(plan.locator(".preview-list li").last).to_contain_text(f"23 Dec {year} · 19:30 CET")
    act.click(plan.get_by_role("button", name="Create 22 performances"))
    expect(plan).to_have_count(0)

    sessions = admin_api.sessions()
    assert len(sessions) == 27
    press_night = next(
        s
        for s in sessions
        if s["scheduled_date_time"] == utc_text(dt.datetime(year, 12, 7, 19, 30, tzinfo=LOCAL))
    )
    # Press night: one row's Edit, its tag, save.
    act.click(row(page, press_night["id"]).get_by_role("button", name="Edit"))
    edit = dialog(page, "edit-session")
    act.check(edit.get_by_label("Press Night"))
    act.click(edit.get_by_role("button", name="Save changes"))
    expect(row(page, press_night["id"]).locator(".col-tags")).to_have_text("Press Night")
    # Numbered over the run; previews on their own.
    expect(row(page, press_night["id"]).locator(".perf-number")).to_have_text("Performance #8")
    numbers = page.locator("table.sessions-table tr[data-session-id] .perf-number")
    expect(numbers.nth(0)).to_have_text("Preview 1")
    expect(numbers.nth(4)).to_have_text("Preview 5")
    expect(numbers.nth(5)).to_have_text("Performance #6")

    print(f"\nplanning the 3-week run of 27 took {act.count} user actions")
    assert act.count <= 20, act.count
    sessions = admin_api.sessions()
    assert len(sessions) == 27
    tagged = [[t["id"] for t in s["tags"]] for s in sessions]
    assert tagged.count([preview]) == 5 and tagged.count([press]) == 1
    weeks: dict[dt.date, int] = {}
    for s in sessions:
        local = dt.datetime.fromisoformat(s["scheduled_date_time"] + "+00:00").astimezone(LOCAL)
        monday = local.date() - dt.timedelta(days=local.weekday())
        weeks[monday] = weeks.get(monday, 0) + 1
        assert (local.hour, local.minute) in ((19, 30), (14, 30))
    # 8 shows in each full week.
    assert weeks[dt.date(year, 12, 7)] == 8 and weeks[dt.date(year, 12, 14)] == 8
    assert [s["performance_number"] for s in sessions] == list(range(1, 28))


def test_the_plan_dialog_fits_a_phone(new_page: Any, admin_api: Api, show_id: int):
    page = signed_in(new_page, width=390, height=844)
    page.get_by_role("button", name="Plan a run").click()
    plan = dialog(page, "plan-run")
    plan.get_by_role("button", name="+ Add a time").click()
    plan.get_by_label("First date").fill("2026-12-01")
    plan.get_by_label("Last date").fill("2026-12-12")
    plan.get_by_role("button", name="Preview", exact=True).click()
    expect(plan.get_by_role("button", name="Create 15 performances")).to_be_visible()
    for control in plan.locator("input:visible, button:visible").all():
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_a_refused_pattern_is_explained_in_the_dialog(new_page: Any, admin_api: Api, show_id: int):
    page = signed_in(new_page)
    page.get_by_role("button", name="Plan a run").click()
    plan = dialog(page, "plan-run")
    # A nightly pattern over two years: more than the 400 one plan may make.
    plan.get_by_label("First date").fill("2026-12-01")
    plan.get_by_label("Last date").fill("2028-12-01")
    plan.get_by_label("Dark days").fill("Christmas")
    plan.get_by_role("button", name="Preview", exact=True).click()
    alert = plan.get_by_role("alert")
    expect(alert).to_contain_text("“Christmas” is not a date")
    plan.get_by_label("Dark days").fill("")
    plan.get_by_role("button", name="Preview", exact=True).click()
    expect(alert).to_contain_text("400")
    assert_accessible(page)
    assert admin_api.sessions() == []


def test_duplicate_and_save_and_add_another(new_page: Any, admin_api: Api, show_id: int):
    tag = admin_api.create_tag("Preview", "#2563eb")
    when = days_ahead(3)
    original = admin_api.schedule(utc_text(when), [tag])
    page = signed_in(new_page)

    row(page, original).get_by_role("button", name="More actions").click()
    more = dialog(page, "session-more")
    assert_accessible(page)
    more.get_by_role("button", name=re.compile("^Duplicate to the next week")).click()
    expect(page.locator("table.sessions-table tr[data-session-id]")).to_have_count(2)
    copy = [s for s in admin_api.sessions() if s["id"] != original][0]
    assert copy["scheduled_date_time"] == utc_text(when + dt.timedelta(days=7))
    assert [t["id"] for t in copy["tags"]] == [tag]

    row(page, original).get_by_role("button", name="More actions").click()
    more.get_by_role("button", name=re.compile("^Duplicate to the next day")).click()
    expect(page.locator("table.sessions-table tr[data-session-id]")).to_have_count(3)

    # Save and add another: the dialog stays, moved on a day, ready for the next.
    page.get_by_role("button", name="+ Schedule Session").click()
    form = dialog(page, "schedule-session")
    first = days_ahead(20, 14, 30)
    form.get_by_label("Date and time").fill(first.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Save and add another").click()
    expect(page.locator("table.sessions-table tr[data-session-id]")).to_have_count(4)
    expect(form.get_by_label("Date and time")).to_have_value(
        (first + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    form.get_by_role("button", name="Schedule session").click()
    expect(form).to_have_count(0)
    times = {s["scheduled_date_time"] for s in admin_api.sessions()}
    assert utc_text(first) in times and utc_text(first + dt.timedelta(days=1)) in times


def test_csv_import_previews_names_bad_lines_then_imports_and_exports(
    new_page: Any, admin_api: Api, show_id: int
):
    admin_api.create_tag("Preview", "#2563eb")
    y = dt.date.today().year + 1  # January next year
    page = signed_in(new_page)
    page.get_by_role("button", name="Import CSV").click()
    form = dialog(page, "import-csv")
    box = form.get_by_label("Or paste the lines")
    box.fill(f"date,time,tags\n{y}-01-05,19:30,Preview\n{y}-01-06,25:00,\n{y}-01-07,19:30,Gala\n")
    form.get_by_role("button", name="Check").click()
    errors = form.locator(".line-errors li")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Line 3")
    expect(errors.nth(1)).to_contain_text("Line 4")
    expect(errors.nth(1)).to_contain_text("Gala")
    assert_accessible(page)
    assert admin_api.sessions() == []

    # From a file this time.
    csv_text = f"date,time,tags\n{y}-01-05,19:30,Preview\n{y}-01-06,14:30,\n"
    form.get_by_label("CSV file").set_input_files(
        files=[{"name": "run.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}]
    )
    expect(box).to_have_value(csv_text)
    form.get_by_role("button", name="Check").click()
    expect(form.locator(".preview-list li")).to_have_count(2)
    expect(form.locator(".preview-list li").first).to_contain_text(f"5 Jan {y} · 19:30 CET")
    assert_accessible(page)
    form.get_by_role("button", name="Import 2 performances").click()
    expect(form).to_have_count(0)
    expect(page.locator("table.sessions-table tr[data-session-id]")).to_have_count(2)
    assert len(admin_api.sessions()) == 2

    export = page.get_by_role("link", name="Export CSV")
    expect(export).to_have_attribute("href", "/api/v1/show/sessions.csv")
    with page.expect_download() as download:
        export.click()
    saved = download.value.path()
    assert saved is not None
    text = Path(saved).read_text(encoding="utf-8")
    assert f"{y}-01-05" in text and f"{y}-01-06" in text

    page.get_by_role("button", name="Subscribe").click()
    subscribe = dialog(page, "subscribe")
    url = subscribe.get_by_label("Calendar address")
    expect(url).to_have_value(f"{admin_api.server.url}/api/v1/show/sessions.ics")
    expect(subscribe.locator(".howto")).to_contain_text("Subscribe from web")
    assert_accessible(page)
    # The address answers the calendar, one event per performance.
    feed = page.request.get(f"{admin_api.server.url}/api/v1/show/sessions.ics")
    assert feed.status == 200 and feed.text().count("BEGIN:VEVENT") == 2


def test_a_performance_is_cancelled_with_a_reason_and_reinstated(
    new_page: Any, admin_api: Api, show_id: int
):
    first = admin_api.schedule(utc_text(days_ahead(2)))
    second = admin_api.schedule(utc_text(days_ahead(3)))
    page = signed_in(new_page)
    expect(page.locator("section.tonight")).to_have_attribute("data-session-id", str(first))
    expect(row(page, first).locator(".perf-number")).to_have_text("Performance #1")
    expect(row(page, second).locator(".perf-number")).to_have_text("Performance #2")

    row(page, first).get_by_role("button", name="More actions").click()
    dialog(page, "session-more").get_by_role("button", name="Cancel this performance…").click()
    confirm = dialog(page, "cancel-session")
    # Destructive: it opens on the button that keeps the performance.
    expect(confirm.get_by_role("button", name="Keep it")).to_be_focused()
    assert_accessible(page)
    confirm.get_by_label("Reason").fill("Heating failure")
    confirm.get_by_role("button", name="Cancel performance").click()

    cancelled = row(page, first)
    expect(cancelled).to_have_attribute("data-status", "cancelled")
    expect(cancelled).to_have_class(re.compile("row-cancelled"))
    expect(cancelled.locator(".col-status")).to_have_text("Cancelled")
    expect(cancelled.locator(".cancel-reason")).to_have_text("Cancelled: Heating failure")
    expect(cancelled.locator(".perf-number")).to_have_count(0)
    expect(cancelled.get_by_role("button", name="Start")).to_have_count(0)
    # Out of Tonight / Next up; the next one is number 1 now.
    expect(page.locator("section.tonight")).to_have_attribute("data-session-id", str(second))
    expect(row(page, second).locator(".perf-number")).to_have_text("Performance #1")
    assert admin_api.session(first)["status"] == "cancelled"

    page.get_by_label("Status").select_option("cancelled")
    expect(page.locator("table.sessions-table tr[data-session-id]")).to_have_count(1)
    expect(row(page, first)).to_be_visible()
    assert_accessible(page)

    row(page, first).get_by_role("button", name="Reinstate").click()
    dialog(page, "reinstate-session").get_by_role("button", name="Reinstate").click()
    expect(page.locator(".empty h2")).to_have_text("No session matches")
    assert admin_api.session(first)["status"] == "next_up"
    page.get_by_role("button", name="Clear filters").click()
    expect(page.locator("section.tonight")).to_have_attribute("data-session-id", str(first))


def test_a_performance_cancelled_elsewhere_meanwhile_is_explained_in_plain_words(
    new_page: Any, admin_api: Api, show_id: int
):
    session_id = admin_api.schedule(utc_text(days_ahead(2)))
    page = signed_in(new_page)
    row(page, session_id).get_by_role("button", name="More actions").click()
    dialog(page, "session-more").get_by_role("button", name="Cancel this performance…").click()
    confirm = dialog(page, "cancel-session")
    confirm.get_by_label("Reason").fill("Illness")
    admin_api.ok("POST", f"/show/sessions/{session_id}/cancel", {"reason": "Storm"})
    confirm.get_by_role("button", name="Cancel performance").click()
    alert = confirm.get_by_role("alert")
    expect(alert.locator(".error-plain")).to_have_text("This performance is already cancelled.")
    expect(alert.locator(".error-server")).to_contain_text("409 session already cancelled")
    assert admin_api.session(session_id)["cancel_reason"] == "Storm"


NEW_YORK = "America/New_York"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def new_york_page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        timezone_id=NEW_YORK,
        locale="en-GB",
        base_url=server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/")
    yield page
    context.close()


def test_times_are_the_venues_labelled_with_the_viewers_second(new_york_page: Any, admin_api: Api):
    admin_api.create_show("Hamlet", time_zone="Europe/London")
    try:
        # A winter matinee in London: 14:30 GMT is 09:30 EST in New York.
        matinee = days_ahead(40, 14, 30, zone=LONDON)
        while matinee.utcoffset() != dt.timedelta(0) or matinee.month == 9:
            matinee += dt.timedelta(days=30)
        session_id = admin_api.schedule(utc_text(matinee))
        page = new_york_page
        sign_in(page, *ADMIN)

        cell = row(page, session_id).locator(".col-when")
        expect(cell.locator(".when-time")).to_have_text("14:30")
        expect(cell.locator(".when-zone")).to_have_text("GMT")
        expect(cell.locator(".when-viewer")).to_have_text("09:30 EST your time")
        expect(page.locator(".zone-note")).to_contain_text("Europe/London")
        expect(page.locator("section.tonight .tonight-when")).to_contain_text(
            "14:30 GMT (09:30 EST your time)"
        )

        # The edit dialog takes London's time, and says what it is in New York.
        row(page, session_id).get_by_role("button", name="Edit").click()
        edit = dialog(page, "edit-session")
        when = edit.get_by_label("Date and time")
        expect(when).to_have_value(matinee.strftime("%Y-%m-%dT%H:%M"))
        expect(edit.locator(".wall-note")).to_have_text("09:30 EST your time (America/New_York).")
        moved = matinee.replace(hour=19, minute=30)
        when.fill(moved.strftime("%Y-%m-%dT%H:%M"))
        expect(edit.locator(".wall-note")).to_have_text("14:30 EST your time (America/New_York).")
        assert_accessible(page)
        edit.get_by_role("button", name="Save changes").click()
        expect(cell.locator(".when-time")).to_have_text("19:30")
        assert admin_api.session(session_id)["scheduled_date_time"] == utc_text(moved)

        # 01:30 on the night London's clocks go forward does not exist: said, not shifted.
        page.get_by_role("button", name="+ Schedule Session").click()
        form = dialog(page, "schedule-session")
        form.get_by_label("Date and time").fill("2027-03-28T01:30")
        expect(form.locator(".wall-note")).to_contain_text(
            "does not exist in Europe/London: the clocks go forward then"
        )
        form.get_by_role("button", name="Schedule session").click()
        expect(form.get_by_role("alert")).to_contain_text("does not exist in Europe/London")
        form.get_by_label("Date and time").fill("2027-10-31T01:30")
        form.get_by_role("button", name="Schedule session").click()
        expect(form.get_by_role("alert")).to_contain_text("happens twice in Europe/London")
        assert_accessible(page)
        form.get_by_role("button", name="Cancel").click()
        assert len(admin_api.sessions()) == 1

        # A run planned from New York is planned in London's time.
        page.get_by_role("button", name="Plan a run").click()
        plan = dialog(page, "plan-run")
        expect(plan).to_contain_text("Times at the venue (Europe/London)")
        plan.get_by_label("First date").fill("2027-01-04")
        plan.get_by_label("Last date").fill("2027-01-05")
        plan.get_by_role("button", name="Preview", exact=True).click()
        expect(plan.locator(".preview-list li")).to_have_text(
            [
                "Mon, 4 Jan 2027 · 19:30 GMT · 14:30 EST your time",
                "Tue, 5 Jan 2027 · 19:30 GMT · 14:30 EST your time",
            ]
        )
        assert_accessible(page)
    finally:
        admin_api.call("POST", "/show/sessions/stop")


def test_the_show_form_takes_a_venue_time_zone(new_page: Any, admin_api: Api, show_id: int):
    page = signed_in(new_page)
    page.goto("/#/shows")
    page.get_by_role("button", name="+ New Show").click()
    form = dialog(page, "new-show")
    form.get_by_label("Show name").fill("Macbeth")
    form.get_by_label("First performance").fill("2027-01-01")
    form.get_by_label("Last performance").fill("2027-02-01")
    zone = form.get_by_label("Venue time zone")
    expect(zone).to_have_value(TIMEZONE)
    assert page.locator("datalist#time-zones option").count() > 100
    zone.fill("Europe/London")
    assert_accessible(page)
    form.get_by_role("button", name="Create show").click()
    expect(form).to_have_count(0)
    assert admin_api.ok("GET", "/show")["time_zone"] == "Europe/London"

    page.goto("/#/shows")
    page.get_by_role("button", name="Edit").click()
    edit = dialog(page, "edit-show")
    edit.get_by_label("Venue time zone").fill("Mars/Olympus")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit.get_by_role("alert")).to_contain_text("time_zone")
    edit.get_by_label("Venue time zone").fill("America/New_York")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit).to_have_count(0)
    assert admin_api.ok("GET", "/show")["time_zone"] == "America/New_York"
    expect(page.locator("td.show-zone").filter(has_text="America/New_York")).to_have_count(1)

"""The Sessions page for a long run: the Tonight / Next up panel with the one Start, the list
opening at today with past months folded, filters, the run's calendar, actual start/end/run
times, the check before starting far from the planned time, and a year's run of 400."""

from __future__ import annotations

import datetime as dt
import re
import time
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
    assert_accessible,
    dialog,
    first_admin,
    sign_in,
)

pytestmark = pytest.mark.browser

LOCAL = ZoneInfo(TIMEZONE)


def utc_text(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def local_now() -> dt.datetime:
    return dt.datetime.now(LOCAL).replace(second=0, microsecond=0)


def month_name(when: dt.datetime) -> str:
    return f"{when:%B %Y}"


def row(page: Any, session_id: int) -> Any:
    return page.locator(f'table.sessions-table tr[data-session-id="{session_id}"]')


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


def signed_in(new_page: Any, width: int = 1280, height: int = 800) -> Any:
    page = new_page(width=width, height=height)
    sign_in(page, *ADMIN)
    return page


def test_tonight_offers_the_next_performance_with_the_one_prominent_start(
    new_page: Any, admin_api: Api, show_id: int
):
    soon = local_now() + dt.timedelta(minutes=50)
    later = soon + dt.timedelta(days=2)
    first = admin_api.schedule(utc_text(soon))
    admin_api.schedule(utc_text(later))
    page = signed_in(new_page)

    panel = page.locator("section.tonight")
    title = "Tonight" if soon.date() == local_now().date() else "Next up"
    expect(panel.get_by_role("heading")).to_have_text(title)
    expect(panel).to_have_attribute("data-session-id", str(first))
    expect(panel.locator(".tonight-relative")).to_contain_text(re.compile(r"in (49|50) min"))
    # The panel comes before the list, and its Start is the first Start on the page.
    start = page.get_by_role("button", name="Start", exact=True).first
    expect(start).to_have_attribute("data-focus-key", "tonight-start")
    assert_accessible(page)

    start.click()
    confirm = dialog(page, "start-session")
    expect(confirm.locator(".warn")).to_have_count(0)  # within 3 h of its time: no warning
    confirm.get_by_role("button", name="Start session").click()

    expect(panel.get_by_role("heading")).to_have_text("Live now")
    clock = panel.locator(".run-clock")
    expect(clock).to_have_text(re.compile(r"^0:00:0\d$"))
    first_reading = clock.text_content()
    expect(clock).not_to_have_text(first_reading or "")  # it runs
    expect(row(page, first).locator(".col-actual .run-clock")).to_be_visible()
    assert_accessible(page)

    panel.get_by_role("button", name="Stop").click()
    stop = dialog(page, "stop-session")
    # Destructive: the dialog opens on Cancel, so Enter cannot end the show by accident.
    expect(stop.get_by_role("button", name="Cancel")).to_be_focused()
    stop.get_by_role("button", name="Stop session").click()
    expect(row(page, first).locator(".col-status")).to_have_text("Complete")
    expect(panel.get_by_role("heading")).to_have_text(
        "Tonight" if later.date() == local_now().date() else "Next up"
    )


def test_the_list_shows_actual_start_end_and_run_time(
    new_page: Any, admin_api: Api, show_id: int, live_client: LiveClient
):
    # Planned four days ahead, run now: the row says when it really ran.
    planned = local_now() + dt.timedelta(days=4)
    session_id = admin_api.schedule(utc_text(planned))
    start = {"session_id": live_client.uuid, "show_session_id": session_id}
    admin_api.ok("POST", "/show/sessions/start", start)
    time.sleep(1.2)  # a run time of at least a second, set up through the API
    admin_api.ok("POST", "/show/sessions/stop")
    stored = admin_api.session(session_id)
    started = dt.datetime.fromisoformat(stored["start_date_time"]).replace(tzinfo=dt.UTC)
    ended = dt.datetime.fromisoformat(stored["end_date_time"]).replace(tzinfo=dt.UTC)
    started_local, ended_local = started.astimezone(LOCAL), ended.astimezone(LOCAL)

    page = signed_in(new_page)
    cell = row(page, session_id).locator(".col-actual")
    expected_start = (
        f"{started_local:%a} {started_local.day} {started_local:%b} {started_local:%H:%M}"
    )
    expect(cell.locator(".actual-times")).to_have_text(
        f"{expected_start} – {ended_local:%H:%M}".replace("Sept", "Sep")
    )
    seconds = round((ended - started).total_seconds())
    expect(cell.locator(".actual-run")).to_have_text(f"{seconds} s")


def test_starting_far_from_the_planned_time_shows_the_difference_first(
    new_page: Any, admin_api: Api, show_id: int
):
    planned = local_now() + dt.timedelta(hours=5, minutes=10)
    session_id = admin_api.schedule(utc_text(planned))
    page = signed_in(new_page)
    row(page, session_id).get_by_role("button", name="Start").click()
    confirm = dialog(page, "start-session")
    expect(confirm.locator(".warn .gap")).to_have_text(re.compile(r"^5 h (9|10) min from now$"))
    expect(confirm.get_by_role("button", name="Start anyway")).to_be_visible()
    assert_accessible(page)
    confirm.get_by_role("button", name="Cancel").click()
    # Focus is back on the button that opened the dialog.
    expect(row(page, session_id).get_by_role("button", name="Start")).to_be_focused()
    assert admin_api.session(session_id)["status"] != "in_progress"


def seed_months(admin_api: Api, tag_id: int) -> dict[str, Any]:
    """Two performances a month from three months back to two months ahead, 19:30 on the 10th
    and 20th; one tagged. Returns their ids by (month offset, day)."""
    today = local_now().date()
    ids: dict[Any, int] = {}
    for offset in range(-3, 3):
        month = (today.month - 1 + offset) % 12 + 1
        year = today.year + (today.month - 1 + offset) // 12
        for day in (10, 20):
            when = dt.datetime(year, month, day, 19, 30, tzinfo=LOCAL)
            tags = [tag_id] if day == 20 else []
            ids[(offset, day)] = admin_api.schedule(utc_text(when), tags)
    return ids


def test_past_months_are_folded_and_open_on_demand(new_page: Any, admin_api: Api, show_id: int):
    tag = admin_api.create_tag("Matinee", "#b45309")
    ids = seed_months(admin_api, tag)
    page = signed_in(new_page)
    today = local_now()

    # Three months back are folded: their rows are not drawn until opened.
    for offset in (-3, -2, -1):
        expect(row(page, ids[(offset, 10)])).to_have_count(0)
    # The first row drawn is today's or the first after it.
    first_drawn = page.locator("table.sessions-table tr[data-session-id]").first
    expect(first_drawn).to_have_attribute("id", "today")
    groups = page.locator("tbody.month-group")
    past = page.locator('tbody.month-group[data-past="true"] .group-toggle')
    expect(past.first).to_have_attribute("aria-expanded", "false")
    assert groups.count() >= 6

    # Opening a month by keyboard shows its rows.
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    toggle = page.locator(f'tbody.month-group[data-month="{last_month}"] .group-toggle')
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_be_focused()
    expect(row(page, ids[(-1, 10)])).to_be_visible()
    assert_accessible(page)


def test_filters_by_month_tag_and_status(new_page: Any, admin_api: Api, show_id: int):
    tag = admin_api.create_tag("Relaxed", "#0e7490")
    ids = seed_months(admin_api, tag)
    page = signed_in(new_page)
    drawn = page.locator("table.sessions-table tr[data-session-id]")

    page.get_by_label("Tag", exact=True).select_option(label="Relaxed")
    expect(page.locator(".session-count")).to_have_text("6 of 12 sessions")
    expect(drawn).to_have_count(6)  # filtered: every month open
    expect(drawn.locator(".col-tags")).to_have_text(["Relaxed"] * 6)

    page.get_by_label("Status").select_option(label="Overdue")
    # The past ones were never started: overdue (or next up within its grace time).
    expect(drawn.locator(".col-status").first).to_have_text("Overdue")

    page.get_by_role("button", name="Clear filters").click()
    month = local_now().strftime("%Y-%m")
    page.get_by_label("Month", exact=True).focus()
    page.get_by_label("Month", exact=True).select_option(value=month)
    expect(drawn).to_have_count(2)
    assert {int(drawn.nth(i).get_attribute("data-session-id") or 0) for i in range(2)} == {
        ids[(0, 10)],
        ids[(0, 20)],
    }
    expect(page.get_by_label("Month", exact=True)).to_be_focused()  # the redraw kept focus
    assert_accessible(page)


def test_the_calendar_shows_the_runs_days_and_jumps_to_one(
    new_page: Any, admin_api: Api, show_id: int
):
    tag = admin_api.create_tag("Press", "#dc2626")
    ids = seed_months(admin_api, tag)
    page = signed_in(new_page)
    today = local_now()
    cal = page.locator("section.calendar")
    expect(cal.locator(".cal-title")).to_have_text(month_name(today))
    expect(cal.locator(".cal-day")).to_have_count(2)
    expect(cal.locator('[aria-current="date"]')).to_have_text(re.compile(rf"^{today.day}"))

    # Back two months, then click its 20th: that month opens and the row is brought to focus.
    cal.get_by_role("button", name="Previous month").click()
    cal.get_by_role("button", name="Previous month").click()
    day = cal.locator(".cal-day").filter(has_text="20")
    expect(day).to_have_accessible_name(re.compile(r"^20 \(\w+ 20 \w+\): 1 performance$"))
    day.click()
    target = row(page, ids[(-2, 20)])
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    assert_accessible(page)


def test_a_year_of_400_opens_at_today_with_tonight_on_the_first_screen(
    new_page: Any, admin_api: Api, show_id: int
):
    # 400 performances, one a day from 200 days ago, 19:30.
    start = local_now().date() - dt.timedelta(days=200)
    ids = []
    for n in range(400):
        day = start + dt.timedelta(days=n)
        when = dt.datetime(day.year, day.month, day.day, 19, 30, tzinfo=LOCAL)
        ids.append(admin_api.schedule(utc_text(when)))
    today_id = ids[200]

    for width, height in ((1280, 800), (390, 844)):
        page = new_page(width=width, height=height)
        began = time.monotonic()
        sign_in(page, *ADMIN)
        expect(page.locator(".session-count")).to_have_text("400 sessions")
        opened_in = time.monotonic() - began
        assert opened_in < 8, opened_in

        # Tonight and its Start are on the first screen, without scrolling.
        panel = page.locator("section.tonight")
        expect(panel).to_have_attribute("data-session-id", str(today_id))
        expect(panel.get_by_role("button", name="Start")).to_be_in_viewport()
        assert page.evaluate("window.scrollY") == 0
        top = panel.bounding_box()
        assert top is not None and top["y"] + top["height"] <= height
        # The list opens at today: nothing earlier is drawn, and few buttons in all.
        first_drawn = page.locator("table.sessions-table tr[data-session-id]").first
        expect(first_drawn).to_have_attribute("data-session-id", str(today_id))
        buttons = page.locator("button").count()
        assert buttons < 250, buttons
        # Tabbing from the page's start reaches Tonight's Start within a handful of stops.
        page.locator("body").focus()
        presses = 0
        while page.evaluate("document.activeElement.dataset.focusKey") != "tonight-start":
            presses += 1
            assert presses <= 15, "Tonight's Start is more than 15 Tab presses away"
            page.keyboard.press("Tab")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0

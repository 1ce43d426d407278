"""Fit and finish: the phone layout, the connection indicator and what the page does offline,
focus in and after dialogs, colour contrast (axe-core on each page), and the server's refusals
in plain words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ADMIN,
    ROOT,
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


def days_ahead(n: int, hour: int = 19, minute: int = 30) -> dt.datetime:
    day = dt.datetime.now(LOCAL).date() + dt.timedelta(days=n)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def row(page: Any, session_id: int) -> Any:
    return page.locator(f'table.sessions-table tr[data-session-id="{session_id}"]')


def default_palette() -> list[str]:
    """The colours the New Tag dialog offers, as the page's code lists them."""
    source = (ROOT / "server/web/static/js/views/tags.js").read_text()
    listed = source.split("export const PALETTE = [", 1)[1].split("]", 1)[0]
    return re.findall(r'"(#[0-9a-fA-F]{6})"', listed)


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


def test_on_a_phone_every_action_is_reachable_without_scrolling_sideways(
    new_page: Any, admin_api: Api, show_id: int
):
    tag = admin_api.create_tag("Press Night", "#dc2626")
    ids = [admin_api.schedule(utc_text(days_ahead(n)), [tag]) for n in (1, 2, 3)]
    page = new_page(width=390, height=844)
    sign_in(page, *ADMIN)
    expect(row(page, ids[0])).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    buttons = page.locator("#app button:visible")
    assert buttons.count() >= 12
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
            buttons.nth(i).text_content(),
            box,
        )
    for label in ("Edit", "Delete", "Start"):
        expect(row(page, ids[2]).get_by_role("button", name=label)).to_be_visible()
    expect(row(page, ids[2]).locator(".col-status")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("tab", name="Tags").click()
    expect(page.locator("table.tags-table tr[data-tag-id]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_the_header_says_connected_and_offline_pauses_every_change(
    new_page: Any, admin_api: Api, show_id: int
):
    session_id = admin_api.schedule(utc_text(days_ahead(2)))
    page = new_page()
    sign_in(page, *ADMIN)
    status = page.locator("#live-status")
    expect(status).to_have_text("Connected")
    expect(page.locator(".stale-banner")).to_have_count(0)
    schedule = page.get_by_role("button", name="+ Schedule Session")
    expect(schedule).to_be_enabled()

    page.context.set_offline(True)
    expect(status).to_have_text("Offline")
    expect(status).to_have_attribute("data-state", "offline")
    expect(page.locator(".stale-banner")).to_contain_text("may be out of date")
    expect(schedule).to_be_disabled()
    for label in ("Edit", "Delete", "Start"):
        expect(row(page, session_id).get_by_role("button", name=label)).to_be_disabled()
    expect(page.locator("section.tonight").get_by_role("button", name="Start")).to_be_disabled()
    assert_accessible(page)
    page.get_by_role("link", name="Shows").click()
    expect(page.get_by_role("button", name="+ New Show")).to_be_disabled()
    page.get_by_role("link", name="Sessions").click()

    page.context.set_offline(False)
    expect(status).to_have_text("Connected")
    expect(page.locator(".stale-banner")).to_have_count(0)
    expect(schedule).to_be_enabled()
    expect(row(page, session_id).get_by_role("button", name="Edit")).to_be_enabled()


def test_destructive_dialogs_open_on_cancel_and_focus_returns_to_the_row(
    new_page: Any, admin_api: Api, show_id: int
):
    session_id = admin_api.schedule(utc_text(days_ahead(5)))
    admin_api.create_tag("Matinee", "#b45309")
    page = new_page()
    sign_in(page, *ADMIN)

    delete = row(page, session_id).get_by_role("button", name="Delete")
    delete.focus()
    page.keyboard.press("Enter")
    confirm = dialog(page, "delete-session")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Enter")  # Enter on Cancel: nothing is deleted
    expect(confirm).to_have_count(0)
    expect(delete).to_be_focused()
    assert admin_api.session(session_id)["id"] == session_id

    # After a change the row is drawn anew; focus lands on the same button of the new row.
    edit = row(page, session_id).get_by_role("button", name="Edit")
    edit.focus()
    page.keyboard.press("Enter")
    form = dialog(page, "edit-session")
    form.get_by_label("Matinee").check()
    assert_accessible(page)
    form.get_by_role("button", name="Save changes").click()
    expect(row(page, session_id).locator(".col-tags")).to_have_text("Matinee")
    expect(row(page, session_id).get_by_role("button", name="Edit")).to_be_focused()

    page.get_by_role("tab", name="Tags").click()
    page.locator("table.tags-table").get_by_role("button", name="Delete").click()
    expect(dialog(page, "delete-tag").get_by_role("button", name="Cancel")).to_be_focused()


def test_white_text_reads_on_every_default_tag_colour(new_page: Any, admin_api: Api, show_id: int):
    palette = default_palette()
    assert len(palette) >= 5
    tag_ids = [admin_api.create_tag(f"Tag {i}", colour) for i, colour in enumerate(palette)]
    admin_api.schedule(utc_text(days_ahead(3)), tag_ids)
    page = new_page()
    sign_in(page, *ADMIN)
    chips = page.locator("table.sessions-table .chip")
    expect(chips).to_have_count(len(palette))
    colours = chips.evaluate_all("(cs) => cs.map((c) => getComputedStyle(c).color)")
    assert colours == ["rgb(255, 255, 255)"] * len(palette)
    assert_accessible(page)
    page.get_by_role("tab", name="Tags").click()
    expect(page.locator("table.tags-table tr[data-tag-id]")).to_have_count(len(palette))
    assert_accessible(page)
    page.get_by_role("button", name="+ New Tag").click()
    expect(dialog(page, "new-tag")).to_be_visible()
    assert_accessible(page)


def test_the_sign_in_and_first_pages_pass_axe(new_page: Any, admin_api: Api, show_id: int):
    page = new_page(width=390, height=844)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)
    sign_in(page, *ADMIN)
    expect(page.get_by_text("Nothing is scheduled")).to_be_visible()
    assert_accessible(page)
    page.goto("/#/shows")
    expect(page.get_by_role("heading", name="Shows")).to_be_visible()
    assert_accessible(page)

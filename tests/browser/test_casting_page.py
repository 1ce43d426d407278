"""The Casting tab: the matrix of the performances to come (a cell changed from the character's
pool and marked as a cover, warnings beside the cells, a print link per performance), each
character's pool kept in order, and the Start dialog listing tonight's cast changes."""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


def evening(days_ahead: int) -> dt.datetime:
    day = dt.datetime.now(LOCAL).date() + dt.timedelta(days=days_ahead)
    return dt.datetime.combine(day, dt.time(19, 30), LOCAL)


def utc_text(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def add_cast(api: Api, first: str, last: str) -> int:
    return int(api.ok("POST", "/show/cast", {"firstName": first, "lastName": last})["id"])


def add_character(api: Api, name: str, played_by: int | None = None) -> int:
    body: dict[str, Any] = {"name": name}
    if played_by is not None:
        body["played_by"] = played_by
    return int(api.ok("POST", "/show/character", body)["id"])


def company(api: Api) -> dict[str, int]:
    """Ada plays Hamlet with Sam as cover; Kit plays Ophelia; nobody plays the Ghost."""
    ids = {
        "ada": add_cast(api, "Ada", "Lane"),
        "sam": add_cast(api, "Sam", "Reed"),
        "kit": add_cast(api, "Kit", "Moss"),
    }
    ids["hamlet"] = add_character(api, "Hamlet", ids["ada"])
    ids["ophelia"] = add_character(api, "Ophelia", ids["kit"])
    ids["ghost"] = add_character(api, "Ghost")
    api.ok("PUT", f"/show/casting/pools/{ids['hamlet']}", {"cast_ids": [ids["ada"], ids["sam"]]})
    return ids


def casting_page(new_page: Any, width: int = 1280) -> Any:
    page = new_page(width=width, height=900)
    sign_in(page, *ADMIN)
    page.get_by_role("tab", name="Casting").click()
    expect(page.locator("table.casting-matrix")).to_be_visible()
    return page


def cell(page: Any, session_id: int, character_id: int) -> Any:
    return page.locator(
        f'td.matrix-cell[data-session-id="{session_id}"][data-character-id="{character_id}"]'
    )


def test_a_cell_changed_from_the_pool_is_marked_as_a_cover_and_warnings_show(
    new_page: Any, admin_api: Api, show_id: int
):
    ids = company(admin_api)
    first = admin_api.schedule(utc_text(evening(2)))
    second = admin_api.schedule(utc_text(evening(3)))

    page = casting_page(new_page)
    header = page.locator(f'th.matrix-session[data-session-id="{first}"] .matrix-date')
    expect(header).to_contain_text("19:30")
    expect(page.locator("th.matrix-session")).to_have_count(2)
    # The character column stays in view while the performances scroll sideways.
    sticky = page.locator("th.matrix-character").first
    assert sticky.evaluate("(el) => getComputedStyle(el).position") == "sticky"
    # Hamlet's cell offers his pool, principal first; nobody is a cover yet.
    hamlet = cell(page, first, ids["hamlet"])
    select = hamlet.get_by_role("combobox")
    expect(select.locator("option")).to_have_text(["Ada Lane (principal)", "Sam Reed"])
    expect(page.locator("td.matrix-cell.is-cover")).to_have_count(0)
    # Nobody plays the Ghost: the warning is beside its cells and under each performance.
    expect(cell(page, first, ids["ghost"]).locator(".cell-warning")).to_have_text(
        "Nobody available"
    )
    expect(
        page.locator(f'td.matrix-warnings[data-session-id="{second}"] .casting-warning')
    ).to_contain_text(["Nobody is available to play Ghost"])
    assert_accessible(page)

    # By keyboard: focus the cell, choose the cover.
    select.focus()
    select.select_option(label="Sam Reed")
    expect(hamlet).to_have_class("matrix-cell is-cover")
    expect(hamlet.locator(".cover-badge")).to_have_text("Cover")
    expect(cell(page, second, ids["hamlet"])).not_to_have_class("matrix-cell is-cover")
    casting = admin_api.ok("GET", f"/show/sessions/{first}/casting")["casting"]
    assert {c["character_id"]: c["cast_id"] for c in casting}[ids["hamlet"]] == ids["sam"]
    expect(hamlet.get_by_role("combobox")).to_be_focused()
    assert_accessible(page)

    # A change made elsewhere appears without a reload.
    admin_api.ok(
        "PATCH", f"/show/sessions/{second}/casting", {"casting": {ids["hamlet"]: ids["sam"]}}
    )
    expect(cell(page, second, ids["hamlet"])).to_have_class("matrix-cell is-cover")


def test_each_performance_links_to_its_printable_cast_sheet(
    new_page: Any, admin_api: Api, show_id: int
):
    ids = company(admin_api)
    session_id = admin_api.schedule(utc_text(evening(4)))
    page = casting_page(new_page)
    link = page.locator(f'th.matrix-session[data-session-id="{session_id}"] a.print-link')
    expect(link).to_have_text("Print cast sheet")
    expect(link).to_have_attribute("href", f"/api/v1/show/sessions/{session_id}/cast-sheet")
    expect(link).to_have_attribute("target", "_blank")

    # Tonight Sam covers Hamlet: the sheet opens in its own tab, changes first, and prints.
    admin_api.ok(
        "PATCH",
        f"/show/sessions/{session_id}/casting",
        {"casting": {str(ids["hamlet"]): ids["sam"]}},
    )
    with page.context.expect_page() as opened:
        link.click()
    sheet = opened.value
    sheet.wait_for_load_state()
    expect(sheet.locator("body")).to_contain_text("Sam Reed replacing Ada Lane")
    expect(sheet.locator("body")).to_contain_text("Nobody available")
    sheet.emulate_media(media="print")
    expect(sheet.get_by_role("table")).to_be_visible()
    assert_accessible(sheet)


def test_a_pool_is_managed_in_order_and_saved(new_page: Any, admin_api: Api, show_id: int):
    ids = company(admin_api)
    admin_api.schedule(utc_text(evening(2)))
    page = casting_page(new_page, width=768)
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    pool = page.locator(f'li.pool[data-character-id="{ids["hamlet"]}"]')
    names = pool.locator(".pool-name")
    expect(names).to_have_text(["Ada Lane", "Sam Reed"])

    pool.get_by_role("combobox").select_option(label="Kit Moss")
    pool.get_by_role("button", name="Add to Hamlet's pool").click()
    expect(names).to_have_text(["Ada Lane", "Sam Reed", "Kit Moss"])
    pool.get_by_role("button", name="Move Kit Moss up in Hamlet's pool").click()
    expect(names).to_have_text(["Ada Lane", "Kit Moss", "Sam Reed"])
    # Focus stays on the button pressed, which has moved with its member.
    expect(pool.get_by_role("button", name="Move Kit Moss up in Hamlet's pool")).to_be_focused()
    pool.get_by_role("button", name="Move Ada Lane down in Hamlet's pool").click()
    pool.get_by_role("button", name="Remove Sam Reed from Hamlet's pool").click()
    expect(names).to_have_text(["Kit Moss", "Ada Lane"])
    expect(pool.locator(".pool-rank")).to_have_text(["Principal", "Cover 1"])
    assert_accessible(page)
    # Nothing is sent until Save.
    pools = admin_api.ok("GET", "/show/casting/pools")["pools"]
    assert {p["character_id"]: p["cast_ids"] for p in pools}[ids["hamlet"]] == [
        ids["ada"],
        ids["sam"],
    ]

    pool.get_by_role("button", name="Save Hamlet's pool").click()
    expect(pool.get_by_role("button", name="Save Hamlet's pool")).to_have_count(0)
    pools = admin_api.ok("GET", "/show/casting/pools")["pools"]
    assert {p["character_id"]: p["cast_ids"] for p in pools}[ids["hamlet"]] == [
        ids["kit"],
        ids["ada"],
    ]
    # The performance already cast keeps Ada, still in the pool: now a cover for Kit.
    hamlet = page.locator(f'td.matrix-cell[data-character-id="{ids["hamlet"]}"]')
    expect(hamlet.locator("option")).to_have_text(["Kit Moss (principal)", "Ada Lane"])
    expect(hamlet.locator("option:checked")).to_have_text("Ada Lane")
    expect(hamlet).to_have_class("matrix-cell is-cover")


def test_the_start_dialog_lists_tonights_cast_changes(new_page: Any, admin_api: Api, show_id: int):
    ids = company(admin_api)
    soon = dt.datetime.now(LOCAL).replace(second=0, microsecond=0) + dt.timedelta(minutes=40)
    tonight = admin_api.schedule(utc_text(soon))
    later = admin_api.schedule(utc_text(evening(3)))
    admin_api.ok(
        "PATCH", f"/show/sessions/{tonight}/casting", {"casting": {ids["hamlet"]: ids["sam"]}}
    )

    page = new_page()
    sign_in(page, *ADMIN)
    row = page.locator(f'table.sessions-table tr[data-session-id="{tonight}"]')
    row.get_by_role("button", name="Start").click()
    confirm = dialog(page, "start-session")
    expect(confirm.locator(".cast-change")).to_have_text(["Hamlet: Sam Reed for Ada Lane"])
    assert_accessible(page)
    confirm.get_by_role("button", name="Cancel").click()

    other = page.locator(f'table.sessions-table tr[data-session-id="{later}"]')
    other.get_by_role("button", name="Start").click()
    confirm = dialog(page, "start-session")
    expect(confirm.locator(".no-cast-changes")).to_have_text("No cast changes")
    expect(confirm.locator(".cast-change")).to_have_count(0)
    confirm.get_by_role("button", name="Cancel").click()

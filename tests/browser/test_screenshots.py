"""The sessions page at desktop, tablet and phone widths and the Users page, captured into docs/
for the README, each checked with axe-core as it is captured.

The data are fixed (dates in 2029, nothing live) and the page's clock is set to the afternoon of
2 November 2029, so the pictures change only when the page does, except for the actual start and
end of the one performance given, which ran when the test did.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ADMIN,
    ROOT,
    Api,
    LiveClient,
    Server,
    assert_accessible,
    first_admin,
    sign_in,
)

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs"
STATUSES = [
    "Complete",
    "Next Up",
    "Scheduled",
    "Scheduled",
    "Scheduled",
    "Cancelled",
    "Scheduled",
]


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def season(shared_server: Server) -> Iterator[Api]:
    """A run of Hamlet: one performance given, five to come, one cancelled, two script
    revisions."""
    admin = first_admin(shared_server)
    admin.create_show("Hamlet", "2029-10-30", "2029-12-22")
    tag = {
        name: admin.create_tag(name, colour)
        for name, colour in [
            ("Preview", "#2563eb"),
            ("Press Night", "#dc2626"),
            ("Matinee", "#d97706"),
            ("Relaxed", "#0891b2"),
        ]
    }
    # UTC instants; Berlin is an hour ahead in November.
    given = admin.schedule("2029-11-01T18:30:00", [tag["Preview"]])
    admin.schedule("2029-11-02T18:30:00", [tag["Preview"]])
    admin.schedule("2029-11-03T13:30:00", [tag["Matinee"], tag["Preview"]])
    admin.ok("POST", "/show/script/revisions", {"description": "Cuts after previews"})
    admin.schedule("2029-11-06T18:00:00", [tag["Press Night"]])
    admin.schedule("2029-11-07T18:30:00", [])
    cancelled = admin.schedule("2029-11-08T18:30:00", [])
    admin.ok("POST", f"/show/sessions/{cancelled}/cancel", {"reason": "Heating failure"})
    admin.schedule("2029-11-10T13:30:00", [tag["Matinee"], tag["Relaxed"]])
    client = LiveClient(shared_server)
    try:
        admin.ok(
            "POST", "/show/sessions/start", {"session_id": client.uuid, "show_session_id": given}
        )
        admin.ok("POST", "/show/sessions/stop")
    finally:
        client.close()
    yield admin


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def open_on_the_day(new_page: Any, width: int, height: int) -> Any:
    """Signed in, with the page's clock at 17:00 Berlin time on 2 November 2029."""
    page = new_page(width=width, height=height)
    page.clock.set_fixed_time("2029-11-02T16:00:00Z")
    page.reload()
    sign_in(page, *ADMIN)
    # 1 November has passed: its month's earlier part is folded; open it for the picture.
    earlier = page.locator('tbody.month-group[data-past="true"] .group-toggle')
    expect(earlier).to_have_attribute("aria-expanded", "false")
    earlier.click()
    return page


def capture(page: Any, name: str) -> Path:
    page.mouse.move(0, 0)  # no row left highlighted under the pointer
    page.evaluate("document.fonts.ready")
    DOCS.mkdir(exist_ok=True)
    path = DOCS / name
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def test_the_sessions_page_at_desktop_width_is_captured_for_the_readme(new_page: Any, season: Api):
    page = open_on_the_day(new_page, 1280, 720)
    expect(page.locator("table.sessions-table td.col-status")).to_have_text(STATUSES)
    expect(page.locator("section.tonight h2")).to_have_text("Tonight")
    assert_accessible(page)

    path = capture(page, "sessions-page.png")

    assert png_size(path)[0] == 1280


def test_the_sessions_table_fits_a_tablet_width_without_scrolling_sideways(
    new_page: Any, season: Api
):
    page = open_on_the_day(new_page, 768, 1024)
    expect(page.locator("table.sessions-table td.col-status")).to_have_text(STATUSES)
    assert_accessible(page)

    overflow = page.evaluate(
        """() => {
            const wrap = document.querySelector(".table-wrap");
            return {
                page: Math.max(0, document.documentElement.scrollWidth - window.innerWidth),
                table: Math.max(0, wrap.scrollWidth - wrap.clientWidth),
            };
        }"""
    )
    assert overflow == {"page": 0, "table": 0}
    for button in page.get_by_role("button", name="Start", exact=True).all():
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 768
    assert png_size(capture(page, "sessions-page-tablet.png"))[0] == 768


def test_the_sessions_page_on_a_phone_is_captured_with_every_action_in_reach(
    new_page: Any, season: Api
):
    page = open_on_the_day(new_page, 390, 844)
    expect(page.locator("table.sessions-table td.col-status")).to_have_text(STATUSES)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in page.locator("#app button:visible").all():
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert_accessible(page)
    assert png_size(capture(page, "sessions-page-phone.png"))[0] == 390


def test_the_users_page_is_captured_for_the_readme(new_page: Any, season: Api):
    if not any(u["username"] == "stage-manager" for u in season.ok("GET", "/auth/users")["users"]):
        season.create_user("stage-manager", "password1")
        season.create_user("deputy", "password1")
        users = {u["username"]: u["id"] for u in season.ok("GET", "/auth/users")["users"]}
        show = season.ok("GET", "/show")["id"]
        for name, role in (("stage-manager", 7), ("deputy", 1)):
            grant = {"resource": "shows", "object": {"id": show}, "user": users[name], "role": role}
            season.ok("POST", "/rbac/user/roles/grant", grant)
    page = open_on_the_day(new_page, 1280, 720)
    page.get_by_role("link", name="Users").click()
    expect(page.locator("table.users-table tr[data-user-id]")).to_have_count(3)
    expect(page.locator(".user-roles")).to_have_text(
        ["Every role (admin)", "Read · Write · Execute", "Read"]
    )
    assert_accessible(page)
    assert png_size(capture(page, "users-page.png"))[0] == 1280


def test_the_plan_a_run_dialog_is_captured_with_its_preview(new_page: Any, season: Api):
    page = open_on_the_day(new_page, 1280, 900)
    page.get_by_role("button", name="Plan a run").click()
    plan = page.locator('dialog[data-dialog="plan-run"]')
    plan.get_by_label("First date").fill("2029-11-13")
    plan.get_by_label("Last date").fill("2029-12-01")
    plan.get_by_role("button", name="+ Add a time").click()
    plan.get_by_label("Dark days").fill("2029-11-22")
    plan.get_by_role("button", name="Preview", exact=True).click()
    expect(plan.get_by_role("button", name="Create 22 performances")).to_be_visible()
    assert_accessible(page)
    page.mouse.move(0, 0)
    path = DOCS / "plan-a-run.png"
    plan.screenshot(path=str(path), animations="disabled")
    assert png_size(path)[0] > 500
    # Only previewed: nothing was made.
    assert len(season.sessions()) == 7


def test_the_casting_page_is_captured_with_a_cover_and_a_warning(new_page: Any, season: Api):
    if not season.ok("GET", "/show/character")["characters"]:
        cast = {}
        for first, last in [("Ada", "Lane"), ("Sam", "Reed"), ("Kit", "Moss"), ("Noor", "Hale")]:
            body = {"firstName": first, "lastName": last}
            cast[first] = int(season.ok("POST", "/show/cast", body)["id"])
        parts = {}
        for name, player in [("Hamlet", "Ada"), ("Ophelia", "Kit"), ("Horatio", "Noor")]:
            body = {"name": name, "played_by": cast[player]}
            parts[name] = int(season.ok("POST", "/show/character", body)["id"])
        season.ok("POST", "/show/character", {"name": "Ghost"})
        season.ok(
            "PUT",
            f"/show/casting/pools/{parts['Hamlet']}",
            {"cast_ids": [cast["Ada"], cast["Sam"]]},
        )
        press = next(
            s for s in season.sessions() if s["scheduled_date_time"].startswith("2029-11-06")
        )
        season.ok(
            "PATCH",
            f"/show/sessions/{press['id']}/casting",
            {"casting": {str(parts["Hamlet"]): cast["Sam"]}},
        )
    page = open_on_the_day(new_page, 1280, 720)
    page.locator("#tab-casting").click()
    expect(page.locator("td.matrix-cell.is-cover")).to_have_count(1)
    expect(page.locator(".cell-warning").first).to_have_text("Nobody available")
    assert_accessible(page)
    assert png_size(capture(page, "casting-page.png"))[0] == 1280

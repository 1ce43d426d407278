"""Read views of the loaded show's structure: the running order (acts and their scenes in
order, with the interval) and the cast list (who plays whom), both following changes made
elsewhere without a reload."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ADMIN,
    Api,
    Server,
    assert_accessible,
    first_admin,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


def add_act(api: Api, name: str, interval_after: bool, previous: int | None = None) -> int:
    body = {"name": name, "interval_after": interval_after, "previous_act_id": previous}
    return int(api.ok("POST", "/show/act", body)["id"])


def add_scene(api: Api, act: int, name: str, previous: int | None = None) -> int:
    body = {"act_id": act, "name": name, "previous_scene_id": previous}
    return int(api.ok("POST", "/show/scene", body)["id"])


def test_the_running_order_lists_acts_and_scenes_in_order_and_follows_changes(
    new_page: Any, admin_api: Api, show_id: int
):
    one = add_act(admin_api, "Elsinore", interval_after=True)
    two = add_act(admin_api, "England", interval_after=False, previous=one)
    first = add_scene(admin_api, one, "The battlements")
    third = add_scene(admin_api, one, "The great hall", previous=first)
    # Added last, placed between the two.
    add_scene(admin_api, one, "Polonius's house", previous=first)
    add_scene(admin_api, two, "A plain in Denmark")
    assert third

    page = new_page(width=390, height=844)
    sign_in(page, *ADMIN)
    page.get_by_role("tab", name="Running order").click()
    acts = page.locator(".running-order > li")
    expect(acts).to_have_count(3)
    expect(page.locator(".act-name")).to_have_text(["Act 1 · Elsinore", "Act 2 · England"])
    expect(page.locator(".interval")).to_have_text("Interval")
    expect(acts.nth(1)).to_have_class("interval")
    expect(page.locator(f'li.act[data-act-id="{one}"] .scene')).to_have_text(
        ["The battlements", "Polonius's house", "The great hall"]
    )
    expect(page.locator(f'li.act[data-act-id="{two}"] .scene')).to_have_text(["A plain in Denmark"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    add_scene(admin_api, two, "The sea shore")
    expect(page.locator(f'li.act[data-act-id="{two}"] .scene')).to_have_text(
        ["A plain in Denmark", "The sea shore"]
    )


def test_the_cast_list_shows_who_plays_whom_and_follows_changes(
    new_page: Any, admin_api: Api, show_id: int
):
    ada = int(admin_api.ok("POST", "/show/cast", {"firstName": "Ada", "lastName": "Byron"})["id"])
    admin_api.ok("POST", "/show/cast", {"firstName": "Ben", "lastName": "Chaplin"})
    admin_api.ok("POST", "/show/character", {"name": "Hamlet", "played_by": ada})
    admin_api.ok("POST", "/show/character", {"name": "Ophelia", "description": "Daughter"})

    page = new_page()
    sign_in(page, *ADMIN)
    page.locator("#tab-cast").click()
    rows = page.locator("table.cast-table tr[data-character-id]")
    expect(rows.locator(".character-name")).to_have_text(["Hamlet", "Ophelia"])
    expect(rows.locator(".played-by")).to_have_text(["Ada Byron", "Not cast"])
    expect(page.locator(".uncast")).to_have_text("Without a part: Ben Chaplin")
    assert_accessible(page)

    admin_api.ok("POST", "/show/character", {"name": "Horatio", "played_by": ada})
    expect(rows.locator(".character-name")).to_have_text(["Hamlet", "Horatio", "Ophelia"])
    expect(rows.nth(1).locator(".played-by")).to_have_text("Ada Byron")

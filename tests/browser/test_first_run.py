"""The first visit to a server with no users: creating the admin, a show and its tags."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Api, Server, dialog

pytestmark = pytest.mark.browser


def add_tag(page: Any, name: str, colour: str) -> None:
    page.get_by_role("button", name="+ New Tag").click()
    form = dialog(page, "new-tag")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Colour").fill(colour)
    form.get_by_role("button", name="Add tag").click()
    expect(form).to_have_count(0)


def test_first_run_creates_the_admin_then_a_show_and_two_tags(new_page: Any, server: Server):
    page = new_page()
    expect(page.get_by_role("heading", name="Welcome to DigiScript")).to_be_visible()
    page.get_by_label("Username").fill("stage")
    page.get_by_label("Password", exact=True).fill("curtain-up")
    page.get_by_label("Confirm password").fill("curtain-up")
    page.get_by_role("button", name="Create admin").click()

    # With nothing loaded yet, the admin lands on the show picker.
    expect(page.get_by_role("heading", name="Shows", exact=True)).to_be_visible()
    expect(page.locator("#show-indicator")).to_have_text("No show loaded")
    page.get_by_role("button", name="+ New Show").click()
    form = dialog(page, "new-show")
    form.get_by_label("Show name").fill("Hamlet")
    form.get_by_label("First performance").fill("2026-12-01")
    form.get_by_label("Last performance").fill("2027-01-31")
    form.get_by_role("button", name="Create show").click()

    expect(page.locator("#show-indicator .show-name")).to_have_text("Hamlet")
    expect(page.get_by_role("heading", name="Hamlet", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Tags").click()
    add_tag(page, "Preview", "#2563eb")
    add_tag(page, "Press Night", "#dc2626")
    expect(page.locator("table.tags-table tbody tr")).to_have_text(
        [re.compile("Preview.*#2563eb"), re.compile("Press Night.*#dc2626")]
    )

    token = page.evaluate("localStorage.getItem('digiscript.token')")
    api = Api(server, token)
    assert api.ok("GET", "/auth")["username"] == "stage"
    settings = api.ok("GET", "/settings")
    assert settings["has_admin_user"] is True
    assert api.ok("GET", "/show")["name"] == "Hamlet"
    assert settings["current_show"] == api.ok("GET", "/show")["id"]
    assert [(t["tag"], t["colour"]) for t in api.tags()] == [
        ("Preview", "#2563eb"),
        ("Press Night", "#dc2626"),
    ]


def test_first_run_refuses_a_short_password_with_the_servers_message(new_page: Any):
    page = new_page()
    page.get_by_label("Username").fill("stage")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_role("button", name="Create admin").click()
    expect(page.get_by_role("alert")).to_have_text("Password must be at least 6 characters long")

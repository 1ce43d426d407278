"""Signing in and out, the admin's show picker and the Tags tab, on a server the tests share
(each test loads a show of its own)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, Api, Server, dialog, first_admin, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture(scope="module")
def admin_api(shared_server: Server) -> Api:
    return first_admin(shared_server)


def test_a_wrong_password_is_refused_with_the_servers_message(new_page: Any, admin_api: Api):
    page = new_page()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Invalid username/password")


def test_signing_out_forgets_the_token_and_revokes_it(
    new_page: Any, admin_api: Api, server: Server
):
    # Not the admin: signing out may end every token of the user, and the module shares it.
    admin_api.create_user("leaving", "password1", is_admin=True)
    page = new_page()
    sign_in(page, "leaving", "password1")
    token = page.evaluate("localStorage.getItem('digiscript.token')")
    assert Api(server, token).call("GET", "/auth/users")[0] == 200

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('digiscript.token')") is None
    assert Api(server, token).call("GET", "/auth/users")[0] == 401


def test_signed_in_state_survives_a_reload(new_page: Any, admin_api: Api, show_id: int):
    page = new_page()
    sign_in(page, *ADMIN)
    page.reload()
    expect(page.locator(".user-name")).to_have_text("admin")
    expect(page.locator("#show-indicator .show-name")).to_have_text("Hamlet")


def test_the_admin_loads_another_show_for_everyone(new_page: Any, admin_api: Api, show_id: int):
    admin_api.create_show("Macbeth")
    admin_api.ok("PATCH", "/settings", {"current_show": show_id})
    watcher = new_page()
    sign_in(watcher, *ADMIN)
    page = new_page()
    sign_in(page, *ADMIN)

    page.get_by_role("link", name="Shows").click()
    page.locator("tr", has_text="Macbeth").get_by_role("button", name="Load").click()

    expect(page.locator("tr", has_text="Macbeth")).to_contain_text("Loaded")
    expect(watcher.locator("#show-indicator .show-name")).to_have_text("Macbeth")
    assert admin_api.ok("GET", "/show")["name"] == "Macbeth"


def test_tag_validation_messages_are_shown(new_page: Any, admin_api: Api, show_id: int):
    admin_api.create_tag("Preview", "#2563eb")
    page = new_page()
    sign_in(page, *ADMIN)
    page.get_by_role("tab", name="Tags").click()

    page.get_by_role("button", name="+ New Tag").click()
    form = dialog(page, "new-tag")
    form.get_by_role("button", name="Add tag").click()
    expect(form.get_by_role("alert")).to_have_text("Tag name missing")
    form.get_by_label("Name").fill("PREVIEW")
    form.get_by_role("button", name="Add tag").click()
    expect(form.get_by_role("alert")).to_have_text("Tag name already exists (case-insensitive)")
    assert [t["tag"] for t in admin_api.tags()] == ["Preview"]


def test_a_tag_is_edited_and_deleted(new_page: Any, admin_api: Api, show_id: int):
    preview = admin_api.create_tag("Preview", "#2563eb")
    gala = admin_api.create_tag("Gala", "#7c3aed")
    page = new_page()
    sign_in(page, *ADMIN)
    page.get_by_role("tab", name="Tags").click()

    page.locator(f'tr[data-tag-id="{preview}"]').get_by_role("button", name="Edit").click()
    form = dialog(page, "edit-tag")
    form.get_by_label("Name").fill("First Preview")
    form.get_by_label("Colour").fill("#16a34a")
    form.get_by_role("button", name="Save tag").click()
    expect(page.locator(f'tr[data-tag-id="{preview}"]')).to_contain_text("First Preview")
    expect(page.locator(f'tr[data-tag-id="{preview}"]')).to_contain_text("#16a34a")

    page.locator(f'tr[data-tag-id="{gala}"]').get_by_role("button", name="Delete").click()
    dialog(page, "delete-tag").get_by_role("button", name="Delete tag").click()
    expect(page.locator(f'tr[data-tag-id="{gala}"]')).to_have_count(0)

    assert [(t["id"], t["tag"], t["colour"]) for t in admin_api.tags()] == [
        (preview, "First Preview", "#16a34a")
    ]

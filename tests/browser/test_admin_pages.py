"""The admin's Users page (create, roles on the loaded show, reset password, delete) and the
Revisions tab (add, set current, delete with the server's refusal in plain words)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ADMIN,
    Api,
    Server,
    assert_accessible,
    dialog,
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


def user_row(page: Any, username: str) -> Any:
    return page.locator("table.users-table tr[data-user-id]").filter(
        has=page.locator(".username", has_text=re.compile(f"^{username}$"))
    )


def users_page(new_page: Any, width: int = 1280) -> Any:
    page = new_page(width=width)
    sign_in(page, *ADMIN)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    return page


def test_an_admin_creates_a_user_and_grants_roles_on_the_loaded_show(
    new_page: Any, admin_api: Api, show_id: int
):
    page = users_page(new_page)
    expect(user_row(page, "admin")).to_contain_text("Every role (admin)")
    assert_accessible(page)

    page.get_by_role("button", name="+ New User").click()
    form = dialog(page, "new-user")
    form.get_by_label("Username").fill("stagey")
    form.get_by_label("Password").fill("abc")
    form.get_by_role("button", name="Create user").click()
    expect(form.locator(".error-plain")).to_have_text(
        "The password is too short: use at least 6 characters."
    )
    expect(form.locator(".error-server")).to_contain_text("Password must be at least 6")
    form.get_by_label("Password").fill("password1")
    form.get_by_role("button", name="Create user").click()
    expect(user_row(page, "stagey").locator(".user-roles")).to_have_text("None")

    user_row(page, "stagey").get_by_role("button", name="Roles").click()
    roles = dialog(page, "user-roles")
    roles.get_by_label("Read").check()
    roles.get_by_label("Execute").check()
    assert_accessible(page)
    roles.get_by_role("button", name="Save roles").click()
    expect(user_row(page, "stagey").locator(".user-roles")).to_have_text("Read · Execute")
    expect(user_row(page, "stagey").get_by_role("button", name="Roles")).to_be_focused()
    stagey = admin_api.login("stagey", "password1")
    assert stagey.ok("GET", "/rbac/user/roles")["roles"]["shows"][0][1] == 5

    user_row(page, "stagey").get_by_role("button", name="Roles").click()
    roles = dialog(page, "user-roles")
    roles.get_by_label("Execute").uncheck()
    roles.get_by_role("button", name="Save roles").click()
    expect(user_row(page, "stagey").locator(".user-roles")).to_have_text("Read")
    assert stagey.ok("GET", "/rbac/user/roles")["roles"]["shows"][0][1] == 1


def test_resetting_a_password_shows_the_temporary_one_once(
    new_page: Any, admin_api: Api, show_id: int, server: Server
):
    admin_api.create_user("forgetful", "password1")
    page = users_page(new_page)
    user_row(page, "forgetful").get_by_role("button", name="Reset password").click()
    confirm = dialog(page, "reset-password")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    confirm.get_by_role("button", name="Reset password").click()

    shown = dialog(page, "temporary-password")
    temporary = shown.get_by_label("Temporary password").input_value()
    assert len(temporary) >= 6
    assert_accessible(page)
    shown.get_by_role("button", name="Done").click()
    expect(shown).to_have_count(0)
    # Nowhere on the page any more.
    assert temporary not in page.content()
    Api(server).login("forgetful", temporary)
    assert (
        Api(server).call("POST", "/auth/login", {"username": "forgetful", "password": "password1"})[
            0
        ]
        == 401
    )


def test_an_admin_deletes_a_user_but_not_themself(new_page: Any, admin_api: Api, show_id: int):
    admin_api.create_user("leaver", "password1")
    page = users_page(new_page)
    expect(user_row(page, "admin").get_by_role("button", name="Delete")).to_have_count(0)
    user_row(page, "leaver").get_by_role("button", name="Delete").click()
    confirm = dialog(page, "delete-user")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    assert_accessible(page)
    confirm.get_by_role("button", name="Delete user").click()
    expect(user_row(page, "leaver")).to_have_count(0)
    names = [u["username"] for u in admin_api.ok("GET", "/auth/users")["users"]]
    assert "leaver" not in names


def test_the_users_page_fits_a_phone(new_page: Any, admin_api: Api, show_id: int):
    admin_api.create_user("phoneuser", "password1")
    page = users_page(new_page, width=390)
    expect(user_row(page, "phoneuser")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for label in ("Roles", "Reset password", "Delete"):
        box = user_row(page, "phoneuser").get_by_role("button", name=label).bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
    assert_accessible(page)


def test_a_user_without_admin_sees_no_users_page(new_page: Any, admin_api: Api, show_id: int):
    admin_api.create_user("plain", "password1")
    page = new_page()
    sign_in(page, "plain", "password1")
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    page.goto("/#/users")
    expect(page.get_by_role("heading", name="Users", exact=True)).to_have_count(0)


def test_revisions_are_added_made_current_and_deleted_with_the_servers_refusal(
    new_page: Any, admin_api: Api, show_id: int
):
    page = new_page()
    sign_in(page, *ADMIN)
    page.get_by_role("tab", name="Revisions").click()
    revisions = page.locator("table.revisions-table tr[data-revision-id]")
    expect(revisions).to_have_count(1)
    expect(revisions.first).to_contain_text("Current")
    assert_accessible(page)

    page.get_by_role("button", name="+ New Revision").click()
    form = dialog(page, "new-revision")
    form.get_by_label("Description").fill("Cuts after previews")
    assert_accessible(page)
    form.get_by_role("button", name="Add revision").click()
    expect(revisions).to_have_count(2)
    newest = revisions.first
    expect(newest).to_contain_text("Rev 2")
    expect(newest).to_contain_text("Current")
    rev2 = int(newest.get_attribute("data-revision-id") or 0)
    assert admin_api.ok("GET", "/show/script/revisions")["current_revision"] == rev2

    # A scheduled performance on Rev 2 keeps it from being deleted; the server says why.
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S")
    admin_api.ok(
        "POST",
        "/show/sessions/schedule",
        {"scheduled_date_time": when, "tag_ids": [], "script_revision_id": rev2},
    )
    expect(newest).to_contain_text("1 session")
    revisions.nth(1).get_by_role("button", name="Set current").click()
    expect(revisions.nth(1)).to_contain_text("Current")
    newest.get_by_role("button", name="Delete").click()
    confirm = dialog(page, "delete-revision")
    confirm.get_by_role("button", name="Delete revision").click()
    expect(confirm.locator(".error-plain")).to_have_text(
        "Scheduled performances still use this revision: move them to another revision first."
    )
    expect(confirm.locator(".error-server")).to_contain_text(
        "Revision is used by scheduled sessions"
    )
    assert_accessible(page)
    confirm.get_by_role("button", name="Cancel").click()
    expect(revisions).to_have_count(2)

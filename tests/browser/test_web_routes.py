"""How the server answers for the built-in UI: the page, its static files, and other paths."""

from __future__ import annotations

from typing import Any

import pytest
from tornado.httpclient import HTTPResponse

from server import __version__


@pytest.fixture
def fetch(http_client: Any, base_url: str) -> Any:
    async def get(path: str) -> HTTPResponse:
        return await http_client.fetch(base_url + path, raise_error=False)

    return get


@pytest.mark.gen_test
async def test_the_root_serves_the_page_that_loads_the_ui_module(fetch):
    r = await fetch("/")
    assert r.code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    script = f'<script type="module" src="/static/js/main.js?v={__version__}"></script>'
    assert script.encode() in r.body
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]


@pytest.mark.gen_test
async def test_static_scripts_are_served_as_javascript(fetch):
    r = await fetch("/static/js/main.js")
    assert r.code == 200
    assert "javascript" in r.headers["Content-Type"]
    assert b"live.connect();" in r.body
    assert r.headers["Cache-Control"] == "no-cache"


@pytest.mark.gen_test
async def test_a_missing_static_file_is_a_404(fetch):
    r = await fetch("/static/js/nothing-here.js")
    assert r.code == 404


@pytest.mark.gen_test
async def test_a_static_path_cannot_climb_out_of_the_static_folder(fetch):
    r = await fetch("/static/..%2F..%2Fhandlers%2Fweb.py")
    assert r.code in (403, 404)
    assert b"builtin_ui_routes" not in (r.body or b"")


@pytest.mark.gen_test
async def test_an_unknown_page_is_an_html_404(fetch):
    r = await fetch("/no/such/page")
    assert r.code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert b"Page not found" in r.body


@pytest.mark.gen_test
async def test_unknown_api_paths_still_answer_json(fetch):
    r = await fetch("/api/v1/no/such/endpoint")
    assert r.code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.body == b'{"message": "404 not found"}'

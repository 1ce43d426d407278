"""`serve --client-dir DIR`: a prebuilt DigiScript client served at / instead of the built-in UI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient

from server import cli
from server.app import make_app
from tests.conftest import Response

INDEX = "<!doctype html><title>DigiScript</title><script src=/assets/index-abc123.js></script>"
SCRIPT = "console.log('client');"


@pytest.fixture
def client_dir(tmp_path: Path) -> Path:
    """A small stand-in for client-v3's build output."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "index-abc123.js").write_text(SCRIPT)
    (root / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (tmp_path / "secret.txt").write_text("outside the client")
    return root


@pytest.fixture
def app(database: Any, clock: Any, client_dir: Path) -> Any:
    return make_app(database, clock, client_dir=str(client_dir))


@pytest.fixture
def web(http_client: AsyncHTTPClient, base_url: str) -> Any:
    """`await web(path, headers)`: a plain GET of a path outside /api."""

    async def get(path: str, headers: dict[str, str] | None = None) -> Response:
        r = await http_client.fetch(base_url + path, headers=headers, raise_error=False)
        return Response(r.code, r.body or b"", r.headers)

    return get


@pytest.mark.gen_test
async def test_the_root_answers_the_clients_index_html(web):
    r = await web("/")
    assert r.code == 200
    assert r.body.decode() == INDEX
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/live", "/config/users", "/show-config/sessions", "/me"])
@pytest.mark.gen_test
async def test_any_other_page_answers_index_html_for_the_client_to_route(web, path):
    r = await web(path)
    assert r.code == 200
    assert r.body.decode() == INDEX


@pytest.mark.gen_test
async def test_assets_are_served_with_long_cache_headers(web):
    r = await web("/assets/index-abc123.js")
    assert r.code == 200
    assert r.body.decode() == SCRIPT
    assert "javascript" in r.headers["Content-Type"]
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.gen_test
async def test_a_missing_asset_is_a_404_not_the_page(web):
    r = await web("/assets/index-gone.js")
    assert r.code == 404
    assert INDEX not in r.body.decode(errors="replace")


@pytest.mark.parametrize("path", ["/%00", "/" + "x" * 5000, "/assets/%00", "/assets/" + "x" * 5000])
@pytest.mark.gen_test
async def test_a_path_no_file_system_could_hold_is_no_server_error(web, path):
    r = await web(path)
    assert r.code in (200, 404), r
    if path.startswith("/assets/"):
        assert r.code == 404
    else:
        assert r.body.decode() == INDEX


@pytest.mark.gen_test
async def test_files_at_the_top_of_the_client_are_served_as_they_are(web):
    r = await web("/favicon.ico")
    assert r.code == 200
    assert r.body == b"\x00\x00\x01\x00"


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"]
)
@pytest.mark.gen_test
async def test_nothing_outside_the_client_folder_is_served(web, path):
    r = await web(path)
    assert b"outside the client" not in r.body


@pytest.mark.gen_test
async def test_the_api_is_still_the_api(api):
    assert (await api.get("/health")).json["status"] == "ok"
    r = await api.get("/api/v1/no-such-thing")
    assert r.code == 404
    assert r.json == {"message": "404 not found"}


@pytest.mark.gen_test
async def test_the_index_is_revalidated_with_its_etag(web):
    first = await web("/live")
    again = await web("/live", {"If-None-Match": first.headers["Etag"]})
    assert again.code == 304


def test_a_folder_without_index_html_is_refused(database, clock, tmp_path):
    with pytest.raises(ValueError, match="no index.html"):
        make_app(database, clock, client_dir=str(tmp_path))


def test_serve_stops_with_a_message_when_the_folder_holds_no_client(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    code = cli.main(["serve", "--database-url", url, "--client-dir", str(tmp_path / "none")])
    assert code == 2
    assert "no index.html" in capsys.readouterr().err

"""The built-in stage-manager web UI: its page, its static files and a 404 page for other paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tornado.web

from server import __version__

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

# Everything the page needs comes from this server; the policy makes that a promise the browser
# enforces. `ws:`/`wss:` cover the live channel on the same host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


class UiPageHandler(tornado.web.RequestHandler):
    """The single page of the UI; the scripts it loads do the rest against the API."""

    template_name = "index.html"
    status = 200

    def get_template_path(self) -> str:
        return str(TEMPLATE_DIR)

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        # The page is tiny and names versioned assets; always asking keeps upgrades visible.
        self.set_header("Cache-Control", "no-cache")

    def get(self, *_args: Any) -> None:
        self.set_status(self.status)
        self.render(self.template_name, version=__version__)

    def head(self, *_args: Any) -> None:
        self.get()


class UiNotFoundHandler(UiPageHandler):
    """Any other path outside /api: a small HTML page pointing back to the UI."""

    template_name = "not_found.html"
    status = 404

    def prepare(self) -> None:
        if self.request.method not in ("GET", "HEAD"):
            self.set_status(404)
            self.render(self.template_name, version=__version__)


class FileHandler(tornado.web.StaticFileHandler):
    """A static file handler for which a path no file system could hold (a NUL byte in it,
    a name too long) names no file: 404, where the file system's error would be a 500."""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        try:
            return super().validate_absolute_path(root, absolute_path)
        except (ValueError, OSError) as exc:
            raise tornado.web.HTTPError(404) from exc


class UiStaticHandler(FileHandler):
    def set_extra_headers(self, path: str) -> None:
        # Module imports inside the scripts carry no version; revalidating (cheap, via ETag)
        # keeps a browser from mixing files of two releases.
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")


def builtin_ui_routes() -> list[Any]:
    """The UI's routes, to be registered after every API route (the last one catches all)."""
    return [
        (r"/", UiPageHandler),
        (r"/static/(.*)", UiStaticHandler, {"path": str(STATIC_DIR)}),
        (r"/(?!api/).*", UiNotFoundHandler),
    ]

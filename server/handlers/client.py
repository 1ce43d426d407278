"""Serving a prebuilt DigiScript client (`serve --client-dir DIR`) in place of the built-in UI.

DIR is the client's build output: index.html, assets/ with content-hashed file names, and a
few files of its own at the top (icons). The client routes in the browser, so any other path
answers index.html.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tornado.web

from server.handlers.web import FileHandler

# Hashed names change whenever their content does, so a browser may keep them for good.
IMMUTABLE = "public, max-age=31536000, immutable"


class ClientAssetHandler(FileHandler):
    """/assets/*: the client's scripts, styles and fonts."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", IMMUTABLE)
        self.set_header("X-Content-Type-Options", "nosniff")


class ClientPageHandler(FileHandler):
    """Any other path: a file at the top of DIR if there is one, else the client's index.html."""

    def initialize(self, path: str, *args: Any, **kwargs: Any) -> None:
        super().initialize(path, *args, **kwargs)
        self.client_root = Path(path).resolve()

    async def get(self, path: str, include_body: bool = True) -> None:
        await super().get(self._file_for(path), include_body)

    def _file_for(self, path: str) -> str:
        if path:
            try:
                candidate = (self.client_root / path).resolve()
                if candidate.is_relative_to(self.client_root) and candidate.is_file():
                    return path
            except (ValueError, OSError):  # a NUL byte, a name too long: no file of ours
                pass
        return "index.html"

    def set_extra_headers(self, path: str) -> None:
        # The page names the current hashed assets: always ask, so an upgrade shows at once.
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")


def client_routes(
    client_dir: str | Path,
) -> list[tuple[str, type[tornado.web.RequestHandler], Any]]:
    """The routes that serve the client in `client_dir`, to come after the API's."""
    root = Path(client_dir).resolve()
    if not (root / "index.html").is_file():
        raise ValueError(f"{client_dir} holds no index.html: build the client there first")
    return [
        (r"/assets/(.*)", ClientAssetHandler, {"path": str(root / "assets")}),
        (r"/(.*)", ClientPageHandler, {"path": str(root)}),
    ]

"""Builds the Tornado application: routes, services and settings."""

from __future__ import annotations

from typing import Any

import tornado.web

import server.handlers  # noqa: F401  (registers every API route)
import server.handlers.casting  # noqa: F401  (tonight's cast)
from server import __version__, logbuffer
from server.broadcast import Broadcaster
from server.clock import Clock, system_clock
from server.db import Database
from server.handlers.base import ROUTES, ApiNotFoundHandler, check_declarations
from server.handlers.client import client_routes
from server.handlers.web import builtin_ui_routes
from server.processes import ProcessRegistry
from server.ws import WebSocketHandler

# A WebSocket peer that has vanished without closing (a laptop lid shut, a network gone) is
# pinged every 20 s and dropped when no pong comes back within 30 s.
WEBSOCKET_SETTINGS = {"websocket_ping_interval": 20.0, "websocket_ping_timeout": 30.0}


def make_app(
    database: Database,
    clock: Clock = system_clock,
    client_dir: str | None = None,
    **settings: Any,
) -> tornado.web.Application:
    """The application. With `client_dir`, the prebuilt client there is served at / instead of
    the built-in UI; `debug_origins=True` lets WebSockets in from pages of any origin."""
    api_routes = [r for r in ROUTES if r[1] is not ApiNotFoundHandler]
    check_declarations(api_routes)
    ui_routes = builtin_ui_routes() if client_dir is None else client_routes(client_dir)
    routes: list[Any] = [
        (r"/api/v1/ws", WebSocketHandler),
        *api_routes,
        (r"/api/.*", ApiNotFoundHandler),
        *ui_routes,
    ]
    # The System Config page's log viewer shows this process's recent log.
    logbuffer.install()
    broadcaster = Broadcaster()
    # Other processes' changes reach this one's WebSocket clients too.
    database.feed.start(broadcaster.publish)
    return tornado.web.Application(
        routes,
        database=database,
        clock=clock,
        broadcaster=broadcaster,
        version=__version__,
        default_handler_class=ApiNotFoundHandler,
        **{**WEBSOCKET_SETTINGS, "processes": ProcessRegistry(database), **settings},
    )

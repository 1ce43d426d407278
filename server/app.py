"""Builds the Tornado application: routes, services and settings."""

from __future__ import annotations

from typing import Any

import tornado.web

import server.handlers  # noqa: F401  (registers every API route)
from server import __version__
from server.clock import Clock, system_clock
from server.db import Database
from server.handlers.base import ROUTES, ApiNotFoundHandler
from server.handlers.web import builtin_ui_routes
from server.ws import Broadcaster, WebSocketHandler


def make_app(
    database: Database, clock: Clock = system_clock, **settings: Any
) -> tornado.web.Application:
    api_routes = [r for r in ROUTES if r[1] is not ApiNotFoundHandler]
    routes: list[Any] = [
        (r"/api/v1/ws", WebSocketHandler),
        *api_routes,
        (r"/api/.*", ApiNotFoundHandler),
        *builtin_ui_routes(),
    ]
    return tornado.web.Application(
        routes,
        database=database,
        clock=clock,
        broadcaster=Broadcaster(),
        version=__version__,
        default_handler_class=ApiNotFoundHandler,
        **settings,
    )

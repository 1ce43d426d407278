"""The OpenAPI document: GET /api/v1/openapi.json."""

from __future__ import annotations

from server import openapi
from server.handlers.base import (
    ROUTES,
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    endpoint,
    route,
)


@route(r"/api/v1/openapi.json")
class OpenApiHandler(BaseAPIHandler):
    @endpoint(
        "This document",
        access=Access.PUBLIC,
        answer={"type": "object"},
        transaction=Transaction.NONE,
        tag="service",
    )
    def get(self, call: Call) -> Answer:
        return openapi.document(ROUTES, self.version)

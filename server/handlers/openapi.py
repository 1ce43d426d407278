"""The OpenAPI document: GET /api/v1/openapi.json."""

from __future__ import annotations

from server import openapi
from server.handlers.base import BaseAPIHandler, route


@route(r"/api/v1/openapi.json")
class OpenApiHandler(BaseAPIHandler):
    # Anyone may read the document, whatever token they carry.
    tolerate_bad_token = True

    def get(self) -> None:
        self.write_json(openapi.document(self.version))

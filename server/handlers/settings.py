"""Server settings, the loaded show, and the health check."""

from __future__ import annotations

import logging

from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    database_check,
    endpoint,
    route,
)
from server.operations import settings
from server.schemas.settings import (
    RAW_SETTINGS,
    HealthSchema,
    PublicSettingsSchema,
    SettingsCategoriesSchema,
    SettingsPatchSchema,
)

log = logging.getLogger(__name__)


@route(r"/api/v1/health")
class HealthHandler(BaseAPIHandler):
    @endpoint(
        "Liveness, version, and whether the database answers (503 when it does not)",
        access=Access.PUBLIC,
        answer=HealthSchema,
        unavailable_answer=HealthSchema,
        transaction=Transaction.NONE,
        tag="service",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        trouble = database_check(self.database)
        if trouble is None:
            return {"status": "ok", "version": self.version, "database": "ok"}
        self.set_status(503)
        return {"status": "unavailable", "version": self.version, "database": trouble}


@route(r"/api/v1/settings")
class SettingsHandler(BaseAPIHandler):
    @endpoint(
        "Server settings and the loaded show",
        access=Access.PUBLIC,
        answer=PublicSettingsSchema,
        tag="settings",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        return settings.public_settings(call.db, self.version)

    @endpoint(
        "Load a show or change settings (admin)",
        access=Access.ADMIN,
        body=SettingsPatchSchema,
        errors=(400, 403, 404, 409),
        tag="settings",
    )
    def patch(self, call: Call) -> Answer:
        body = call.body
        if body["unknown"]:
            log.warning("PATCH /settings ignored unknown settings: %s", ", ".join(body["unknown"]))
        settings.update_settings(call.db, body["changes"], body["read_only"], self.version)
        if body["current_show"] is not None:
            settings.load_show(call.db, body["current_show"])
        return {"message": "Settings updated"}


@route(r"/api/v1/settings/raw")
class RawSettingsHandler(BaseAPIHandler):
    @endpoint(
        "Every setting with its type, default and whether it may be edited",
        access=Access.PUBLIC,
        answer=RAW_SETTINGS,
        tag="settings",
    )
    def get(self, call: Call) -> Answer:
        return settings.raw_settings(call.db, self.version)


@route(r"/api/v1/settings/categories")
class SettingsCategoriesHandler(BaseAPIHandler):
    @endpoint(
        "How a settings form groups the settings",
        access=Access.PUBLIC,
        answer=SettingsCategoriesSchema,
        transaction=Transaction.NONE,
        tag="settings",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        return {"categories": settings.categories()}

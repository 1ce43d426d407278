"""Server settings, the loaded show, and the health check."""

from __future__ import annotations

import logging

from server.handlers.base import BaseAPIHandler, admin_required, route
from server.operations import settings
from server.schemas.settings import SettingsPatchSchema

log = logging.getLogger(__name__)


@route(r"/api/v1/health")
class HealthHandler(BaseAPIHandler):
    tolerate_bad_token = True

    def get(self) -> None:
        self.write_json({"status": "ok", "version": self.version})


@route(r"/api/v1/settings")
class SettingsHandler(BaseAPIHandler):
    tolerate_bad_token = True

    def get(self) -> None:
        with self.read_tx() as db:
            self.write_json(settings.public_settings(db, self.version))

    @admin_required
    def patch(self) -> None:
        schema = SettingsPatchSchema()
        show_id, changes, read_only = schema.load_patch(self.json_body)
        unknown = sorted(str(k) for k in self.json_object if k not in schema.fields)
        if unknown:
            log.warning("PATCH /settings ignored unknown settings: %s", ", ".join(unknown))
        with self.write_tx() as db:
            changed = settings.update_settings(db, changes, read_only, self.version)
            if show_id is not None:
                settings.load_show(db, show_id)
            if changed or show_id is not None:
                self.notify_settings_changed(db)
            if show_id is not None:
                self.notify("NOOP", "SHOW_CHANGED")
        self.write_json({"message": "Settings updated"})


@route(r"/api/v1/settings/raw")
class RawSettingsHandler(BaseAPIHandler):
    """Every setting with its type, default and whether it may be edited (a settings form)."""

    tolerate_bad_token = True

    def get(self) -> None:
        with self.read_tx() as db:
            self.write_json(settings.raw_settings(db, self.version))


@route(r"/api/v1/settings/categories")
class SettingsCategoriesHandler(BaseAPIHandler):
    """How a settings form groups the settings."""

    tolerate_bad_token = True

    def get(self) -> None:
        self.write_json({"categories": settings.categories()})

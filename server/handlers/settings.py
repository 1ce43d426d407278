"""Server settings, the loaded show, and the health check."""

from __future__ import annotations

from server.handlers.base import BaseAPIHandler, admin_required, route
from server.operations import settings
from server.schemas.shows import SettingsPatchSchema


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
        data = SettingsPatchSchema().load_body(self.json_body)
        with self.write_tx() as db:
            settings.load_show(db, data["current_show"])
            self.notify_settings_changed(db)
            self.notify("NOOP", "SHOW_CHANGED")
        self.write_json({"message": "Settings updated"})

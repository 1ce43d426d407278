"""The signed-in user's own settings: /api/v1/user/settings."""

from __future__ import annotations

import logging

from server.handlers.base import BaseAPIHandler, login_required, route
from server.operations import user_settings
from server.schemas.user_settings import UserSettingsPatchSchema, UserSettingsSchema

log = logging.getLogger(__name__)


@route(r"/api/v1/user/settings")
class UserSettingsHandler(BaseAPIHandler):
    @login_required
    def get(self) -> None:
        # Writes: the first read stores the defaults.
        with self.write_tx() as db:
            row = user_settings.settings_of(db, self.require_user())
            body = UserSettingsSchema().dump(row)
        self.write_json(body)

    @login_required
    def patch(self) -> None:
        user = self.require_user()
        changes, unknown = UserSettingsPatchSchema().load_patch(self.json_body)
        if unknown:
            log.warning(
                "user %s sent unknown settings, ignored: %s", user.username, ", ".join(unknown)
            )
        with self.write_tx() as db:
            user_settings.update_settings(db, user, changes)
            # Only this user's own connections (their other tabs and devices) need to reload.
            self.notify("NOOP", "GET_USER_SETTINGS", to_user=user.id)
        self.write_json({"message": "User settings updated"})

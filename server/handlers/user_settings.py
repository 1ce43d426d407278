"""The signed-in user's own settings: /api/v1/user/settings."""

from __future__ import annotations

import logging

from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    endpoint,
    route,
)
from server.operations import user_settings
from server.schemas.user_settings import UserSettingsPatchSchema, UserSettingsSchema

log = logging.getLogger(__name__)


@route(r"/api/v1/user/settings")
class UserSettingsHandler(BaseAPIHandler):
    @endpoint(
        "The current user's own settings (made with defaults on first read)",
        access=Access.SIGNED_IN,
        answer=UserSettingsSchema,
        # The first read stores the defaults.
        transaction=Transaction.WRITE,
        tag="settings",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        return UserSettingsSchema().dump(user_settings.settings_of(call.db, call.user))

    @endpoint(
        "Change some of the current user's settings; unknown keys are ignored",
        access=Access.SIGNED_IN,
        body=UserSettingsPatchSchema,
        errors=(400,),
        tag="settings",
    )
    def patch(self, call: Call) -> Answer:
        unknown = call.body["unknown"]
        if unknown:
            log.warning(
                "user %s sent unknown settings, ignored: %s", call.user.username, ", ".join(unknown)
            )
        user_settings.update_settings(call.db, call.user, call.body["changes"])
        return {"message": "User settings updated"}

"""The signed-in user's own settings: /api/v1/user/settings, and their overrides of the show's
stage direction styles and cue colours (/api/v1/user/settings/stage_direction_overrides,
/api/v1/user/settings/cue_colour_overrides)."""

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
from server.operations.user_settings import CUE_TYPES, STAGE_DIRECTION_STYLES
from server.schemas.common import CreatedSchema
from server.schemas.user_settings import (
    CueColourOverrideInputSchema,
    CueColourOverridePatchSchema,
    OverrideIdQuerySchema,
    OverrideListSchema,
    StageDirectionOverrideInputSchema,
    StageDirectionOverridePatchSchema,
    UserSettingsPatchSchema,
    UserSettingsSchema,
)

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


@route(r"/api/v1/user/settings/stage_direction_overrides")
class StageDirectionOverridesHandler(BaseAPIHandler):
    @endpoint(
        "The current user's overrides of the loaded show's stage direction styles",
        access=Access.SIGNED_IN,
        answer=OverrideListSchema,
        tag="settings",
    )
    def get(self, call: Call) -> Answer:
        rows = user_settings.list_overrides(call.db, call.user, STAGE_DIRECTION_STYLES)
        return OverrideListSchema().dump({"overrides": rows})

    @endpoint(
        "Override how one of the loaded show's stage direction styles looks to the current user",
        access=Access.SIGNED_IN,
        body=StageDirectionOverrideInputSchema,
        answer=CreatedSchema,
        errors=(400, 404),
        tag="settings",
    )
    def post(self, call: Call) -> Answer:
        look = dict(call.body)
        style_id = look.pop("style_id")
        row = user_settings.create_stage_direction_override(
            call.db, call.user, style_id, look, call.now
        )
        return {"id": row.id, "message": "Successfully added stage direction style override"}

    @endpoint(
        "Change some values of one of the current user's stage direction style overrides",
        access=Access.SIGNED_IN,
        body=StageDirectionOverridePatchSchema,
        errors=(400, 403, 404),
        tag="settings",
    )
    def patch(self, call: Call) -> Answer:
        changes = dict(call.body)
        override_id = changes.pop("id")
        user_settings.edit_override(
            call.db, call.user, STAGE_DIRECTION_STYLES, override_id, changes, call.now
        )
        return {"message": "Successfully edited stage direction style override"}

    @endpoint(
        "Delete one of the current user's stage direction style overrides",
        access=Access.SIGNED_IN,
        query=OverrideIdQuerySchema,
        errors=(400, 403, 404),
        tag="settings",
    )
    def delete(self, call: Call) -> Answer:
        user_settings.delete_override(call.db, call.user, STAGE_DIRECTION_STYLES, call.query["id"])
        return {"message": "Successfully deleted stage direction style override"}


@route(r"/api/v1/user/settings/cue_colour_overrides")
class CueColourOverridesHandler(BaseAPIHandler):
    @endpoint(
        "The current user's overrides of cue type colours",
        access=Access.SIGNED_IN,
        answer=OverrideListSchema,
        tag="settings",
    )
    def get(self, call: Call) -> Answer:
        rows = user_settings.list_overrides(call.db, call.user, CUE_TYPES)
        return OverrideListSchema().dump({"overrides": rows})

    @endpoint(
        "Override the colour of one of the show's cue types for the current user",
        access=Access.SIGNED_IN,
        body=CueColourOverrideInputSchema,
        answer=CreatedSchema,
        errors=(400, 404),
        tag="settings",
    )
    def post(self, call: Call) -> Answer:
        row = user_settings.create_cue_colour_override(
            call.db, call.user, call.body["cue_type_id"], call.body["colour"], call.now
        )
        return {"id": row.id, "message": "Successfully added cue colour override"}

    @endpoint(
        "Change the colour of one of the current user's cue colour overrides",
        access=Access.SIGNED_IN,
        body=CueColourOverridePatchSchema,
        errors=(400, 403, 404),
        tag="settings",
    )
    def patch(self, call: Call) -> Answer:
        changes = dict(call.body)
        override_id = changes.pop("id")
        user_settings.edit_override(call.db, call.user, CUE_TYPES, override_id, changes, call.now)
        return {"message": "Successfully edited cue colour override"}

    @endpoint(
        "Delete one of the current user's cue colour overrides",
        access=Access.SIGNED_IN,
        query=OverrideIdQuerySchema,
        errors=(400, 403, 404),
        tag="settings",
    )
    def delete(self, call: Call) -> Answer:
        user_settings.delete_override(call.db, call.user, CUE_TYPES, call.query["id"])
        return {"message": "Successfully deleted cue colour override"}

"""Per-show roles: /api/v1/rbac/..."""

from __future__ import annotations

from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    endpoint,
    route,
)
from server.operations import rbac, settings, shows
from server.roles import Role
from server.schemas.rbac import (
    ObjectListSchema,
    ObjectsQuerySchema,
    ResourceListSchema,
    RoleChangeSchema,
    RoleListSchema,
    UserRolesSchema,
)
from server.schemas.shows import ShowSchema


@route(r"/api/v1/rbac/roles")
class RolesHandler(BaseAPIHandler):
    @endpoint(
        "The roles",
        answer=RoleListSchema,
        transaction=Transaction.NONE,
        tag="rbac",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        return {"roles": [{"key": r.name, "value": int(r)} for r in Role]}


CHANGE_ROLE = {
    "access": Access.ADMIN,
    "body": RoleChangeSchema,
    "errors": (400, 403, 404),
    "tag": "rbac",
}


def _change(call: Call) -> tuple[str, int, int, int]:
    body = call.body
    return body["resource"], body["object"]["id"], body["user"], body["role"]


@route(r"/api/v1/rbac/user/roles/grant")
class GrantRoleHandler(BaseAPIHandler):
    @endpoint("Grant a role on a show (admin)", **CHANGE_ROLE)
    def post(self, call: Call) -> Answer:
        rbac.grant(call.db, *_change(call))
        return {"message": "Successfully granted role"}


@route(r"/api/v1/rbac/user/roles/revoke")
class RevokeRoleHandler(BaseAPIHandler):
    @endpoint("Revoke a role on a show (admin)", **CHANGE_ROLE)
    def post(self, call: Call) -> Answer:
        rbac.revoke(call.db, *_change(call))
        return {"message": "Successfully revoked role"}


@route(r"/api/v1/rbac/user/roles")
class UserRolesHandler(BaseAPIHandler):
    @endpoint(
        "The current user's roles on the loaded show",
        access=Access.SIGNED_IN,
        answer=UserRolesSchema,
        tag="rbac",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        show = settings.current_show(call.db)
        if show is None:
            return {"roles": {}}
        mask = rbac.role_mask(call.db, call.user, show.id)
        # Roles are held on the show; DigiScript's client also looks for them on its script.
        script = shows.script_of(call.db, show)
        return {
            "roles": {
                "shows": [[ShowSchema().dump(show), mask]],
                "script": [[{"id": script.id}, mask]],
            }
        }


@route(r"/api/v1/rbac/user/resources")
class ResourcesHandler(BaseAPIHandler):
    @endpoint(
        "The resources roles are held on (admin)",
        access=Access.ADMIN,
        answer=ResourceListSchema,
        errors=(403,),
        transaction=Transaction.NONE,
        tag="rbac",
    )
    def get(self, call: Call) -> Answer:
        return {"resources": rbac.resources()}


@route(r"/api/v1/rbac/user/objects")
class ObjectsHandler(BaseAPIHandler):
    @endpoint(
        "The objects of a resource roles may be held on, with a user's role on each (admin)",
        access=Access.ADMIN,
        query=ObjectsQuerySchema,
        answer=ObjectListSchema,
        errors=(400, 403, 404),
        tag="rbac",
    )
    def get(self, call: Call) -> Answer:
        objects, display_fields = rbac.objects(call.db, call.query["resource"], call.query["user"])
        return {"objects": objects, "display_fields": display_fields}

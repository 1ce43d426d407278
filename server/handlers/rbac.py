"""Per-show roles: /api/v1/rbac/..."""

from __future__ import annotations

from typing import Any

from server.handlers.base import BaseAPIHandler, admin_required, login_required, route
from server.operations import rbac, settings, shows
from server.roles import Role
from server.schemas.rbac import RoleChangeSchema
from server.schemas.shows import ShowSchema


@route(r"/api/v1/rbac/roles")
class RolesHandler(BaseAPIHandler):
    def get(self) -> None:
        self.write_json({"roles": [{"key": r.name, "value": int(r)} for r in Role]})


def _role_request(body: Any) -> tuple[str, int, int, int]:
    data = RoleChangeSchema().load_body(body)
    return data["resource"], data["object"]["id"], data["user"], data["role"]


@route(r"/api/v1/rbac/user/roles/grant")
class GrantRoleHandler(BaseAPIHandler):
    @admin_required
    def post(self) -> None:
        resource, show_id, user_id, role = _role_request(self.json_body)
        with self.write_tx() as db:
            rbac.grant(db, resource, show_id, user_id, role)
            self.notify("NOOP", "GET_USERS")
        self.write_json({"message": "Successfully granted role"})


@route(r"/api/v1/rbac/user/roles/revoke")
class RevokeRoleHandler(BaseAPIHandler):
    @admin_required
    def post(self) -> None:
        resource, show_id, user_id, role = _role_request(self.json_body)
        with self.write_tx() as db:
            rbac.revoke(db, resource, show_id, user_id, role)
            self.notify("NOOP", "GET_USERS")
        self.write_json({"message": "Successfully revoked role"})


@route(r"/api/v1/rbac/user/roles")
class UserRolesHandler(BaseAPIHandler):
    @login_required
    def get(self) -> None:
        with self.read_tx() as db:
            show = settings.current_show(db)
            if show is None:
                self.write_json({"roles": {}})
                return
            mask = rbac.role_mask(db, self.require_user(), show.id)
            # Roles are held on the show; DigiScript's client also looks for them on its script.
            script = shows.script_of(db, show)
            self.write_json(
                {
                    "roles": {
                        "shows": [[ShowSchema().dump(show), mask]],
                        "script": [[{"id": script.id}, mask]],
                    }
                }
            )

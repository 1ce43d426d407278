"""Users and tokens: /api/v1/auth/... and /api/v2/users."""

from __future__ import annotations

from server.errors import Forbidden, Unauthorized
from server.handlers.base import BaseAPIHandler, admin_required, login_required, route
from server.operations import users
from server.schemas.users import (
    CreateUserSchema,
    LoginSchema,
    LogoutSchema,
    UserIdQuerySchema,
    UserSchema,
)


@route(r"/api/v1/auth/create")
class CreateUserHandler(BaseAPIHandler):
    tolerate_bad_token = True

    def post(self) -> None:
        with self.write_tx() as db:
            if users.any_users(db):
                # Once there is a user, only an admin may add more.
                if self.user is None:
                    raise Unauthorized("Not logged in")
                if not self.user.is_admin:
                    raise Forbidden("Admin access required")
            data = CreateUserSchema().load_body(self.json_body)
            users.create_user(db, data["username"], data["password"], data["is_admin"], self.now())
            self.notify_settings_changed(db)
            self.notify("NOOP", "GET_USERS")
        self.write_json({"message": "Successfully created user"})


@route(r"/api/v2/users")
class UsersV2Handler(CreateUserHandler):
    """client-v3's users page: create (as /auth/create), list and delete."""

    @admin_required
    def get(self) -> None:
        with self.read_tx() as db:
            self.write_json({"users": UserSchema(many=True).dump(users.list_users(db))})

    @admin_required
    def delete(self) -> None:
        # A query string may carry any bytes; ones that are not UTF-8 are simply not an id.
        query = {k: v[-1].decode(errors="replace") for k, v in self.request.query_arguments.items()}
        data = UserIdQuerySchema().load_body(query)
        with self.write_tx() as db:
            users.delete_user(db, self.require_user(), data["id"])
            self.notify("NOOP", "GET_USERS")
        self.write_json({"message": "Successfully deleted user"})


@route(r"/api/v1/auth/login")
class LoginHandler(BaseAPIHandler):
    tolerate_bad_token = True

    def post(self) -> None:
        data = LoginSchema().load_body(self.json_body)
        with self.write_tx() as db:
            _user, token = users.log_in(
                db, data["username"], data["password"], data["session_id"], self.now()
            )
        self.write_json(
            {"message": "Successful log in", "access_token": token, "token_type": "bearer"}
        )


@route(r"/api/v1/auth/logout")
class LogoutHandler(BaseAPIHandler):
    @login_required
    def post(self) -> None:
        data = LogoutSchema().load_body(self.json_body)
        with self.write_tx() as db:
            users.log_out(
                db, self.require_user(), self.token_claims, data["session_id"], self.now()
            )
        self.write_json({"message": "Successfully logged out"})


@route(r"/api/v1/auth/refresh-token")
class RefreshTokenHandler(BaseAPIHandler):
    @login_required
    def post(self) -> None:
        with self.write_tx() as db:
            token = users.refresh_token(db, self.require_user(), self.now())
        self.write_json({"access_token": token, "token_type": "bearer"})


@route(r"/api/v1/auth")
class CurrentUserHandler(BaseAPIHandler):
    tolerate_bad_token = True

    def get(self) -> None:
        signed_in = self.user
        if signed_in is None:
            self.write_json({})
            return
        with self.read_tx() as db:
            user = users.find_user(db, signed_in.id)
            # Deleted since its token was checked: as good as no token.
            self.write_json({} if user is None else UserSchema().dump(user))


@route(r"/api/v1/auth/users")
class UsersHandler(BaseAPIHandler):
    @admin_required
    def get(self) -> None:
        with self.read_tx() as db:
            self.write_json({"users": UserSchema(many=True).dump(users.list_users(db))})
